"""The seeded works: thousands of scholarly works over several years, more each year."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["DEFAULT_SIZES", "TABLE", "YEARS", "key", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"works": 8000}
TABLE = "openalex.works"
YEARS = tuple(range(2018, 2026))
_YEAR_WEIGHTS = (6, 7, 9, 11, 13, 15, 17, 19)
"""Output grows every year: by default the last four years hold more than 1000 works each."""
FIRST_WORK = 4_300_000_000
TYPES = ("article", "book-chapter", "preprint", "review", "dataset", "book")
_TYPE_WEIGHTS = (70, 8, 10, 6, 3, 3)
_OA = ("gold", "green", "hybrid", "bronze", "diamond")
_TOPICS = (
    "graph neural networks",
    "soil microbiomes",
    "coral reef resilience",
    "urban heat",
    "protein folding",
    "sleep and memory",
    "battery anodes",
    "vaccine hesitancy",
    "language models",
    "glacier retreat",
    "gut microbiota",
    "quantum error correction",
    "wildfire smoke",
    "microplastics",
    "dark matter halos",
    "crop yield forecasting",
)
_VERBS = (
    "Revisiting",
    "A survey of",
    "Measuring",
    "Towards",
    "Modelling",
    "On the limits of",
    "Evidence for",
    "Scalable methods for",
    "A longitudinal study of",
    "Rethinking",
)
_SOURCES = (
    "Nature Communications",
    "PLOS ONE",
    "Scientific Reports",
    "The Lancet",
    "eLife",
    "Physical Review B",
    "IEEE Access",
    "Journal of Ecology",
    "arXiv",
    "bioRxiv",
)
_FIRST = (
    "Ana",
    "Wei",
    "Olu",
    "Sofia",
    "Ravi",
    "Mette",
    "Jonas",
    "Aiko",
    "Lucas",
    "Fatima",
    "Pedro",
    "Ingrid",
    "Kwame",
    "Mina",
    "Tomasz",
    "Chloe",
)
_LAST = (
    "Silva",
    "Zhang",
    "Okafor",
    "Rossi",
    "Patel",
    "Jensen",
    "Müller",
    "Tanaka",
    "Martin",
    "Haddad",
    "Costa",
    "Larsen",
    "Mensah",
    "Kim",
    "Nowak",
    "Dubois",
)


def key(number: int) -> str:
    """The table key of work ``W<number>`` (fixed width, so keys sort in id order)."""
    return f"W{number:012d}"


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with ``sizes["works"]`` works; the API needs no credentials."""
    sizes = resolve_sizes("openalex", sizes, DEFAULT_SIZES)
    table = world.table(TABLE)
    for i in range(sizes["works"]):
        rng = random.Random(derive_seed(world.seed, "openalex", "work", i))
        number = FIRST_WORK + i * 10 + rng.randrange(10)
        table.put(key(number), work(number, rng))
    return {"type": "none"}


def work(number: int, rng: random.Random) -> Record:
    """One work as ``/works`` returns it."""
    year = rng.choices(YEARS, weights=_YEAR_WEIGHTS)[0]
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    kind = rng.choices(TYPES, weights=_TYPE_WEIGHTS)[0]
    is_oa = rng.random() < 0.6
    title = f"{rng.choice(_VERBS)} {rng.choice(_TOPICS)}"
    source = rng.choice(_SOURCES)
    doi = f"https://doi.org/10.{rng.randint(1000, 9999)}/{number}"
    authors: list[dict[str, Any]] = []
    for position in range(rng.randint(1, 5)):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        authors.append(
            {
                "author_position": "first" if position == 0 else "middle",
                "author": {
                    "id": f"https://openalex.org/A{rng.randint(5 * 10**9, 6 * 10**9)}",
                    "display_name": name,
                    "orcid": None,
                },
                "institutions": [],
                "countries": [],
                "is_corresponding": position == 0,
                "raw_author_name": name,
            }
        )
    if len(authors) > 1:
        authors[-1]["author_position"] = "last"
    age = 2026 - year
    return {
        "id": f"https://openalex.org/W{number}",
        "doi": doi if rng.random() < 0.9 else None,
        "title": title,
        "display_name": title,
        "publication_year": year,
        "publication_date": day.isoformat(),
        "language": "en" if rng.random() < 0.92 else rng.choice(("de", "fr", "es", "zh")),
        "type": kind,
        "open_access": {
            "is_oa": is_oa,
            "oa_status": rng.choice(_OA) if is_oa else "closed",
            "oa_url": doi if is_oa else None,
            "any_repository_has_fulltext": is_oa and rng.random() < 0.5,
        },
        "authorships": authors,
        "primary_location": {
            "is_oa": is_oa,
            "landing_page_url": doi,
            "source": {
                "id": f"https://openalex.org/S{_SOURCES.index(source) + 4210000}",
                "display_name": source,
                "type": "repository" if "rxiv" in source else "journal",
            },
        },
        "cited_by_count": int(rng.paretovariate(1.3) * age) - age + rng.randint(0, age * 2),
        "created_date": f"{year}-{day.month:02d}-{day.day:02d}",
        "updated_date": "2025-06-01T00:00:00",
    }

"""The seeded works: thousands of scholarly works over several years, more each year.

The works are a lazy source (:meth:`World.lazy`) drawn with
:class:`~mockapis.seeding.RowDraws`: the publication years in a pass of their own, counted
per year into the index (what the truths choose a year from), the rest only when the table
is read (:meth:`Partitions.whole <mockapis.tables.Partitions.whole>`), each work rendered when
read through the same :func:`render` as the works ``pagination_drift`` adds.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from mockapis import seeding
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record, index_key
from mockapis.world import World

__all__ = ["DEFAULT_SIZES", "TABLE", "YEARS", "Drawn", "key", "render", "seed", "work"]

DEFAULT_SIZES: Mapping[str, int] = {"works": 8000}
TABLE = "openalex.works"
YEARS = tuple(range(2018, 2026))
_YEAR_WEIGHTS = (6, 7, 9, 11, 13, 15, 17, 19)
"""Output grows every year: by default the last four years hold more than 1000 works each."""
_YEAR_CUM = tuple(itertools.accumulate(_YEAR_WEIGHTS))
FIRST_WORK = 4_300_000_000
TYPES = ("article", "book-chapter", "preprint", "review", "dataset", "book")
_TYPE_WEIGHTS = (70, 8, 10, 6, 3, 3)
_TYPE_CUM = tuple(itertools.accumulate(_TYPE_WEIGHTS))
_OA = ("gold", "green", "hybrid", "bronze", "diamond")
_LANGUAGES = ("de", "fr", "es", "zh")
_CITATION_ALPHA = 1.3
"""Citations are heavy-tailed: a Pareto draw of this shape, scaled by the work's age."""
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


class Drawn(NamedTuple):
    """Everything drawn for one work: what :func:`render` makes its record from."""

    number: int
    year: int
    day: int
    """Days after 1 January of its year."""
    kind: str
    is_oa: bool
    verb: str
    topic: str
    source: str
    doi_prefix: int
    authors: tuple[tuple[str, int], ...]
    """``(display name, author number)`` of each author, the first one first."""
    has_doi: bool
    language: str
    oa_status: str
    fulltext: bool
    pareto: float
    """A Pareto(:data:`_CITATION_ALPHA`) draw (1 or more)."""
    citation_noise: float
    """A uniform draw in [0, 1): the extra citations within twice the work's age."""


def key(number: int) -> str:
    """The table key of work ``W<number>`` (fixed width, so keys sort in id order)."""
    return f"W{number:012d}"


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Declare ``sizes["works"]`` works; the API needs no credentials."""
    sizes = resolve_sizes("openalex", sizes, DEFAULT_SIZES)
    world.lazy(TABLE, _works, world.seed, sizes["works"])
    return {"type": "none"}


def render(w: Drawn) -> Record:
    """One work as ``/works`` returns it."""
    number, year = w.number, w.year
    day = _day(year, w.day)
    doi = f"https://doi.org/10.{w.doi_prefix}/{number}"
    authors: list[dict[str, Any]] = []
    for position, (name, author) in enumerate(w.authors):
        authors.append(
            {
                "author_position": "first" if position == 0 else "middle",
                "author": {
                    "id": f"https://openalex.org/A{author}",
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
    title = f"{w.verb} {w.topic}"
    source = w.source
    return {
        "id": f"https://openalex.org/W{number}",
        "doi": doi if w.has_doi else None,
        "title": title,
        "display_name": title,
        "publication_year": year,
        "publication_date": day.isoformat(),
        "language": w.language,
        "type": w.kind,
        "open_access": {
            "is_oa": w.is_oa,
            "oa_status": w.oa_status if w.is_oa else "closed",
            "oa_url": doi if w.is_oa else None,
            "any_repository_has_fulltext": w.is_oa and w.fulltext,
        },
        "authorships": authors,
        "primary_location": {
            "is_oa": w.is_oa,
            "landing_page_url": doi,
            "source": {
                "id": f"https://openalex.org/S{_SOURCES.index(source) + 4210000}",
                "display_name": source,
                "type": "repository" if "rxiv" in source else "journal",
            },
        },
        "cited_by_count": int(w.pareto * age) - age + int(w.citation_noise * (2 * age + 1)),
        "created_date": f"{year}-{day.month:02d}-{day.day:02d}",
        "updated_date": "2025-06-01T00:00:00",
    }


@functools.lru_cache(maxsize=4096)
def _day(year: int, offset: int) -> dt.date:
    """The date ``offset`` days into ``year`` (works share a few thousand dates: cached)."""
    return dt.date(year, 1, 1) + dt.timedelta(days=offset)


def work(number: int, rng: random.Random) -> Record:
    """One work drawn from ``rng`` (a newly indexed one's)."""
    year = rng.choices(YEARS, cum_weights=_YEAR_CUM)[0]
    drawn = Drawn(
        number=number,
        year=year,
        day=rng.randrange(365),
        kind=rng.choices(TYPES, cum_weights=_TYPE_CUM)[0],
        is_oa=rng.random() < 0.6,
        verb=rng.choice(_VERBS),
        topic=rng.choice(_TOPICS),
        source=rng.choice(_SOURCES),
        doi_prefix=rng.randint(1000, 9999),
        authors=tuple(
            (f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", rng.randint(5 * 10**9, 6 * 10**9))
            for _ in range(rng.randint(1, 5))
        ),
        has_doi=rng.random() < 0.9,
        language="en" if rng.random() < 0.92 else rng.choice(_LANGUAGES),
        oa_status=rng.choice(_OA),
        fulltext=rng.random() < 0.5,
        pareto=rng.paretovariate(_CITATION_ALPHA),
        citation_noise=rng.random(),
    )
    return render(drawn)


def _works(seed_value: int, n: int) -> BuiltTables:
    # The years in a pass of their own: the index is all a reset needs.
    years = seeding.RowDraws(n, 1, seed_value, "openalex", "years").weighted(0, YEARS, _YEAR_CUM)
    counts = np.bincount(np.array(years, dtype=np.int64) - YEARS[0], minlength=len(YEARS))
    index: dict[Any, int] = dict(zip(YEARS, counts.tolist(), strict=True))  # year -> works
    return {TABLE: Partitions.whole(_rows, seed_value, years), index_key(TABLE): index}


def _rows(seed_value: int, years: list[int], _part: str) -> dict[str, LazyRow]:
    n = len(years)
    d = seeding.RowDraws(n, 31, seed_value, "openalex", "works")
    numbers = [FIRST_WORK + i * 10 + offset for i, offset in enumerate(d.below(0, 10))]
    # Up to five authors a work: a first name, a last name and an id column for each.
    names = [
        [
            f"{f} {g}"
            for f, g in zip(d.pick(2 + 2 * a, _FIRST), d.pick(3 + 2 * a, _LAST), strict=True)
        ]
        for a in range(5)
    ]
    author_ids = [d.ints(12 + a, 5 * 10**9, 6 * 10**9) for a in range(5)]
    authors = [
        tuple((names[a][i], author_ids[a][i]) for a in range(k))
        for i, k in enumerate(d.ints(1, 1, 5))
    ]
    english, other = d.chance(17, 0.92), d.pick(18, _LANGUAGES)
    # random.paretovariate by inversion: 1 / (1 - u) ** (1 / alpha).
    pareto = (1.0 - np.array(d.floats(21))) ** (-1.0 / _CITATION_ALPHA)
    drawn = map(
        Drawn,
        numbers,
        years,
        d.below(24, 365),
        d.weighted(25, TYPES, _TYPE_CUM),
        d.chance(26, 0.6),
        d.pick(27, _VERBS),
        d.pick(28, _TOPICS),
        d.pick(19, _SOURCES),
        d.ints(20, 1000, 9999),
        authors,
        d.chance(22, 0.9),
        ["en" if e else o for e, o in zip(english, other, strict=True)],
        d.pick(29, _OA),
        d.chance(30, 0.5),
        pareto.tolist(),
        d.floats(23),
    )
    return {key(w.number): LazyRow(render, w) for w in drawn}

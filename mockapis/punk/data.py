"""The seeded beer catalogue: a few hundred beers with ids from 1, BrewDog DIY Dog style."""

from __future__ import annotations

import random
from collections.abc import Mapping

from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["DEFAULT_SIZES", "TABLE", "key", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"beers": 325}
TABLE = "punk.beers"

_ADJECTIVES = (
    "Punk",
    "Dead",
    "Electric",
    "Hazy",
    "Jet",
    "Black",
    "Elvis",
    "Hardcore",
    "Clockwork",
    "Zombie",
    "Cocoa",
    "Libertine",
    "Vagabond",
    "Atomic",
    "Russian",
    "Imperial",
    "Lost",
    "Nanny",
    "Tropic",
    "Shameless",
    "Mango",
    "Bramble",
    "Candy",
    "Chilli",
    "Sunk",
)
_NOUNS = (
    "Pony",
    "Juice",
    "India",
    "Ale",
    "Stout",
    "Lager",
    "Porter",
    "Saison",
    "Tripel",
    "Sour",
    "Quad",
    "Wheat",
    "Ghost",
    "Monk",
    "Paradox",
    "Rebel",
    "Hammer",
    "Storm",
    "Harbour",
    "Fox",
)
_STYLES = ("IPA", "Pale Ale", "Imperial Stout", "Lager", "Porter", "Sour", "Saison", "Red Ale")
_MALTS = ("Extra Pale", "Caramalt", "Munich", "Crystal", "Dark Crystal", "Chocolate", "Wheat")
_HOPS = ("Simcoe", "Amarillo", "Chinook", "Centennial", "Cascade", "Nelson Sauvin", "Citra")
_YEASTS = (
    "Wyeast 1056 - American Ale™",
    "Wyeast 1272 - American Ale II™",
    "Wyeast 3711 - French Saison™",
)
_FOODS = (
    "Spicy chicken tikka masala",
    "Grilled salmon",
    "Carrot cake",
    "Blue cheese burger",
    "Chocolate brownie",
    "Fish and chips",
    "Thai green curry",
    "Smoked brisket",
    "Lemon tart",
)


def key(beer_id: int) -> str:
    """The table key of beer ``beer_id`` (zero-padded, so keys sort in id order)."""
    return f"{beer_id:06d}"


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with ``sizes["beers"]`` beers (ids 1..n); the API needs no credentials."""
    sizes = resolve_sizes("punk", sizes, DEFAULT_SIZES)
    table = world.table(TABLE)
    for beer_id in range(1, sizes["beers"] + 1):
        rng = random.Random(derive_seed(world.seed, "punk", "beer", beer_id))
        table.put(key(beer_id), beer(beer_id, rng))
    return {"type": "none"}


def _amount(value: float, unit: str) -> dict[str, object]:
    return {"value": value, "unit": unit}


def beer(beer_id: int, rng: random.Random) -> Record:
    """One beer as ``/v2/beers`` returns it."""
    style = rng.choice(_STYLES)
    abv = round(rng.choice((rng.uniform(2.5, 8.0), rng.uniform(4.0, 12.0), rng.uniform(8, 18))), 1)
    og = rng.randint(1035, 1110)
    ebc = rng.randint(5, 300) if rng.random() < 0.9 else None
    hops = [
        {
            "name": rng.choice(_HOPS),
            "amount": _amount(round(rng.uniform(5, 60), 1), "grams"),
            "add": add,
            "attribute": attribute,
        }
        for add, attribute in (("start", "bitter"), ("middle", "flavour"), ("end", "aroma"))
    ]
    return {
        "id": beer_id,
        "name": f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}",
        "tagline": f"{rng.choice(('Hoppy', 'Bold', 'Crisp', 'Dark', 'Tart', 'Juicy'))} {style}.",
        "first_brewed": f"{rng.randint(1, 12):02d}/{rng.randint(2007, 2018)}",
        "description": f"A {style.lower()} brewed with {rng.choice(_HOPS)} hops.",
        "image_url": f"https://images.punkapi.com/v2/{beer_id}.png",
        "abv": abv,
        "ibu": rng.randint(8, 250) if rng.random() < 0.95 else None,
        "target_fg": rng.randint(1002, 1025),
        "target_og": og,
        "ebc": ebc,
        "srm": None if ebc is None else round(ebc / 1.97, 1),
        "ph": round(rng.uniform(3.2, 4.6), 1),
        "attenuation_level": round(rng.uniform(65, 90), 1),
        "volume": _amount(20, "litres"),
        "boil_volume": _amount(25, "litres"),
        "method": {
            "mash_temp": [
                {"temp": _amount(rng.choice((64, 65, 66, 68)), "celsius"), "duration": 75}
            ],
            "fermentation": {"temp": _amount(rng.choice((18, 19, 21)), "celsius")},
            "twist": None,
        },
        "ingredients": {
            "malt": [
                {"name": m, "amount": _amount(round(rng.uniform(0.1, 6.0), 2), "kilograms")}
                for m in rng.sample(_MALTS, rng.randint(1, 3))
            ],
            "hops": hops,
            "yeast": rng.choice(_YEASTS),
        },
        "food_pairing": rng.sample(_FOODS, 3),
        "brewers_tips": "Use a clean yeast and ferment cool.",
        "contributed_by": "Sam Mason <samjbmason>",
    }

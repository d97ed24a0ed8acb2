"""The seeded beer catalogue: a few hundred beers with ids from 1, BrewDog DIY Dog style.

The catalogue is a lazy source (:meth:`World.lazy`): built when first read, its columns drawn
in one :class:`~mockapis.seeding.RowDraws` pass and each beer rendered when read. Seeded beers
and the beers ``pagination_drift`` adds (:func:`beer`, from an RNG) render through the same
:func:`render`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import NamedTuple

from mockapis import seeding
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record
from mockapis.world import World

__all__ = ["DEFAULT_SIZES", "TABLE", "Beer", "beer", "key", "render", "seed"]

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


_TAGLINES = ("Hoppy", "Bold", "Crisp", "Dark", "Tart", "Juicy")
_ABV_RANGES = ((2.5, 8.0), (4.0, 12.0), (8.0, 18.0))
"""A beer's strength is drawn in one of these, chosen evenly: session, standard, imperial."""
_MASH_TEMPS = (64, 65, 66, 68)
_FERMENT_TEMPS = (18, 19, 21)
_ADDITIONS = (("start", "bitter"), ("middle", "flavour"), ("end", "aroma"))


class Beer(NamedTuple):
    """Everything drawn for one beer: what :func:`render` makes its record from."""

    name: str
    style: str
    tagline: str
    month: int
    year: int
    description_hop: str
    abv: float
    ibu: int | None
    target_fg: int
    target_og: int
    ebc: int | None
    ph: float
    attenuation: float
    mash_temp: int
    ferment_temp: int
    malts: tuple[tuple[str, float], ...]
    hops: tuple[tuple[str, float], ...]
    """The start, middle and end additions: ``(hop, grams)``."""
    yeast: str
    foods: tuple[str, ...]


def key(beer_id: int) -> str:
    """The table key of beer ``beer_id`` (zero-padded, so keys sort in id order)."""
    return f"{beer_id:06d}"


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Declare ``sizes["beers"]`` beers (ids 1..n); the API needs no credentials."""
    sizes = resolve_sizes("punk", sizes, DEFAULT_SIZES)
    world.lazy(TABLE, _beers, world.seed, sizes["beers"])
    return {"type": "none"}


def _amount(value: float, unit: str) -> dict[str, object]:
    return {"value": value, "unit": unit}


def render(beer_id: int, b: Beer) -> Record:
    """One beer as ``/v2/beers`` returns it."""
    hops = [
        {
            "name": name,
            "amount": _amount(grams, "grams"),
            "add": add,
            "attribute": attribute,
        }
        for (name, grams), (add, attribute) in zip(b.hops, _ADDITIONS, strict=True)
    ]
    return {
        "id": beer_id,
        "name": b.name,
        "tagline": f"{b.tagline} {b.style}.",
        "first_brewed": f"{b.month:02d}/{b.year}",
        "description": f"A {b.style.lower()} brewed with {b.description_hop} hops.",
        "image_url": f"https://images.punkapi.com/v2/{beer_id}.png",
        "abv": b.abv,
        "ibu": b.ibu,
        "target_fg": b.target_fg,
        "target_og": b.target_og,
        "ebc": b.ebc,
        "srm": None if b.ebc is None else round(b.ebc / 1.97, 1),
        "ph": b.ph,
        "attenuation_level": b.attenuation,
        "volume": _amount(20, "litres"),
        "boil_volume": _amount(25, "litres"),
        "method": {
            "mash_temp": [{"temp": _amount(b.mash_temp, "celsius"), "duration": 75}],
            "fermentation": {"temp": _amount(b.ferment_temp, "celsius")},
            "twist": None,
        },
        "ingredients": {
            "malt": [{"name": m, "amount": _amount(kg, "kilograms")} for m, kg in b.malts],
            "hops": hops,
            "yeast": b.yeast,
        },
        "food_pairing": list(b.foods),
        "brewers_tips": "Use a clean yeast and ferment cool.",
        "contributed_by": "Sam Mason <samjbmason>",
    }


def beer(beer_id: int, rng: random.Random) -> Record:
    """One beer drawn from ``rng`` (a new beer's, as the catalogue grows)."""
    style = rng.choice(_STYLES)
    low, high = rng.choice(_ABV_RANGES)
    malts = rng.sample(_MALTS, rng.randint(1, 3))
    drawn = Beer(
        name=f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}",
        style=style,
        tagline=rng.choice(_TAGLINES),
        month=rng.randint(1, 12),
        year=rng.randint(2007, 2018),
        description_hop=rng.choice(_HOPS),
        abv=round(rng.uniform(low, high), 1),
        ibu=rng.randint(8, 250) if rng.random() < 0.95 else None,
        target_fg=rng.randint(1002, 1025),
        target_og=rng.randint(1035, 1110),
        ebc=rng.randint(5, 300) if rng.random() < 0.9 else None,
        ph=round(rng.uniform(3.2, 4.6), 1),
        attenuation=round(rng.uniform(65, 90), 1),
        mash_temp=rng.choice(_MASH_TEMPS),
        ferment_temp=rng.choice(_FERMENT_TEMPS),
        malts=tuple((m, round(rng.uniform(0.1, 6.0), 2)) for m in malts),
        hops=tuple((rng.choice(_HOPS), round(rng.uniform(5, 60), 1)) for _ in _ADDITIONS),
        yeast=rng.choice(_YEASTS),
        foods=tuple(rng.sample(_FOODS, 3)),
    )
    return render(beer_id, drawn)


class _Columns(NamedTuple):
    """The catalogue's drawn columns: beer ``i + 1`` renders from row ``i`` of each."""

    draws: seeding.RowDraws
    """For the samples (malts, food pairings), drawn per row when rendered."""
    style: list[str]
    abv: list[float]
    target_og: list[int]
    ebc: list[int | None]
    hops: list[tuple[str, str, str]]
    grams: list[tuple[float, float, float]]
    name: list[str]
    tagline: list[str]
    month: list[int]
    year: list[int]
    description_hop: list[str]
    ibu: list[int | None]
    target_fg: list[int]
    ph: list[float]
    attenuation: list[float]
    mash_temp: list[int]
    ferment_temp: list[int]
    malts: list[int]
    kilograms: list[tuple[float, float, float]]
    yeast: list[str]


def _beers(seed_value: int, n: int) -> BuiltTables:
    d = seeding.RowDraws(n, 36, seed_value, "punk", "beers")
    ranges, strength = d.pick(1, _ABV_RANGES), d.floats(2)
    ebc, has_ebc = d.ints(5, 5, 300), d.chance(4, 0.9)
    ibu, has_ibu = d.ints(19, 8, 250), d.chance(18, 0.95)
    columns = _Columns(
        draws=d,
        style=d.pick(0, _STYLES),
        abv=[round(lo + (hi - lo) * f, 1) for (lo, hi), f in zip(ranges, strength, strict=True)],
        target_og=d.ints(3, 1035, 1110),
        ebc=[e if keep else None for e, keep in zip(ebc, has_ebc, strict=True)],
        hops=list(zip(d.pick(6, _HOPS), d.pick(8, _HOPS), d.pick(10, _HOPS), strict=True)),
        grams=list(zip(d.floats(7), d.floats(9), d.floats(11), strict=True)),
        name=[f"{a} {b}" for a, b in zip(d.pick(12, _ADJECTIVES), d.pick(13, _NOUNS), strict=True)],
        tagline=d.pick(14, _TAGLINES),
        month=d.ints(15, 1, 12),
        year=d.ints(16, 2007, 2018),
        description_hop=d.pick(17, _HOPS),
        ibu=[i if keep else None for i, keep in zip(ibu, has_ibu, strict=True)],
        target_fg=d.ints(20, 1002, 1025),
        ph=d.floats(21),
        attenuation=d.floats(22),
        mash_temp=d.pick(23, _MASH_TEMPS),
        ferment_temp=d.pick(24, _FERMENT_TEMPS),
        malts=d.ints(25, 1, 3),
        kilograms=list(zip(d.floats(29), d.floats(30), d.floats(31), strict=True)),
        yeast=d.pick(32, _YEASTS),
    )
    return {TABLE: {key(i + 1): LazyRow(_seeded, columns, i) for i in range(n)}}


def _seeded(c: _Columns, i: int) -> Record:
    """Beer ``i + 1`` from row ``i`` of the drawn columns (uniforms scaled as ``uniform``)."""
    malts = c.draws.sample(26, _MALTS, c.malts[i], i)
    drawn = Beer(
        name=c.name[i],
        style=c.style[i],
        tagline=c.tagline[i],
        month=c.month[i],
        year=c.year[i],
        description_hop=c.description_hop[i],
        abv=c.abv[i],
        ibu=c.ibu[i],
        target_fg=c.target_fg[i],
        target_og=c.target_og[i],
        ebc=c.ebc[i],
        ph=round(3.2 + 1.4 * c.ph[i], 1),
        attenuation=round(65 + 25 * c.attenuation[i], 1),
        mash_temp=c.mash_temp[i],
        ferment_temp=c.ferment_temp[i],
        malts=tuple(
            (m, round(0.1 + 5.9 * kg, 2)) for m, kg in zip(malts, c.kilograms[i], strict=False)
        ),
        hops=tuple(
            (hop, round(5 + 55 * g, 1)) for hop, g in zip(c.hops[i], c.grams[i], strict=True)
        ),
        yeast=c.yeast[i],
        foods=tuple(c.draws.sample(33, _FOODS, 3, i)),
    )
    return render(i + 1, drawn)

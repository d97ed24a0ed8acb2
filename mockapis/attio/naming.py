"""The drawn companies' names and domains, resolved on whole columns.

A name is coined (stem, optional space, tail: "Blue Labs") or named after people ("Smith
Group", "Smith-Jones", "Smith & Jones"); its domain stem is its letters without a legal
suffix ("bluelabs", "smith", "smithjones"). Each name is drawn as a code, a number naming
its catalogue positions: every coined name is a different string, surnames are distinct
words of letters and a legal suffix is never a tail, so equal names have equal codes
(tests/mockapis/attio/test_attio_data.py checks the catalogue), and clashes are found by
sorting the codes. Stems are compared as numbers too, equal exactly when the strings are
(two surnames may spell another pair, a third surname or a coined stem: see :func:`_stems`);
names, and the stems' strings but the shared ones, are made only when read.
"""

from __future__ import annotations

import functools
import random
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from mockapis import seeding
from mockapis.attio import catalog
from mockapis.attio.seeded import ascii_letters

__all__ = ["KINDS", "Naming", "draw_names"]

_LAST, _LAST_ASCII = catalog.LAST_NAMES, tuple(ascii_letters(n) for n in catalog.LAST_NAMES)
_LAST_IDS = tuple(range(len(_LAST)))
_LAST_CUM = np.asarray(catalog.LAST_WEIGHTS, dtype=np.float64)
KINDS = (" Group", " Partners", " Inc", " LLC")
"""Legal suffixes of a name after one surname: not part of its domain."""
_KIND_NAMES = tuple(f"{last}{kind}" for last in _LAST for kind in KINDS)
_STEMS, _TAILS = len(catalog.COMPANY_STEMS), len(catalog.COMPANY_TAILS)
_COINED = tuple(
    f"{stem}{space}{tail}"
    for stem in catalog.COMPANY_STEMS
    for space in ("", " ")
    for tail in catalog.COMPANY_TAILS
)
"""Every coined name, at ``(stem * 2 + space) * tails + tail``."""
_COINED_STEMS = tuple(
    ascii_letters(stem) + ascii_letters(tail)
    for stem in catalog.COMPANY_STEMS
    for _ in (0, 1)
    for tail in catalog.COMPANY_TAILS
)
_TLDS = ("io", "co", "ai", "net")

# Codes: coined names, then surnames with a legal suffix (``a * 4 + kind``), then two
# surnames joined by a hyphen, then by an ampersand (``a * surnames + b`` each).
_KIND_AT = len(_COINED)
_PAIR_AT = _KIND_AT + len(_KIND_NAMES)
_PAIRS = len(_LAST) ** 2
# The catalogue as object arrays: a column of positions maps to its strings in one step.
_LAST_ARRAY = np.array(_LAST, dtype=object)
_LAST_ASCII_ARRAY = np.array(_LAST_ASCII, dtype=object)
_KIND_ARRAY = np.array(_KIND_NAMES, dtype=object)
_COINED_ARRAY = np.array(_COINED, dtype=object)
_COINED_STEM_ARRAY = np.array(_COINED_STEMS, dtype=object)
_JOINTS = np.array(["", "-", " & "], dtype=object)
"""What joins two surnames, by form."""

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class _Drawn(NamedTuple):
    """The name columns as drawn (before clashes): whether named after people, the form
    (0: one surname and a legal suffix, 1: hyphen, 2: ampersand), the surnames, the legal
    suffix and the coined name."""

    named: BoolArray
    forms: IntArray
    last_a: IntArray
    last_b: IntArray
    kinds: IntArray
    coined: IntArray


def _name_of(code: int) -> str:
    """The name a code stands for."""
    if code < _KIND_AT:
        return _COINED[code]
    if code < _PAIR_AT:
        return _KIND_NAMES[code - _KIND_AT]
    form, pair = divmod(code - _PAIR_AT, _PAIRS)
    a, b = divmod(pair, len(_LAST))
    return f"{_LAST[a]}{'-' if form == 0 else ' & '}{_LAST[b]}"


def _stem_of(code: int) -> str:
    """The domain stem of the name a code stands for."""
    if code < _KIND_AT:
        return _COINED_STEMS[code]
    if code < _PAIR_AT:
        return _LAST_ASCII[(code - _KIND_AT) // len(KINDS)]
    a, b = divmod((code - _PAIR_AT) % _PAIRS, len(_LAST))
    return _LAST_ASCII[a] + _LAST_ASCII[b]


def _code(form: int, a: int, b: int, kind: int) -> int:
    """The code of a name after surnames ``a`` (and ``b``)."""
    if form == 0:
        return _KIND_AT + a * len(KINDS) + kind
    return _PAIR_AT + (form - 1) * _PAIRS + a * len(_LAST) + b


def _another_code(rng: random.Random, taken: set[int]) -> int:
    """A name's code not in ``taken``, drawn as the columns draw one (the retry stream's
    draws, in its order); added."""
    while True:
        if rng.random() < 0.55:
            code = (rng.randrange(_STEMS) * 2 + rng.randrange(2)) * _TAILS + rng.randrange(_TAILS)
        else:
            a, b = rng.choices(_LAST_IDS, cum_weights=catalog.LAST_WEIGHTS, k=2)
            form = rng.randrange(3)
            code = _code(form, a, b, rng.randrange(len(KINDS)))
        if code not in taken:
            taken.add(code)
            return code


def _domain_for(tld: str, retry: random.Random, stem: str, taken: set[str]) -> str:
    """The domain of a company whose stem others share: ``stem`` on .com, else ``tld``, .org,
    .dev, else a number on .com (a domain belongs to one company, duplicates aside)."""
    for suffix in ("com", tld, "org", "dev"):
        domain = f"{stem}.{suffix}"
        if domain not in taken:
            taken.add(domain)
            return domain
    domain = f"{stem}{retry.randint(2, 999)}.com"
    while domain in taken:
        domain = f"{stem}{retry.randint(2, 99_999)}.com"
    taken.add(domain)
    return domain


class Naming(NamedTuple):
    """Every drawn company's name (as a code) and domain, clashes resolved."""

    drawn: _Drawn
    codes: list[int]
    redrawn: list[int]
    """The rows whose drawn name an earlier row had (named again from the retry stream)."""
    shared: dict[int, str]
    """The domains of the rows whose stem another row has (the others': stem on .com)."""

    def names(self) -> list[str]:
        """Every drawn company's name."""
        col = self.drawn
        joined = _LAST_ARRAY[col.last_a] + _JOINTS[col.forms] + _LAST_ARRAY[col.last_b]
        kind_names = _KIND_ARRAY[col.last_a * len(KINDS) + col.kinds]
        by_people = np.where(col.forms == 0, kind_names, joined)
        names: list[str] = np.where(col.named, by_people, _COINED_ARRAY[col.coined]).tolist()
        for i in self.redrawn:
            names[i] = _name_of(self.codes[i])
        return names

    def domain(self, i: int) -> str:
        """The domain of row ``i``."""
        found = self.shared.get(i)
        return f"{_stem_of(self.codes[i])}.com" if found is None else found

    def domains(self) -> list[str]:
        """Every drawn company's domain."""
        col = self.drawn
        first = _LAST_ASCII_ARRAY[col.last_a]
        by_people = np.where(col.forms == 0, first, first + _LAST_ASCII_ARRAY[col.last_b])
        stems = np.where(col.named, by_people, _COINED_STEM_ARRAY[col.coined]) + ".com"
        domains: list[str] = stems.tolist()
        for i in self.redrawn:
            domains[i] = f"{_stem_of(self.codes[i])}.com"
        for i, domain in self.shared.items():
            domains[i] = domain
        return domains


def draw_names(d: seeding.RowDraws, seed_value: int) -> Naming:
    """Every drawn company's name and domain, from columns 2-9 and 28 of its row.

    A row whose name an earlier row drew draws again (from the retry stream, in row order)
    until the name is no row's first draw and no earlier redrawn name. A domain is its stem
    on .com unless other companies have the same stem: then, in row order, the first free
    of .com, the row's tld, .org, .dev, else a number (stems have no digits: no other
    company's domain can be one of a shared stem's). Stems are compared as numbers (see
    :func:`_stems`), their strings made for the shared ones alone.
    """
    # RowDraws.weighted's arithmetic on the floats column: scaling by a power of two (the
    # floats' 2**-53) is exact, so the surnames are the same positions.
    col = _Drawn(
        named=d.floats_array(2) < 0.45,
        forms=d.below_array(8, 3),
        last_a=np.searchsorted(_LAST_CUM, d.floats_array(6) * _LAST_CUM[-1], "right"),
        last_b=np.searchsorted(_LAST_CUM, d.floats_array(7) * _LAST_CUM[-1], "right"),
        kinds=d.below_array(28, len(KINDS)),
        coined=(d.below_array(3, _STEMS) * 2 + d.below_array(4, 2)) * _TAILS
        + d.below_array(5, _TAILS),
    )
    pairs = _PAIR_AT + (col.forms - 1) * _PAIRS + col.last_a * len(_LAST) + col.last_b
    by_people = np.where(col.forms == 0, _KIND_AT + col.last_a * len(KINDS) + col.kinds, pairs)
    drawn = np.where(col.named, by_people, col.coined)
    codes: list[int] = drawn.tolist()
    order = np.argsort(drawn, kind="stable")
    ordered = drawn[order]
    later = order[1:][ordered[1:] == ordered[:-1]]  # every occurrence of a code but its first
    redrawn: list[int] = np.sort(later).tolist()
    retry = _Retry(seed_value)
    stems = _stem_numbers(col)
    if redrawn:
        taken = set(codes)
        for i in redrawn:
            codes[i] = _another_code(retry.rng, taken)
            stems[i] = _stem_number_of(codes[i])
    shared: dict[int, str] = {}
    rows = _sharing(stems)
    if rows:
        owned, tlds = set[str](), d.below_array(9, len(_TLDS))
        for i in rows:
            shared[i] = _domain_for(_TLDS[tlds[i]], retry.rng, _stem_of(codes[i]), owned)
    return Naming(col, codes, redrawn, shared)


def _sharing(stems: IntArray) -> list[int]:
    """The rows (in order) whose stem number another row has."""
    order = np.argsort(stems, kind="stable")
    ordered = stems[order]
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return []
    marked = np.zeros(len(stems), dtype=np.bool_)
    marked[1:] |= same
    marked[:-1] |= same
    return np.sort(order[marked]).tolist()  # type: ignore[no-any-return]


class _Stems(NamedTuple):
    """Numbers for every stem a name can have, equal when the strings are (made once)."""

    by_last: IntArray
    """A single surname's stem's number, by surname."""
    by_coined: IntArray
    """A coined name's stem's number, by coined code."""
    aliases: dict[int, int]
    """Two surnames (``a * surnames + b``) whose joined stem another pair or a single stem
    also spells -> the number they share; any other pair's is ``_PAIR_NUMBERS + a *
    surnames + b``."""
    aliased: IntArray
    """The keys of ``aliases``, sorted."""


_PAIR_NUMBERS = 1 << 32
"""Where two surnames' stems are numbered from (past every single stem's number)."""


@functools.cache
def _stems() -> _Stems:
    """Number every stem (made at the first table drawn: a few milliseconds). Two surnames
    joined spell the same as other strings only where one surname begins another (``lee`` +
    ``son`` is ``lees`` + ``on``) or the pair spells a single stem: those are found from the
    surnames' prefixes, so that a table's stems are compared as numbers."""
    size = len(_LAST)
    position = {stem: k for k, stem in enumerate(_LAST_ASCII)}
    singles: dict[str, int] = {}
    for stem in (*_LAST_ASCII, *_COINED_STEMS):
        singles.setdefault(stem, len(singles))
    by_prefix: dict[str, list[str]] = {}
    for stem in _LAST_ASCII:
        for k in range(1, len(stem) + 1):
            by_prefix.setdefault(stem[:k], []).append(stem)
    # Every string two different pairs spell, or a pair and a single stem.
    spelled: set[str] = {
        s for s in singles if any(s[:k] in position and s[k:] in position for k in range(1, len(s)))
    }
    for longer in _LAST_ASCII:
        for k in range(1, len(longer)):
            shorter, rest = longer[:k], longer[k:]
            if shorter in position:
                # shorter + (rest + tail) == longer + tail, for every surname rest + tail.
                for second in by_prefix.get(rest, ()):
                    if second != rest and second[len(rest) :] in position:
                        spelled.add(longer + second[len(rest) :])
    aliases: dict[int, int] = {}
    for text in spelled:
        keys = [
            position[text[:k]] * size + position[text[k:]]
            for k in range(1, len(text))
            if text[:k] in position and text[k:] in position
        ]
        number = singles.get(text, _PAIR_NUMBERS + min(keys))
        aliases.update(dict.fromkeys(keys, number))
    return _Stems(
        by_last=np.array([singles[stem] for stem in _LAST_ASCII], dtype=np.int64),
        by_coined=np.array([singles[stem] for stem in _COINED_STEMS], dtype=np.int64),
        aliases=aliases,
        aliased=np.array(sorted(aliases), dtype=np.int64),
    )


def _stem_number_of(code: int) -> int:
    """The number of the stem of the name a code stands for."""
    stems = _stems()
    if code < _KIND_AT:
        return int(stems.by_coined[code])
    if code < _PAIR_AT:
        return int(stems.by_last[(code - _KIND_AT) // len(KINDS)])
    key = (code - _PAIR_AT) % _PAIRS
    return stems.aliases.get(key, _PAIR_NUMBERS + key)


def _stem_numbers(col: _Drawn) -> IntArray:
    """The numbers of the drawn names' stems."""
    stems = _stems()
    keys = col.last_a * len(_LAST) + col.last_b
    pairs = _PAIR_NUMBERS + keys
    # Which keys are aliased: a binary search of the few aliased keys (np.isin sorts both).
    at = np.minimum(stems.aliased.searchsorted(keys), max(len(stems.aliased) - 1, 0))
    hit = stems.aliased[at] == keys if len(stems.aliased) else np.zeros(len(keys), np.bool_)
    aliased = np.flatnonzero(col.named & (col.forms > 0) & hit)
    if len(aliased):  # a pair spelling what another pair or a single stem spells: rare
        pairs[aliased] = [stems.aliases[key] for key in keys[aliased].tolist()]
    by_people = np.where(col.forms == 0, stems.by_last[col.last_a], pairs)
    return np.where(col.named, by_people, stems.by_coined[col.coined])


class _Retry:
    """The stream of draws for clashes of names and domains, in row order (made when one
    clashes: seeding a stream costs microseconds)."""

    def __init__(self, seed_value: int) -> None:
        self.seed_value = seed_value

    @functools.cached_property
    def rng(self) -> random.Random:
        """The stream."""
        return seeding.stream(self.seed_value, "attio", "companies", "retry")

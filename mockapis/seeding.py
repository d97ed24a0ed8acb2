"""Fast seeded draws for the seeders: per-row words, per-table streams, ids, lorem text.

Seeders draw from the world seed through :class:`RowDraws` (a fixed number of 64-bit words
per row, drawn for a whole table in one vectorised call: row ``i``'s values depend on the
seed, the table and ``i`` alone, as per-entity seeds would make them, at a fraction of the
cost) and :func:`stream` (a ``random.Random`` per table for what is irregular: retries for
uniqueness, variable-length text). Never the world's own RNG: a world is the same whichever of
its lazy tables are built, and in which order. Values come from :mod:`mockapis.pools` or from
the draws directly; nothing here calls Faker.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterable, Sequence
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from mockapis.pools import pool
from mockapis.world import derive_seed

__all__ = [
    "RowDraws",
    "choose_weighted",
    "distinct",
    "hex_id",
    "paragraph",
    "pick",
    "sentence",
    "stream",
    "uuid4",
    "words",
]

T = TypeVar("T")
_M128 = (1 << 128) - 1
_UUID4_MASK = ~(0xF000 << 64 | 0xC000 << 48) & _M128
_UUID4_BITS = 0x4000 << 64 | 0x8000 << 48
_HIGH_MASK, _HIGH_BITS = np.uint64(~0xF000 & (1 << 64) - 1), np.uint64(0x4000)
_LOW_MASK, _LOW_BITS = np.uint64(~(0xC000 << 48) & (1 << 64) - 1), np.uint64(0x8000 << 48)
_U32 = np.uint64(32)
_U11 = np.uint64(11)
_TO_FLOAT = 1.0 / (1 << 53)


class RowDraws:
    """``width`` random 64-bit words for each of ``n`` rows of one table, from the PCG64 stream
    of ``parts`` (the world seed, the service, the table).

    Columns are mapped with integer arithmetic on PCG64's raw output, not with numpy's
    distribution methods (whose streams may change between numpy releases): the same seed
    gives the same rows with any numpy. ``below(k)`` maps a word to ``[0, k)`` by its top 32
    bits (bias under ``k / 2**32``).
    """

    __slots__ = ("_words", "n", "width")

    def __init__(self, n: int, width: int, *parts: object) -> None:
        bits = np.random.PCG64(derive_seed(*parts))
        self.n, self.width = n, width
        self._words: npt.NDArray[np.uint64] = bits.random_raw(n * width).reshape(n, width)

    def words(self, col: int) -> list[int]:
        """Column ``col`` as Python ints (64 random bits each)."""
        return self._words[:, col].tolist()  # type: ignore[no-any-return]

    def below(self, col: int, k: int) -> list[int]:
        """Column ``col`` mapped to ``[0, k)`` (``0 < k <= 2**32``)."""
        return self.below_array(col, k).tolist()  # type: ignore[no-any-return]

    def below_array(self, col: int, k: int) -> npt.NDArray[np.int64]:
        """:meth:`below` as an array (for numpy arithmetic over a whole column)."""
        return ((self._words[:, col] >> _U32) * np.uint64(k) >> _U32).astype(np.int64)

    def ints(self, col: int, low: int, high: int) -> list[int]:
        """Column ``col`` mapped to ``[low, high]``, both included (``random.randint``'s range)."""
        return [low + v for v in self.below(col, high - low + 1)]

    def spans(self, col: int, low: int, high: int) -> list[int]:
        """Column ``col`` mapped to ``[low, high)`` with 64-bit precision (for ranges too wide
        for :meth:`below`, such as nanoseconds over years)."""
        width = high - low
        return [low + (w * width >> 64) for w in self.words(col)]

    def floats(self, col: int) -> list[float]:
        """Column ``col`` mapped to ``[0, 1)`` (53 bits, as ``random.random``)."""
        return self.floats_array(col).tolist()  # type: ignore[no-any-return]

    def floats_array(self, col: int) -> npt.NDArray[np.float64]:
        """:meth:`floats` as an array (for numpy arithmetic over a whole column)."""
        return ((self._words[:, col] >> _U11) * _TO_FLOAT).astype(np.float64)

    def chance(self, col: int, p: float) -> list[bool]:
        """Column ``col`` as ``random() < p`` per row."""
        return ((self._words[:, col] >> _U11) * _TO_FLOAT < p).tolist()  # type: ignore[no-any-return]

    def pick(self, col: int, values: Sequence[T]) -> list[T]:
        """Column ``col`` as a uniform choice from ``values`` per row."""
        return [values[i] for i in self.below(col, len(values))]

    def weighted(self, col: int, values: Sequence[T], cum_weights: Sequence[float]) -> list[T]:
        """Column ``col`` as ``random.choices(values, cum_weights=...)`` per row."""
        cum = _as_array(cum_weights)
        found = np.searchsorted(cum, (self._words[:, col] >> _U11) * (_TO_FLOAT * cum[-1]), "right")
        return [values[i] for i in found.tolist()]

    def uuids(self, col: int) -> list[str]:
        """Version-4 UUID strings from columns ``col`` and ``col + 1`` (the same UUIDs as
        ``uuid.UUID(int=high << 64 | low, version=4)``, formatted in one vectorised pass)."""
        pair = np.empty((self.n, 2), dtype=">u8")
        pair[:, 0] = self._words[:, col] & _HIGH_MASK | _HIGH_BITS
        pair[:, 1] = self._words[:, col + 1] & _LOW_MASK | _LOW_BITS
        digits = np.frombuffer(pair.tobytes().hex().encode("ascii"), "S1").reshape(self.n, 32)
        dashed = np.full((self.n, 36), b"-", "S1")
        for start, end, at in _UUID_GROUPS:
            dashed[:, at : at + end - start] = digits[:, start:end]
        text = dashed.tobytes().decode("ascii")
        return [text[a : a + 36] for a in range(0, 36 * self.n, 36)]

    def samples(self, col: int, values: Sequence[T], k: int) -> list[list[T]]:
        """``k`` distinct values per row, from columns ``col`` to ``col + k - 1``: for every row,
        what :meth:`sample` gives it, drawn for the whole table in ``k`` vectorised passes."""
        n = len(values)
        chosen = np.empty((self.n, 0), dtype=np.uint64)
        for j in range(k):
            picked = (self._words[:, col + j] >> _U32) * np.uint64(n - j) >> _U32
            # The pick indexes what is left: step over the values chosen before, in order.
            for before in np.sort(chosen, axis=1).T:
                picked = picked + (picked >= before)
            chosen = np.column_stack((chosen, picked))
        return [[values[i] for i in row] for row in chosen.tolist()]

    def sample(self, col: int, values: Sequence[T], k: int, row: int) -> list[T]:
        """``k`` distinct values for ``row``, from columns ``col`` to ``col + k - 1`` (a partial
        Fisher-Yates shuffle: each column picks among what is left)."""
        left = list(values)
        words = self._words[row]
        out = []
        for j in range(k):
            i = int(words[col + j] >> _U32) * len(left) >> 32
            out.append(left.pop(i))
        return out


_UUID_GROUPS = ((0, 8, 0), (8, 12, 9), (12, 16, 14), (16, 20, 19), (20, 32, 24))
"""(first hex digit, end, position in the dashed form) of each group of a UUID."""

_ARRAYS: dict[int, tuple[Sequence[float], npt.NDArray[np.float64]]] = {}


def _as_array(weights: Sequence[float]) -> npt.NDArray[np.float64]:
    """``weights`` as an array, converted once per sequence (the catalogues' weights are
    module constants of hundreds of entries, drawn from at every table build)."""
    found = _ARRAYS.get(id(weights))
    if found is None or found[0] is not weights:
        if len(_ARRAYS) >= 256:  # weights made per call would otherwise pile up
            _ARRAYS.clear()
        found = _ARRAYS[id(weights)] = (weights, np.asarray(weights, dtype=np.float64))
    return found[1]


def _uuid4_of(bits: int) -> str:
    h = f"{bits & _UUID4_MASK | _UUID4_BITS:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def distinct(values: Iterable[int], step: int = 1, taken: set[int] | None = None) -> list[int]:
    """``values`` in order, each equal to an earlier one (or to one in ``taken``, which keeps
    them all) moved back by ``step`` until it is not: distinct times or ids for a table's rows,
    so that orders by them are total."""
    seen = set() if taken is None else taken
    out = []
    for value in values:
        while value in seen:
            value -= step
        seen.add(value)
        out.append(value)
    return out


def choose_weighted(rng: random.Random, values: Sequence[T], cum_weights: Sequence[float]) -> T:
    """``random.choices(values, cum_weights=...)[0]`` without its per-call overhead."""
    return values[bisect.bisect(cum_weights, rng.random() * cum_weights[-1])]


def stream(*parts: object) -> random.Random:
    """A ``random.Random`` seeded from ``parts`` (the world seed first, then names): the
    independent stream of one table or partition. Seeding costs ~5 µs: use one per table,
    not one per row."""
    return random.Random(derive_seed(*parts))


def uuid4(rng: random.Random) -> str:
    """A version-4 UUID string drawn from ``rng`` (the ``uuid`` module's form, 4x faster)."""
    return _uuid4_of(rng.getrandbits(128))


def hex_id(rng: random.Random, length: int) -> str:
    """``length`` lowercase hex digits drawn from ``rng``."""
    return f"{rng.getrandbits(4 * length):0{length}x}"


def pick(rng: random.Random, name: str) -> str:
    """One value of the pool ``name``."""
    values = pool(name)
    return values[int(rng.random() * len(values))]


def _vary(rng: random.Random, number: int) -> int:
    """Faker's ``randomize_nb_elements``: 60% to 140% of ``number``, at least 1."""
    return max(1, int(number * rng.randint(60, 140) / 100))


def words(rng: random.Random, n: int) -> list[str]:
    """``n`` lorem words (Faker's en_US word list, with replacement)."""
    values: Sequence[str] = pool("lorem_word")
    size = len(values)
    draw = rng.random
    return [values[int(draw() * size)] for _ in range(n)]


def sentence(rng: random.Random, nb_words: int = 6, *, variable: bool = True) -> str:
    """A lorem sentence as Faker's ``sentence`` makes it (60-140% of ``nb_words`` words)."""
    picked = words(rng, _vary(rng, nb_words) if variable else max(1, nb_words))
    picked[0] = picked[0].title()
    return " ".join(picked) + "."


def paragraph(rng: random.Random, nb_sentences: int = 3, *, variable: bool = True) -> str:
    """A lorem paragraph as Faker's ``paragraph`` makes it (sentences of about 6 words)."""
    count = _vary(rng, nb_sentences) if variable else max(1, nb_sentences)
    return " ".join(sentence(rng) for _ in range(count))

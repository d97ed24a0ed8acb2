"""The state of one episode: tables, virtual clock, seeded RNG, id counters, request log."""

from __future__ import annotations

import copy
import hashlib
import json
import random
import uuid
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mockapis.clock import VirtualClock

__all__ = [
    "LogEntry",
    "Record",
    "Snapshot",
    "Table",
    "TableDiff",
    "World",
    "WorldDiff",
    "derive_seed",
]

Record = dict[str, Any]
"""A JSON-compatible row. Rows are copy-on-write: replace them, never mutate them in place."""

_MISSING: Any = object()


def derive_seed(*parts: object) -> int:
    """A 64-bit seed derived from ``parts`` (stable across processes, unlike ``hash``)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Table(Mapping[str, Record]):
    """One service's table: id -> record. Every write is journaled so a request can roll back."""

    __slots__ = ("_rows", "_world", "name")

    def __init__(self, world: World, name: str, rows: dict[str, Record]) -> None:
        self._world = world
        self.name = name
        self._rows = rows

    def __getitem__(self, key: str) -> Record:
        return self._rows[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    # The dict's own views: Mapping's generic ones call __getitem__ once per row.
    def keys(self) -> KeysView[str]:
        """The ids, in insertion order."""
        return self._rows.keys()

    def values(self) -> ValuesView[Record]:
        """The records, in insertion order (treat them as read-only)."""
        return self._rows.values()

    def items(self) -> ItemsView[str, Record]:
        """``(id, record)`` pairs, in insertion order."""
        return self._rows.items()

    def put(self, key: str, record: Record) -> None:
        """Insert or replace ``record`` under ``key``."""
        self._world._journal_write(self._rows, key)
        self._rows[key] = record

    def delete(self, key: str) -> Record:
        """Remove and return the record under ``key`` (``KeyError`` if absent)."""
        record = self._rows[key]
        self._world._journal_write(self._rows, key)
        del self._rows[key]
        return record


@dataclass(frozen=True)
class Snapshot:
    """An immutable copy of a world's state, cheap to take and to restore (rows are shared)."""

    tables: Mapping[str, Mapping[str, Record]]
    clock_ns: int
    rng_state: tuple[Any, ...]
    counters: Mapping[str, int]
    runtime: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class TableDiff:
    """What changed in one table between two states."""

    added: dict[str, Record] = field(default_factory=dict)
    removed: dict[str, Record] = field(default_factory=dict)
    updated: dict[str, tuple[Record, Record]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.updated)


WorldDiff = dict[str, TableDiff]
"""Table name -> its diff; tables with no change are left out."""


class LogEntry(NamedTuple):
    """One request the world served."""

    at_ns: int
    service: str
    method: str
    path: str
    status: int
    faults: tuple[tuple[str, str], ...] = ()
    """``(rule, kind)`` of each fault that shaped this response."""


class World:
    """All state of one episode.

    Tables are named ``"<service>.<table>"``. Writes go through :class:`Table`, which journals
    them: :meth:`rollback` undoes every write since :meth:`begin`, so that a failed request
    changes nothing.
    """

    def __init__(
        self,
        seed: int = 0,
        *,
        epoch_ns: int = 1_700_000_000 * 10**9,
        clock: VirtualClock | None = None,
    ) -> None:
        self.seed = seed
        self.clock = clock if clock is not None else VirtualClock(epoch_ns)
        self.epoch_ns = self.clock.now_ns
        """When the episode starts on its clock (fault windows count from here)."""
        self.runtime: dict[str, Any] = {}
        """Episode state outside the tables and their transactions (fault counters, rate-limit
        buckets, idempotency keys): it survives a failed request, and resets with the world."""
        self._rng = random.Random(seed)
        self._tables: dict[str, Table] = {}
        self._counters: dict[str, int] = {}
        self.log: list[LogEntry] = []
        self._journal: list[tuple[dict[str, Record], str, Record]] | None = None
        self._saved_rng: tuple[Any, ...] | None = None
        self._saved_counters: dict[str, int] | None = None
        self._keep = False

    # -- tables -----------------------------------------------------------------------------

    def table(self, name: str) -> Table:
        """The table ``name`` (``"service.table"``), created empty on first use."""
        table = self._tables.get(name)
        if table is None:
            table = self._tables[name] = Table(self, name, {})
        return table

    @property
    def table_names(self) -> list[str]:
        """Names of all tables, sorted."""
        return sorted(self._tables)

    # -- randomness and ids -----------------------------------------------------------------

    @property
    def rng(self) -> random.Random:
        """The episode's RNG (its state rolls back with a failed request)."""
        if self._journal is not None and self._saved_rng is None:
            self._saved_rng = self._rng.getstate()
        return self._rng

    def uuid4(self) -> str:
        """A random-looking UUID drawn from the episode's RNG."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def next_id(self, counter: str) -> int:
        """The next value (from 1) of the named counter."""
        if self._journal is not None and self._saved_counters is None:
            self._saved_counters = dict(self._counters)
        value = self._counters.get(counter, 0) + 1
        self._counters[counter] = value
        return value

    # -- transactions -----------------------------------------------------------------------

    def begin(self) -> None:
        """Start journaling writes (one request)."""
        self._journal = []
        self._saved_rng = None
        self._saved_counters = None
        self._keep = False

    def keep(self) -> None:
        """Keep this request's writes even though its response will be an error.

        For the side effects a real server commits while refusing a request: a reused refresh
        token revokes its whole family, a failed login counts towards a lockout. Anything else a
        failed request wrote is kept too, so call it after the checks that may fail.
        """
        self._keep = True

    @property
    def keeping(self) -> bool:
        """Whether :meth:`keep` was called in the current request."""
        return self._keep

    def commit(self) -> None:
        """Keep every write since :meth:`begin`."""
        self._journal = None
        self._saved_rng = None
        self._saved_counters = None
        self._keep = False

    def rollback(self) -> None:
        """Undo every write, RNG draw and counter bump since :meth:`begin`."""
        journal = self._journal or []
        for rows, key, old in reversed(journal):
            if old is _MISSING:
                rows.pop(key, None)
            else:
                rows[key] = old
        if self._saved_rng is not None:
            self._rng.setstate(self._saved_rng)
        if self._saved_counters is not None:
            self._counters = self._saved_counters
        self.commit()

    def _journal_write(self, rows: dict[str, Record], key: str) -> None:
        if self._journal is not None:
            self._journal.append((rows, key, rows.get(key, _MISSING)))

    # -- snapshots --------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """A copy of the current state (records are shared: they are never mutated)."""
        return Snapshot(
            tables={name: dict(t._rows) for name, t in self._tables.items()},
            clock_ns=self.clock.now_ns,
            rng_state=self._rng.getstate(),
            counters=dict(self._counters),
            runtime=copy.deepcopy(self.runtime),
        )

    def restore(self, snap: Snapshot) -> None:
        """Return to ``snap``: tables, clock, RNG and counters; the request log is cleared."""
        self._tables = {name: Table(self, name, dict(rows)) for name, rows in snap.tables.items()}
        self.clock.now_ns = snap.clock_ns
        self._rng.setstate(snap.rng_state)
        self._counters = dict(snap.counters)
        self.runtime = copy.deepcopy(dict(snap.runtime)) if snap.runtime else {}
        self.log = []
        self.commit()

    def state_hash(self) -> str:
        """A canonical SHA-256 of tables, counters and clock, stable across runs and platforms."""
        digest = hashlib.sha256()
        digest.update(f"clock:{self.clock.now_ns};".encode())
        digest.update(json.dumps(self._counters, sort_keys=True).encode())
        for name in sorted(self._tables):
            rows = self._tables[name]._rows
            if not rows:
                continue  # an empty table equals an absent one
            digest.update(f"\ntable:{name}\n".encode())
            for key in sorted(rows):
                digest.update(_canonical((key, rows[key])))
        return digest.hexdigest()

    def diff(self, before: Snapshot) -> WorldDiff:
        """What changed since ``before``, per table (unchanged tables are left out)."""
        result: WorldDiff = {}
        for name in sorted(set(before.tables) | set(self._tables)):
            old = before.tables.get(name, {})
            new = self._tables[name]._rows if name in self._tables else {}
            table_diff = TableDiff()
            for key, rec in new.items():
                prev = old.get(key, _MISSING)
                if prev is _MISSING:
                    table_diff.added[key] = rec
                elif prev is not rec and prev != rec:
                    table_diff.updated[key] = (prev, rec)
            for key, rec in old.items():
                if key not in new:
                    table_diff.removed[key] = rec
            if table_diff:
                result[name] = table_diff
        return result


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()

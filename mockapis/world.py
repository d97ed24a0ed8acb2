"""The state of one episode: tables, virtual clock, seeded RNG, id counters, request log."""

from __future__ import annotations

import copy
import hashlib
import json
import random
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mockapis.clock import VirtualClock
from mockapis.tables import (
    BuiltTables,
    PartitionedTable,
    Partitions,
    Record,
    Source,
    Table,
    index_key,
    plain,
)

__all__ = [
    "LogEntry",
    "ReadOnlyError",
    "Snapshot",
    "TableDiff",
    "World",
    "WorldDiff",
    "derive_seed",
]

_MISSING: Any = object()


def derive_seed(*parts: object) -> int:
    """A 64-bit seed derived from ``parts`` (stable across processes, unlike ``hash``)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass(frozen=True)
class Snapshot:
    """An immutable copy of a world's state, cheap to take and to restore (rows are shared).

    Tables still at their seeded initial state are held as their :class:`Source` in ``lazy``
    (a few bytes each), the others row by row in ``tables``.
    """

    tables: Mapping[str, Mapping[str, Record]]
    clock_ns: int
    rng_state: tuple[Any, ...]
    counters: Mapping[str, int]
    runtime: Mapping[str, Any] = field(default_factory=dict)
    lazy: Mapping[str, Source] = field(default_factory=dict)


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
    origin: str = ""
    """Who sent it: ``""`` for the agent, else the service whose in-process fetch it was
    (``"reader"``, ``"openai"``: :mod:`mockapis.kit.fetch`)."""


class ReadOnlyError(RuntimeError):
    """A table write attempted while the world only reads (a fetched request: see
    :meth:`World.reading`)."""


class _ReadOnlyJournal(list[Any]):
    """The journal of a read-only request: the first write a table journals raises."""

    def append(self, item: Any) -> None:
        key = item[1]
        raise ReadOnlyError(f"a fetched GET tried to write {key!r}: fetches only read")


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
        self._lazy: dict[str, Source] = {}
        self._built: dict[Source, BuiltTables] = {}
        self._counters: dict[str, int] = {}
        self.log: list[LogEntry] = []
        self._journal: list[tuple[dict[str, Record], str, Record]] | None = None
        self._saved_rng: tuple[Any, ...] | None = None
        self._saved_counters: dict[str, int] | None = None
        self._keep = False

    @classmethod
    def view(cls, tables: Mapping[str, Mapping[str, Record]], seed: int = 0) -> World:
        """A scratch world whose tables are ``tables`` themselves (not copies): for a source's
        build, to resolve references against rows it was given. Never write to it."""
        world = cls(seed)
        for name, rows in tables.items():
            world._tables[name] = Table(world, name, rows)  # type: ignore[arg-type]
        return world

    # -- tables -----------------------------------------------------------------------------

    def table(self, name: str) -> Table:
        """The table ``name`` (``"service.table"``), built from its source or created empty
        on first use."""
        table = self._tables.get(name)
        if table is None:
            source = self._lazy.get(name)
            if source is None:
                table = Table(self, name, {})
            else:
                rows = self.built(source)[name]
                if isinstance(rows, Partitions):
                    table = PartitionedTable(self, name, rows, source)
                else:
                    table = Table(self, name, dict(rows), source)
                del self._lazy[name]
            self._tables[name] = table
        return table

    @property
    def table_names(self) -> list[str]:
        """Names of all tables, sorted."""
        return sorted({*self._tables, *self._lazy})

    # -- lazy tables ------------------------------------------------------------------------

    def lazy(
        self,
        tables: str | tuple[str, ...],
        build: Callable[..., BuiltTables],
        *args: Any,
        deps: tuple[Source, ...] = (),
    ) -> Source:
        """Declare ``tables`` as built by ``build(*args, *deps_built)`` on first use.

        For the seeded data of large tables: a reset that reads none of them costs nothing,
        and a cached world holds the source instead of the rows. See :class:`Source`.
        """
        names = (tables,) if isinstance(tables, str) else tuple(tables)
        source = Source(names, build, tuple(args), tuple(deps))
        for name in names:
            if name in self._tables or name in self._lazy:
                raise ValueError(f"table {name!r} already exists")
            self._lazy[name] = source
        return source

    def built(self, source: Source) -> BuiltTables:
        """The initial tables of ``source``, built once per world lineage (see :meth:`share`)."""
        found = self._built.get(source)
        if found is None:
            found = source.build(*source.args, *(self.built(dep) for dep in source.deps))
            missing = set(source.tables) - set(found)
            if missing:
                raise ValueError(f"{source.build.__name__} did not build {sorted(missing)}")
            self._built[source] = found
        return found

    def index(self, name: str) -> Mapping[str, Any]:
        """The index a source published for table ``name`` (see :data:`BuiltTables`), for a
        truth reading a world at its initial state; ``KeyError`` if there is none, or if the
        table has changed since it was built (the index describes the seeded rows)."""
        source = self._source_if_clean(name)
        if source is None:
            raise KeyError(f"no index for {name!r}: not a seeded table at its initial state")
        return self.built(source)[index_key(name)]

    def share(self, other: World | Mapping[Source, BuiltTables]) -> None:
        """Reuse what ``other`` (a world, or its :attr:`built_tables`) built from sources."""
        self._built = other._built if isinstance(other, World) else dict(other)

    @property
    def built_tables(self) -> Mapping[Source, BuiltTables]:
        """Every source built in this world's lineage, with what it built."""
        return self._built

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

    def next_id(self, counter: str, count: int = 1) -> int:
        """The next value (from 1) of the named counter; with ``count``, the last of the next
        ``count`` values (a seeder counting off the ids its rows took, in one call)."""
        if count < 1:
            raise ValueError(f"count is how many ids to take: at least 1; got {count}")
        if self._journal is not None and self._saved_counters is None:
            self._saved_counters = dict(self._counters)
        value = self._counters.get(counter, 0) + count
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

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Run a request that may only read, inside another request's transaction.

        For a service's in-process fetch of another service's URL (:mod:`mockapis.kit.fetch`):
        any table write raises :class:`ReadOnlyError` before it happens, and RNG draws and id
        counter bumps are undone when it ends, so the fetch leaves the state (and what the
        calling request draws next) as it found it. The caller's transaction is untouched."""
        saved = (self._journal, self._saved_rng, self._saved_counters, self._keep)
        rng, counters = self._rng.getstate(), dict(self._counters)
        self._journal = _ReadOnlyJournal()
        # Marked as saved: the fetch's draws and bumps are undone below, not journaled.
        self._saved_rng, self._saved_counters = rng, counters
        try:
            yield
        finally:
            self._rng.setstate(rng)
            self._counters = counters
            self._journal, self._saved_rng, self._saved_counters, self._keep = saved

    def journal_write(self, rows: dict[str, Any], key: str) -> None:
        """Remember ``rows[key]`` as it is, for :meth:`rollback` (a table calls it before a
        write; outside a request it does nothing)."""
        if self._journal is not None:
            self._journal.append((rows, key, rows.get(key, _MISSING)))

    # -- snapshots --------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """A copy of the current state (records are shared: they are never mutated)."""
        tables: dict[str, Mapping[str, Record]] = {}
        lazy = dict(self._lazy)
        for name, t in self._tables.items():
            if t.dirty or t.source is None:
                tables[name] = dict(t.stored())
            else:
                lazy[name] = t.source
        return Snapshot(
            tables=tables,
            clock_ns=self.clock.now_ns,
            rng_state=self._rng.getstate(),
            counters=dict(self._counters),
            runtime=copy.deepcopy(self.runtime),
            lazy=lazy,
        )

    def restore(self, snap: Snapshot) -> None:
        """Return to ``snap``: tables, clock, RNG and counters; the request log is cleared."""
        self._tables = {name: Table(self, name, dict(rows)) for name, rows in snap.tables.items()}
        self._lazy = dict(snap.lazy)
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
        for name in self.table_names:
            rows = self._rows_of(name, whole=True)
            if not rows:
                continue  # an empty table equals an absent one
            digest.update(f"\ntable:{name}\n".encode())
            for key in sorted(rows):
                digest.update(_canonical((key, plain(rows[key]))))
        return digest.hexdigest()

    def diff(self, before: Snapshot) -> WorldDiff:
        """What changed since ``before``, per table (unchanged tables are left out)."""
        result: WorldDiff = {}
        for name in sorted({*before.tables, *before.lazy, *self._tables, *self._lazy}):
            source = before.lazy.get(name)
            if source is not None and source is self._source_if_clean(name):
                continue  # both still hold the seeded rows
            table = self._tables.get(name)
            old: Mapping[str, Any]
            new: Mapping[str, Any]
            if (
                isinstance(table, PartitionedTable)
                and source is not None
                and table.partitions is self.built(source)[name]
            ):
                # Partitions never loaded hold their seeded rows: compare the loaded ones only.
                old = table.seeded_loaded()
                new = table._rows
            else:
                old = (
                    self.built(source)[name] if source is not None else before.tables.get(name, {})
                )
                new = self._rows_of(name, whole=True)
            if old is new:
                continue
            table_diff = TableDiff()
            for key, rec in new.items():
                prev = old.get(key, _MISSING)
                if prev is _MISSING:
                    table_diff.added[key] = plain(rec)
                elif prev is not rec:
                    prev, rec = plain(prev), plain(rec)
                    if prev is not rec and prev != rec:
                        table_diff.updated[key] = (prev, rec)
            for key, rec in old.items():
                if key not in new:
                    table_diff.removed[key] = plain(rec)
            if table_diff:
                result[name] = table_diff
        return result

    def _rows_of(self, name: str, *, whole: bool = False) -> Mapping[str, Any]:
        """A table's current rows, without materialising a lazy table (its built rows); of a
        partitioned table, only those of the partitions built so far unless ``whole``."""
        table = self._tables.get(name)
        if table is not None:
            if whole and isinstance(table, PartitionedTable):
                table.keys()  # loads every partition
            return table._rows
        source = self._lazy.get(name)
        if source is None:
            return {}
        rows = self.built(source)[name]
        if isinstance(rows, Partitions) and not whole:
            return {k: v for part in rows.built().values() for k, v in part.items()}
        return rows

    def _source_if_clean(self, name: str) -> Source | None:
        """The source a table still holds the seeded rows of, if it does."""
        table = self._tables.get(name)
        if table is None:
            return self._lazy.get(name)
        return None if table.dirty else table.source


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()

"""The state of one episode: tables, virtual clock, seeded RNG, id counters, request log."""

from __future__ import annotations

import copy
import hashlib
import json
import random
import uuid
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    ValuesView,
)
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from mockapis.clock import VirtualClock

__all__ = [
    "BuiltTables",
    "LazyRow",
    "LogEntry",
    "PartitionedTable",
    "Partitions",
    "Record",
    "Snapshot",
    "Source",
    "Table",
    "TableDiff",
    "World",
    "WorldDiff",
    "derive_seed",
    "index_key",
    "plain",
]

Record = dict[str, Any]
"""A JSON-compatible row. Rows are copy-on-write: replace them, never mutate them in place."""

_MISSING: Any = object()


def derive_seed(*parts: object) -> int:
    """A 64-bit seed derived from ``parts`` (stable across processes, unlike ``hash``)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


BuiltTables = Mapping[str, Mapping[str, Any]]
"""What a :class:`Source` builds: table name -> its initial rows (records or :class:`LazyRow`,
never mutated), or :class:`Partitions` that build them part by part when first needed. It may
also hold ``"<table>:index"``: plain facts about every row (names, links, the fields truths
aggregate over; for a partitioned table, facts about every partition), drawn with the rows,
for the sources depending on it and for :meth:`World.index`, so that neither has to render
the rows."""


@dataclass(frozen=True, eq=False)
class Source:
    """The seeded initial rows of one or more tables, built when a table is first used.

    ``build(*args, *deps_built)`` must be a pure function of its arguments: ``deps_built`` are
    the :data:`BuiltTables` of ``deps``, in order. A source never touches a world (its RNG,
    counters or other tables), so a world is the same whichever tables are built, and in which
    order. ``build`` is a module-level function and ``args`` plain data, so that a snapshot
    holding the source pickles. Sources compare by identity: worlds share what one built.
    """

    tables: tuple[str, ...]
    build: Callable[..., BuiltTables]
    args: tuple[Any, ...] = ()
    deps: tuple[Source, ...] = ()


class LazyRow:
    """A seeded row rendered on its first read, then kept: ``render(*args)``.

    A source can give its large tables' rows this way: the keys and whatever must be known
    of every row (unique names, links) are drawn up front, the rest of a row only when
    something reads it. ``render`` is a module-level function of plain ``args`` (a row must
    be the same whenever it is rendered, and pickle).
    """

    __slots__ = ("_args", "_render", "_row")

    def __init__(self, render: Callable[..., Record], *args: Any) -> None:
        self._render = render
        self._args = args
        self._row: Record | None = None

    def get(self) -> Record:
        """The rendered row (rendered once)."""
        row = self._row
        if row is None:
            row = self._row = self._render(*self._args)
        return row

    def __reduce__(self) -> tuple[Any, ...]:
        if self._row is None:
            return (LazyRow, (self._render, *self._args))
        return (_rendered, (self._row,))

    def __repr__(self) -> str:
        return f"LazyRow({self._render.__name__}{'' if self._row is None else ', rendered'})"


def _rendered(row: Record) -> Record:
    """Unpickles a :class:`LazyRow` as its rendered row."""
    return row


def plain(row: Any) -> Record:
    """``row`` rendered if it is a :class:`LazyRow`."""
    return row.get() if row.__class__ is LazyRow else row


def index_key(table: str) -> str:
    """Where a source's output holds the index of ``table`` (see :data:`BuiltTables`)."""
    return f"{table}:index"


class Partitions(Mapping[str, Any]):
    """A table's seeded rows, built partition by partition when first needed: what a source
    returns in place of a large table's rows.

    ``build(*args, part)`` gives the rows of partition ``part`` (one of ``parts``; any other
    name is an empty partition); like a source's build it is a module-level pure function of
    plain arguments. Keys are ``"<part><sep><rest>"`` (Slack's ``"<channel>/<ts>"``), so a
    lookup builds only its key's partition and a reader of one partition
    (:meth:`Table.with_prefix`) never builds the others; with ``sep=None`` keys do not name
    their partition, and any lookup builds them all (:meth:`whole`: a table whose index is
    far cheaper than its rows). As a mapping it is the whole table, built on iteration. Built
    partitions are kept: worlds sharing the source share them.
    """

    __slots__ = ("_built", "_known", "args", "build", "parts", "sep")

    def __init__(
        self,
        parts: Iterable[str],
        build: Callable[..., Mapping[str, Any]],
        *args: Any,
        sep: str | None = "/",
    ) -> None:
        self.parts = tuple(parts)
        self.build = build
        self.args = args
        self.sep = sep
        self._known = frozenset(self.parts)
        self._built: dict[str, Mapping[str, Any]] = {}

    @classmethod
    def whole(cls, build: Callable[..., Mapping[str, Any]], *args: Any) -> Partitions:
        """One partition holding every row, built by ``build(*args, "")`` on first use."""
        return cls(("",), build, *args, sep=None)

    def part(self, name: str) -> Mapping[str, Any]:
        """The rows of partition ``name`` (built once; empty if there is no such partition)."""
        rows = self._built.get(name)
        if rows is None:
            if name not in self._known:
                return {}
            rows = self._built[name] = self.build(*self.args, name)
        return rows

    def part_of(self, key: str) -> str | None:
        """The partition ``key`` belongs to (None when keys do not name it)."""
        return None if self.sep is None else key.split(self.sep, 1)[0]

    def built(self) -> dict[str, Mapping[str, Any]]:
        """The partitions built so far, by name."""
        return dict(self._built)

    def __getitem__(self, key: str) -> Any:
        part = self.part_of(key)
        if part is not None:
            return self.part(part)[key]
        for name in self.parts:
            rows = self.part(name)
            if key in rows:
                return rows[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        for name in self.parts:
            yield from self.part(name)

    def __len__(self) -> int:
        return sum(len(self.part(name)) for name in self.parts)

    def __repr__(self) -> str:
        return f"Partitions({self.build.__name__}, {len(self._built)}/{len(self.parts)} built)"


class Table(Mapping[str, Record]):
    """One service's table: id -> record. Every write is journaled so a request can roll back.

    ``source`` is the :class:`Source` the table's rows were built from while ``dirty`` is
    false (no write since): a snapshot then records the source instead of copying the rows.
    Rows may be :class:`LazyRow` underneath; every read renders them, so a reader only ever
    sees records.
    """

    __slots__ = ("_lazy", "_rows", "_world", "dirty", "name", "source")

    def __init__(
        self, world: World, name: str, rows: dict[str, Any], source: Source | None = None
    ) -> None:
        self._world = world
        self.name = name
        self._rows = rows
        self.source = source
        self.dirty = source is None
        self._lazy = bool(rows)
        """Whether some row may still be a :class:`LazyRow` (cleared once all are rendered)."""

    def __getitem__(self, key: str) -> Record:
        row = self._rows[key]
        if row.__class__ is LazyRow:
            # Not a write: the record is what the lazy row stands for.
            row = self._rows[key] = row.get()
        return row  # type: ignore[no-any-return]

    def _render_all(self) -> None:
        rows = self._rows
        for key, row in rows.items():
            if row.__class__ is LazyRow:
                rows[key] = row.get()
        self._lazy = False

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
        if self._lazy:
            self._render_all()
        return self._rows.values()

    def items(self) -> ItemsView[str, Record]:
        """``(id, record)`` pairs, in insertion order."""
        if self._lazy:
            self._render_all()
        return self._rows.items()

    def put(self, key: str, record: Record) -> None:
        """Insert or replace ``record`` under ``key``."""
        if self._lazy and key in self._rows:
            self[key]  # render it, so that the journal never holds a lazy row
        self._world._journal_write(self._rows, key)
        self.dirty = True
        self._rows[key] = record

    def delete(self, key: str) -> Record:
        """Remove and return the record under ``key`` (``KeyError`` if absent)."""
        record = self[key]
        self._world._journal_write(self._rows, key)
        self.dirty = True
        del self._rows[key]
        return record

    def with_prefix(self, prefix: str) -> list[str]:
        """The keys starting with ``prefix``, in insertion order (a partitioned table reads
        one partition when ``prefix`` is ``"<partition><sep>"``)."""
        return [key for key in self._rows if key.startswith(prefix)]

    def stored(self) -> Mapping[str, Any]:
        """Every row as stored, lazy rows not rendered (what a snapshot copies)."""
        return self._rows


class PartitionedTable(Table):
    """A table whose seeded rows are :class:`Partitions`, loaded into it one partition at a
    time: on a lookup of a key of a partition not loaded yet, on a write to it, or when a
    reader asks for a partition's keys (:meth:`with_prefix`); iterating or sizing the table
    loads every partition. Readers see the whole table, as from any :class:`Table`.

    Each loaded partition's keys are also kept apart (written and rolled back with the rows,
    through the same journal), so that reading one partition never scans the others.
    """

    __slots__ = ("_by_part", "_parts", "_pending")

    def __init__(self, world: World, name: str, parts: Partitions, source: Source) -> None:
        super().__init__(world, name, {}, source)
        self._parts = parts
        self._by_part: dict[str, dict[str, None]] = {}
        self._pending = bool(parts.parts)
        """Whether some partition is not loaded yet."""

    @property
    def partitions(self) -> Partitions:
        """The seeded rows this table loads from."""
        return self._parts

    @property
    def loaded(self) -> tuple[str, ...]:
        """The partitions loaded so far, in loading order."""
        return tuple(self._by_part)

    def __getitem__(self, key: str) -> Record:
        try:
            row = self._rows[key]
        except KeyError:
            if not self._pending:
                raise
            self._load_key(key)
            row = self._rows[key]
        if row.__class__ is LazyRow:
            row = self._rows[key] = row.get()
        return row  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        if key in self._rows:
            return True
        if not self._pending or not isinstance(key, str):
            return False
        self._load_key(key)
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        return iter(self._rows)

    def __len__(self) -> int:
        self._load_all()
        return len(self._rows)

    def keys(self) -> KeysView[str]:
        """The ids, in the seeded order (partition by partition), then any added."""
        self._load_all()
        return self._rows.keys()

    def values(self) -> ValuesView[Record]:
        """The records (every partition loaded)."""
        self._load_all()
        return super().values()

    def items(self) -> ItemsView[str, Record]:
        """``(id, record)`` pairs (every partition loaded)."""
        self._load_all()
        return super().items()

    def put(self, key: str, record: Record) -> None:
        """Insert or replace ``record`` under ``key`` (its partition loaded first)."""
        part = self._part_keys(key)
        super().put(key, record)
        if part is not None:
            self._world._journal_write(part, key)  # type: ignore[arg-type]
            part[key] = None

    def delete(self, key: str) -> Record:
        """Remove and return the record under ``key`` (``KeyError`` if absent)."""
        part = self._part_keys(key)
        record = super().delete(key)
        if part is not None:
            self._world._journal_write(part, key)  # type: ignore[arg-type]
            del part[key]
        return record

    def stored(self) -> Mapping[str, Any]:
        """Every row as stored, every partition loaded, lazy rows not rendered."""
        self._load_all()
        return self._rows

    def seeded_loaded(self) -> dict[str, Any]:
        """The seeded rows of the partitions loaded so far (what they held before any write)."""
        parts = self._parts
        return {key: row for name in self._by_part for key, row in parts.part(name).items()}

    def with_prefix(self, prefix: str) -> list[str]:
        """The keys starting with ``prefix``: one partition's, loading only it, when
        ``prefix`` is ``"<partition><sep>"``; else a scan of the whole table."""
        sep = self._parts.sep
        if sep is not None and prefix.endswith(sep):
            name = prefix[: -len(sep)]
            if sep not in name:
                self._load(name)
                return list(self._by_part[name])
        self._load_all()
        return super().with_prefix(prefix)

    def _part_keys(self, key: str) -> dict[str, None] | None:
        """The key set of ``key``'s partition, loaded; None when keys do not name their
        partition (every partition is loaded then, and no reader asks for one's keys)."""
        name = self._parts.part_of(key)
        if name is None:
            self._load_all()
            return None
        self._load(name)
        return self._by_part[name]

    def _load_key(self, key: str) -> None:
        name = self._parts.part_of(key)
        if name is None:
            self._load_all()
        else:
            self._load(name)

    def _load(self, name: str) -> None:
        if name in self._by_part:
            return
        rows = self._parts.part(name)
        # Loading is not a write: the rows are the seeded ones the table stood for.
        self._rows.update(rows)
        self._by_part[name] = dict.fromkeys(rows)
        self._lazy = self._lazy or bool(rows)
        self._pending = not self._by_part.keys() >= self._parts._known

    def _load_all(self) -> None:
        if not self._pending:
            return
        loaded_before = bool(self._by_part)
        for name in self._parts.parts:
            self._load(name)
        self._pending = False
        if loaded_before:
            # Back to the seeded order whichever partitions were read first, in place (the
            # journal holds this very dict).
            order = [*self._parts.parts, *(n for n in self._by_part if n not in self._parts._known)]
            rows = self._rows
            current = dict(rows)
            rows.clear()
            for name in order:
                for key in self._by_part[name]:
                    rows[key] = current[key]


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

    def _journal_write(self, rows: dict[str, Record], key: str) -> None:
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

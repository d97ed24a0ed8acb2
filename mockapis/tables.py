"""A world's tables: rows journaled for rollback, and the lazy forms seeded data takes (a
:class:`Source` building tables on first use, a :class:`LazyRow` rendered on first read,
:class:`Partitions` built part by part)."""

from __future__ import annotations

from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    ValuesView,
)
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockapis.world import World

__all__ = [
    "BuiltTables",
    "LazyRow",
    "PartitionedTable",
    "Partitions",
    "Record",
    "Source",
    "Table",
    "index_key",
    "plain",
]

Record = dict[str, Any]
"""A JSON-compatible row. Rows are copy-on-write: replace them, never mutate them in place."""


BuiltTables = Mapping[str, Mapping[str, Any]]
"""What a :class:`Source` builds: table name -> its initial rows (records or :class:`LazyRow`,
never mutated), or :class:`Partitions` that build them part by part when first needed. It may
also hold ``"<table>:index"``: plain facts about every row (names, links, the fields truths
aggregate over; for a partitioned table, facts about every partition), drawn with the rows,
for the sources depending on it and for :meth:`~mockapis.world.World.index`, so that
neither has to render the rows."""


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
        self._world.journal_write(self._rows, key)
        self.dirty = True
        self._rows[key] = record

    def delete(self, key: str) -> Record:
        """Remove and return the record under ``key`` (``KeyError`` if absent)."""
        record = self[key]
        self._world.journal_write(self._rows, key)
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
            self._world.journal_write(part, key)
            part[key] = None

    def delete(self, key: str) -> Record:
        """Remove and return the record under ``key`` (``KeyError`` if absent)."""
        part = self._part_keys(key)
        record = super().delete(key)
        if part is not None:
            self._world.journal_write(part, key)
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

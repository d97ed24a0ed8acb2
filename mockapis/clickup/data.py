"""The seeded ClickUp workspace: members, spaces, folders, lists, tasks, comments and replies.

Three lazy sources (:meth:`World.lazy`): the hierarchy (members, the workspace, spaces and
folders as plain rows, lists rendered when read), the tasks and the comments, drawn column by
column (:class:`mockapis.seeding.RowDraws`) and rendered when read. Their indexes
(:class:`ListEntry`, :class:`Task`, :class:`Comment`) carry what truths and the comments'
source need: the lists' index flags the busy list (about 40% of the tasks) and names the
busy task (:class:`BusyTask`: about 60% of the top-level comments), drawn with the hierarchy
so that a truth naming it builds no task.
"""

from __future__ import annotations

import functools
import itertools
import random
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from mockapis import seeding
from mockapis.clickup import catalog
from mockapis.clickup.records import (
    avatar_url,
    build_comment,
    build_task,
    picture_url,
    short_user,
)
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record, index_key, plain
from mockapis.world import World, derive_seed

__all__ = [
    "COMMENTS",
    "DEFAULT_SIZES",
    "LISTS",
    "TASKS",
    "BusyTask",
    "Comment",
    "ListEntry",
    "Task",
    "Tasks",
    "seed",
    "task_name",
]

DEFAULT_SIZES: Mapping[str, int] = {"spaces": 4, "tasks": 600, "comments": 150}
"""``spaces`` of the workspace; ``tasks`` in all (about 40% in one busy list); ``comments``
at the top level (about 60% on one busy task, a third of them with replies)."""

USERS, TEAMS, SPACES = "clickup.users", "clickup.teams", "clickup.spaces"
FOLDERS, LISTS = "clickup.folders", "clickup.lists"
TASKS, COMMENTS = "clickup.tasks", "clickup.comments"
DAY_MS = 86_400_000
MEMBERS = 6
_KINDS = ("Tracker", "Pipeline", "Board", "Queue", "Plan")
_ID_CHARS = string.digits + string.ascii_lowercase
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
_PRIORITY_LEVELS = (None, 1, 2, 3, 3, 4)
_SUBTASK_SHARE = 0.15
_FIRST_SEEDED_COMMENT = 91_000_000_000_000
"""Seeded comment ids start here: the API numbers new comments from 90_000_000_000_001."""


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with one ClickUp workspace; the agent's personal token."""
    counts = resolve_sizes("clickup", sizes, DEFAULT_SIZES)
    base = (world.seed, world.epoch_ns // 1_000_000)
    hierarchy = world.lazy(
        (USERS, TEAMS, SPACES, FOLDERS, LISTS),
        _hierarchy,
        *base,
        counts["spaces"],
        counts["tasks"],
    )
    tasks = world.lazy(TASKS, _tasks, *base, counts["tasks"], deps=(hierarchy,))
    world.lazy(COMMENTS, _comments, *base, counts["comments"], deps=(hierarchy, tasks))
    me = _user_ids(world.seed)[0]
    rng = seeding.stream(world.seed, "clickup", "token")
    token = f"pk_{me}_" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=32))
    world.table("clickup._tokens").put(token, {"token": token, "user_id": int(me)})
    return {"type": "raw", "token": token}


@functools.lru_cache(maxsize=16)
def _user_ids(seed_value: int) -> tuple[str, ...]:
    """The members' 8-digit ids, the token's user first (known without building the
    hierarchy; kept for the few seeds last seen: the seeder and the hierarchy both ask)."""
    rng = seeding.stream(seed_value, "clickup", "user-ids")
    return tuple(str(v) for v in rng.sample(range(90_000_000, 100_000_000), MEMBERS))


# -- the hierarchy (a few dozen plain rows) --------------------------------------------------


class ListEntry(NamedTuple):
    """A list's index entry."""

    id: str
    name: str
    space_id: str
    space_name: str
    folderless: bool
    archived: bool
    busy: bool
    """The list that holds about 40% of the tasks (more than a page of 100)."""
    due_date: str | None
    """Epoch milliseconds, as the API shows them."""
    busy_task: BusyTask | None
    """The busy list's first task, on which about 60% of the top-level comments are."""


class BusyTask(NamedTuple):
    """The task with a long discussion: drawn with the hierarchy (so that a truth naming it
    builds no task), made the busy list's first task by the tasks' source."""

    id: str
    verb: int
    topic: int

    @property
    def name(self) -> str:
        """The task's name."""
        return task_name(self.verb, self.topic)


def task_name(verb: int, topic: int) -> str:
    """A seeded task's name: a verb and a phrase (``catalog.TASK_VERBS``, the ``bs`` pool)."""
    return _VERBS[verb] + pool("bs")[topic]


class _Ids:
    """Numeric ids of the hierarchy, unique across it."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng, self.taken = rng, taken

    def __call__(self, digits: int) -> str:
        low = _LOWEST[digits]  # 53 random bits cover the widest span (10**11)
        value = str(low + int(self.rng.random() * low / 9))
        taken = self.taken
        while value in taken:
            value = str(int(value) + 1)
        taken.add(value)
        return value


_LOWEST = {digits: 9 * 10 ** (digits - 1) for digits in range(1, 19)}
"""The lowest id of each length (``9`` then zeros): ids take the top tenth of the range."""


def _below(rng: random.Random, pool_name: str) -> int:
    """A position in the pool ``pool_name``."""
    return int(rng.random() * len(pool(pool_name)))


def _between(rng: random.Random, low: int, high: int) -> int:
    """``rng.randint(low, high)`` in a fifth of the time."""
    return low + int(rng.random() * (high - low + 1))


def _hierarchy(seed_value: int, epoch_ms: int, n_spaces: int, n_tasks: int) -> BuiltTables:
    rng = seeding.stream(seed_value, "clickup", "hierarchy")
    user_ids = _user_ids(seed_value)
    new_id = _Ids(rng, set(user_ids))
    users: dict[str, Record] = {}
    for i, user_id in enumerate(user_ids):
        first, last = seeding.pick(rng, "first_name"), seeding.pick(rng, "last_name")
        users[user_id] = {
            "id": int(user_id),
            "username": f"{first} {last}",
            "email": f"{first.lower()}.{last.lower()}{i}@example.com",
            "color": rng.choice(catalog.COLORS),
            "profilePicture": picture_url(user_id),
            "initials": first[0] + last[0],
            "week_start_day": 1,
            "global_font_support": True,
            "timezone": "Europe/London",
        }
    members = list(users.values())
    me = members[0]
    team_id = new_id(10)
    team = {
        "id": team_id,
        "name": f"{seeding.pick(rng, 'company')} Workspace",
        "color": rng.choice(catalog.COLORS),
        "avatar": avatar_url("team", team_id),
        "members": [
            {
                "user": {**short_user(u), "role": 1 if i == 0 else 3},
                "invited_by": None if i == 0 else short_user(me),
            }
            for i, u in enumerate(members)
        ],
    }
    spaces: dict[str, Record] = {}
    folders: dict[str, Record] = {}
    slots: list[_Slot] = []
    for s in range(n_spaces):
        name = catalog.SPACE_NAMES[s % len(catalog.SPACE_NAMES)] + ("" if s < 7 else f" {s}")
        space_id = new_id(11)
        space: Record = {
            "id": space_id,
            "name": name,
            "color": rng.choice(catalog.COLORS),
            "private": False,
            "avatar": avatar_url("space", space_id),
            "admin_can_manage": True,
            "statuses": [{"id": f"p{s}_{st['orderindex']}", **st} for st in catalog.STATUSES],
            "multiple_assignees": True,
            "features": _FEATURES,
            "archived": False,
            "_team_id": team_id,
        }
        spaces[space_id] = space
        # The first space has a folder (the busy list's), the first two a folderless list.
        for f in range(_between(rng, 1 if s == 0 else 0, 3)):
            folder_id = new_id(11)
            folders[folder_id] = {
                "id": folder_id,
                "name": catalog.FOLDER_NAMES[(s + f) % len(catalog.FOLDER_NAMES)],
                "orderindex": f,
                "override_statuses": False,
                "hidden": False,
                "space": {"id": space_id, "name": name, "access": True},
                "archived": False,
                "statuses": [],
                "permission_level": "create",
            }
            container = (folder_id, folders[folder_id]["name"], False)
            lists_here = _between(rng, 2 if s == f == 0 else 1, 4)
            slots += (_Slot(s, container, i) for i in range(lists_here))
        hidden = (new_id(11), "hidden", True)
        slots += (_Slot(s, hidden, i) for i in range(_between(rng, 1 if s in (0, 1) else 0, 3)))
    busy_task = None
    if n_tasks:
        task_id = "86" + "".join(rng.choices(_ID_CHARS, k=7))
        busy_task = BusyTask(task_id, _between(rng, 0, len(_VERBS) - 1), _below(rng, "bs"))
    lists, index = _lists(
        seed_value, epoch_ms, list(spaces.values()), slots, new_id, rng, busy_task
    )
    return {
        USERS: users,
        TEAMS: {team_id: team},
        SPACES: spaces,
        FOLDERS: folders,
        LISTS: lists,
        index_key(LISTS): index,
    }


class _Slot(NamedTuple):
    """Where a list goes: its space (by position), its folder ``(id, name, hidden)`` (a
    folderless list's being its space's hidden one) and its position in the folder."""

    space: int
    folder: tuple[str, str, bool]
    order: int


class _ListColumns:
    """What a lists table's rows render from: its draws, mapped into columns when the first
    list renders (the index needs none of them)."""

    def __init__(self, seed_value: int, draws: seeding.RowDraws) -> None:
        self.draws = draws
        self.text_seed = derive_seed(seed_value, "clickup", "lists", "text")

    @functools.cached_property
    def details(self) -> _ListDraws:
        """The render-only columns."""
        d = self.draws
        return _ListDraws(
            content=d.chance(0, 0.5),
            started=d.chance(1, 0.5),
            start_days=d.ints(2, 5, 39),
            with_status=d.chance(3, 0.3),
            status=d.below(4, 3),
            with_priority=d.chance(5, 0.4),
            level=d.ints(6, 1, 4),
        )


class _ListDraws(NamedTuple):
    """A lists table's render-only columns."""

    content: list[bool]
    started: list[bool]
    start_days: list[int]
    with_status: list[bool]
    status: list[int]
    with_priority: list[bool]
    level: list[int]


def _lists(
    seed_value: int,
    epoch_ms: int,
    spaces: list[Record],
    slots: list[_Slot],
    new_id: _Ids,
    rng: random.Random,
    busy_task: BusyTask | None,
) -> tuple[dict[str, LazyRow], dict[str, ListEntry]]:
    """The lists of ``slots``, drawn column by column, and their index (the first open list
    in a folder is the busy one; a workspace always has an archived list)."""
    n = len(slots)
    d = seeding.RowDraws(n, 14, seed_value, "clickup", "lists")
    cols = _ListColumns(seed_value, d)
    dated, offsets = d.chance(7, 0.7), d.spans(8, -60 * DAY_MS, 120 * DAY_MS)
    archived = [a and slot.order > 0 for a, slot in zip(d.chance(9, 0.12), slots, strict=True)]
    if slots and not any(archived):
        # Every workspace has an archived list (the first folder has a second list to archive).
        archived[max(k for k, slot in enumerate(slots) if slot.order > 0)] = True
    words, kinds = d.pick(10, pool("lorem_word")), d.pick(11, _KINDS)
    names = list(catalog.LIST_NAMES[:n])
    used = set(catalog.LIST_NAMES)
    for k in range(len(names), n):
        name = f"{words[k].title()} {kinds[k]}"
        while name in used:  # a list's name finds it
            name = f"{seeding.pick(rng, 'lorem_word').title()} {rng.choice(_KINDS)}"
        used.add(name)
        names.append(name)
    busy = next((k for k, slot in enumerate(slots) if not archived[k] and not slot.folder[2]), -1)
    rows: dict[str, LazyRow] = {}
    index: dict[str, ListEntry] = {}
    for k, slot in enumerate(slots):
        space = spaces[slot.space]
        list_id = new_id(12)
        due = epoch_ms + offsets[k] if dated[k] else None
        entry = ListEntry(
            list_id,
            names[k],
            space["id"],
            space["name"],
            slot.folder[2],
            archived[k],
            k == busy,
            None if due is None else str(due),
            busy_task if k == busy else None,
        )
        rows[list_id] = LazyRow(_list, cols, k, entry, slot, space)
        index[list_id] = entry
    return rows, index


def _list(columns: _ListColumns, k: int, entry: ListEntry, slot: _Slot, space: Record) -> Record:
    cols = columns.details
    due = entry.due_date
    start = int(due) - cols.start_days[k] * DAY_MS if due is not None and cols.started[k] else None
    status = space["statuses"][cols.status[k]] if cols.with_status[k] else None
    priority = catalog.priority(cols.level[k]) if cols.with_priority[k] else None
    text_seed = columns.text_seed
    content = seeding.sentence(seeding.stream(text_seed, k), 8) if cols.content[k] else ""
    folder_id, folder_name, hidden = slot.folder
    return {
        "id": entry.id,
        "name": entry.name,
        "orderindex": slot.order,
        "content": content,
        "status": None
        if status is None
        else {"status": status["status"], "color": status["color"], "hide_label": True},
        "priority": None if priority is None else {k: v for k, v in priority.items() if k != "id"},
        "assignee": None,
        "due_date": due,
        "start_date": None if start is None else str(start),
        "folder": {"id": folder_id, "name": folder_name, "hidden": hidden, "access": True},
        "space": {"id": space["id"], "name": space["name"], "access": True},
        "archived": entry.archived,
        "override_statuses": False,
        "permission_level": "create",
    }


# -- tasks (lazy rows) -----------------------------------------------------------------------


class Task(NamedTuple):
    """A task's index entry."""

    id: str
    list_id: str
    parent: str | None
    archived: bool
    closed: bool
    verb: int
    topic: int
    """Its name's words, by position (see :func:`task_name`): no string per task is made
    unless its name is asked for."""
    priority: int | None
    """1 (urgent) to 4 (low), or None."""
    created_ms: int
    busy: bool
    """Whether it is the busy task (:class:`BusyTask`, the first row)."""

    @property
    def name(self) -> str:
        """The task's name."""
        return task_name(self.verb, self.topic)


class _TaskColumns(NamedTuple):
    """The columns only a rendered task shows."""

    status: list[int]
    """Position of an open status (closed tasks have the closed one)."""
    updated: list[int]
    creator: list[int]
    n_assignees: list[int]
    assignee_a: list[int]
    assignee_b: list[int]
    n_tags: list[int]
    tag_a: list[int]
    tag_b: list[int]
    due: list[bool]
    due_days: list[int]


class _TaskDraws:
    """What a tasks table's rows render from: what every row shares (the members, the
    workspace) and the columns only rows show, drawn on the first render (a reset that reads
    no task draws none of them)."""

    def __init__(self, seed_value: int, n: int, epoch_ms: int, hierarchy: BuiltTables) -> None:
        self.seed_value, self.n = seed_value, n
        self.text_seed = derive_seed(seed_value, "clickup", "tasks", "text")
        self.last_update = epoch_ms - 1000
        self.team_id: str = next(iter(hierarchy[TEAMS]))
        self.members: tuple[Record, ...] = tuple(hierarchy[USERS].values())
        self.homes: Mapping[str, Any] = hierarchy[LISTS]
        """List id -> the list row (a task's list, folder and space references; a
        :class:`LazyRow` until some reader renders it)."""
        self.statuses: dict[str, Sequence[Record]] = {
            k: s["statuses"] for k, s in hierarchy[SPACES].items()
        }
        self._columns: _TaskColumns | None = None

    @property
    def columns(self) -> _TaskColumns:
        """The render-only columns (mapped once)."""
        found = self._columns
        if found is None:
            d = seeding.RowDraws(self.n, 11, self.seed_value, "clickup", "tasks", "render")
            found = self._columns = _TaskColumns(
                status=d.weighted(0, range(len(_OPEN)), _OPEN_CUM),
                updated=d.below(1, 20 * DAY_MS),
                creator=d.below(2, MEMBERS),
                n_assignees=d.ints(3, 0, 2),
                assignee_a=d.below(4, MEMBERS),
                assignee_b=d.below(5, MEMBERS - 1),
                n_tags=d.ints(6, 0, 2),
                tag_a=d.below(7, len(catalog.TAGS)),
                tag_b=d.below(8, len(catalog.TAGS) - 1),
                due=d.chance(9, 0.6),
                due_days=d.ints(10, 2, 59),
            )
        return found


@dataclass(frozen=True, eq=False)
class Tasks(Mapping[str, Task]):
    """The tasks' index: one column per fact, task by task in seeded order (the busy task
    first), for truths to filter; as a mapping, each one's :class:`Task` by id (made on
    first use). What a reset reads is kept as arrays (lists, open top-level flags, phrases)
    and counts; the rest (ids, creation times, parents, each list's tasks, flags and
    priorities as lists) is mapped when first needed."""

    draws: seeding.RowDraws
    epoch_ms: int
    seed_value: int
    first_id: str
    open_lists: tuple[str, ...]
    home_column: IntArray
    """Each task's list, as a position in :attr:`open_lists`."""
    shown: BoolArray
    """Whether each task is an open top-level task (not archived, not closed: what a list
    shows by default)."""
    open_counts: list[int]
    """Per list (by position), how many open top-level tasks it has."""
    verbs: list[int]
    topic_column: IntArray
    """Each task's name's words, by position (see :func:`task_name`); the phrases as an
    array (most positions are past the ints Python keeps: a truth reads a few dozen)."""
    twins: list[int]
    """The open top-level tasks whose phrase is also another phrase of the pool (the ``bs``
    pool holds a few strings twice), in order: only their names may equal another's."""

    @functools.cached_property
    def homes(self) -> list[int]:
        """Each task's list, as a position in :attr:`open_lists`."""
        return self.home_column.tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def open_top(self) -> list[list[int]]:
        """Per list (by position), its open top-level tasks, as positions, in order."""
        return [self.open_in(k) for k in range(len(self.open_lists))]

    def open_in(self, k: int) -> list[int]:
        """The open top-level tasks (positions, in order) of the list at position ``k``."""
        return np.flatnonzero(self.shown & (self.home_column == k)).tolist()

    @functools.cached_property
    def topics(self) -> list[int]:
        """Each task's phrase, by position in the ``bs`` pool."""
        return self.topic_column.tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def archived(self) -> list[bool]:
        """Whether each task is archived."""
        return _archived(self.draws).tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def closed(self) -> list[bool]:
        """Whether each task is closed."""
        return _closed(self.draws).tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def priorities(self) -> list[int | None]:
        """Each task's priority: 1 (urgent) to 4 (low), or None."""
        return [_PRIORITY_LEVELS[k] for k in self._priority_picks.tolist()]

    def priority(self, k: int) -> int | None:
        """The priority of the task at position ``k`` (a truth reads a few of 600)."""
        return _PRIORITY_LEVELS[self._priority_picks.item(k)]

    @functools.cached_property
    def _priority_picks(self) -> IntArray:
        return self.draws.below_array(6, len(_PRIORITY_LEVELS))

    @functools.cached_property
    def parents(self) -> list[int]:
        """Each task's parent, as a position (-1: a top-level task)."""
        d = self.draws
        return _parents(self.homes, d.chance(2, _SUBTASK_SHARE), d.floats(3))

    @functools.cached_property
    def ids(self) -> list[str]:
        """Each task's id (``"86"`` and seven base-36 digits)."""
        if not len(self):
            return []
        retry = seeding.stream(self.seed_value, "clickup", "tasks", "id-retry")
        return _task_ids(self.draws, 11, self.first_id, retry)

    @functools.cached_property
    def created(self) -> list[int]:
        """Each task's creation, in epoch milliseconds (distinct)."""
        created = _instants(self.draws, 9, self.epoch_ms, 1, 300)
        if len(set(created)) < len(created):
            created = seeding.distinct(created)  # so that orders by date are total
        return created

    @functools.cached_property
    def entries(self) -> dict[str, Task]:
        """Every task's :class:`Task`, by id, in seeded order."""
        ids, n = self.ids, len(self.homes)
        facts = zip(
            ids,
            map(self.open_lists.__getitem__, self.homes),
            [ids[p] if p >= 0 else None for p in self.parents],
            self.archived,
            self.closed,
            self.verbs,
            self.topics,
            self.priorities,
            self.created,
            [True, *repeat(False, n - 1)],
            strict=True,
        )
        return dict(zip(ids, map(Task._make, facts), strict=True))

    @functools.cached_property
    def clashing(self) -> frozenset[str]:
        """The lists (ids) two of whose open top-level tasks have the same name: names are
        drawn unique as words (verb, phrase), but two phrases may be the same string."""
        seen: set[tuple[int, str]] = set()
        clashing = set()
        home_at = self.home_column.item
        for k, name in zip(self.twins, self.names(self.twins), strict=True):
            named = (home_at(k), name)
            if named in seen:
                clashing.add(self.open_lists[home_at(k)])
            seen.add(named)
        return frozenset(clashing)

    def names(self, positions: Iterable[int]) -> list[str]:
        """The names of the tasks at ``positions`` (what :func:`task_name` makes)."""
        verbs, topic_at = self.verbs, self.topic_column.item
        phrases = pool("bs")
        return [_VERBS[verbs[k]] + phrases[topic_at(k)] for k in positions]

    def __getitem__(self, task_id: str) -> Task:
        return self.entries[task_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.home_column)


_NO_TASKS = Tasks(
    seeding.RowDraws(0, 12, 0), 0, 0, "", (), np.zeros(0, np.int64), np.zeros(0, np.bool_), [], [],
    np.zeros(0, np.int64), [],
)  # fmt: skip


_OPEN = [k for k, st in enumerate(catalog.STATUSES) if st["type"] != "closed"]
_OPEN_CUM = tuple(itertools.accumulate(catalog.STATUS_WEIGHTS[k] for k in _OPEN))
_CLOSED = next(k for k, st in enumerate(catalog.STATUSES) if st["type"] == "closed")
_CLOSED_SHARE = catalog.STATUS_WEIGHTS[_CLOSED] / sum(catalog.STATUS_WEIGHTS)


def _second(first: int, other: int) -> int:
    """The second of two distinct picks: ``other`` drawn from one fewer, skipping ``first``."""
    return other + (other >= first)


def _task(draws: _TaskDraws, i: int, entry: Task) -> Record:
    cols = draws.columns
    home = plain(draws.homes[entry.list_id])
    space_id = home["space"]["id"]
    members = draws.members
    first = cols.assignee_a[i]
    picked = (first, _second(first, cols.assignee_b[i]))[: cols.n_assignees[i]]
    tag = cols.tag_a[i]
    tags = (tag, _second(tag, cols.tag_b[i]))[: cols.n_tags[i]]
    rng = seeding.stream(draws.text_seed, i)  # the row's own text stream
    created = entry.created_ms
    return build_task(
        task_id=entry.id,
        name=entry.name,
        description=seeding.paragraph(rng, 2),
        status=draws.statuses[space_id][_CLOSED if entry.closed else _OPEN[cols.status[i]]],
        orderindex=f"{i + 1}.00000000000000000000000000000000",
        created=str(created),
        updated=str(min(draws.last_update, created + cols.updated[i])),
        archived=entry.archived,
        creator=members[cols.creator[i]],
        assignees=[members[k] for k in picked],
        tags=[catalog.TAGS[k] for k in tags],
        parent=entry.parent,
        priority=catalog.priority(entry.priority),
        due_date=str(created + cols.due_days[i] * DAY_MS) if cols.due[i] else None,
        start_date=None,
        time_estimate=None,
        team_id=draws.team_id,
        home=home,
        space_id=space_id,
    )


def _task_ids(d: seeding.RowDraws, col: int, first: str, retry: random.Random) -> list[str]:
    """``"86"`` and seven base-36 digits per row, from column ``col``, but ``first`` for the
    first row; unique."""
    words = np.asarray(d.words(col), dtype=np.uint64)
    digits = np.empty((d.n, 9), dtype=np.uint8)
    digits[:, 0], digits[:, 1] = ord("8"), ord("6")
    for k in range(8, 1, -1):
        digits[:, k] = _ID_TABLE[(words % np.uint64(36)).astype(np.intp)]
        words //= np.uint64(36)
    ids = [b.decode() for b in digits.view("S9").ravel().tolist()]
    ids[0] = first
    if len(set(ids)) < len(ids):  # ~1 world in 100,000: redraw the later twin
        seen: set[str] = set()
        for i, value in enumerate(ids):
            while value in seen:
                value = "86" + "".join(retry.choices(_ID_CHARS, k=7))
            seen.add(value)
            ids[i] = value
    return ids


_ID_TABLE = np.frombuffer(_ID_CHARS.encode(), dtype=np.uint8)


def _tasks(seed_value: int, epoch_ms: int, n: int, hierarchy: BuiltTables) -> BuiltTables:
    lists: Mapping[str, ListEntry] = hierarchy[index_key(LISTS)]
    open_lists = tuple(e.id for e in lists.values() if not e.archived)
    busy = next((e for e in lists.values() if e.busy), None)
    if busy is None or busy.busy_task is None:
        return {TASKS: {}, index_key(TASKS): _NO_TASKS}
    first = busy.busy_task
    d = seeding.RowDraws(n, 12, seed_value, "clickup", "tasks")
    # Whole columns at a time (numpy over the draws): a world's tasks cost well under 1 µs each.
    at_busy = open_lists.index(busy.id)
    homes = np.where(d.floats_array(0) < 0.4, at_busy, d.below_array(1, len(open_lists)))
    homes[0] = at_busy  # the first task is the busy task: the busy list's first
    shown = _shown(homes, d.floats_array(2) < _SUBTASK_SHARE, _archived(d), _closed(d))
    counts = np.bincount(homes[shown], minlength=len(open_lists)).tolist()
    verbs, topics, twins = _names(d, homes, first, seed_value, shown)
    index = Tasks(
        d, epoch_ms, seed_value, first.id, open_lists, homes, shown, counts, verbs, topics, twins
    )
    # The rows only when the table is read: truths read the index.
    rows = Partitions.whole(_task_rows, seed_value, epoch_ms, index, hierarchy)
    return {TASKS: rows, index_key(TASKS): index}


def _archived(d: seeding.RowDraws) -> BoolArray:
    """Whether each task is archived (about 5%; never the busy task)."""
    archived = d.floats_array(5) < 0.05
    archived[:1] = False
    return archived


def _closed(d: seeding.RowDraws) -> BoolArray:
    """Whether each task is closed (the closed status's share)."""
    return d.floats_array(4) < _CLOSED_SHARE


def _task_rows(
    seed_value: int, epoch_ms: int, index: Tasks, hierarchy: BuiltTables, _part: str
) -> dict[str, LazyRow]:
    draws = _TaskDraws(seed_value, len(index), epoch_ms, hierarchy)
    entries = index.entries
    rows = map(LazyRow, repeat(_task), repeat(draws), range(len(entries)), entries.values())
    return dict(zip(entries, rows, strict=True))


def _names(
    d: seeding.RowDraws, homes: IntArray, first: BusyTask, seed_value: int, listed: BoolArray
) -> tuple[list[int], IntArray, list[int]]:
    """Task names as the positions of their verb and phrase (columns 7 and 8; the first
    task's are ``first``'s), unique within their list (``homes``: each task's list by
    position): a name finds a task. The busy list draws a few clashes a world: those are
    drawn again (from the retry stream, made then). Also the open top-level tasks
    (``listed``) whose phrase the pool holds twice (see :attr:`Tasks.twins`)."""
    n_verbs, n_topics = len(_VERBS), len(pool("bs"))
    verb_col, topic_col = d.below_array(7, n_verbs), d.below_array(8, n_topics)
    verb_col[0], topic_col[0] = first.verb, first.topic
    keys = (homes * n_verbs + verb_col) * n_topics + topic_col
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    repeated = ordered[1:] == ordered[:-1]
    if repeated.any():
        # The later twins (every occurrence of a key but its first), in order, drawn again
        # until their key is no key drawn (a binary search of the sorted keys) nor redrawn.
        retry = seeding.stream(seed_value, "clickup", "tasks", "retry")
        redrawn: set[int] = set()
        for i in np.sort(order[1:][repeated]).tolist():
            home, key = int(homes[i]), int(keys[i])
            while key in redrawn or _holds(ordered, key):
                verb_col[i], topic_col[i] = (
                    int(retry.random() * n_verbs),
                    int(retry.random() * n_topics),
                )
                key = (home * n_verbs + int(verb_col[i])) * n_topics + int(topic_col[i])
            redrawn.add(key)
    twin_rows = np.flatnonzero(_twin_phrases()[topic_col] & listed).tolist()
    return verb_col.tolist(), topic_col, twin_rows


def _holds(ordered: IntArray, value: int) -> bool:
    """Whether the sorted array ``ordered`` holds ``value``."""
    at = int(ordered.searchsorted(value))
    return at < len(ordered) and int(ordered[at]) == value


@functools.cache
def _twin_phrases() -> BoolArray:
    """Whether each phrase of the ``bs`` pool is also another of its phrases (made once)."""
    phrases = pool("bs")
    counts = Counter(phrases)
    return np.array([counts[p] > 1 for p in phrases], dtype=np.bool_)


_VERBS = [f"{verb} " for verb in catalog.TASK_VERBS]


def _parents(homes: list[int], subtask: list[bool], pick: list[float]) -> list[int]:
    """Each task's parent, as a position (-1: none): about 15% (``subtask``) are subtasks of
    an earlier top-level task of their list (``homes``: each task's list, as a position),
    ``pick`` scaled to how many there are."""
    tops: dict[int, list[int]] = {}
    parents: list[int] = []
    append = parents.append  # a loop over every task: no attribute lookups in it
    for i, (home, sub, f) in enumerate(zip(homes, subtask, pick, strict=True)):
        siblings = tops.get(home)
        if siblings is None:
            tops[home] = siblings = []
        if sub and siblings:
            append(siblings[int(f * len(siblings))])
        else:
            append(-1)
            siblings.append(i)
    return parents


def _shown(
    homes: IntArray, subtask: BoolArray, archived: BoolArray, closed: BoolArray
) -> BoolArray:
    """Whether each task is an open top-level task (neither archived nor closed), without a
    pass task by task: a task is top-level (see :func:`_parents`) when it is not flagged a
    subtask or when it is its list's first (no top-level task before it to be a subtask of)."""
    order = np.argsort(homes, kind="stable")  # by list, each list's tasks in order
    grouped = homes[order]
    top = ~subtask
    top[order[:1]] = True
    top[order[np.flatnonzero(grouped[1:] != grouped[:-1]) + 1]] = True
    return top & ~archived & ~closed


def _instants(
    d: seeding.RowDraws, col: int, epoch_ms: int, low_days: int, high_days: int
) -> list[int]:
    """Per row, a millisecond ``low_days`` to ``high_days`` before the epoch (columns ``col``
    and ``col + 1``: a day and a millisecond of it, each narrow enough for one 32-bit map)."""
    latest = epoch_ms - low_days * DAY_MS
    return [
        latest - day * DAY_MS - ms
        for day, ms in zip(
            d.below(col, high_days - low_days), d.below(col + 1, DAY_MS), strict=True
        )
    ]


# -- comments and replies (lazy rows) --------------------------------------------------------


class Comment(NamedTuple):
    """A comment's index entry: ``parent_type`` ``"task"`` (top level) or ``"comment"`` (a
    threaded reply, ``parent_id`` the comment replied to)."""

    id: str
    parent_type: str
    parent_id: str
    date_ms: int


class _CommentContext(NamedTuple):
    """What every comment renders with."""

    text_seed: int
    members: tuple[Record, ...]


def _comment(ctx: _CommentContext, k: int, entry: Comment, author: int) -> Record:
    rng = seeding.stream(ctx.text_seed, k)  # the row's own text stream
    return build_comment(
        comment_id=entry.id,
        text=seeding.sentence(rng, rng.randint(5, 14)),
        user=ctx.members[author],
        date=str(entry.date_ms),
        parent={"type": entry.parent_type, "id": entry.parent_id},
    )


def _comments(
    seed_value: int, epoch_ms: int, n: int, hierarchy: BuiltTables, tasks: BuiltTables
) -> BuiltTables:
    found: Mapping[str, Task] = tasks[index_key(TASKS)]
    live = [t for t in found.values() if not t.archived and t.parent is None]
    if not live or not n:
        return {COMMENTS: {}, index_key(COMMENTS): {}}
    busy = next((t for t in live if t.busy), live[0])
    d = seeding.RowDraws(n, 16, seed_value, "clickup", "comments")
    latest = epoch_ms - 10 * DAY_MS
    on = [busy if b else t for b, t in zip(d.chance(0, 0.6), d.pick(1, live), strict=True)]
    # Distinct instants: a top-level comment's time plus its position.
    tops = [
        min(task.created_ms + 1 + delay, latest) + i
        for i, (task, delay) in enumerate(zip(on, d.below(2, 30 * DAY_MS - 1), strict=True))
    ]
    authors = d.below(3, MEMBERS)
    replies = [k if b else 0 for b, k in zip(d.chance(4, 0.33), d.ints(5, 1, 3), strict=True)]
    gaps = [d.ints(6 + r, 60_000, DAY_MS - 1) for r in range(3)]
    repliers = [d.below(9 + r, MEMBERS) for r in range(3)]
    numbers = [d.spans(12 + r, _FIRST_SEEDED_COMMENT, 10**14) for r in range(4)]
    # Each comment, then its replies: (number, parent type, parent (a task id or the comment's
    # position), instant, author).
    made: list[tuple[int, str, str | int, int, int]] = []
    for i in range(n):
        at, top = tops[i], len(made)
        made.append((numbers[3][i], "task", on[i].id, at, authors[i]))
        for r in range(replies[i]):
            made.append((numbers[r][i], "comment", top, at + (r + 1) * gaps[r][i], repliers[r][i]))
    ids = [str(m[0]) for m in made]
    if len(set(ids)) < len(ids):  # 53 random bits each: almost never
        ids = [str(v) for v in seeding.distinct([m[0] for m in made])]
    entries = [
        Comment(ids[k], kind, ids[parent] if isinstance(parent, int) else parent, at)
        for k, (_, kind, parent, at, _) in enumerate(made)
    ]
    ctx = _CommentContext(
        derive_seed(seed_value, "clickup", "comments", "text"), tuple(hierarchy[USERS].values())
    )
    rows = dict(
        zip(
            ids,
            map(
                LazyRow,
                repeat(_comment),
                repeat(ctx),
                range(len(ids)),
                entries,
                [m[4] for m in made],
            ),
            strict=True,
        )
    )
    return {COMMENTS: rows, index_key(COMMENTS): dict(zip(ids, entries, strict=True))}


_FEATURES = {
    "due_dates": {
        "enabled": True,
        "start_date": True,
        "remap_due_dates": False,
        "remap_closed_due_date": False,
    },
    "time_tracking": {"enabled": True},
    "tags": {"enabled": True},
    "time_estimates": {"enabled": True},
    "checklists": {"enabled": True},
    "custom_fields": {"enabled": True},
    "remap_dependencies": {"enabled": True},
    "dependency_warning": {"enabled": True},
    "portfolios": {"enabled": True},
}

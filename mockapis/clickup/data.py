"""The seeded ClickUp workspace: members, spaces, folders, lists, tasks, comments and replies.

Three lazy sources (:meth:`World.lazy`): the hierarchy (members, the workspace, spaces,
folders and lists: a few dozen plain rows), the tasks and the comments. Tasks and comments
are drawn column by column (:class:`mockapis.seeding.RowDraws`) and rendered when read; their
indexes (:class:`Task`, :class:`Comment`) carry what truths and the comments' source need.
The lists' index flags the busy list (about 40% of the tasks), the tasks' index the busy
task (about 60% of the top-level comments).
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Mapping, Sequence
from itertools import repeat
from typing import NamedTuple

import numpy as np

from mockapis import seeding
from mockapis.clickup import catalog
from mockapis.clickup.records import build_comment, build_task, short_user
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.world import BuiltTables, LazyRow, Record, World, derive_seed

__all__ = [
    "COMMENTS",
    "DEFAULT_SIZES",
    "LISTS",
    "TASKS",
    "Comment",
    "ListEntry",
    "Task",
    "seed",
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
_PRIORITY_LEVELS = (None, 1, 2, 3, 3, 4)
_FIRST_SEEDED_COMMENT = 91_000_000_000_000
"""Seeded comment ids start here: the API numbers new comments from 90_000_000_000_001."""


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with one ClickUp workspace; the agent's personal token."""
    counts = resolve_sizes("clickup", sizes, DEFAULT_SIZES)
    base = (world.seed, world.epoch_ns // 1_000_000)
    hierarchy = world.lazy(
        (USERS, TEAMS, SPACES, FOLDERS, LISTS), _hierarchy, *base, counts["spaces"]
    )
    tasks = world.lazy(TASKS, _tasks, *base, counts["tasks"], deps=(hierarchy,))
    world.lazy(COMMENTS, _comments, *base, counts["comments"], deps=(hierarchy, tasks))
    me = _user_ids(world.seed)[0]
    rng = seeding.stream(world.seed, "clickup", "token")
    token = f"pk_{me}_" + "".join(rng.choices(string.ascii_uppercase + string.digits, k=32))
    world.table("clickup._tokens").put(token, {"token": token, "user_id": int(me)})
    return {"type": "raw", "token": token}


def _user_ids(seed_value: int) -> list[str]:
    """The members' 8-digit ids, the token's user first (known without building the hierarchy)."""
    rng = seeding.stream(seed_value, "clickup", "user-ids")
    return [str(v) for v in rng.sample(range(90_000_000, 100_000_000), MEMBERS)]


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


class _Ids:
    """Numeric ids of the hierarchy, unique across it."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        self.rng, self.taken = rng, taken

    def __call__(self, digits: int) -> str:
        value = str(self.rng.randrange(9 * 10 ** (digits - 1), 10**digits))
        while value in self.taken:
            value = str(int(value) + 1)
        self.taken.add(value)
        return value


def _hierarchy(seed_value: int, epoch_ms: int, n_spaces: int) -> BuiltTables:
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
            "profilePicture": None,
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
        "avatar": None,
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
    lists: dict[str, Record] = {}
    names, used = list(catalog.LIST_NAMES), set(catalog.LIST_NAMES)

    def new_list(space: Record, folder_ref: Record, index: int) -> None:
        row = _list_row(rng, new_id(12), names, used, space, folder_ref, index, epoch_ms)
        lists[row["id"]] = row

    for s in range(n_spaces):
        name = catalog.SPACE_NAMES[s % len(catalog.SPACE_NAMES)] + ("" if s < 7 else f" {s}")
        space_id = new_id(11)
        space: Record = {
            "id": space_id,
            "name": name,
            "color": rng.choice(catalog.COLORS),
            "private": False,
            "avatar": None,
            "admin_can_manage": True,
            "statuses": [{"id": f"p{s}_{st['orderindex']}", **st} for st in catalog.STATUSES],
            "multiple_assignees": True,
            "features": _FEATURES,
            "archived": False,
            "_team_id": team_id,
        }
        spaces[space_id] = space
        ref = {"id": space_id, "name": name, "access": True}
        # The first space has a folder (the busy list's), the first two a folderless list.
        for f in range(rng.randint(1 if s == 0 else 0, 3)):
            folder_id = new_id(11)
            folder = {
                "id": folder_id,
                "name": catalog.FOLDER_NAMES[(s + f) % len(catalog.FOLDER_NAMES)],
                "orderindex": f,
                "override_statuses": False,
                "hidden": False,
                "space": ref,
                "archived": False,
                "statuses": [],
                "permission_level": "create",
            }
            folders[folder_id] = folder
            container = {"id": folder_id, "name": folder["name"], "hidden": False}
            for i in range(rng.randint(2 if s == f == 0 else 1, 4)):
                new_list(space, container, i)
        hidden = {"id": new_id(11), "name": "hidden", "hidden": True}
        for i in range(rng.randint(1 if s in (0, 1) else 0, 3)):
            new_list(space, hidden, i)
    if lists and not any(r["archived"] for r in lists.values()):
        # Every workspace has an archived list (the first folder has a second list to archive).
        closing = next(r for r in reversed(lists.values()) if r["orderindex"] > 0)
        lists[closing["id"]] = {**closing, "archived": True}
    # The busy list: the first open list in a folder (a first list is never archived).
    busy = next((r["id"] for r in lists.values() if not r["archived"] and not _loose(r)), None)
    index = {
        k: ListEntry(
            k, r["name"], r["space"]["id"], r["space"]["name"], _loose(r), r["archived"], k == busy
        )
        for k, r in lists.items()
    }
    return {
        USERS: users,
        TEAMS: {team_id: team},
        SPACES: spaces,
        FOLDERS: folders,
        LISTS: lists,
        f"{LISTS}:index": index,
    }


def _loose(row: Record) -> bool:
    """Whether a list is folderless (in its space's hidden folder)."""
    return bool(row["folder"]["hidden"])


def _list_row(
    rng: random.Random,
    list_id: str,
    names: list[str],
    used: set[str],
    space: Record,
    folder_ref: Record,
    index: int,
    epoch_ms: int,
) -> Record:
    if names:
        name = names.pop(0)
    else:
        name = f"{seeding.pick(rng, 'lorem_word').title()} {rng.choice(_KINDS)}"
        while name in used:  # a list's name finds it
            name = f"{seeding.pick(rng, 'lorem_word').title()} {rng.choice(_KINDS)}"
    used.add(name)
    due = epoch_ms + rng.randrange(-60 * DAY_MS, 120 * DAY_MS) if rng.random() < 0.7 else None
    start = due - rng.randrange(5, 40) * DAY_MS if due is not None and rng.random() < 0.5 else None
    status = rng.choice(space["statuses"][:3]) if rng.random() < 0.3 else None
    priority = None if rng.random() < 0.6 else catalog.priority(rng.randint(1, 4))
    return {
        "id": list_id,
        "name": name,
        "orderindex": index,
        "content": seeding.sentence(rng, 8) if rng.random() < 0.5 else "",
        "status": None
        if status is None
        else {"status": status["status"], "color": status["color"], "hide_label": True},
        "priority": None if priority is None else {k: v for k, v in priority.items() if k != "id"},
        "assignee": None,
        "due_date": None if due is None else str(due),
        "start_date": None if start is None else str(start),
        "folder": {**folder_ref, "access": True},
        "space": {"id": space["id"], "name": space["name"], "access": True},
        "archived": rng.random() < 0.12 and index > 0,
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
    name: str
    priority: int | None
    """1 (urgent) to 4 (low), or None."""
    created_ms: int


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
    """What a tasks table's rows render from: the table's draws, what every row shares (the
    members, the workspace), and the columns only rows show, mapped on the first render (a
    reset that reads no task maps none of them)."""

    def __init__(
        self, d: seeding.RowDraws, text_seed: int, epoch_ms: int, hierarchy: BuiltTables
    ) -> None:
        self.d = d
        self.text_seed = text_seed
        self.last_update = epoch_ms - 1000
        self.team_id: str = next(iter(hierarchy[TEAMS]))
        self.members: tuple[Record, ...] = tuple(hierarchy[USERS].values())
        self.homes: Mapping[str, Record] = hierarchy[LISTS]
        """List id -> the list row (a task's list, folder and space references)."""
        self.statuses: dict[str, Sequence[Record]] = {
            k: s["statuses"] for k, s in hierarchy[SPACES].items()
        }
        self._columns: _TaskColumns | None = None

    @property
    def columns(self) -> _TaskColumns:
        """The render-only columns (mapped once)."""
        found = self._columns
        if found is None:
            d = self.d
            found = self._columns = _TaskColumns(
                status=d.weighted(4, range(len(_OPEN)), _OPEN_CUM),
                updated=d.below(5, 20 * DAY_MS),
                creator=d.below(6, MEMBERS),
                n_assignees=d.ints(7, 0, 2),
                assignee_a=d.below(8, MEMBERS),
                assignee_b=d.below(9, MEMBERS - 1),
                n_tags=d.ints(10, 0, 2),
                tag_a=d.below(11, len(catalog.TAGS)),
                tag_b=d.below(12, len(catalog.TAGS) - 1),
                due=d.chance(13, 0.6),
                due_days=d.ints(14, 2, 59),
            )
        return found


_OPEN = [k for k, st in enumerate(catalog.STATUSES) if st["type"] != "closed"]
_OPEN_CUM = tuple(itertools.accumulate(catalog.STATUS_WEIGHTS[k] for k in _OPEN))
_CLOSED = next(k for k, st in enumerate(catalog.STATUSES) if st["type"] == "closed")
_CLOSED_SHARE = catalog.STATUS_WEIGHTS[_CLOSED] / sum(catalog.STATUS_WEIGHTS)


def _second(first: int, other: int) -> int:
    """The second of two distinct picks: ``other`` drawn from one fewer, skipping ``first``."""
    return other + (other >= first)


def _task(draws: _TaskDraws, i: int, entry: Task) -> Record:
    cols = draws.columns
    home = draws.homes[entry.list_id]
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


def _task_ids(d: seeding.RowDraws, col: int, retry: random.Random) -> list[str]:
    """``"86"`` and seven base-36 digits per row, from column ``col``; unique."""
    words = np.asarray(d.words(col), dtype=np.uint64)
    digits = np.empty((d.n, 9), dtype=np.uint8)
    digits[:, 0], digits[:, 1] = ord("8"), ord("6")
    for k in range(8, 1, -1):
        digits[:, k] = _ID_TABLE[(words % np.uint64(36)).astype(np.intp)]
        words //= np.uint64(36)
    ids = [b.decode() for b in digits.view("S9").ravel().tolist()]
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
    lists: Mapping[str, ListEntry] = hierarchy[f"{LISTS}:index"]
    open_lists = [e.id for e in lists.values() if not e.archived]
    busy = next((e.id for e in lists.values() if e.busy), None)
    if busy is None:
        return {TASKS: {}, f"{TASKS}:index": {}}
    d = seeding.RowDraws(n, 23, seed_value, "clickup", "tasks")
    retry = seeding.stream(seed_value, "clickup", "tasks", "retry")  # for rare clashes
    # Whole columns at a time (comprehensions and map): a world's tasks cost ~1 µs each.
    in_busy = d.chance(0, 0.4)
    list_ids = [busy if b else h for b, h in zip(in_busy, d.pick(1, open_lists), strict=True)]
    ids = _task_ids(d, 22, retry)
    created = _instants(d, 20, epoch_ms, 1, 300)
    if len(set(created)) < n:
        created = _distinct(created)  # so that orders by date are total
    entries = list(
        map(
            Task._make,
            zip(
                ids,
                list_ids,
                _parents(ids, list_ids, d.chance(2, 0.15), d.floats(3)),
                d.chance(16, 0.05),
                d.chance(15, _CLOSED_SHARE),
                _names(d, list_ids, retry),
                d.pick(17, _PRIORITY_LEVELS),
                created,
                strict=True,
            ),
        )
    )
    draws = _TaskDraws(d, derive_seed(seed_value, "clickup", "tasks", "text"), epoch_ms, hierarchy)
    rows = dict(
        zip(ids, map(LazyRow, repeat(_task), repeat(draws), range(n), entries), strict=True)
    )
    return {TASKS: rows, f"{TASKS}:index": dict(zip(ids, entries, strict=True))}


def _names(d: seeding.RowDraws, list_ids: list[str], retry: random.Random) -> list[str]:
    """Task names (a verb and a phrase, columns 18 and 19), unique within their list: a name
    finds a task. The busy list draws a few clashes a world: those are drawn again."""
    topics = pool("bs")
    verbs, picks = d.pick(18, _VERBS), d.below(19, len(topics))
    keys = list(zip(list_ids, verbs, picks, strict=True))
    if len(set(keys)) < len(keys):
        first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
        seen = set(keys)
        for i in [i for i, key in enumerate(keys) if first[key] != i]:
            key = keys[i]
            while key in seen:
                key = (key[0], retry.choice(_VERBS), int(retry.random() * len(topics)))
            seen.add(key)
            verbs[i], picks[i] = key[1], key[2]
    return list(map(str.__add__, verbs, map(topics.__getitem__, picks)))


_VERBS = [f"{verb} " for verb in catalog.TASK_VERBS]


def _parents(
    ids: list[str], list_ids: list[str], subtask: list[bool], pick: list[float]
) -> list[str | None]:
    """Each task's parent: about 15% are subtasks of an earlier top-level task of their list."""
    tops: dict[str, list[str]] = {}
    parents: list[str | None] = []
    for task_id, list_id, sub, f in zip(ids, list_ids, subtask, pick, strict=True):
        siblings = tops.get(list_id)
        if siblings is None:
            siblings = tops[list_id] = []
        if sub and siblings:
            parents.append(siblings[int(f * len(siblings))])
        else:
            parents.append(None)
            siblings.append(task_id)
    return parents


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


def _distinct(stamps: list[int]) -> list[int]:
    """``stamps`` with each repeated one moved back until no earlier row has it."""
    taken: set[int] = set()
    out = []
    for stamp in stamps:
        while stamp in taken:
            stamp -= 1
        taken.add(stamp)
        out.append(stamp)
    return out


# -- comments and replies (lazy rows) --------------------------------------------------------


class Comment(NamedTuple):
    """A comment's index entry: ``parent_type`` ``"task"`` (top level) or ``"comment"`` (a
    threaded reply, ``parent_id`` the comment replied to)."""

    id: str
    parent_type: str
    parent_id: str
    date_ms: int


def _comment(text_seed: int, k: int, entry: Comment, author: Record) -> Record:
    rng = seeding.stream(text_seed, k)  # the row's own text stream
    return build_comment(
        comment_id=entry.id,
        text=seeding.sentence(rng, rng.randint(5, 14)),
        user=author,
        date=str(entry.date_ms),
        parent={"type": entry.parent_type, "id": entry.parent_id},
    )


def _comments(
    seed_value: int, epoch_ms: int, n: int, hierarchy: BuiltTables, tasks: BuiltTables
) -> BuiltTables:
    found: Mapping[str, Task] = tasks[f"{TASKS}:index"]
    live = [t for t in found.values() if not t.archived and t.parent is None]
    if not live or not n:
        return {COMMENTS: {}, f"{COMMENTS}:index": {}}
    lists: Mapping[str, ListEntry] = hierarchy[f"{LISTS}:index"]
    busy = next((t for t in live if lists[t.list_id].busy), live[0])
    members = tuple(hierarchy[USERS].values())
    d = seeding.RowDraws(n, 16, seed_value, "clickup", "comments")
    on_busy, targets = d.chance(0, 0.6), d.pick(1, live)
    delays, authors = d.spans(2, 1, 30 * DAY_MS), d.pick(3, members)
    threaded, n_replies = d.chance(4, 0.33), d.ints(5, 1, 3)
    gaps = [d.spans(6 + r, 60_000, DAY_MS) for r in range(3)]
    repliers = [d.pick(9 + r, members) for r in range(3)]
    numbers = [d.spans(12 + r, _FIRST_SEEDED_COMMENT, 10**14) for r in range(4)]
    text_seed = derive_seed(seed_value, "clickup", "comments", "text")
    latest = epoch_ms - 10 * DAY_MS
    taken: set[int] = set()
    rows: dict[str, LazyRow] = {}
    index: dict[str, Comment] = {}

    def add(slot: int, i: int, kind: str, parent: str, at: int, author: Record) -> str:
        number = numbers[slot][i]
        while number in taken:
            number = number + 1 if number + 1 < 10**14 else _FIRST_SEEDED_COMMENT
        taken.add(number)
        entry = Comment(str(number), kind, parent, at)
        rows[entry.id] = LazyRow(_comment, text_seed, len(rows), entry, author)
        index[entry.id] = entry
        return entry.id

    for i in range(n):
        task = busy if on_busy[i] else targets[i]
        at = min(task.created_ms + delays[i], latest) + i  # distinct instants
        top = add(3, i, "task", task.id, at, authors[i])
        for r in range(n_replies[i] if threaded[i] else 0):
            add(r, i, "comment", top, at + (r + 1) * gaps[r][i], repliers[r][i])
    return {COMMENTS: rows, f"{COMMENTS}:index": index}


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

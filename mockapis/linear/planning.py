"""The seeded labels and cycles: how a workspace tags and schedules its issues.

Both are known without building the workspace (pure functions of the seed, the epoch and
the teams' ids), so that an issue renders its ``labelIds`` and ``cycleId`` from its own
draws: workspace labels (Bug, Feature, ...; ``teamId`` null) and two labels of each team's
own; six two-week cycles a team, the fourth active at the epoch (three completed, two
ahead).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from typing import Any, NamedTuple

from mockapis import seeding
from mockapis.linear.stamps import DAY_MS, iso_ms
from mockapis.tables import BuiltTables, Record

__all__ = [
    "CYCLES_PER_TEAM",
    "CYCLE_DAYS",
    "CYCLE_TABLE",
    "LABEL_TABLE",
    "CyclePlan",
    "IssuePlanning",
    "LabelPlan",
    "cycle_flags",
    "cycle_plans",
    "issue_plan",
    "issue_planning",
    "label_plans",
    "planning",
]

LABEL_TABLE = "linear.labels"
CYCLE_TABLE = "linear.cycles"
CYCLE_DAYS = 14
CYCLES_PER_TEAM = 6
_ACTIVE = 3
"""The position (from 0) of the cycle active at the epoch."""

_WORKSPACE_LABELS = (
    ("Bug", "#eb5757", "Something is not working as intended."),
    ("Feature", "#bb87fc", "A new capability."),
    ("Improvement", "#4ea7fc", "A change to something that works."),
    ("Documentation", "#26b5ce", None),
    ("Performance", "#f2994a", None),
    ("Security", "#f2c94c", "Affects the security of the product."),
)
_TEAM_LABELS = (
    ("Frontend", "#5e6ad2"),
    ("Backend", "#0f783c"),
    ("Tech debt", "#95a2b3"),
    ("Customer request", "#f7c8c1"),
    ("Regression", "#b15d5d"),
    ("Needs design", "#eb57b1"),
)


class LabelPlan(NamedTuple):
    """A seeded label: ``team_id`` is None for a workspace label."""

    id: str
    name: str
    color: str
    description: str | None
    team_id: str | None
    created_ms: int


class CyclePlan(NamedTuple):
    """A seeded cycle of a team (numbered from 1 in time order)."""

    id: str
    team_id: str
    number: int
    starts_ms: int
    ends_ms: int


@functools.lru_cache(maxsize=16)
def label_plans(seed_value: int, epoch_ms: int, team_ids: tuple[str, ...]) -> tuple[LabelPlan, ...]:
    """The workspace's labels, then each team's two."""
    rng = seeding.stream(seed_value, "linear", "labels")
    found = [
        LabelPlan(seeding.uuid4(rng), name, color, text, None, _days_ago(rng, epoch_ms, 500, 700))
        for name, color, text in _WORKSPACE_LABELS
    ]
    for team_id in team_ids:
        for name, color in rng.sample(_TEAM_LABELS, 2):
            created = _days_ago(rng, epoch_ms, 100, 500)
            found.append(LabelPlan(seeding.uuid4(rng), name, color, None, team_id, created))
    return tuple(found)


@functools.lru_cache(maxsize=16)
def cycle_plans(
    seed_value: int, epoch_ms: int, team_ids: tuple[str, ...]
) -> Mapping[str, tuple[CyclePlan, ...]]:
    """Each team's cycles, by team id: two weeks each, starting at midnight UTC, the fourth
    active at the epoch."""
    rng = seeding.stream(seed_value, "linear", "cycles")
    length = CYCLE_DAYS * DAY_MS
    found: dict[str, tuple[CyclePlan, ...]] = {}
    for team_id in team_ids:
        # The active cycle began 0 to 13 days before the epoch's day.
        active_start = epoch_ms // DAY_MS * DAY_MS - rng.randrange(CYCLE_DAYS) * DAY_MS
        found[team_id] = tuple(
            CyclePlan(
                seeding.uuid4(rng),
                team_id,
                k + 1,
                active_start + (k - _ACTIVE) * length,
                active_start + (k - _ACTIVE + 1) * length,
            )
            for k in range(CYCLES_PER_TEAM)
        )
    return found


class IssuePlanning(NamedTuple):
    """What seeded issues' labels and cycles are drawn from."""

    labels: Mapping[str, list[str]]
    """The labels an issue of each team may carry: the workspace's and the team's."""
    cycles: Mapping[str, tuple[CyclePlan, ...]]
    draws: seeding.RowDraws
    label_counts: list[int]
    cycle_picks: list[float]


def issue_planning(
    seed_value: int, epoch_ms: int, team_ids: tuple[str, ...], n_issues: int
) -> IssuePlanning:
    """The labels and cycles of each team, and the draws of ``n_issues`` seeded issues."""
    labels: dict[str | None, list[str]] = {}
    for label in label_plans(seed_value, epoch_ms, team_ids):
        labels.setdefault(label.team_id, []).append(label.id)
    d = seeding.RowDraws(n_issues, 4, seed_value, "linear", "issues", "planning")
    return IssuePlanning(
        {t: [*labels.get(None, ()), *labels.get(t, ())] for t in team_ids},
        cycle_plans(seed_value, epoch_ms, team_ids),
        d,
        d.weighted(0, (0, 1, 2), (45, 85, 100)),
        d.floats(3),
    )


def issue_plan(plan: IssuePlanning, i: int, team_id: str, created_ms: int) -> dict[str, Any]:
    """Seeded issue ``i``'s ``labelIds`` and ``cycleId``: up to two labels; a cycle for two
    issues in five, one of its team's (not the last) that had not ended when it was created."""
    labels = plan.draws.sample(1, plan.labels[team_id], plan.label_counts[i], i)
    pick = plan.cycle_picks[i]
    open_cycles = [c for c in plan.cycles[team_id][:-1] if c.ends_ms > created_ms]
    cycle = open_cycles[int(pick / 0.4 * len(open_cycles))] if pick < 0.4 and open_cycles else None
    return {"labelIds": labels, "cycleId": cycle.id if cycle else None}


def _days_ago(rng: random.Random, epoch_ms: int, low: int, high: int) -> int:
    return epoch_ms - low * DAY_MS - int(rng.random() * (high - low) * DAY_MS)


def _label(plan: LabelPlan) -> Record:
    at = iso_ms(plan.created_ms)
    return {
        "id": plan.id,
        "name": plan.name,
        "description": plan.description,
        "color": plan.color,
        "isGroup": False,
        "teamId": plan.team_id,
        "parentId": None,
        "createdAt": at,
        "updatedAt": at,
        "archivedAt": None,
    }


def _cycle(plan: CyclePlan, epoch_ms: int) -> Record:
    created = plan.starts_ms - (plan.number + 1) * DAY_MS  # planned ahead
    past = plan.ends_ms <= epoch_ms
    return {
        "id": plan.id,
        "teamId": plan.team_id,
        "number": float(plan.number),
        "name": None,
        "description": None,
        "startsAt": iso_ms(plan.starts_ms),
        "endsAt": iso_ms(plan.ends_ms),
        "completedAt": iso_ms(plan.ends_ms) if past else None,
        "createdAt": iso_ms(created),
        "updatedAt": iso_ms(plan.ends_ms if past else created),
        "archivedAt": None,
    }


def planning(seed_value: int, epoch_ms: int, team_ids: tuple[str, ...]) -> BuiltTables:
    """The labels' and cycles' tables (a lazy source of the world)."""
    labels = {p.id: _label(p) for p in label_plans(seed_value, epoch_ms, team_ids)}
    cycles = {
        p.id: _cycle(p, epoch_ms)
        for plans in cycle_plans(seed_value, epoch_ms, team_ids).values()
        for p in plans
    }
    return {LABEL_TABLE: labels, CYCLE_TABLE: cycles}


def cycle_flags(cycle: Record, team_cycles: list[Record], now: str) -> dict[str, bool]:
    """Where ``cycle`` stands at ``now`` (an ISO timestamp, as the rows write theirs) among
    its team's cycles: ``isActive``, ``isFuture``, ``isPast``, ``isNext``, ``isPrevious``."""

    def past(row: Record) -> bool:
        return bool(row["completedAt"]) or str(row["endsAt"]) <= now

    def future(row: Record) -> bool:
        return str(row["startsAt"]) > now

    is_past, is_future = past(cycle), future(cycle)
    ahead = [str(c["startsAt"]) for c in team_cycles if future(c)]
    behind = [str(c["endsAt"]) for c in team_cycles if past(c)]
    return {
        "isActive": not is_past and not is_future,
        "isFuture": is_future,
        "isPast": is_past,
        "isNext": is_future and str(cycle["startsAt"]) == min(ahead),
        "isPrevious": is_past and str(cycle["endsAt"]) == max(behind),
    }

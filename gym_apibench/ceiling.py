"""The ceiling of a fault-injection sweep: what the reference achieved at each dose, each
agent's success relative to it, and recovery per fault kind.

The reference is the fault-robust agent ``robust`` where it exists, else the ``oracle``
(:func:`reference_agent`). An episode is a (scenario, seed, dose, attempt): every agent of a
sweep plays the same ones, so an agent's episode is paired with the reference's. Episodes the
reference marks impossible under their faults (:func:`marked_impossible`) are not achievable;
with results that carry no such mark, the episodes the reference failed are taken as not
achievable instead (:attr:`Ceiling.marked` says which rule was used).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gym_apibench.results import EpisodeResult, applicable

__all__ = [
    "IMPOSSIBLE_FIELD",
    "MARKING_AGENTS",
    "REFERENCE_AGENTS",
    "Ceiling",
    "DoseCeiling",
    "EpisodeKey",
    "KindRecovery",
    "RelativePoint",
    "episode_key",
    "fault_label",
    "kind_recovery",
    "marked_impossible",
    "reference_agent",
    "reference_label",
    "with_reference",
]

REFERENCE_AGENTS = ("robust", "oracle")
"""The reference agents by preference: the first one that exists is the sweep's reference."""

IMPOSSIBLE_FIELD = "impossible"
"""The ``agent_stats`` key by which an agent marks an episode no agent could succeed in under
its faults: a reason (``"budget: ..."``, ``"outage: ..."``, ``"lost-write: ..."``); absent or
``None``, the episode was achievable."""

MARKING_AGENTS = frozenset({"robust"})
"""The reference agents that mark impossible episodes (absent marks then mean achievable)."""

EpisodeKey = tuple[str, int, float | None, int]
"""(scenario, seed, dose, attempt): the same episode for every agent of a run."""


def episode_key(result: EpisodeResult) -> EpisodeKey:
    """The episode ``result`` is of, whichever agent played it."""
    return (result.scenario, result.seed, result.dose, result.attempt)


def reference_agent(available: Collection[str] | None = None) -> str:
    """The first of :data:`REFERENCE_AGENTS` among ``available`` (the built-in agents by
    default); ``oracle`` when none is."""
    if available is None:
        from gym_apibench.agents import BUILTIN_AGENTS

        available = BUILTIN_AGENTS.keys()
    return next((name for name in REFERENCE_AGENTS if name in available), REFERENCE_AGENTS[-1])


def with_reference(agents: Sequence[str], reference: str) -> list[str]:
    """The agents a run plays: ``agents``, then ``reference`` unless it is one of them."""
    return list(dict.fromkeys([*agents, reference]))


def reference_label(reference: str, agents: Sequence[str], runner: str) -> str:
    """How a report names the reference: ``"robust (one of the agents)"``, or ``"robust (run
    by <runner>)"`` when the run added it to the ``agents`` asked for."""
    ran = "one of the agents" if reference in agents else f"run by {runner}"
    return f"{reference} ({ran})"


def marked_impossible(result: EpisodeResult) -> str | None:
    """The reason ``result`` gives for its episode being impossible under its faults;
    ``None`` when it gives none."""
    reason = (result.agent_stats or {}).get(IMPOSSIBLE_FIELD)
    return None if reason is None else str(reason)


@dataclass(frozen=True)
class DoseCeiling:
    """The reference at one dose: its ``episodes``, the ``achievable`` ones among them, and
    its ``successes`` on those."""

    dose: float
    episodes: int
    achievable: int
    successes: int

    @property
    def excluded(self) -> int:
        """Episodes left out as not achievable."""
        return self.episodes - self.achievable


@dataclass(frozen=True)
class RelativePoint:
    """One agent at one dose against the reference: ``successes`` on the ``achievable``
    episodes it shares with the reference, and ``beyond``, its successes on episodes taken
    as not achievable."""

    agent: str
    dose: float
    successes: int
    achievable: int
    beyond: int

    @property
    def rate(self) -> float:
        """Successes over achievable episodes (0 for none)."""
        return self.successes / self.achievable if self.achievable else 0.0


@dataclass(frozen=True)
class Ceiling:
    """The reference's episodes of a run, split into achievable and not.

    ``marked``: the split follows the reference's impossibility marks; otherwise every
    episode the reference failed counts as not achievable.
    """

    reference: str
    marked: bool
    achievable: frozenset[EpisodeKey]
    excluded: frozenset[EpisodeKey]

    @classmethod
    def of(cls, results: Iterable[EpisodeResult], reference: str) -> Ceiling:
        """The ceiling of ``reference``'s applicable episodes among ``results``: its marks
        decide when it is one of :data:`MARKING_AGENTS` or marked any, else its failures."""
        mine = [r for r in applicable(results) if r.agent == reference]
        marks = {episode_key(r): marked_impossible(r) for r in mine}
        marked = reference in MARKING_AGENTS or any(m is not None for m in marks.values())
        if marked:
            out = {key for key, mark in marks.items() if mark is not None}
        else:
            out = {episode_key(r) for r in mine if not r.success}
        return cls(reference, marked, frozenset(marks.keys() - out), frozenset(out))

    def per_dose(
        self, results: Iterable[EpisodeResult], doses: Sequence[float]
    ) -> list[DoseCeiling]:
        """The reference's episodes, achievable ones and successes on them, by dose ascending."""
        rows = {dose: [0, 0, 0] for dose in doses}
        for r in applicable(results):
            if r.agent != self.reference or r.dose not in rows:
                continue
            counts = rows[r.dose]
            counts[0] += 1
            if episode_key(r) in self.achievable:
                counts[1] += 1
                counts[2] += int(r.success)
        return [DoseCeiling(dose, *rows[dose]) for dose in sorted(rows)]

    def relative(
        self, results: Iterable[EpisodeResult], agents: Sequence[str], doses: Sequence[float]
    ) -> list[RelativePoint]:
        """Every (agent, dose), agent then dose ascending: success on achievable episodes."""
        tally: dict[tuple[str, float], list[int]] = {}
        for r in applicable(results):
            if r.dose is None:
                continue
            counts = tally.setdefault((r.agent, r.dose), [0, 0, 0])
            key = episode_key(r)
            if key in self.achievable:
                counts[0] += int(r.success)
                counts[1] += 1
            elif key in self.excluded:
                counts[2] += int(r.success)
        return [
            RelativePoint(agent, dose, *tally.get((agent, dose), [0, 0, 0]))
            for agent in dict.fromkeys(agents)
            for dose in sorted(set(doses))
        ]


def fault_label(fault: Mapping[str, Any], profile: Mapping[str, int | None]) -> str:
    """A fault record's kind, as the profile's rules (``profile``: each rule's HTTP status or
    ``None``, by name) tell it: ``http_error 503`` for a profile rule with a status, ``latency``
    for one without, ``http_error (scenario's own)`` for a rule not in a non-empty profile."""
    kind = str(fault["kind"])
    rule = str(fault.get("rule"))
    if rule in profile:
        status = profile[rule]
        return kind if status is None else f"{kind} {status}"
    return f"{kind} (scenario's own)" if profile else kind


@dataclass(frozen=True)
class KindRecovery:
    """One agent and one fault kind: the ``hit`` episodes that met the kind, and the
    ``succeeded`` ones among them."""

    agent: str
    kind: str
    hit: int
    succeeded: int


def kind_recovery(
    results: Iterable[EpisodeResult],
    agents: Sequence[str],
    profile: Mapping[str, int | None] | None = None,
    leave_out: Collection[EpisodeKey] = frozenset(),
) -> list[KindRecovery]:
    """Per fault kind (sorted) and agent (in order): episodes that met it, and those that
    still succeeded, kinds labelled by :func:`fault_label`. An episode counts once per kind
    however often it met it; episodes in ``leave_out`` (impossible ones) do not count."""
    tally: dict[tuple[str, str], list[int]] = {}
    for r in applicable(results):
        if episode_key(r) in leave_out:
            continue
        for kind in {fault_label(f, profile or {}) for f in r.faults}:
            counts = tally.setdefault((r.agent, kind), [0, 0])
            counts[0] += 1
            counts[1] += int(r.success)
    kinds = sorted({kind for _, kind in tally})
    return [
        KindRecovery(agent, kind, *tally.get((agent, kind), [0, 0]))
        for kind in kinds
        for agent in dict.fromkeys(agents)
    ]

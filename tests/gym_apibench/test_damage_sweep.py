"""The grader has no blind spots: after the reference solution, damage done directly in the
world (one untouched row deleted or edited, or a leftover row added, in each table) fails
the episode, and every instruction that asks for an answer grades it.

``make test`` sweeps one seed of 0-4 per scenario (rotating with the scenario's place in the
list); ``APIBENCH_DAMAGE_SWEEP=full`` sweeps every scenario at seeds 0-4 and
:data:`FRESH_SEEDS`, as the issue's audit asks (``python -m tests.gym_apibench.test_damage_sweep``
prints the counts of a full sweep).
"""

from __future__ import annotations

import fnmatch
import os
import random
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from gym_apibench import scenario_ids
from gym_apibench.episode import Episode
from gym_apibench.scenarios import family_function, load_scenarios
from mockapis.world import derive_seed

SWEEP_VARIABLE = "APIBENCH_DAMAGE_SWEEP"
FRESH_SEEDS = (7_340_193, 48_211_907, 915_552_031)
"""Three seeds never used by any other test or report (large, to stay clear of them)."""
DAMAGES = ("delete", "edit", "add")

ALLOWED: dict[tuple[str, str, str], str] = {
    # (scenario pattern, table, damage): why the task legitimately permits it.
    ("enrichment.*", "openai.responses", "add"): (
        "the model's answers are the agent's working rows: it may ask the model again"
    ),
    ("openai.*", "openai.responses", "add"): (
        "the model's answers are the agent's working rows: it may ask the model again"
    ),
    ("enrichment.attio-to-s3", "openai.files", "add"): (
        "a file given to the model is the agent's working row; the task uploads none"
    ),
    ("enrichment.filing-to-slack", "openai.files", "add"): (
        "a file given to the model is the agent's working row; the task uploads none"
    ),
}
"""Reviewed exceptions. Bookkeeping tables (``<service>._<name>``: tokens, sessions, id
sequences) are never swept: the grader never counts them, by design."""


def play_solution(scenario_id: str, seed: int) -> tuple[Episode, Any]:
    """An episode after the scenario's reference solution, and the answer it would submit
    (not submitted yet)."""
    episode = Episode(scenario_id, seed)
    scenario = episode.scenario
    solution = family_function(scenario, "solutions", scenario.solution)(episode.task)
    action = next(solution)
    while "submit" not in action:
        observation = episode.wait(action["wait"]) if "wait" in action else episode.request(action)
        try:
            action = solution.send(observation)
        except StopIteration:
            return episode, None
    return episode, action["submit"]


def _edited(row: dict[str, Any], key: str) -> dict[str, Any]:
    """``row`` with one scalar field changed (a field naming the row's own id left alone)."""
    for field in sorted(row):
        value = row[field]
        if str(value) == key:
            continue
        if isinstance(value, bool):
            return {**row, field: not value}
        if isinstance(value, int | float):
            return {**row, field: value + 1}
        if isinstance(value, str):
            return {**row, field: value + " (edited)"}
    return {**row, "edited": True}


def _damage(episode: Episode, table_name: str, damage: str, rng: random.Random) -> bool:
    """Do ``damage`` to ``table_name`` directly in the world; False when the table has no
    row to do it to."""
    table = episode.world.table(table_name)
    changed = episode.world.diff(episode.built.snapshot).get(table_name)
    touched = set(changed.added) | set(changed.updated) if changed else set()
    untouched = [key for key in table if key not in touched]
    if damage == "add":
        # A leftover: a copy of the task's own new row if it made one (a second upload, a
        # duplicate job), else of another row.
        pool = sorted(changed.added) if changed and changed.added else untouched
        if not pool:
            return False
        key = pool[0]
        table.put(f"{key}-copy", dict(table[key]))
        return True
    if not untouched:
        return False
    key = rng.choice(untouched)
    if damage == "delete":
        table.delete(key)
    else:
        table.put(key, _edited(dict(table[key]), key))
    return True


def _allowed(scenario_id: str, table: str, damage: str) -> str | None:
    for (pattern, name, kind), reason in ALLOWED.items():
        if fnmatch.fnmatchcase(scenario_id, pattern) and (name, kind) == (table, damage):
            return reason
    return None


def sweep(scenario_id: str, seed: int) -> Iterator[tuple[str, str, str]]:
    """``(table, damage, outcome)`` for every table of the episode and every damage: outcome
    ``caught``, ``allowed``, ``missed`` or ``no-row`` (the table has no row to damage)."""
    episode, answer = play_solution(scenario_id, seed)
    episode.submit(answer)
    assert episode.grade().success, f"{scenario_id} seed {seed}: the reference solution fails"
    solved, log = episode.world.snapshot(), list(episode.world.log)
    for table in episode.world.table_names:
        if table.partition(".")[2].startswith("_"):
            continue
        for damage in DAMAGES:
            episode.world.restore(solved)
            episode.world.log = list(log)  # some checks read the requests (a restore clears them)
            rng = random.Random(derive_seed(scenario_id, seed, table, damage))
            if not _damage(episode, table, damage, rng):
                yield table, damage, "no-row"
            elif not episode.grade().success:
                yield table, damage, "caught"
            else:
                yield table, damage, "allowed" if _allowed(scenario_id, table, damage) else "missed"


def sweep_seeds(index: int) -> tuple[int, ...]:
    """The seeds swept for the scenario at ``index`` of the list."""
    if os.environ.get(SWEEP_VARIABLE) == "full":
        return (0, 1, 2, 3, 4, *FRESH_SEEDS)
    return (index % 5,)


@pytest.mark.parametrize(("index", "scenario_id"), list(enumerate(scenario_ids())))
def test_damage_fails_the_episode(index: int, scenario_id: str) -> None:
    for seed in sweep_seeds(index):
        missed = [
            f"{damage} in {table}"
            for table, damage, outcome in sweep(scenario_id, seed)
            if outcome == "missed"
        ]
        assert not missed, f"{scenario_id} seed {seed}: unnoticed damage: {missed}"


def test_every_allowance_is_needed() -> None:
    """Each allow-list entry names scenarios that exist and use the table's service."""
    scenarios = load_scenarios()
    for pattern, table, damage in ALLOWED:
        matching = [s for s in scenarios.values() if fnmatch.fnmatchcase(s.id, pattern)]
        assert matching, pattern
        assert damage in DAMAGES
        assert all(table.partition(".")[0] in s.services for s in matching), (pattern, table)


def _wrong(answer: Any) -> Any:
    """A near miss of ``answer``: one item, character or digit off."""
    if isinstance(answer, bool) or answer is None:
        return "wrong"
    if isinstance(answer, int | float):
        return answer + 1001
    if isinstance(answer, str):
        return answer + "x"
    if isinstance(answer, list):
        return answer[:-1] if answer else ["wrong"]
    if isinstance(answer, dict):
        if not answer:
            return {"wrong": 1}
        first = sorted(answer)[0]
        return {**answer, first: _wrong(answer[first])}
    raise AssertionError(type(answer))


def _asks_for_answer(instruction: str) -> bool:
    text = instruction.casefold()
    return "submit" in text and "submit null" not in text


@pytest.mark.parametrize(("index", "scenario_id"), list(enumerate(scenario_ids())))
def test_a_wrong_answer_fails(index: int, scenario_id: str) -> None:
    episode, answer = play_solution(scenario_id, index % 5)
    if not _asks_for_answer(episode.built.instruction):
        assert answer is None, "a task that asks for null gets null from its solution"
        return
    # Grading reads the world and the answer only: one world serves every submission.
    for wrong in (_wrong(answer), None):
        grade = episode.finish(wrong)
        assert not grade.success, f"{scenario_id}: submitting {wrong!r} for {answer!r} succeeds"
    assert episode.finish(answer).success


def main() -> None:
    """Run the full sweep and print its counts."""
    totals: Counter[str] = Counter()
    for scenario_id in scenario_ids():
        for seed in (0, 1, 2, 3, 4, *FRESH_SEEDS):
            for table, damage, outcome in sweep(scenario_id, seed):
                totals[outcome] += 1
                if outcome == "missed":
                    print(f"missed: {scenario_id} seed {seed}: {damage} in {table}")
    tried = sum(v for k, v in totals.items() if k != "no-row")
    print(f"combinations tried: {tried}; " + ", ".join(f"{k}: {v}" for k, v in totals.items()))
    sys.exit(1 if totals["missed"] else 0)


if __name__ == "__main__":
    main()

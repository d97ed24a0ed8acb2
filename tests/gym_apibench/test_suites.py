"""The API-Bench v2 suite: its selection (41 tasks, each task and category tag once), the
filters of scenario_ids() and `apibench list`, and its leaderboard format on fixture results."""

from __future__ import annotations

import io
import json
import re
from collections import Counter

import pytest

import gym_apibench
from gym_apibench.cli import main
from gym_apibench.harness import EpisodeResult
from gym_apibench.report import render_report
from gym_apibench.scenarios import get_scenario, load_scenarios
from gym_apibench.suite_report import print_suite_leaderboard, suite_leaderboard
from gym_apibench.suites import SuiteError, get_suite

V2 = get_suite("api-bench-v2")
MEMBERS = gym_apibench.scenario_ids(suite="api-bench-v2")
# The task numbers of superglue's llm-benchmark-evals: 001-045 without the four Postgres
# tasks (019-021, 033) that v2 dropped.
V2_TASKS = [f"{n:03d}" for n in range(1, 46) if n not in (19, 20, 21, 33)]


def test_the_suite_is_its_41_tasks_each_tagged_once():
    assert len(MEMBERS) == V2.tasks == 41
    tasks = [V2.task_of(get_scenario(sid)) for sid in MEMBERS]
    assert sorted(tasks) == V2_TASKS
    categories = Counter(V2.category_of(get_scenario(sid)) for sid in MEMBERS)
    assert set(categories) == set(V2.categories.values())
    for sid in MEMBERS:
        tags = get_scenario(sid).tags
        assert sum(1 for t in tags if re.fullmatch(r"v2-\d{3}", t)) == 1, sid
        assert sum(1 for t in tags if t in V2.categories) == 1, sid


def test_no_scenario_outside_the_suite_claims_a_v2_task():
    others = [s for s in load_scenarios().values() if s.id not in MEMBERS]
    assert not [s.id for s in others if any(t.startswith("v2-") for t in s.tags)]


def test_a_member_with_two_task_tags_is_refused():
    scenario = get_scenario(MEMBERS[0])
    doubled = type(scenario)(**{**vars(scenario), "tags": (*scenario.tags, "v2-999")})
    with pytest.raises(SuiteError, match="exactly one task tag"):
        V2.task_of(doubled)


def test_scenario_ids_filter_by_split_tag_and_suite():
    everything = gym_apibench.scenario_ids()
    train = gym_apibench.scenario_ids(split="train")
    test = gym_apibench.scenario_ids(split="test")
    assert sorted(train + test) == everything and train and test
    assert all(get_scenario(s).split == "test" for s in test)
    auth = gym_apibench.scenario_ids(tag="v2-auth")
    assert auth and set(auth) <= set(MEMBERS)
    assert gym_apibench.scenario_ids(tag="v2-0*") == MEMBERS
    both = gym_apibench.scenario_ids(suite="api-bench-v2", split="test")
    assert both == [s for s in MEMBERS if get_scenario(s).split == "test"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"suite": "api-bench-v3"}, "did you mean 'api-bench-v2'"),
        ({"tag": "v2-ath"}, "did you mean 'v2-auth'"),
        ({"split": "dev"}, "unknown split 'dev'"),
    ],
)
def test_unknown_suite_tag_or_split_is_one_clear_error(kwargs, message):
    with pytest.raises(SuiteError, match=message):
        gym_apibench.scenario_ids(**kwargs)


def test_list_by_suite_gives_tasks_and_categories(capsys):
    assert main(["list", "--suite", "api-bench-v2", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["task"] for r in rows] == V2_TASKS
    assert {r["suite_category"] for r in rows} == set(V2.categories.values())
    assert main(["list", "--tag", "v2-workflows"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert {line.split()[0] for line in lines} == set(gym_apibench.scenario_ids(tag="v2-workflows"))


def test_list_with_an_unknown_suite_exits_with_one_line(capsys):
    assert main(["list", "--suite", "apibench-v2"]) != 0
    assert "unknown suite 'apibench-v2'" in capsys.readouterr().err


def _result(scenario: str, *, agent: str, seed: int = 0, attempt: int, success: bool):
    return EpisodeResult(
        scenario=scenario,
        seed=seed,
        agent=agent,
        reward=float(success),
        success=success,
        steps=3,
        attempt=attempt,
    )


def _fixture() -> list[EpisodeResult]:
    """'strong' solves every task at its third attempt but one (failed in all three);
    'weak' solves only the auth tasks, at the first attempt."""
    results = []
    auth = set(gym_apibench.scenario_ids(tag="v2-auth"))
    for sid in MEMBERS:
        for attempt in range(3):
            strong = attempt == 2 and sid != MEMBERS[0]
            results.append(_result(sid, agent="strong", attempt=attempt, success=strong))
            results.append(_result(sid, agent="weak", attempt=attempt, success=sid in auth))
    return results


def test_a_task_counts_once_over_its_attempts():
    rows, categories = suite_leaderboard(_fixture(), V2)
    auth = len(gym_apibench.scenario_ids(tag="v2-auth"))
    assert [(r.rank, r.agent, r.solved, r.tasks) for r in rows] == [
        (1, "strong", 40, 41),
        (2, "weak", auth, 41),
    ]
    # 40 of 41 tasks: the 95% Wilson interval over tasks is [87.4, 99.6]
    assert rows[0].cells() == ("1", "strong", "97.6% [87.4, 99.6]", "40/41")
    assert list(categories.header) == ["Agent", *V2.categories.values()]
    weak = dict(zip(categories.header, categories.rows[1], strict=True))
    low = 100 * auth / (auth + 1.959963984540054**2)  # Wilson's lower bound at n of n
    assert weak["auth"] == f"100.0% [{low:.1f}, 100.0] ({auth}/{auth})"
    assert weak["pagination and batching"].startswith("0.0% [0.0, ")


def test_a_task_must_be_solved_on_every_seed():
    results = [
        _result(MEMBERS[1], agent="a", seed=seed, attempt=attempt, success=seed == 0)
        for seed in (0, 1)
        for attempt in range(3)
    ]
    rows, _ = suite_leaderboard(results, V2)
    assert (rows[0].solved, rows[0].tasks) == (0, 41)


def test_report_has_the_v2_section_only_for_a_whole_suite_run():
    full = render_report(_fixture())
    assert "## API-Bench v2" in full
    assert "| 1 | strong | 97.6% [87.4, 99.6] | 40/41 |" in full
    partial = [r for r in _fixture() if r.scenario != MEMBERS[-1]]
    assert "## API-Bench v2" not in render_report(partial)


def test_printed_board_names_the_columns():
    out = io.StringIO()
    print_suite_leaderboard(_fixture(), V2, file=out)
    text = out.getvalue()
    assert "Rank  Agent   Success Rate [95% CI]  Successful Tasks" in text
    assert "40/41" in text and "cross-API workflows" in text

"""``apibench sweep``: the grid, its files (results, table, plots), resuming, usage errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

import gym_apibench
from gym_apibench.ceiling import reference_agent, with_reference
from gym_apibench.cli import main
from gym_apibench.harness import EpisodeResult, EvalError
from gym_apibench.scenarios import get_scenario
from gym_apibench.sweep import (
    SweepPoint,
    builtin_profiles,
    dose_table,
    parse_doses,
    resolve_profile,
    success_cell,
    sweep,
    sweep_points,
)
from mockapis.faults import KINDS, load_rules

# A scenario without faults of its own: at dose 0 nothing is injected at all.
SCENARIO = next(
    s for s in gym_apibench.scenario_ids() if s.startswith("attio.") and not get_scenario(s).faults
)
PROFILE = """\
faults:
  - name: down
    kind: http_error
    params: {status: 503}
"""
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    path = tmp_path_factory.mktemp("profile") / "down.yaml"
    path.write_text(PROFILE)
    return path


def argv(profile, out, doses="0,1") -> list[str]:
    return [
        "sweep",
        "--agent",
        "oracle,noop",
        "--scenarios",
        SCENARIO,
        "--fault-profile",
        str(profile),
        "--doses",
        doses,
        "--seeds",
        "0-1",
        "--workers",
        "1",
        "--no-progress",
        "--out",
        str(out),
    ]


@pytest.fixture(scope="module")
def swept(profile, tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep")
    assert main(argv(profile, out)) == 0
    return out


def test_grid_order_and_doses(swept):
    results = lines(swept / "results.jsonl")
    assert [(r["agent"], r["dose"], r["scenario"], r["seed"]) for r in results] == [
        (agent, dose, SCENARIO, seed)
        # The reference runs after the agents when it is not one of them.
        for agent in with_reference(["oracle", "noop"], reference_agent())
        for dose in (0.0, 1.0)
        for seed in (0, 1)
    ]


def test_dose_zero_is_clean_and_dose_one_fails_every_request(swept):
    results = lines(swept / "results.jsonl")
    oracle = {(r["dose"], r["seed"]): r for r in results if r["agent"] == "oracle"}
    for seed in (0, 1):
        assert oracle[(0.0, seed)]["success"] is True and oracle[(0.0, seed)]["faults"] == []
        failed = oracle[(1.0, seed)]
        assert failed["success"] is False and failed["faults"]
        # Every request failed: no fault was followed by a 2xx on its path.
        assert {(f["rule"], f["kind"], f["recovered"]) for f in failed["faults"]} == {
            ("down", "http_error", False)
        }
    assert all(not r["success"] for r in results if r["agent"] == "noop")


def test_table(swept):
    text = (swept / "sweep.md").read_text()
    assert "| Agent | dose 0 | dose 1 |" in text
    # Wilson's 95% interval of 2/2 is [34.2%, 100%], of 0/2 [0%, 65.8%].
    assert "| oracle | 100.0% [34.2, 100.0] (2/2) | 0.0% [0.0, 65.8] (0/2) |" in text
    assert "| noop | 0.0% [0.0, 65.8] (0/2) | 0.0% [0.0, 65.8] (0/2) |" in text
    assert "| oracle | 1.00 | 0.00 |" in text  # mean reward
    assert "## Faults" in text and "| oracle | http_error |" in text
    assert "- **resumed**: 0" in text
    assert f"- **env version**: v{gym_apibench.ENV_VERSION}" in text


def test_plots_are_valid_files(swept):
    png = (swept / "sweep.png").read_bytes()
    assert png.startswith(PNG_MAGIC) and len(png) > 1000
    root = ET.parse(swept / "sweep.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    svg = (swept / "sweep.svg").read_text()
    assert "oracle" in svg or "<path" in svg  # text is drawn as paths by default


def test_resumes(profile, swept, capsys):
    before = (swept / "results.jsonl").read_text()
    svg = (swept / "sweep.svg").read_bytes()
    assert main(argv(profile, swept)) == 0
    assert (swept / "results.jsonl").read_text() == before
    assert (swept / "sweep.svg").read_bytes() == svg  # the plot is byte-stable too
    episodes = len(lines(swept / "results.jsonl"))
    assert f"- **resumed**: {episodes}" in (swept / "sweep.md").read_text()
    out = capsys.readouterr().out
    assert "| oracle | 100.0% [34.2, 100.0] (2/2) | 0.0% [0.0, 65.8] (0/2) |" in out
    assert f"| achievable ({reference_agent()}) |" in out


def test_a_new_dose_runs_only_its_episodes(profile, swept, tmp_path):
    out = tmp_path / "more"
    out.mkdir()
    for name in ("results.jsonl", "run.json"):  # results keep their manifest
        (out / name).write_text((swept / name).read_text())
    results = sweep(
        ["noop"], [SCENARIO], profile, [0.0, 0.5], [0, 1], workers=1, out_dir=out, progress=False
    )
    reference = reference_agent()
    assert [(r.agent, r.dose, r.seed) for r in results] == [
        (agent, dose, seed)
        for agent in ("noop", reference)
        for dose in (0.0, 0.5)
        for seed in (0, 1)
    ]
    # noop's and the reference's dose-0 episodes were there already.
    assert "- **resumed**: 4" in (out / "sweep.md").read_text()


@pytest.mark.parametrize(
    ("doses", "message"),
    [
        ("1.5", "a dose is a probability from 0 to 1"),
        ("-0.1", "a dose is a probability from 0 to 1"),
        ("nan", "a dose is a probability from 0 to 1"),
        ("a", "bad dose 'a'"),
        ("0,,1", "empty item in doses"),
    ],
)
def test_bad_doses_are_usage_errors(profile, tmp_path, capsys, doses, message):
    assert main(argv(profile, tmp_path / "out", doses)) == 2
    err = capsys.readouterr().err
    assert message in err and "usage: apibench sweep" in err
    assert not (tmp_path / "out").exists()


def test_bad_profiles_are_usage_errors(tmp_path, capsys):
    assert main(argv("flakky", tmp_path / "out")) == 2
    assert "did you mean 'flaky'" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("faults:\n  - kind: http_eror\n")
    assert main(argv(bad, tmp_path / "out")) == 2
    assert "did you mean 'http_error'" in capsys.readouterr().err
    empty = tmp_path / "empty.yaml"
    empty.write_text("faults: []\n")
    assert main(argv(empty, tmp_path / "out")) == 2
    assert "has no rules" in capsys.readouterr().err
    assert not (tmp_path / "out" / "results.jsonl").exists()


def test_parse_doses():
    assert parse_doses("0,0.05,0.1,0.2,0.4") == [0.0, 0.05, 0.1, 0.2, 0.4]
    assert parse_doses(" 1, 0 ,1") == [1.0, 0.0]
    with pytest.raises(ValueError, match="at most"):
        parse_doses(",".join(str(i / 1000) for i in range(200)))


def test_builtin_profiles_load_and_use_existing_kinds():
    assert "flaky" in builtin_profiles()
    for name in builtin_profiles():
        rules = load_rules(resolve_profile(name))
        assert rules and all(r.kind.name in KINDS for r in rules)
    with pytest.raises(EvalError, match="built-in profile"):
        resolve_profile("nope")
    # Profiles live beside the scenario families, and are not mistaken for scenarios.
    assert not any(s.startswith("_profiles.") for s in gym_apibench.scenario_ids())


def test_sweep_points_and_table():
    def result(agent, dose, success):
        return EpisodeResult("attio.a", 0, agent, float(success), success, 1, dose=dose)

    results = [result("a", 0.1, True), result("a", 0.1, False), result("a", 0.0, True)]
    points = sweep_points(results, ["a", "b"], [0.1, 0.0])
    assert points == [
        SweepPoint("a", 0.0, 1, 1, 1.0),
        SweepPoint("a", 0.1, 1, 2, 1.0),
        SweepPoint("b", 0.0, 0, 0, 0.0),
        SweepPoint("b", 0.1, 0, 0, 0.0),
    ]
    assert dose_table(points, success_cell).splitlines() == [
        "| Agent | dose 0 | dose 0.1 |",
        "|---|---|---|",
        "| a | 100.0% [20.7, 100.0] (1/1) | 50.0% [9.5, 90.5] (1/2) |",
        "| b | n/a (0/0) | n/a (0/0) |",
    ]

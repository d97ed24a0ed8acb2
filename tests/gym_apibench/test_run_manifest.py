"""The run manifest: a resume with changed settings is refused (eval and sweep), in one line,
and leaves the directory as it was; a grown grid only adds episodes."""

from __future__ import annotations

import json

import pytest

import gym_apibench
from gym_apibench.cli import main
from gym_apibench.manifest import (
    MANIFEST_FILE,
    FaultsFile,
    ManifestError,
    RunManifest,
    claim_run,
    read_manifest,
)
from gym_apibench.scenarios import get_scenario

CLEAN = next(
    s for s in gym_apibench.scenario_ids() if s.startswith("attio.") and not get_scenario(s).faults
)
RULE = "- {name: first-503, kind: http_error, when: {first: 1}}\n"
PROFILE = "faults:\n  - {name: down, kind: http_error, params: {status: 503}}\n"


def eval_argv(out, *extra: str, seeds: str = "0") -> list[str]:
    common = ["--workers", "1", "--no-progress", "--no-trace", "--out", str(out)]
    return ["eval", "--agent", "noop", "--scenarios", CLEAN, "--seeds", seeds, *common, *extra]


def snapshot(out) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def refused(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err  # one line, no usage text
    return err


@pytest.fixture
def faulted(tmp_path):
    """An eval run with a faults file: (its directory, the faults file)."""
    faults = tmp_path / "faults.yaml"
    faults.write_text(RULE)
    out = tmp_path / "run"
    assert main(eval_argv(out, "--faults", str(faults))) == 0
    return out, faults


def test_the_manifest_records_what_defines_the_results(faulted):
    out, faults = faulted
    manifest = json.loads((out / MANIFEST_FILE).read_text())
    assert manifest["command"] == "eval"
    assert manifest["faults"] == FaultsFile.of(faults).__dict__
    assert manifest["env_version"] == gym_apibench.ENV_VERSION
    assert manifest["apibench_version"]
    assert manifest["agents"] == {"noop": {}, "robust": {}}  # the reference, as faults are on
    assert (manifest["scenarios"], manifest["seeds"], manifest["attempts"]) == ([CLEAN], [0], 1)


def test_resuming_without_the_faults_is_refused(faulted, capsys):
    out, faults = faulted
    before = snapshot(out)
    capsys.readouterr()
    assert main(eval_argv(out)) == 2
    err = refused(capsys)
    assert f"faults was {faults}" in err and "now none" in err and "new --out folder" in err
    assert snapshot(out) == before  # results, reports and manifest untouched


def test_a_changed_faults_file_is_refused_even_at_the_same_path(faulted, capsys):
    out, faults = faulted
    faults.write_text(RULE.replace("first: 1", "first: 2"))
    before = snapshot(out)
    capsys.readouterr()
    assert main(eval_argv(out, "--faults", str(faults))) == 2
    err = refused(capsys)
    assert "faults was" in err and FaultsFile.of(faults).sha256[:12] in err
    assert snapshot(out) == before


def test_a_grown_grid_runs_only_the_new_episodes(faulted):
    out, faults = faulted
    first = (out / "results.jsonl").read_text()
    assert main(eval_argv(out, "--faults", str(faults), "--attempts", "2", seeds="0-1")) == 0
    kept = (out / "results.jsonl").read_text().splitlines()
    assert set(first.splitlines()) <= set(kept)  # seed 0, attempt 0 kept, the reference's too
    manifest = read_manifest(out)
    assert manifest is not None and (manifest.seeds, manifest.attempts) == ([0, 1], 2)
    # A smaller grid afterwards is a subset: resumed, and the recorded grid stays the union.
    assert main(eval_argv(out, "--faults", str(faults))) == 0
    assert read_manifest(out) == manifest


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "Expecting property name"),
        ("[]", "expected a JSON object"),
        ('{"format": 1}', "missing keys"),
        ('{"format": 1, "colour": 2}', "unknown keys ['colour']"),
    ],
)
def test_a_malformed_manifest_is_one_line(faulted, capsys, content, reason):
    out, faults = faulted
    (out / MANIFEST_FILE).write_text(content)
    before = snapshot(out)
    capsys.readouterr()
    assert main(eval_argv(out, "--faults", str(faults))) == 2
    err = refused(capsys)
    assert str(out / MANIFEST_FILE) in err and reason in err
    assert snapshot(out) == before


def test_results_without_a_manifest_are_refused(faulted, capsys):
    out, faults = faulted
    (out / MANIFEST_FILE).unlink()
    before = snapshot(out)
    capsys.readouterr()
    assert main(eval_argv(out, "--faults", str(faults))) == 2
    assert "has results but no run.json" in refused(capsys)
    assert snapshot(out) == before


def test_an_agent_whose_settings_changed_is_refused(tmp_path):
    """A model agent's model may come from $APIBENCH_MODEL: same spec, other settings."""
    old = RunManifest("eval", {"llm": {"model": "a"}, "noop": {}}, [CLEAN], [0], 1)
    claim_run(tmp_path, old, has_results=False)
    other = RunManifest("eval", {"llm": {"model": "b"}}, [CLEAN], [0], 1)
    with pytest.raises(ManifestError, match="agent 'llm' model was 'a', now 'b'"):
        claim_run(tmp_path, other, has_results=True)
    newer = RunManifest("eval", {"noop": {}}, [CLEAN], [0], 1, env_version=old.env_version + 1)
    with pytest.raises(ManifestError, match=r"env version was v\d+, now v\d+"):
        claim_run(tmp_path, newer, has_results=True)
    assert read_manifest(tmp_path) == old


def sweep_argv(profile, out) -> list[str]:
    grid = ["--agent", "noop", "--scenarios", CLEAN, "--doses", "0,1", "--seeds", "0"]
    common = ["--workers", "1", "--no-progress", "--out", str(out)]
    return ["sweep", *grid, "--fault-profile", str(profile), *common]


def test_a_sweep_with_another_profile_is_refused(tmp_path, capsys):
    down, slow = tmp_path / "down.yaml", tmp_path / "other.yaml"
    down.write_text(PROFILE)
    slow.write_text(PROFILE.replace("503", "502"))
    out = tmp_path / "sweep"
    assert main(sweep_argv(down, out)) == 0
    manifest = read_manifest(out)
    assert manifest is not None and manifest.command == "sweep" and manifest.doses == [0.0, 1.0]
    assert manifest.fault_profile == FaultsFile.of(down)
    before = snapshot(out)
    capsys.readouterr()
    assert main(sweep_argv(slow, out)) == 2
    err = refused(capsys)
    assert f"fault profile was {down}" in err and f"now {slow}" in err
    assert snapshot(out) == before  # sweep.md still names the profile its numbers are from
    # An eval into a sweep's folder is refused too.
    assert main(eval_argv(out)) == 2
    assert "command was sweep, now eval" in refused(capsys)

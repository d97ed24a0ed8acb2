"""`apibench import-apibank` on the shared API-Bank data: the data home, the catalogue, the
gold calls and the generated scenario family, and how scenario discovery finds it."""

from __future__ import annotations

import json
import string
import textwrap
from pathlib import Path

import pytest

from gym_apibench.apibank.catalog import catalog_from_code
from gym_apibench.apibank.dialogues import derive_gold_calls, load_dialogues, render_call
from gym_apibench.apibank.episodes import episode
from gym_apibench.apibank.importer import ImportSummary, is_reproducible, scenario_name
from gym_apibench.cli import main
from gym_apibench.scenarios import (
    HOME_VARIABLE,
    ID_PATTERN,
    clear_scenarios_cache,
    family_function,
    get_scenario,
    load_scenarios,
)
from tests.gym_apibench import apibank_data

LEVEL_COUNTS = {1: 389, 2: 119, 3: 245}
# Reproducible: replayed exactly by the reference code, Dictionary and Translate (answered
# offline: 5 + 4 at level 1), or a ToolSearcher retrieval the offline ONNX retriever
# reproduced (45 of 45 at level 2, 109 of 114 at level 3).
REPRODUCIBLE = {1: 348 + 9, 2: 73 + 45, 3: 131 + 109}

# The session import of the shared data, and APIBENCH_HOME pointing at it (fixtures).
apibank_import = apibank_data.apibank_import
apibank_home = apibank_data.apibank_home
require_release = apibank_data.require_release


def test_the_data_home_holds_the_release(apibank_import: ImportSummary) -> None:
    release = require_release()
    data = apibank_import.home / "api-bank"
    copied = sorted(p.name for p in (data / "init_database").glob("*.json"))
    assert copied == sorted(p.name for p in (release / "init_database").glob("*.json"))
    assert len(copied) == 19
    for name in copied:
        assert (data / "init_database" / name).read_bytes() == (
            release / "init_database" / name
        ).read_bytes()
    catalog = json.loads((data / "catalog.json").read_text())
    assert isinstance(catalog, list) and len(catalog) == 73
    for entry in catalog:
        assert {"name", "description", "input_parameters", "output_parameters"} <= entry.keys()
    gold = (data / "gold_calls.jsonl").read_text().splitlines()
    assert len(gold) == 753


def test_one_scenario_per_gold_call_at_three_levels(apibank_import: ImportSummary) -> None:
    assert dict(apibank_import.scenarios) == LEVEL_COUNTS
    assert dict(apibank_import.reproducible) == REPRODUCIBLE
    files = sorted(apibank_import.family_dir.glob("*.yaml"))
    assert len(files) == 753
    for path in files:
        assert ID_PATTERN.match(f"api-bank.{path.stem}"), path.name


def test_scenarios_are_found_only_under_the_data_home(
    apibank_import: ImportSummary, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path))  # an empty data home
    clear_scenarios_cache()
    builtin = set(load_scenarios())
    assert not any(s.startswith("api-bank.") for s in builtin)
    monkeypatch.setenv(HOME_VARIABLE, str(apibank_import.home))
    try:
        found = set(load_scenarios())
        assert builtin < found
        imported = sorted(found - builtin)
        assert len(imported) == 753 and all(s.startswith("api-bank.l") for s in imported)
        scenario = get_scenario("api-bank.l1-get-user-token-0")
        assert scenario.services == ("apibank",)
        assert set(scenario.tags) >= {"api-bank", "level-1"}
        assert scenario.category == "call"
    finally:
        monkeypatch.setenv(HOME_VARIABLE, str(tmp_path))
        clear_scenarios_cache()
    assert set(load_scenarios()) == builtin


def test_instructions_render_the_dialogue(apibank_home: Path) -> None:
    scenario = get_scenario("api-bank.l1-add-agenda-1")
    text = string.Template(scenario.instruction).substitute({})
    assert "POST /apis/{ApiName}" in text and "POST /call" in text
    assert '"name": "AddAgenda"' in text  # level 1 describes the dialogue's APIs
    assert "User: Can you help me add a schedule item" in text
    assert "API-Request: [GetUserToken(username='JohnDoe', password='pass123')]->" in text
    level2 = string.Template(get_scenario("api-bank.l2-add-agenda-0").instruction).substitute({})
    assert "ToolSearcher" in level2 and '"input_parameters"' not in level2
    for scenario in load_scenarios().values():
        if scenario.family == "api-bank":
            # A literal $ in a dialogue must survive the loader's $-substitution.
            string.Template(scenario.instruction).substitute({})


def test_each_scenario_knows_its_gold_call_and_the_calls_before_it(apibank_home: Path) -> None:
    family = apibank_home / "scenarios" / "api-bank"
    gold = episode(family, "l1_add_agenda_1")
    assert gold.call["api_name"] == "AddAgenda" and gold.level == 1
    assert [c["api_name"] for c in gold.prior] == ["GetUserToken"]
    assert gold.reply and gold.reproducible
    last = episode(family, "l3_email_reminder_0")
    assert last.level == 3 and [c["api_name"] for c in last.prior][-1] == "ToolSearcher"
    scenario = get_scenario("api-bank.l1-add-agenda-1")
    assert callable(family_function(scenario, "truth", scenario.truth or ""))
    assert callable(family_function(scenario, "solutions", scenario.solution))
    with pytest.raises(AttributeError, match="no API-Bank scenario"):
        episode(family, "l9_nothing_0")


def test_gold_calls_derive_from_the_dialogues_alone() -> None:
    """Without derived/gold_calls.jsonl the importer derives the same calls (flags null)."""
    release = require_release()
    derived = [
        json.loads(line) for line in (release.parent / "derived" / "gold_calls.jsonl").open()
    ]
    mine = derive_gold_calls(load_dialogues(release))
    assert len(mine) == len(derived) == 753
    keys = ("level", "source_file", "turn_index", "sample_id", "api_id", "api_name")
    keys += ("param_dict_raw", "gold_result")
    for ours, theirs in zip(mine, derived, strict=True):
        assert {k: ours.get(k) for k in keys} == {k: theirs.get(k) for k in keys}
        assert ours["replay_sequential_exact"] is None


def test_the_catalogue_is_read_from_code_as_literals(tmp_path: Path) -> None:
    apis = tmp_path / "api-bank" / "apis"
    apis.mkdir(parents=True)
    (apis / "add_alarm.py").write_text(
        textwrap.dedent(
            """
            raise SystemExit("executed!")  # never: the catalogue is read, not run

            class AddAlarm(API):
                description = 'The API for setting an alarm.'
                input_parameters = {'token': {'type': 'str', 'description': "User's token."}}
                output_parameters = {'status': {'type': 'str', 'description': 'success'}}
                database_name = 'Alarm'

                def call(self, token):
                    return 1 / 0

            class Helper:
                pass
            """
        )
    )
    [entry] = catalog_from_code(tmp_path / "api-bank")
    assert entry["name"] == "AddAlarm" and entry["init_database"] == "Alarm.json"
    assert entry["requires_token"] is True and entry["suite"] == "level-1/2 (apis/)"
    assert entry["description"] == "The API for setting an alarm."


def test_names_and_flags() -> None:
    assert scenario_name(1, "GetUserToken", 3) == "l1-get-user-token-3"
    assert scenario_name(2, "DocumentQA", 0) == "l2-document-qa-0"
    assert render_call("Calculator", {"formula": "(5+6)*3"}) == "[Calculator(formula='(5+6)*3')]"
    assert is_reproducible({"api_name": "AddAlarm", "replay_sequential_exact": True})
    assert is_reproducible({"api_name": "Translate", "replay_sequential_exact": None})
    assert not is_reproducible({"api_name": "Wiki", "replay_sequential_exact": False})
    miss = {"gold_best_match": "AddMeeting", "onnx_best_match_split_keywords": "QueryMeeting"}
    assert not is_reproducible({"api_name": "ToolSearcher", "toolsearcher_onnx_repro": miss})


def test_the_cli_imports_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = require_release()
    assert main(["import-apibank", str(release), "--home", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "753 scenarios" in out and f"{HOME_VARIABLE}={tmp_path.resolve()}" in out
    assert (tmp_path / "scenarios" / "api-bank" / "episodes.json").is_file()
    assert main(["import-apibank", str(tmp_path / "nowhere"), "--home", str(tmp_path)]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert main(["import-apibank", str(tmp_path), "--home", str(tmp_path / "h")]) == 2
    assert "no init_database/" in capsys.readouterr().err

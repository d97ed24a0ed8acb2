"""The shared check pattern (``mockapis.apibank.checks.same_call``) in both reading modes."""

from __future__ import annotations

from typing import Any

import pytest

from mockapis.apibank.checks import folded, same_call, same_when_both_succeeded


def _result(inputs: Any, output: Any = "success", exception: Any = None) -> dict[str, Any]:
    return {"api_name": "AddScene", "input": inputs, "output": output, "exception": exception}


def test_compared_fields_are_normalised_and_the_rest_must_be_equal() -> None:
    gold = _result({"name": "Movie", "devices": ["tv"]})
    close = _result({"name": " movie ", "devices": ["tv"]})
    other = _result({"name": "movie", "devices": ["lamp"]})
    assert same_call(close, gold, compare={"name": folded}, rest=True)
    assert not same_call(other, gold, compare={"name": folded}, rest=True)
    assert same_call(other, gold, compare={"name": folded})  # the rest not asked for
    assert not same_call(close, {**gold, "exception": "boom"}, compare={"name": folded})


def test_strict_reading_raises_key_error_and_lenient_reading_answers_false() -> None:
    gold = _result({"name": "Movie"})
    missing = _result({})
    with pytest.raises(KeyError):
        same_call(missing, gold, compare={"name": folded})
    assert not same_call(missing, gold, rest=True, lenient=True)
    assert same_call(_result(None), _result("x"), rest=True, lenient=True)  # both read as {}


def test_api_names_default_to_the_apis_own_only_when_lenient() -> None:
    gold = _result({"name": "a"})
    unnamed = {k: v for k, v in gold.items() if k != "api_name"}
    assert not same_call(unnamed, gold, name="AddScene")
    assert same_call(unnamed, gold, name="AddScene", lenient=True)
    assert not same_call(gold, {**gold, "api_name": "DeleteScene"}, name="AddScene")


def test_deletions_compare_one_field_when_both_succeeded() -> None:
    gold = _result({"time": "t", "content": "a"})
    assert same_when_both_succeeded(_result({"time": "t", "content": "b"}), gold, "time")
    assert not same_when_both_succeeded(_result({"time": "u", "content": "a"}), gold, "time")
    assert same_when_both_succeeded(_result({}, None, "e"), _result({}, None, "e"), "time")

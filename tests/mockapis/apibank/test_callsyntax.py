"""The API-Bank call-syntax parser and OpenAI-style function calls."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockapis.apibank.callsyntax import (
    MAX_DEPTH,
    ApiCall,
    CallSyntaxError,
    format_call,
    parse_call,
    parse_calls,
    parse_function_call,
    parse_literal,
    parse_request,
)
from tests.mockapis.apibank.conftest import DERIVED, RELEASE, data_path

# -- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("[GetToday()]", {}),
        ("[GetToday( )]", {}),
        ("[A(x='1')]", {"x": "1"}),
        ('[A(x="1")]', {"x": "1"}),
        # Apostrophes inside single-quoted values (API-Bank's regex stops at "Let").
        ("[A(content='Let's go', time='now')]", {"content": "Let's go", "time": "now"}),
        ("[A(content='it's John's')]", {"content": "it's John's"}),
        ("[A(text='He said 'no', quietly')]", {"text": "He said 'no', quietly"}),
        ('[A(q="say "hi" now", r="x")]', {"q": 'say "hi" now', "r": "x"}),
        ('[A(q="it\'s")]', {"q": "it's"}),
        # API-Bank's own gold data: a quoted list with the same quotes inside.
        ("[AddMeeting(attendees='['John', 'Jane']')]", {"attendees": "['John', 'Jane']"}),
        (
            "[R(health_data='[{'name': 'bp', 'value': '120/80'}, {'name': 'hr', 'value': '80'}]')]",
            {"health_data": "[{'name': 'bp', 'value': '120/80'}, {'name': 'hr', 'value': '80'}]"},
        ),
        # Escapes.
        (
            r"[A(x='it\'s', y='a\\b', z='l1\nl2', u='\u00e9', v='\d')]",
            {"x": "it's", "y": "a\\b", "z": "l1\nl2", "u": "é", "v": "\\d"},
        ),
        # Numbers, constants, bare words.
        (
            "[A(a=5, b=-2, c=1.5, d=1e3, e=True, f=False, g=None, h=null)]",
            {"a": 5, "b": -2, "c": 1.5, "d": 1000.0, "e": True, "f": False, "g": None, "h": None},
        ),
        ("[A(time=2023-03-01 10:00:00, k=v)]", {"time": "2023-03-01 10:00:00", "k": "v"}),
        # Unquoted list and dict literals, nested, with apostrophes.
        (
            "[A(p=['Action', 'it's', 3, [True]], d={'k': 'v', 'n': [1, 2]})]",
            {"p": ["Action", "it's", 3, [True]], "d": {"k": "v", "n": [1, 2]}},
        ),
        ("[A(p=[], d={})]", {"p": [], "d": {}}),
        # Whitespace and a trailing comma.
        ("[ A ( x = '1' ,\n y = 2 , ) ]", {"x": "1", "y": 2}),
        # Separators inside values.
        ("[Calculator(formula='(1 + 2) * 3, then)')]", {"formula": "(1 + 2) * 3, then)"}),
        ("[A(x='a=b, c', y='])')]", {"x": "a=b, c", "y": "])"}),
    ],
)
def test_values(text: str, args: dict[str, Any]) -> None:
    call = parse_call(text)
    assert call.args == args
    assert list(call.args) == list(args)  # order kept
    assert all(type(call.args[k]) is type(v) for k, v in args.items())


def test_surrounding_text_and_several_calls() -> None:
    text = "API-Request: [A(x='1'), B(y='2')] then [C(z=3)] done."
    assert parse_calls(text) == [
        ApiCall("A", {"x": "1"}),
        ApiCall("B", {"y": "2"}),
        ApiCall("C", {"z": 3}),
    ]
    with pytest.raises(CallSyntaxError, match="expected one API call, found 3: A, B, C"):
        parse_call(text)


def test_bare_call_without_brackets() -> None:
    assert parse_call("  ToolSearcher(keywords='add alarm')\n") == ApiCall(
        "ToolSearcher", {"keywords": "add alarm"}
    )


def test_literal() -> None:
    assert parse_literal("['O'Brien', 'Li']") == ["O'Brien", "Li"]
    assert parse_literal("[{'name': 'bp', 'value': '120/80'}]") == [
        {"name": "bp", "value": "120/80"}
    ]
    assert parse_literal(" 'it's' ") == "it's"
    assert parse_literal("12") == 12
    with pytest.raises(CallSyntaxError, match="unexpected text after the value"):
        parse_literal("[1] 2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "no API call found"),
        ("", "no API call found"),
        ("[A(x=)]", "expected a value"),
        ("[A(1)]", "expected a parameter name"),
        ("[A(x)]", "expected '=' after the parameter name 'x'"),
        ("[A(x='1', x='2')]", "parameter 'x' is given twice"),
        ("[A(x='abc)]", "unterminated string"),
        ("[A(x=1", "expected ',' or ')' after the value of 'x'"),
        ("[A(x=[1, 2)]", "',' or ']' in a list"),
        ("[A(x={'k' 1})]", "':' after a dict key"),
        ("[A(x='1')", "']' after the call"),
        ("A(x='1') trailing", "unexpected text after the call"),
    ],
)
def test_errors(text: str, message: str) -> None:
    with pytest.raises(CallSyntaxError, match=re.escape(message)) as info:
        parse_calls(text)
    assert isinstance(info.value, ValueError)


def test_a_quote_that_cannot_end_the_value_belongs_to_it() -> None:
    # No comma between two calls: the quote after 1 is followed by ") B(", which cannot
    # continue a call, so it is read as part of the value (the price of apostrophes).
    assert parse_call("[A(x='1') B(y='2')]").args == {"x": "1') B(y='2"}


def test_nesting_is_bounded() -> None:
    deep = "[A(x=" + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + ")]"
    with pytest.raises(CallSyntaxError, match=f"at most {MAX_DEPTH} levels"):
        parse_call(deep)
    ok = "[A(x=" + "[" * MAX_DEPTH + "]" * MAX_DEPTH + ")]"
    assert parse_call(ok).name == "A"
    with pytest.raises(CallSyntaxError):
        parse_call("[A(x=" + "[" * 100_000 + ")]")


def test_error_position() -> None:
    with pytest.raises(CallSyntaxError) as info:
        parse_call("[A(x='1', 2)]")
    assert info.value.position == 10
    assert "at offset 10" in str(info.value)


@pytest.mark.parametrize(
    "args",
    [
        {"content": "Let's meet at John's", "n": 3, "ok": True, "none": None},
        {"attendees": ["O'Brien", "Li"], "data": [{"name": "bp", "value": "120/80"}]},
        {"path": "C:\\temp\\new", "empty": "", "f": 2.5},
        {},
    ],
)
def test_format_round_trip(args: dict[str, Any]) -> None:
    text = format_call("Api", args)
    assert parse_call(text) == ApiCall("Api", args)


def test_format_escapes_only_ambiguous_quotes() -> None:
    args = {"a": "x', b='y", "c": "it's"}
    text = format_call("A", args)
    assert text == "[A(a='x\\', b=\\'y', c='it\\'s')]"
    assert parse_call(text).args == args


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    name=st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
    args=st.dictionaries(
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True), _VALUES, max_size=4
    ),
)
def test_format_round_trips_anything(name: str, args: dict[str, Any]) -> None:
    assert parse_call(format_call(name, args)) == ApiCall(name, args)


@given(st.text(alphabet="[]()'\"=,:{} AaBb1.-_\n", max_size=40))
def test_garbage_is_a_syntax_error_or_a_call(text: str) -> None:
    try:
        calls = parse_calls(text)
    except CallSyntaxError:
        return
    assert calls and all(isinstance(c, ApiCall) for c in calls)


def test_format_is_api_bank_style() -> None:
    assert (
        format_call("AddAlarm", {"token": "t1", "time": "2023-03-01 10:00:00"})
        == "[AddAlarm(token='t1', time='2023-03-01 10:00:00')]"
    )


# -- OpenAI-style function calls -------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "AddAlarm", "arguments": {"token": "t", "time": "x"}},
        {"name": "AddAlarm", "arguments": json.dumps({"token": "t", "time": "x"})},
        json.dumps({"name": "AddAlarm", "arguments": json.dumps({"token": "t", "time": "x"})}),
        json.dumps({"name": "AddAlarm", "arguments": {"token": "t", "time": "x"}}).encode(),
        {
            "type": "function",
            "function": {"name": "AddAlarm", "arguments": '{"token": "t", "time": "x"}'},
        },
        {
            "id": "call_1",
            "type": "function",
            "function": {"name": "AddAlarm", "arguments": {"token": "t", "time": "x"}},
        },
    ],
)
def test_function_call_shapes(payload: Any) -> None:
    assert parse_function_call(payload) == ApiCall("AddAlarm", {"token": "t", "time": "x"})


@pytest.mark.parametrize("arguments", [None, "", {}, "{}"])
def test_function_call_without_arguments(arguments: Any) -> None:
    assert parse_function_call({"name": "GetToday", "arguments": arguments}) == ApiCall("GetToday")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ({"arguments": {}}, "needs 'name'"),
        ({"name": 5}, "needs 'name'"),
        ({"name": "a b"}, "needs 'name'"),
        ({"name": "A", "arguments": "{bad"}, "'arguments' is not valid JSON"),
        ({"name": "A", "arguments": "[1]"}, "'arguments' must be a JSON object"),
        ({"name": "A", "arguments": [1]}, "'arguments' must be a JSON object"),
        ({"name": "A", "args": {}}, "unknown field"),
    ],
)
def test_function_call_errors(payload: Any, message: str) -> None:
    with pytest.raises(CallSyntaxError, match=message):
        parse_function_call(payload)


def test_parse_request_dispatches_on_the_body() -> None:
    assert parse_request('{"name": "A", "arguments": {"x": 1}}') == ApiCall("A", {"x": 1})
    assert parse_request(b"[A(x='1')]") == ApiCall("A", {"x": "1"})
    with pytest.raises(CallSyntaxError, match="not UTF-8"):
        parse_request(b"\xff[A()]")


# -- every gold call API-Bank's test data writes ------------------------------------------


def _same(raw: Any, parsed: Any) -> bool:
    """The parsed value means the gold value: equal, or the written string of a list or
    number the gold data holds typed (level 3 writes ``post_id='4'`` for ``4``)."""
    if raw == parsed and type(raw) is type(parsed):
        return True
    if isinstance(parsed, str) and isinstance(raw, list | dict):
        return bool(parse_literal(parsed) == raw)
    if isinstance(parsed, str) and isinstance(raw, int | float):
        return float(parsed) == raw
    return False


def test_every_gold_call_text_parses_to_the_gold_parameters() -> None:
    data_path(RELEASE / "test-data")
    gold: dict[tuple[Any, ...], dict[str, Any]] = {}
    with (DERIVED / "gold_calls.jsonl").open() as fh:
        for line in fh:
            row = json.loads(line)
            if row["level"] == "level-3":
                gold["level-3", row["sample_id"], row["api_id"]] = row
            else:
                gold[row["level"], Path(row["source_file"]).name, row["test_data_api_id"]] = row
    checked = 0
    for level, name in [
        ("level-1", "level-1-api.json"),
        ("level-2", "level-2-api.json"),
        ("level-3", "level-3-batch-inf.json"),
    ]:
        samples = json.loads((RELEASE / "test-data" / name).read_text())
        for sample in samples:
            text = sample.get("expected_output") or sample["output"]
            call = parse_call(text)
            if level == "level-3":
                row = gold.get((level, sample["sample_id"], sample["api_id"]))
            else:
                row = gold.get((level, sample["file"], sample["id"]))
            if row is None:  # a sample whose dialogue turn is not a gold call
                continue
            raw = row["param_dict_raw"]
            assert call.name == row["api_name"], text
            assert list(call.args) == list(raw), text
            assert all(_same(raw[k], call.args[k]) for k in raw), (text, raw)
            checked += 1
    assert checked == 389 + 119 + 245

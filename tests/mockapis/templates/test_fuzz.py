"""Generated templates: whatever the expression, a render returns output or a
``TemplateProblem`` (a 422), never another exception, and never takes long."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from mockapis.templates.engine import TemplateProblem, render

ATOMS = ["x", "xs", "d", "d.a", "s", "1", "0", "-3", "2.5", "'a'", "'%s'", "''", "[1,2]",
         "{'k': 1}", "none", "true", "loop", "self", "range(3)", "1e308", "10**100",
         "nothing"]  # fmt: skip
FILTERS = ["upper", "join(',')", "sort", "first", "length", "money", "datetime", "escape_md",
           "format(1)", "replace('a','b')", "tojson", "list", "sum", "max", "unique", "string",
           "int", "round(2)", "truncate(3)", "wordwrap(2)", "indent(2)", "center(5)",
           "batch(2)|list", "map('upper')|list", "select('odd')|list", "dictsort", "items|list",
           "groupby('a')|list", "attr('a')", "default('z')", "e", "urlencode", "striptags",
           "selectattr('a')|list", "random", "pprint"]  # fmt: skip
OPS = ["+", "-", "*", "/", "//", "%", "**", "~", " in ", "==", "<", " and ", " or "]
METHODS = ["upper()", "split()", "items()", "get(1)", "keys()", "a", "count(1)", "__class__"]

EXPRESSIONS = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.builds(lambda e, f: f"({e})|{f}", inner, st.sampled_from(FILTERS)),
        st.builds(lambda a, o, b: f"({a}{o}{b})", inner, st.sampled_from(OPS), inner),
        st.builds(lambda e, m: f"({e}).{m}", inner, st.sampled_from(METHODS)),
    ),
    max_leaves=8,
)
DATA = {"xs": [1, 2, {"a": 3}], "d": {"a": "<b>", "items": 2}, "s": "abc"}


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(expression=EXPRESSIONS, html=st.booleans(), strict=st.booleans())
def test_any_expression_renders_or_is_a_template_problem(
    expression: str, html: bool, strict: bool
) -> None:
    started = time.perf_counter()
    try:
        render("{{ " + expression + " }}", DATA, fmt="html" if html else "text", strict=strict)
    except TemplateProblem as problem:
        assert problem.kind and problem.message
    assert time.perf_counter() - started < 2

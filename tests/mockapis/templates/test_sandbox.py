"""Sandbox escapes and resource exhaustion: every classic payload is refused with a clear
422, nothing leaks, and nothing hangs (the budget counts steps; no clock is read)."""

from __future__ import annotations

import time

import pytest

from mockapis.templates.engine import TemplateProblem, render
from mockapis.templates.limits import MAX_WORK
from tests.mockapis.templates.conftest import TemplatesClient

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__ }}",
    "{{ ().__class__.__bases__[0] }}",
    "{{ [].__class__.__base__.__subclasses__() }}",
    "{{ x.__init__.__globals__ }}",
    "{{ self.__init__.__globals__['__builtins__'] }}",
    "{{ self._TemplateReference__context }}",
    "{{ ''|attr('__class__') }}",
    "{{ x|attr('__dict__') }}",
    "{{ [1]|map(attribute='__class__')|list }}",
    "{{ [x]|selectattr('__class__')|list }}",
    "{{ '{0.__class__}'.format(x) }}",
    "{{ '{a.__class__.__init__.__globals__}'.format_map(d) }}",
    "{{ x.update({'a': 1}) }}",
    "{{ 'abc'.ljust(1000000000) }}",
    "{{ 'a'.zfill(1000000000) }}",
    "{{ 'a'.replace('a', 'bb') }}",
    "{{ d.pop('a') }}",
    "{{ (1).__class__ }}",
    "{{ loop.__class__ }}",
    "{% for a in [1] %}{{ loop._iterator }}{% endfor %}",
    "{% macro m() %}{% endmacro %}{{ m.__globals__ }}",
    "{{ x() }}",
    "{{ d['a']() }}",
    "{{ [1, 2].append(3) }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_sandbox_escapes_are_refused(client: TemplatesClient, source: str) -> None:
    reply = client.render(source, {"x": {"k": 1}, "d": {"a": 1}})
    assert reply.status == 422, reply.raw
    error = reply.json["error"]
    assert error["type"] in {"sandbox_violation", "render_error"}, error
    assert error["line"] == 1
    assert "<class" not in error["message"] and "function" not in error["message"]


MISSING_GLOBALS = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ lipsum() }}",
    "{{ dict(a=1) }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__ }}",
    "{{ url_for.__globals__ }}",
    "{% set ns = namespace(a=1) %}{{ ns.a }}",
]


@pytest.mark.parametrize("source", MISSING_GLOBALS)
def test_jinja_globals_do_not_exist(client: TemplatesClient, source: str) -> None:
    reply = client.render(source)
    assert reply.status == 422, reply.raw
    assert reply.json["error"]["type"] in {"undefined_variable", "sandbox_violation"}
    assert (
        "is undefined" in reply.json["error"]["message"]
        or "not allowed" in reply.json["error"]["message"]
    )


@pytest.mark.parametrize(
    "source",
    [
        "{% include 'secrets.txt' %}",
        "{% include 'customer-segment-report' %}",
        "{% import 'receipt' as r %}",
        "{% from 'receipt' import x %}",
        "{% extends 'receipt' %}",
        "ok\n{% if x %}{% include x %}{% endif %}",
    ],
)
def test_includes_and_imports_are_refused(client: TemplatesClient, source: str) -> None:
    reply = client.render(source)
    assert reply.status == 422
    error = reply.json["error"]
    assert error["type"] == "template_syntax_error"
    assert "is not supported" in error["message"]
    assert error["line"] == source.count("\n") + 1
    stored = client.send("POST", "/v1/templates", {"name": "inc", "body": source})
    assert stored.status == 422


EXHAUSTION = [
    "{{ range(1000000000)|list }}",
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
    "{% endfor %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}",
    "{{ 'a' * 1000000000 }}",
    "{{ [0] * 1000000000 }}",
    "{{ 2 ** 100000 }}",
    "{{ 10 ** 5000 }}",
    "{% set a = 'x' * 1000 %}" + "{% set a = a ~ a %}" * 40 + "{{ a|length }}",
    "{% set a = 'x' * 1000 %}" + "{% set a = a + a %}" * 40 + "{{ a|length }}",
    "{% set n = 2 %}" + "{% set n = n * n %}" * 40 + "{{ n }}",
    "{{ '%999999999d' % 1 }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '%.999999999f'|format(1) }}",
    "{{ 'x'|center(1000000000) }}",
    "{{ 'a\nb'|indent(1000000000) }}",
    "{{ 'a b c'|wordwrap(1, wrapstring='x' * 100000) }}",
    "{{ 'aaaa'|replace('a', 'b' * 200000) }}",
    "{{ range(10000)|join('x' * 100000) }}",
    "{{ [1]|batch(1000000000, 0)|list }}",
    "{{ [[1]] * 10000|sum(start=[]) }}",
    "{{ xs|tojson(indent=1000000) }}",
    "{% for i in range(10000) %}{% if i in xs %}{% endif %}{% endfor %}",
    "{% for i in range(10000) %}{{ xs|sort|first }}{% endfor %}",
    "{% for i in range(10000) %}{% if s.split(',') %}{% endif %}{% endfor %}",
    "{% for i in range(10000) %}{% if s.upper() %}{% endif %}{% endfor %}",
    "{% for i in range(10000) %}{% if i is in xs %}{% endif %}{% endfor %}",
    "{% for i in range(10000) %}{% if s[1:] %}{% endif %}{% endfor %}",
    "{% for i in range(10000) %}{{ 'y' * 200000 }}{% endfor %}",
    "{% set s %}{% for i in range(10000) %}{{ 'y' * 200000 }}{% endfor %}{% endset %}",
    "{% macro m() %}{% for i in range(5000) %}{{ 'z' * 200000 }}{% endfor %}{% endmacro %}"
    "{{ m()|length }}",
]


@pytest.mark.parametrize("source", EXHAUSTION)
def test_resource_exhaustion_is_refused_quickly(client: TemplatesClient, source: str) -> None:
    started = time.perf_counter()
    reply = client.render(source, {"xs": list(range(20_000)), "s": "a," * 50_000})
    elapsed = time.perf_counter() - started
    assert reply.status == 422, reply.raw[:300]
    assert reply.json["error"]["type"] in {"render_limit_exceeded", "sandbox_violation"}, reply.json
    assert elapsed < 5, f"took {elapsed:.1f}s"


def test_deeply_nested_source_is_a_syntax_error_not_a_crash(client: TemplatesClient) -> None:
    reply = client.render("{{" + "(" * 5000 + "1" + ")" * 5000 + "}}")
    assert reply.status == 422
    assert reply.json["error"]["type"] == "template_syntax_error"


def test_output_over_the_limit_is_refused(client: TemplatesClient) -> None:
    reply = client.render("{% for i in range(3) %}{{ 'y' * 200000 }}{% endfor %}")
    assert reply.status == 422
    assert "at most 262144 bytes" in reply.json["error"]["message"]


def test_the_budget_is_counted_not_timed() -> None:
    """The same over-budget template fails at the same step every time (deterministic)."""
    source = "{% for i in range(10000) %}{% endfor %}" * 200
    messages = set()
    for _ in range(2):
        with pytest.raises(TemplateProblem) as caught:
            render(source, {})
        messages.add((caught.value.kind, caught.value.message))
    assert messages == {
        (
            "render_limit_exceeded",
            f"the render exceeded its budget of {MAX_WORK} work steps (loop iterations, calls, "
            "lookups, and filter work proportional to the input size)",
        )
    }


def test_legitimate_work_within_the_budget_renders(client: TemplatesClient) -> None:
    source = (
        "{% macro row(c) %}{{ c.name|title }}: {{ c.n * 2 }}{% endmacro %}"
        "{% for c in cs|sort(attribute='n') %}{{ row(c) }};{% endfor %}"
    )
    data = {"cs": [{"name": f"n{i}", "n": 500 - i} for i in range(500)]}
    output = client.output(source, data)
    assert output.startswith("N499: 2;N498: 4;") and output.count(";") == 500

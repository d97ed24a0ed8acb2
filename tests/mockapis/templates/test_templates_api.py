"""Stored templates: create, list, get, update, delete, and rendering them."""

from __future__ import annotations

import pytest

from tests.mockapis.templates.conftest import TemplatesClient


def test_every_request_needs_the_key(client: TemplatesClient) -> None:
    reply = client.send("GET", "/v1/templates", auth=False)
    assert reply.status == 401
    assert reply.json["error"]["type"] == "unauthorized"
    assert reply.headers["www-authenticate"].startswith("Bearer")


def test_list_pages_oldest_first(client: TemplatesClient) -> None:
    first = client.send("GET", "/v1/templates?limit=4").json
    assert first["object"] == "list" and first["has_more"] is True
    names = [t["name"] for t in first["data"]]
    assert names[:2] == ["customer-segment-report", "pull-request-digest"]
    rest = client.send("GET", f"/v1/templates?limit=100&starting_after={first['data'][-1]['id']}")
    all_names = names + [t["name"] for t in rest.json["data"]]
    assert rest.json["has_more"] is False
    assert len(all_names) == len(set(all_names)) == 10  # 6 from the catalogue, 4 generated


def test_create_get_update_delete(client: TemplatesClient) -> None:
    created = client.send(
        "POST", "/v1/templates", {"name": "hello", "body": "Hi {{ who }}!", "format": "markdown"}
    )
    assert created.status == 201, created.raw
    template = created.json
    assert template["version"] == 1 and template["format"] == "markdown"
    tid = template["id"]
    assert client.send("GET", f"/v1/templates/{tid}").json == template
    updated = client.send("PATCH", f"/v1/templates/{tid}", {"body": "Bye {{ who }}."})
    assert updated.status == 200
    assert updated.json["version"] == 2 and updated.json["name"] == "hello"
    rendered = client.send("POST", f"/v1/templates/{tid}/render", {"data": {"who": "Ann"}})
    assert rendered.json == {
        "object": "rendering",
        "template_id": tid,
        "format": "markdown",
        "content_type": "text/markdown; charset=utf-8",
        "output": "Bye Ann.",
    }
    assert client.send("DELETE", f"/v1/templates/{tid}").json["deleted"] is True
    assert client.send("GET", f"/v1/templates/{tid}").status == 404


def test_names_are_unique(client: TemplatesClient) -> None:
    reply = client.send("POST", "/v1/templates", {"name": "receipt", "body": "x"})
    assert reply.status == 409
    assert reply.json["error"]["type"] == "template_name_taken"
    other = client.by_name("welcome-email")
    renamed = client.send("PATCH", f"/v1/templates/{other['id']}", {"name": "receipt"})
    assert renamed.status == 409


def test_a_body_that_does_not_compile_is_refused_with_its_line(client: TemplatesClient) -> None:
    before = len(client.world.table("templates.templates"))
    reply = client.send(
        "POST", "/v1/templates", {"name": "broken", "body": "ok\n{% for x in xs %}\n{{ x }"}
    )
    assert reply.status == 422
    error = reply.json["error"]
    assert error["type"] == "template_syntax_error" and error["line"] == 3
    assert "line 3" in error["message"]
    assert len(client.world.table("templates.templates")) == before
    receipt = client.by_name("receipt")
    patched = client.send("PATCH", f"/v1/templates/{receipt['id']}", {"body": "{% if %}"})
    assert patched.status == 422
    assert client.by_name("receipt")["body"] == receipt["body"]  # unchanged


def test_bad_bodies_are_clear_400s(client: TemplatesClient) -> None:
    cases = [
        ({"name": "x"}, "body: this field is required"),
        ({"name": "../etc", "body": "x"}, "name:"),
        ({"name": "ok", "body": 5}, "body: must be a string"),
        ({"name": "ok", "body": "x", "format": "pdf"}, "format: must be one of"),
        ({"name": "ok", "body": "x", "colour": "red"}, "colour: unknown field"),
    ]
    for body, message in cases:
        reply = client.send("POST", "/v1/templates", body)
        assert reply.status == 400, body
        assert message in reply.json["error"]["message"], reply.json
    assert (
        client.send("POST", "/v1/templates", raw=b"{nope").json["error"]["type"] == "invalid_json"
    )
    wrong_type = client.send("POST", "/v1/templates", raw=b"{}", content_type="text/plain")
    assert wrong_type.status == 415
    assert (
        client.send("PATCH", f"/v1/templates/{client.by_name('receipt')['id']}", {}).status == 400
    )


def test_render_a_seeded_template(client: TemplatesClient) -> None:
    template = client.by_name("customer-segment-report")
    data = {
        "segment": "mid_market",
        "customers": [
            {"id": "cus_2", "name": "Zoe Park", "email": "zoe@x.io"},
            {"id": "cus_1", "name": "Al_Smith", "email": "al@x.io"},
        ],
    }
    reply = client.send("POST", f"/v1/templates/{template['id']}/render", {"data": data})
    assert reply.status == 200
    assert reply.json["output"] == (
        "# Mid Market customers\n\n2 customers, sorted by name.\n\n"
        "| Name | Email | Customer |\n|------|-------|----------|\n"
        "| Al\\_Smith | al@x.io | `cus_1` |\n| Zoe Park | zoe@x.io | `cus_2` |\n"
    )


def test_strict_undefined_per_template_and_per_request(client: TemplatesClient) -> None:
    tid = client.send(
        "POST",
        "/v1/templates",
        {"name": "strict", "body": "Hi {{ who }}", "strict_undefined": True},
    ).json["id"]
    refused = client.send("POST", f"/v1/templates/{tid}/render", {"data": {}})
    assert refused.status == 422
    assert refused.json["error"] == {
        "type": "undefined_variable",
        "message": "'who' is undefined (line 1)",
        "line": 1,
    }
    lenient = client.send(
        "POST", f"/v1/templates/{tid}/render", {"data": {}, "strict_undefined": False}
    )
    assert lenient.json["output"] == "Hi "
    assert client.render("{{ a }}", {}, strict_undefined=True).status == 422
    assert client.output("{{ a }}|", {}) == "|"


def test_render_with_no_body_uses_no_data(client: TemplatesClient) -> None:
    template = client.by_name("welcome-email")
    reply = client.send("POST", f"/v1/templates/{template['id']}/render")
    assert reply.status == 200
    assert reply.json["output"].startswith("Hi ,\n\nWelcome to !")


def test_html_autoescapes_and_text_does_not(client: TemplatesClient) -> None:
    data = {"x": "<b>&</b>"}
    assert client.output("<p>{{ x }}</p>", data, format="html") == "<p>&lt;b&gt;&amp;&lt;/b&gt;</p>"
    assert client.output("<p>{{ x|safe }}</p>", data, format="html") == "<p><b>&</b></p>"
    assert client.output("<p>{{ x }}</p>", data, format="text") == "<p><b>&</b></p>"
    receipt = client.by_name("receipt")
    reply = client.send(
        "POST",
        f"/v1/templates/{receipt['id']}/render",
        {
            "data": {
                "number": "R-1",
                "customer": "Tom & Jerry",
                "currency": "eur",
                "lines": [
                    {"description": "<script>", "amount": 1050},
                    {"description": "b", "amount": 5},
                ],
            }
        },
    )
    output = reply.json["output"]
    assert "Tom &amp; Jerry" in output and "&lt;script&gt;" in output
    assert "<strong>10.55 EUR</strong>" in output


def test_our_filters(client: TemplatesClient) -> None:
    assert client.output("{{ 123456|money }} {{ -5|money('usd') }}") == "1,234.56 -0.05 USD"
    assert client.output("{{ 0|datetime }}") == "1970-01-01 00:00 UTC"
    assert client.output("{{ '2024-02-29T23:30:00+02:00'|datetime('%d.%m.%Y %H:%M') }}") == (
        "29.02.2024 21:30"
    )
    assert client.output("{{ '*a* [b]|#'|escape_md }}") == "\\*a\\* \\[b\\]\\|\\#"
    bad = client.render("{{ 'x'|money }}")
    assert bad.status == 422 and bad.json["error"]["type"] == "render_error"


def test_trim_blocks_and_final_newline(client: TemplatesClient) -> None:
    source = "{% for i in xs %}\n- {{ i }}\n{% endfor %}\nend\n"
    assert client.output(source, {"xs": [1, 2]}) == "- 1\n- 2\nend\n"


def test_data_limits(client: TemplatesClient) -> None:
    not_object = client.render("x", [1])
    assert not_object.status == 422 and not_object.json["error"]["type"] == "invalid_data"
    deep: object = 1
    for _ in range(40):
        deep = [deep]
    assert client.render("x", {"d": deep}).json["error"]["type"] == "data_too_deep"
    big = {"s": "x" * 300_000}
    assert client.render("x", big).json["error"]["type"] == "data_too_large"
    assert client.render("x" * 70_000).json["error"]["type"] == "template_too_large"
    huge = client.render("x", {"s": "x" * 1_000_000})
    assert huge.status == 413


def test_lone_surrogates_are_refused(client: TemplatesClient) -> None:
    reply = client.send("POST", "/v1/render", raw=b'{"template": "\\ud800"}')
    assert reply.status == 400


def test_keys_shadow_methods(client: TemplatesClient) -> None:
    assert client.output(
        "{{ d.items }}/{{ e.items()|list }}", {"d": {"items": 3}, "e": {"k": 1}}
    ) == ("3/[('k', 1)]")


FEATURES = [
    ("{% for x in xs %}{{ loop.cycle('a', 'b') }}{% endfor %}", "aba"),
    ("{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}x{% endcall %}", "[x]"),
    ("{% block a %}x{% endblock %}{{ self.a() }}", "xx"),
    ("{% for g in ys|groupby('k') %}{{ g.grouper }}={{ g.list|length }};{% endfor %}", "1=2;2=1;"),
    ("{{ ys|selectattr('k', 'equalto', 1)|list|length }}", "2"),
    ("{{ ys|map(attribute='k')|join(',') }}", "1,2,1"),
    ("{{ d|dictsort }}", "[('a', 2), ('b', 1)]"),
    ("{{ xs|batch(2)|list }}", "[[1, 2], [3]]"),
    ("{% for x in xs %}{% if loop.last %}{{ loop.length }}{% endif %}{% endfor %}", "3"),
    ("{% for x in xs %}{% if x > 1 %}{% break %}{% endif %}{{ x }}{% endfor %}", "1"),
    ("{{ 'a,b'.split(',') }} {{ 'Ab'.lower() }} {{ d.get('z', 5) }}", "['a', 'b'] ab 5"),
    (
        "{% set t = 'x' ~ 1 %}{{ t * 2 }} {{ 2 ** 10 }} {{ '%05.1f'|format(3.14159) }}",
        "x1x1 1024 003.1",
    ),
    ("{{ xs|sum }} {{ xs|max }} {{ ys|sort(attribute='k')|first }}", "6 3 {'k': 1}"),
    ("{% for i in range(3) %}{{ i }}{% endfor %}", "012"),
]


@pytest.mark.parametrize(("source", "output"), FEATURES)
def test_jinja_features_work_in_the_sandbox(
    client: TemplatesClient, source: str, output: str
) -> None:
    data = {"xs": [1, 2, 3], "ys": [{"k": 1}, {"k": 2}, {"k": 1}], "d": {"b": 1, "a": 2}}
    assert client.output(source, data) == output


@pytest.mark.parametrize(
    "source", ["{{ 1e20|datetime }}", "{{ 'x'|datetime }}", "{{ 3 is divisibleby 0 }}",
               "{{ [1, 'a']|sort }}", "{{ 1 + 'a' }}", "{{ 'x'|batch('y')|list }}"],
)  # fmt: skip
def test_runtime_errors_are_422_with_the_line(client: TemplatesClient, source: str) -> None:
    reply = client.render("first line\n" + source)
    assert reply.status == 422
    assert reply.json["error"]["type"] == "render_error"
    assert reply.json["error"]["line"] == 2

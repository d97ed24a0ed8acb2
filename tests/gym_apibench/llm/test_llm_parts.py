"""The pieces of the model agents: options, specs with options, tools, truncation, retries."""

from __future__ import annotations

import email.utils
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from llm_mock_endpoint import Endpoint, play, tool_call

from gym_apibench.agents import AgentSpecError, make_agent, with_options
from gym_apibench.cli import main
from gym_apibench.llm import CodeOptions, LLMAgent, LLMOptions, OptionsError
from gym_apibench.llm.client import retry_delay
from gym_apibench.llm.conversation import Conversation
from gym_apibench.llm.operations import operation_tools, sanitise_name
from gym_apibench.llm.options import join_spec, parse_options, split_spec
from gym_apibench.llm.tools import ToolCall, ToolError, http_action, render_observation


def test_options_are_typed_and_strict() -> None:
    options = parse_options(
        CodeOptions, {"model": "m", "attempts": "3", "self_heal": "true", "docs": "full"}
    )
    assert (options.attempts, options.self_heal, options.docs) == (3, True, "full")
    assert parse_options(LLMOptions, {"model": "m", "max_tokens": "none"}).max_tokens is None
    with pytest.raises(OptionsError, match=r"unknown option 'atempts' \(did you mean 'attempts'"):
        parse_options(CodeOptions, {"atempts": "2"})
    with pytest.raises(OptionsError, match="expected int"):
        parse_options(LLMOptions, {"max_turns": "many"})
    with pytest.raises(OptionsError, match="expected true or false"):
        parse_options(CodeOptions, {"self_heal": "maybe"})
    with pytest.raises(OptionsError, match="at least 1"):
        parse_options(CodeOptions, {"attempts": "0"})
    with pytest.raises(OptionsError, match="expected one of none, urls, full"):
        parse_options(CodeOptions, {"docs": "some"})


def test_specs_carry_options_canonically() -> None:
    spec = with_options("llm", {"tools": "operations", "base_url": "http://h:1/v1", "model": "a&b"})
    assert spec == "llm?model=a%26b&base_url=http://h:1/v1&tools=operations"
    assert split_spec(spec) == (
        "llm",
        {"model": "a&b", "base_url": "http://h:1/v1", "tools": "operations"},
    )
    assert with_options(spec, {"model": "c"}) == join_spec(
        "llm", {"model": "c", "base_url": "http://h:1/v1", "tools": "operations"}
    )
    assert "," not in with_options("code", {"model": "x,y"})  # the CLI splits agents on ","


def test_make_agent_with_options() -> None:
    agent = make_agent("llm?model=a", options={"model": "b", "temperature": "0.5"})
    assert isinstance(agent, LLMAgent)
    assert (agent.options.model, agent.options.temperature) == ("b", 0.5)
    with pytest.raises(AgentSpecError, match="takes no options"):
        make_agent("oracle?x=1")
    with pytest.raises(AgentSpecError, match="repeated option"):
        make_agent("llm?model=a&model=b")
    with pytest.raises(AgentSpecError, match=r"unknown agent 'lml'.*did you mean 'llm'"):
        make_agent("lml")


def test_make_agent_without_a_model(monkeypatch) -> None:
    monkeypatch.delenv("APIBENCH_MODEL", raising=False)
    with pytest.raises(AgentSpecError, match="no model given"):
        make_agent("code")


def test_cli_rejects_bad_agent_options(capsys, tmp_path) -> None:
    base = ["eval", "--scenarios", "brewery.*", "--seeds", "0", "--out", str(tmp_path)]
    assert main([*base, "--agent", "llm", "--model", "m", "--agent-option", "modle=x"]) == 2
    assert "did you mean 'model'" in capsys.readouterr().err
    assert main([*base, "--agent", "oracle", "--model", "m"]) == 2
    assert "no agent takes options" in capsys.readouterr().err
    assert main([*base, "--agent", "llm", "--agent-option", "novalue"]) == 2
    assert "expected KEY=VALUE" in capsys.readouterr().err


def test_http_request_arguments() -> None:
    action = http_action(
        {
            "method": "post",
            "url": "https://api.x.com/v1/a?x=1",
            "query": {"tags": ["a", "b"], "flag": True},
            "headers": {"X-Count": 3},
            "json": {"k": "v"},
        }
    )
    assert action == {
        "method": "POST",
        "url": "https://api.x.com/v1/a?x=1&tags=a&tags=b&flag=true",
        "headers": {"X-Count": "3"},
        "json": {"k": "v"},
    }
    for bad, message in [
        ({"method": "FETCH", "url": "u"}, "method must be one of"),
        ({"method": "GET"}, "url must be"),
        ({"method": "GET", "url": "u", "json": {}, "body": "x"}, "not json and body"),
        ({"method": "GET", "url": "u", "params": {}}, "no parameter params"),
        ({"method": "GET", "url": "u", "query": {"a": {"b": 1}}}, "nested"),
    ]:
        with pytest.raises(ToolError, match=message):
            http_action(bad)


def test_tool_call_arguments() -> None:
    assert ToolCall("1", "f", '{"a": 1}').parsed() == {"a": 1}
    assert ToolCall("1", "f", {"a": 1}).parsed() == {"a": 1}  # some servers send objects
    assert ToolCall("1", "f", "").parsed() == {}
    with pytest.raises(ToolError, match="not valid JSON"):
        ToolCall("1", "f", "{").parsed()
    with pytest.raises(ToolError, match="must be a JSON object"):
        ToolCall("1", "f", "[1]").parsed()


def test_several_tool_calls_in_one_reply(endpoint: Endpoint) -> None:
    def both(payload):
        if any(m["role"] == "tool" for m in payload["messages"]):
            return tool_call("submit", {"answer": None}, "c3")
        reply = tool_call("wait", {"seconds": 1}, "c1")
        reply["tool_calls"] += tool_call("wait", {"seconds": 2}, "c2")["tool_calls"]
        return reply

    endpoint.policy = both
    _, steps = play(LLMAgent({"model": "m", "base_url": endpoint.url}), "brewery.count-in-state", 0)
    assert steps == 3 and len(endpoint.requests) == 2
    results = [m for m in endpoint.requests[1]["messages"] if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in results] == ["c1", "c2"]


def test_operation_tools_from_the_specs() -> None:
    tools = {t.name: t for t in operation_tools(["stripe", "brewery"])}
    assert all(len(name) <= 64 for name in tools)
    create = tools["stripe__createCustomer"]
    action = create.action(
        {"body": {"email": "a@b.c", "metadata": {"k": "v"}}, "headers": {"Authorization": "B"}},
        "https://api.stripe.com",
    )
    assert action["method"] == "POST" and action["url"] == "https://api.stripe.com/v1/customers"
    assert parse_qs(action["body"]) == {"email": ["a@b.c"], "metadata[k]": ["v"]}
    assert action["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    get = tools["brewery__getBrewery"]
    action = get.action({"obdb_id": "a b/c"}, "https://api.openbrewerydb.org")
    assert urlsplit(action["url"]).path == "/v1/breweries/a%20b%2Fc"
    with pytest.raises(ToolError, match="path parameter 'obdb_id' is required"):
        get.action({}, "https://api.openbrewerydb.org")
    with pytest.raises(ToolError, match="has no parameter bogus"):
        get.action({"obdb_id": "x", "bogus": 1}, "https://api.openbrewerydb.org")
    schema = json.dumps([t.as_tool() for t in tools.values()])
    assert "$ref" not in schema


def test_sanitised_names() -> None:
    assert sanitise_name("svc__GET_/v1/{id}/items") == "svc__GET__v1_id_items"
    long = sanitise_name("x" * 100)
    assert len(long) == 64 and long != sanitise_name("x" * 99)


def test_render_and_cut_observations() -> None:
    text = render_observation(
        {"status": 200, "headers": {"content-type": "text/plain"}, "body": "abc" * 100}, 50
    )
    assert text.startswith("HTTP 200\ncontent-type: text/plain\n\nabc")
    assert text.endswith("[truncated: showing 50 of 335 characters]")  # 35 of status and headers
    lost = render_observation({"status": 0, "headers": {}, "body": "reset"}, 1000)
    assert lost.startswith("No HTTP response")


def test_conversation_keeps_head_and_last_turns() -> None:
    talk = Conversation("sys", "task", max_turns=2, max_tokens=10_000)
    for n in range(5):
        talk.assistant({"content": None, "tool_calls": [{"id": f"c{n}"}], "extra": 1})
        talk.tool_result(f"c{n}", f"result {n}")
    view = talk.view()
    roles = ["system", "user", "user", "assistant", "tool", "assistant", "tool"]
    assert [m["role"] for m in view] == roles
    assert "3 earlier turns" in view[2]["content"]
    assert [m.get("tool_call_id") for m in view if m["role"] == "tool"] == ["c3", "c4"]
    assert "extra" not in view[3]
    tight = Conversation("sys", "task", max_turns=50, max_tokens=60)
    for _ in range(3):
        tight.assistant({"content": "x" * 100})
    assert len(tight.view()) == 4  # over budget: only the latest turn, after the note


def test_retry_after_forms() -> None:
    assert retry_delay({"Retry-After": "3"}) == 3.0
    assert retry_delay({"retry-after-ms": "250", "Retry-After": "9"}) == 0.25
    when = email.utils.formatdate(1_000_010, usegmt=True)
    assert retry_delay({"Retry-After": when}, now=1_000_000) == 10.0
    assert retry_delay({"Retry-After": "soon"}) is None
    assert retry_delay({}) is None


def test_calls_without_ids_are_answered_by_the_ids_given(endpoint: Endpoint) -> None:
    def no_ids(payload):
        if any(m["role"] == "tool" for m in payload["messages"]):
            return tool_call("submit", {"answer": None})
        return {"tool_calls": [{"function": {"name": "wait", "arguments": {"seconds": 1}}}]}

    endpoint.policy = no_ids
    play(LLMAgent({"model": "m", "base_url": endpoint.url}), "brewery.count-in-state", 0)
    sent = endpoint.requests[1]["messages"]
    assert sent[2]["tool_calls"][0]["id"] == sent[3]["tool_call_id"] == "call_0"
    assert sent[2]["tool_calls"][0]["function"]["arguments"] == '{"seconds": 1}'


def test_code_prompt_docs_levels() -> None:
    from gym_apibench.llm.prompts import code_prompt

    task = {"instruction": "Do it.", "services": {"punk": "https://api.punkapi.com"}}
    _, none = code_prompt(task, lang="python", docs="none", max_doc_chars=100)
    _, urls = code_prompt(task, lang="python", docs="urls", max_doc_chars=100)
    _, full = code_prompt(task, lang="python", docs="full", max_doc_chars=100)
    assert "APIBENCH_PUNK_URL" in none and "api.punkapi.com" not in none
    assert "https://api.punkapi.com" in urls and "openapi:" not in urls
    assert "openapi:" in full and "[truncated: showing 100 of" in full

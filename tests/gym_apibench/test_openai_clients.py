"""The official ``openai`` SDK (2.x) against ``apibench serve``, unchanged."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from tests.served import Served, serving

SCENARIO = "openai.extract-contract"
SCHEMA = {
    "type": "object",
    "properties": {"age": {"type": "integer"}, "city": {"type": "string"}},
    "required": ["age", "city"],
    "additionalProperties": False,
}
FORMAT = {"format": {"type": "json_schema", "name": "person", "schema": SCHEMA, "strict": True}}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("openai") / "info.json"
    with serving(Path(info), "--scenario", SCENARIO) as server:
        yield server


@pytest.fixture(scope="module")
def client(served: Served) -> openai.OpenAI:
    return openai.OpenAI(
        base_url=served.info["services"]["openai"] + "/v1",
        api_key=served.info["credentials"]["openai"]["token"],
        max_retries=0,
    )


def test_files_round_trip(client: openai.OpenAI) -> None:
    made = client.files.create(
        file=("../odd name.txt", b"Age: 30\nCity: Rome\n"), purpose="user_data"
    )
    assert made.filename == "../odd name.txt" and made.bytes == 19
    assert made.id in [f.id for f in client.files.list(purpose="user_data")]
    assert client.files.content(made.id).read() == b"Age: 30\nCity: Rome\n"
    assert client.files.delete(made.id).deleted is True
    with pytest.raises(openai.NotFoundError):
        client.files.retrieve(made.id)


def test_bad_uploads_raise(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.files.create(file=("rows.csv", b"a,b\n"), purpose="batch")
    assert "Must be .jsonl" in caught.value.message


def test_responses_with_files_and_schema(client: openai.OpenAI) -> None:
    made = client.files.create(file=("p.txt", b"Age: 30\nCity: Rome\n"), purpose="user_data")
    by_id = client.responses.create(
        model="gpt-4.1",
        instructions="Extract the person.",
        input=[{"role": "user", "content": [{"type": "input_file", "file_id": made.id}]}],
        text=FORMAT,  # type: ignore[arg-type]
    )
    assert json.loads(by_id.output_text) == {"age": 30, "city": "Rome"}
    data = base64.b64encode(b"Age: 41\nCity: Kyiv\n").decode()
    inline = client.responses.create(
        model="gpt-4o",
        input=[
            {
                "role": "user",
                "content": [
                    {
                        "type": "input_file",
                        "filename": "q.txt",
                        "file_data": f"data:text/plain;base64,{data}",
                    }
                ],
            }
        ],
        text=FORMAT,  # type: ignore[arg-type]
    )
    assert json.loads(inline.output_text) == {"age": 41, "city": "Kyiv"}
    assert client.responses.retrieve(inline.id).output_text == inline.output_text


def test_input_items_auto_paging(client: openai.OpenAI) -> None:
    messages = [{"role": "user", "content": f"Line {i}."} for i in range(25)]
    made = client.responses.create(model="gpt-4o", input=messages)  # type: ignore[arg-type]
    items = list(client.responses.input_items.list(made.id, limit=10))
    assert len(items) == 25 and len({i.id for i in items}) == 25


def test_chat_completions_and_models(client: openai.OpenAI) -> None:
    done = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Age: 7\nCity: Nice"}],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "p", "schema": SCHEMA, "strict": True},
        },
    )
    assert json.loads(done.choices[0].message.content or "") == {"age": 7, "city": "Nice"}
    assert "gpt-4o" in [m.id for m in client.models.list()]
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-0", messages=[{"role": "user", "content": "x"}])
    assert caught.value.code == "model_not_found"


def test_wrong_key_is_authentication_error(served: Served) -> None:
    bad = openai.OpenAI(
        base_url=served.info["services"]["openai"] + "/v1",
        api_key="sk-nope-0000000000",
        max_retries=0,
    )
    with pytest.raises(openai.AuthenticationError) as caught:
        bad.models.list()
    assert caught.value.code == "invalid_api_key"

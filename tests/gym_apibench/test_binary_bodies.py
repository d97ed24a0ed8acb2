"""Binary bodies through the env: body_base64 in actions, base64-marked observations, and the
clients that turn them back into bytes (httpx_routed, HAR)."""

from __future__ import annotations

import base64
import json

import gymnasium as gym
import httpx
import pytest

import gym_apibench  # noqa: F401  (registers the ids)
from gym_apibench.bodies import BODY_ENCODING_HEADER, body_bytes, observed_body
from gym_apibench.httpx_patch import httpx_routed

# Every byte value, and sequences that are not UTF-8 (a lone continuation byte, an overlong
# form, a surrogate's encoding): a PDF or an image has them.
BINARY = bytes(range(256)) + b"\x80\xc0\xaf\xed\xa0\x80" + b"%PDF-1.7\n\xe2\xe3\xcf\xd3"


@pytest.fixture
def env():
    env = gym.make("apibench/tus.upload-file-v1")
    yield env
    env.close()


def _tus(info: dict) -> tuple[str, dict[str, str]]:
    base = info["task"]["services"]["tus"]
    token = info["task"]["credentials"]["tus"]["token"]
    return base, {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}


def _upload(env, body: dict) -> tuple[str, dict]:
    _, info = env.reset(seed=3)
    base, headers = _tus(info)
    created, *_ = env.step(
        {
            "method": "POST",
            "url": base + "/files/",
            "headers": {**headers, "Upload-Length": str(len(BINARY))},
        }
    )
    assert created["status"] == 201, created
    location = created["headers"]["location"]
    patch_headers = {
        **headers,
        "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream",
    }
    patched, *_ = env.step({"method": "PATCH", "url": location, "headers": patch_headers, **body})
    return location, patched


def test_body_base64_sends_the_exact_bytes_and_binary_comes_back_as_base64(env) -> None:
    location, patched = _upload(env, {"body_base64": base64.b64encode(BINARY).decode()})
    assert patched["status"] == 204 and patched["headers"]["upload-offset"] == str(len(BINARY))
    headers = {k: v for k, v in patched["headers"].items() if k == "tus-resumable"}
    token = env.unwrapped.episode.task["credentials"]["tus"]["token"]
    got, *_ = env.step(
        {
            "method": "GET",
            "url": location,
            "headers": {**headers, "Authorization": f"Bearer {token}"},
        }
    )
    assert got["status"] == 200
    assert got["headers"][BODY_ENCODING_HEADER] == "base64"
    assert base64.b64decode(got["body"]) == BINARY == body_bytes(got)
    json.dumps(got)  # an observation stays plain JSON


def test_text_bodies_are_plain_text_without_the_marker(env) -> None:
    text = "naïve café ✓\n".encode()
    assert observed_body(text) == (text.decode(), False)
    _, info = env.reset(seed=0)
    base, headers = _tus(info)
    listed, *_ = env.step({"method": "GET", "url": base + "/files/", "headers": headers})
    assert listed["status"] == 200 and BODY_ENCODING_HEADER not in listed["headers"]
    assert json.loads(listed["body"]) is not None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"body_base64": "not base64!"}, "not valid base64"),
        ({"body_base64": 12}, "must be a string"),
        ({"body_base64": "AAAA", "body": "x"}, "not body and body_base64"),
        ({"body_base64": "AAAA", "json": {}}, "not json and body_base64"),
    ],
)
def test_bad_body_base64_is_an_invalid_action_that_sends_nothing(env, extra, message) -> None:
    _, info = env.reset(seed=0)
    base, headers = _tus(info)
    log = env.unwrapped.episode.world.log
    obs, *_ = env.step({"method": "POST", "url": base + "/files/", "headers": headers, **extra})
    assert obs["status"] == 0 and message in obs["body"]
    assert len(log) == 0


def test_httpx_routed_clients_get_and_send_bytes(env) -> None:
    _, info = env.reset(seed=1)
    base, headers = _tus(info)
    with httpx_routed(env), httpx.Client() as client:
        created = client.post(
            base + "/files/", headers={**headers, "Upload-Length": str(len(BINARY))}
        )
        location = str(created.url.join(created.headers["location"]))
        patch_headers = {
            **headers,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        }
        assert client.patch(location, headers=patch_headers, content=BINARY).status_code == 204
        got = client.get(location, headers=headers)
    assert got.content == BINARY and BODY_ENCODING_HEADER not in got.headers


def test_the_action_space_takes_one_body_form(env) -> None:
    action = {"method": "PUT", "url": "https://uploads.apibench.example/files/x"}
    assert env.action_space.contains({**action, "body_base64": "AAAA"})
    assert not env.action_space.contains({**action, "body_base64": b"AAAA"})
    assert not env.action_space.contains({**action, "body_base64": "AAAA", "body": "x"})


def test_har_entries_carry_binary_bodies_as_base64() -> None:
    from gym_apibench.har import Trace

    url = "https://uploads.apibench.example/files/x"
    trace = Trace(hosts={"uploads.apibench.example": "tus"}, base_urls={})
    encoded = base64.b64encode(BINARY).decode()
    action = {"method": "PATCH", "url": url, "body_base64": encoded}
    observation = {
        "status": 200,
        "headers": {"content-type": "application/pdf", BODY_ENCODING_HEADER: "base64"},
        "body": encoded,
    }
    trace.record(1, 0, 1_000_000, action, observation)
    (entry,) = trace.to_har({})["log"]["entries"]
    content = entry["response"]["content"]
    assert content == {
        "size": len(BINARY),
        "mimeType": "application/pdf",
        "text": encoded,
        "encoding": "base64",
    }
    assert BODY_ENCODING_HEADER not in {h["name"] for h in entry["response"]["headers"]}
    assert entry["request"]["postData"]["text"] == encoded
    assert entry["request"]["postData"]["_encoding"] == "base64"

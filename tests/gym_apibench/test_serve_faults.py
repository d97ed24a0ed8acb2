"""Faults in served mode: ``apibench serve --faults`` over a real loopback socket, with httpx.

Each transport kind must make httpx raise what it raises against a real server failing that
way, and with the message the in-process observation gives; the server keeps serving after.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from gym_apibench.cli import main
from gym_apibench.episode import Episode
from gym_apibench.solving import auth_headers
from tests.served import ATTIO, SEED, Served, serving

pytestmark = pytest.mark.slow

FAULTS = "/_fault/"
"""Paths under this prefix exist only to be faulted (unfaulted, they are 404s)."""
RULES = [
    {"name": kind, "kind": kind, "where": {"path": FAULTS + kind}}
    for kind in ("connection_refused", "connection_reset", "empty_response", "garbage")
] + [
    {
        "name": "stall",
        "kind": "read_timeout",
        "params": {"timeout": 20},
        "where": {"path": FAULTS + "stall"},
    },
    {
        "name": "short-stall",
        "kind": "read_timeout",
        "params": {"timeout": 0.3},
        "where": {"path": FAULTS + "short-stall"},
    },
    {"name": "cut", "kind": "truncated_body", "where": {"path": "/v2/objects"}},
    {
        "name": "cut-write",
        "kind": "truncated_body",
        "params": {"fraction": 0.1},
        "where": {"method": "POST", "path": "/v2/notes"},
    },
    {
        "name": "down",
        "kind": "http_error",
        "params": {"status": 503, "retry_after": 2},
        "where": {"path": "/v2/workspace_members"},
    },
    {"name": "slow", "kind": "latency", "params": {"seconds": 0.5}, "where": {"path": "/v2/lists"}},
]
PATIENCE = 5.0
"""The client's timeouts, unless a test sets its own."""


@pytest.fixture(scope="module")
def faults_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "faults.yaml"
    path.write_text(yaml.safe_dump({"faults": RULES}))
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, faults_file: Path) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("serve-faults") / "info.json"
    with serving(info, "--faults", str(faults_file)) as server:
        yield server


@pytest.fixture
def client(served: Served) -> Iterator[httpx.Client]:
    headers = auth_headers(served.info["credentials"]["attio"])
    base = served.info["services"]["attio"]
    with httpx.Client(base_url=base, headers=headers, timeout=PATIENCE) as http:
        yield http
        # The server keeps serving after the fault, on a new connection.
        assert http.get("/v2/self").status_code == 200


def in_process(faults_file: Path, path: str, method: str = "GET") -> str:
    """The message of the observation the same first request gets in process."""
    episode = Episode(ATTIO, SEED, faults=faults_file)
    task = episode.task
    action = {
        "method": method,
        "url": task["services"]["attio"] + path,
        "headers": auth_headers(task["credentials"]["attio"]),
    }
    observation = episode.request(action)
    assert observation["status"] == 0
    return str(json.loads(observation["body"])["message"])


def named(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize(
    ("kind", "raised"),
    [
        ("connection_reset", httpx.ReadError),
        # A listening socket has accepted the connection before any rule can match, so
        # refusal is emulated by an immediate reset: a read error, not a connect error.
        ("connection_refused", httpx.ReadError),
        ("empty_response", httpx.RemoteProtocolError),
        ("garbage", httpx.RemoteProtocolError),
    ],
)
def test_the_client_meets_the_fault_on_the_socket(
    client: httpx.Client, faults_file: Path, kind: str, raised: type[Exception]
):
    with pytest.raises(raised) as caught:
        client.get(FAULTS + kind)
    assert type(caught.value) is raised
    if raised is httpx.ReadError:  # errno numbers differ between platforms
        assert str(caught.value).endswith("Connection reset by peer")
    else:  # the same bytes, the same words
        assert named(caught.value) == in_process(faults_file, FAULTS + kind)


def test_read_timeout_is_a_silent_server_until_the_client_gives_up(client: httpx.Client):
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        client.get(FAULTS + "stall", timeout=httpx.Timeout(PATIENCE, read=0.5))
    assert time.monotonic() - start >= 0.45
    # The stall (20 s) holds no lock: others are served meanwhile, well within PATIENCE.
    assert client.get("/v2/self").status_code == 200


def test_read_timeout_closes_the_connection_when_its_time_is_up(client: httpx.Client):
    start = time.monotonic()
    with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending"):
        client.get(FAULTS + "short-stall")
    assert 0.25 <= time.monotonic() - start < PATIENCE


def test_truncated_body_sends_the_head_and_part_of_the_body(
    client: httpx.Client, faults_file: Path
):
    with pytest.raises(httpx.RemoteProtocolError) as caught:
        client.get("/v2/objects")
    assert "peer closed connection without sending complete message body" in str(caught.value)
    assert named(caught.value) == in_process(faults_file, "/v2/objects")


def test_truncated_body_after_a_write_lets_the_write_stand(client: httpx.Client, served: Served):
    people = client.post("/v2/objects/people/records/query", json={"limit": 1}).json()["data"]
    person = people[0]["id"]["record_id"]
    note = {
        "parent_object": "people",
        "parent_record_id": person,
        "title": "written, answer lost",
        "format": "plaintext",
        "content": "x" * 200,
    }
    with pytest.raises(httpx.RemoteProtocolError, match=r"received \d+ bytes, expected \d+"):
        client.post("/v2/notes", json={"data": note})
    query = {"parent_object": "people", "parent_record_id": person, "limit": 50}
    notes = client.get("/v2/notes", params=query).json()["data"]
    assert note["title"] in {n["title"] for n in notes}
    assert served.control("POST", "/reset").status_code == 200


def test_http_error_in_served_mode(client: httpx.Client):
    reply = client.get("/v2/workspace_members")
    assert reply.status_code == 503 and reply.headers["retry-after"] == "2"


def test_latency_delays_on_the_wall_clock(client: httpx.Client):
    start = time.monotonic()
    assert client.get("/v2/lists").status_code == 200
    assert time.monotonic() - start >= 0.45


def test_a_stall_does_not_hold_up_shutdown(tmp_path: Path, faults_file: Path):
    with serving(tmp_path / "info.json", "--faults", str(faults_file)) as server:
        url = server.info["services"]["attio"] + FAULTS + "stall"
        failures: list[BaseException] = []

        def stalled() -> None:
            try:
                httpx.get(url, timeout=15.0)
            except httpx.HTTPError as exc:
                failures.append(exc)

        thread = threading.Thread(target=stalled)
        thread.start()
        time.sleep(1.0)  # the request is in its stall (20 s)
        start = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        _, stderr = server.process.communicate(timeout=15)
        thread.join(timeout=15)
        assert server.process.returncode == 0, stderr
        assert time.monotonic() - start < 10.0  # well before the stall would end
        assert len(failures) == 1 and isinstance(failures[0], httpx.TransportError)


def test_bad_faults_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"faults": [{"kind": "garbage", "params": {"sise": 8}}]}))
    argv = ["serve", "--scenario", ATTIO, "--port", "0", "--faults"]
    assert main([*argv, str(bad)]) == 2
    assert "faults[0].params.sise: unknown parameter" in capsys.readouterr().err
    assert main([*argv, str(tmp_path / "missing.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err

"""What a real HTTP server refuses (CR/LF/NUL in a header, an over-long target, header line
or header section) is refused the same way in process and served, and changes nothing."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from gym_apibench.episode import Episode
from gym_apibench.solving import auth_headers
from mockapis.kit.limits import MAX_FIELD, MAX_HEAD, MAX_TARGET
from tests.served import SEED, Served, serving

SCENARIO = "stripe.all-customers"
LIST = "/v1/customers?limit=1"

# (name, extra query, extra headers, status): each over a limit by a little or a lot.
CASES = [
    ("crlf", "", {"X-A": "a\r\nX-Injected: 1"}, 400),
    ("lf", "", {"X-A": "a\nb"}, 400),
    ("nul", "", {"X-A": "a\x00b"}, 400),
    ("long-line", "", {"X-A": "a" * MAX_FIELD}, 431),
    ("10-mb-header", "", {"X-A": "a" * 10 * 2**20}, 431),
    ("long-section", "", {f"X-{i}": "a" * 4000 for i in range(MAX_HEAD // 4000 + 1)}, 431),
    ("long-target", "&x=" + "a" * MAX_TARGET, {}, 414),
    ("1-mb-url", "&x=" + "a" * 2**20, {}, 414),
]


@pytest.mark.parametrize(("name", "query", "extra", "status"), CASES, ids=[c[0] for c in CASES])
def test_in_process(name: str, query: str, extra: dict[str, str], status: int):
    episode = Episode(SCENARIO, SEED)
    headers = {**auth_headers(episode.task["credentials"]["stripe"]), **extra}
    url = episode.task["services"]["stripe"] + LIST + query
    before = episode.state_hash()
    obs = episode.request({"method": "POST", "url": url, "headers": headers})
    assert obs["status"] == status
    assert episode.state_hash() == before and episode.world.log == []
    ok = episode.request(
        {
            "method": "GET",
            "url": episode.task["services"]["stripe"] + LIST,
            "headers": auth_headers(episode.task["credentials"]["stripe"]),
        }
    )
    assert ok["status"] == 200  # just under: a plain request still passes


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("limits") / "info.json"
    with serving(Path(info), "--scenario", SCENARIO) as server:
        yield server


def _raw(served: Served, target: str, headers: dict[str, str]) -> int:
    """Send the request as raw bytes (no client library would): the status line's code."""
    base = urlsplit(served.info["services"]["stripe"])
    lines = [f"GET {base.path}{target} HTTP/1.1", f"Host: {base.netloc}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection((base.hostname, base.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        head = b""
        while b"\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1])


WIRE = [c for c in CASES if c[0] not in ("crlf", "lf")]
"""On the wire a CR or LF ends the header line: a client cannot send one inside a value."""


@pytest.mark.parametrize(("name", "query", "extra", "status"), WIRE, ids=[c[0] for c in WIRE])
def test_served(served: Served, name: str, query: str, extra: dict[str, str], status: int):
    headers = auth_headers(served.info["credentials"]["stripe"])
    before = served.control("GET", "/score").json()
    assert _raw(served, LIST + query, {**headers, **extra}) == status
    assert served.control("GET", "/score").json() == before
    assert _raw(served, LIST, headers) == 200

"""The filings site and the reader served on a real socket (``apibench serve``), driven with
plain ``httpx`` and ``requests``: the User-Agent 403, the rate threshold on the wall clock,
PDF bytes stable across processes and seeds, and the reader reading the served site."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import gymnasium as gym
import httpx
import pypdf
import pytest
import requests

import gym_apibench
from gym_apibench.bodies import body_bytes
from tests.served import Served, serving

SITE_SCENARIO = "web.download-filings"
READER_SCENARIO = "documents.filing-to-slack"
UA = {"User-Agent": "Apibench Tests qa@apibench-tests.example"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("web") / "info.json"
    with serving(Path(info), "--scenario", SITE_SCENARIO, "--seed", "0") as server:
        yield server


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("documents") / "info.json"
    with serving(Path(info), "--scenario", READER_SCENARIO, "--seed", "0") as server:
        yield server


def _base(served: Served, name: str = "web") -> str:
    return str(served.info["services"][name]).rstrip("/")


def _first_pdf(base: str) -> str:
    index = httpx.get(base + "/", headers=UA).text
    company = re.findall(r'href="[^"]*?/(Archives/edgar/data/\d+/)"', index)[0]
    page = httpx.get(f"{base}/{company}", headers=UA).text
    return re.findall(r'href="[^"]*?/(Archives/[^"]+\.pdf)"', page)[0]


def test_library_user_agents_get_the_undeclared_tool_page(site: Served) -> None:
    base = _base(site)
    for reply in (httpx.get(base + "/"), requests.get(base + "/", timeout=10)):
        assert reply.status_code == 403
        assert "Undeclared Automated Tool" in reply.text
        assert reply.headers["content-type"].startswith("text/html")
    assert requests.get(base + "/", headers=UA, timeout=10).status_code == 200


def test_pdf_bytes_match_the_in_process_world_and_differ_by_seed(
    site: Served, tmp_path: Path
) -> None:
    base = _base(site)
    path = _first_pdf(base)
    served = httpx.get(f"{base}/{path}", headers=UA)
    assert served.status_code == 200 and served.headers["content-type"] == "application/pdf"
    assert served.content.startswith(b"%PDF-") and pypdf.PdfReader(io.BytesIO(served.content))
    env = gym.make(gym_apibench.gym_id(SITE_SCENARIO))
    _, info = env.reset(seed=0)
    obs, *_ = env.step({"method": "GET", "url": f"{info['task']['services']['web']}/{path}",
                        "headers": UA})  # fmt: skip
    assert body_bytes(obs) == served.content  # another process, the same bytes
    with serving(tmp_path / "seed1.json", "--scenario", SITE_SCENARIO, "--seed", "1") as other:
        other_pdf = httpx.get(f"{_base(other)}/{_first_pdf(_base(other))}", headers=UA)
    assert hashlib.sha256(other_pdf.content).digest() != hashlib.sha256(served.content).digest()


def test_the_reader_reads_the_served_site(docs: Served) -> None:
    reader = _base(docs, "reader")
    reply = requests.get(f"{reader}/https://filings.apibench.example/", timeout=10)
    assert reply.status_code == 200
    assert reply.text.startswith("Title: Filings Archive | Company index\n\nURL Source: ")
    pdf = _first_pdf(_base(docs))
    token = docs.info["credentials"]["reader"]["token"]
    envelope = httpx.get(
        f"{reader}/https://filings.apibench.example/{pdf}",
        headers={"Accept": "application/json", "Authorization": f"Bearer {token}"},
    ).json()
    assert envelope["code"] == 200 and envelope["data"]["numPages"] == 1
    gone = httpx.get(f"{reader}/https://example.com/")
    assert gone.status_code == 422 and gone.json()["name"] == "AssertionFailureError"


def test_the_rate_threshold_on_the_wall_clock(tmp_path: Path) -> None:
    with serving(tmp_path / "info.json", "--scenario", SITE_SCENARIO, "--seed", "2") as server:
        base = _base(server)
        with httpx.Client(headers=UA) as client:
            statuses = [client.get(base + "/").status_code for _ in range(30)]
            assert 403 in statuses and statuses[:10] == [200] * 10
            refused = client.get(base + "/")
            assert refused.status_code == 403
            assert "Request Rate Threshold Exceeded" in refused.text


def test_links_keep_the_served_prefix(site: Served) -> None:
    base = _base(site)
    index = httpx.get(base + "/", headers=UA).text
    link = re.findall(r'href="(/[^"]*/Archives/edgar/data/\d+/)"', index)[0]
    origin = base.split("/", 3)
    assert link.startswith("/" + origin[3] + "/")  # e.g. /web/Archives/...
    assert httpx.get(f"{origin[0]}//{origin[2]}{link}", headers=UA).status_code == 200

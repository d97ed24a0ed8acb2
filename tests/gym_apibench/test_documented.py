"""What the specs document an operation answers, and the garbled answers the robust
reference's layer takes as lost."""

from __future__ import annotations

import json

import pytest

from gym_apibench.documented import Documented, is_json_media
from gym_apibench.harness import run_episode
from gym_apibench.solving import Recovery, Solution, hint, recovering, request
from tests.gym_apibench.layer_play import play

ATTIO = Documented({"attio": "https://api.attio.com"})
RECORD = "https://api.attio.com/v2/objects/people/records/5f0c2a1e-0000-4000-8000-000000000001"
LEDGERLY = Documented({"ledgerly": "https://api.ledgerly.example"})
PAGE = b"<!DOCTYPE html><html><body>We'll be right back</body></html>".decode()


def answer(status: int, body: str, content_type: str = "application/json") -> dict[str, object]:
    return {"status": status, "headers": {"content-type": content_type}, "body": body}


def test_media_types_come_from_the_spec_refs_followed() -> None:
    assert ATTIO.media("GET", RECORD, 200) == frozenset({"application/json"})
    assert ATTIO.media("GET", RECORD + "/", 200) == frozenset({"application/json"})
    # Unknown hosts, paths and methods are unknown, not guessed.
    assert ATTIO.media("GET", "https://api.stripe.com/v1/customers", 200) is None
    assert ATTIO.media("GET", "https://api.attio.com/v9/nowhere", 200) is None
    assert ATTIO.media("TRACE", RECORD, 200) is None
    # The HTML sign-in page is documented as HTML.
    page = LEDGERLY.media("GET", "https://api.ledgerly.example/oauth/authorize?oauth_token=t", 200)
    assert page is not None and "text/html" in page
    assert is_json_media("application/problem+json; charset=utf-8")
    assert not is_json_media("text/html")


@pytest.mark.parametrize(
    ("observation", "garbled"),
    [
        (answer(200, '{"data": {"id": '), True),  # a cut document
        (answer(200, PAGE, "text/html"), True),  # a proxy's page where JSON is documented
        (answer(201, PAGE, "text/html"), True),  # undocumented success: every success's types
        (answer(200, '{"data": {}}'), False),
        (answer(200, '{"data": {}}', "text/plain"), False),  # mislabelled, still whole
        (answer(404, PAGE, "text/html"), False),  # errors are the solution's to read
        (answer(200, ""), False),
    ],
)
def test_a_success_that_is_not_the_documented_json_is_garbled(observation, garbled) -> None:
    assert ATTIO.garbled("GET", RECORD, observation) is garbled


def test_a_documented_html_page_is_never_garbled() -> None:
    url = "https://api.ledgerly.example/oauth/authorize?oauth_token=t"
    assert not LEDGERLY.garbled("GET", url, answer(200, PAGE, "text/html"))


def test_the_layer_resends_a_garbled_read_and_checks_a_garbled_write() -> None:
    read = request("GET", RECORD)
    write = request("POST", "https://api.attio.com/v2/objects/people/records", json_body={})
    looked = request("GET", "https://api.attio.com/v2/objects/people/records/found")
    whole = answer(200, json.dumps({"data": {"id": "x"}}))

    def check() -> Solution:
        obs = yield looked
        return obs

    def solve() -> Solution:
        yield read
        yield hint(write, check=check)
        yield {"submit": None}

    recovery = Recovery(garbled=ATTIO.garbled)
    cut = answer(200, '{"data": {"id"')
    actions = play(recovering(solve(), recovery), [cut, whole, cut, whole])
    # The cut read is sent again; the cut write is looked up, not repeated.
    assert actions == [read, read, write, looked, {"submit": None}]
    assert (recovery.retries, recovery.checks) == (2, 1)


@pytest.mark.parametrize("mode", ["truncate", "html"])
def test_the_robust_reference_reads_past_malformed_answers(mode: str) -> None:
    rules = [
        {"name": "garble", "kind": "malformed", "params": {"mode": mode}, "when": {"first": 1}}
    ]
    result = run_episode("robust", "attio.record-by-id", 0, rules)
    assert any(f["kind"] == "malformed" for f in result.faults)
    assert result.success, result.failure
    assert not run_episode("oracle", "attio.record-by-id", 0, rules).success

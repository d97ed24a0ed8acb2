"""Ledgerly's OAuth 1.0a: the three-legged flow, two-legged calls, every protocol refusal."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from mockapis.ledgerly.oauth import NONCES
from tests.mockapis.ledgerly.conftest import BASE, FORM, Books, problem


def test_three_legged_flow_with_oob_and_every_method(fresh: Books) -> None:
    for app in ("invoicing", "reporting", "sync", "legacy"):
        token = fresh.access_token(app)
        reply = fresh.signed(
            fresh.signer(app, token=token), "GET", "/api/1.0/invoices?format=json&pagesize=3"
        )
        assert reply.status == 200, (app, reply.raw)
        assert len(reply.json["invoices"]) == 3


def test_request_token_response_and_callback_redirect(fresh: Books) -> None:
    reply = fresh.signed(
        fresh.signer("invoicing"),
        "POST",
        "/oauth/request_token",
        oauth={"oauth_callback": "https://client.example/cb?state=1"},
    )
    assert reply.status == 200 and reply.headers["content-type"].startswith(FORM)
    body = dict(parse_qsl(reply.raw.decode()))
    assert body["oauth_callback_confirmed"] == "true" and body["oauth_expires_in"] == "600"
    final = fresh.approve(body["oauth_token"])
    assert final.status == 302
    location = urlsplit(final.headers["location"])
    assert (location.scheme, location.netloc, location.path) == ("https", "client.example", "/cb")
    query = dict(parse_qsl(location.query))
    assert query["state"] == "1" and query["oauth_token"] == body["oauth_token"]
    token = (body["oauth_token"], body["oauth_token_secret"])
    granted = fresh.exchange("invoicing", token, query["oauth_verifier"])
    assert granted.status == 200
    assert dict(parse_qsl(granted.raw.decode()))["oauth_expires_in"] == "1800"


def test_request_tokens_and_verifiers_are_single_use(fresh: Books) -> None:
    token = fresh.request_token("invoicing")
    verifier = fresh.verifier(fresh.approve(token[0]))
    assert fresh.exchange("invoicing", token, verifier).status == 200
    again = fresh.exchange("invoicing", token, verifier)
    assert again.status == 401 and problem(again)["oauth_problem"] == "token_used"
    page = fresh.send("GET", f"{BASE}/oauth/authorize?oauth_token={token[0]}")
    assert page.status == 400 and b"already" in page.raw


def test_wrong_verifier_changes_nothing(fresh: Books) -> None:
    token = fresh.request_token("invoicing")
    verifier = fresh.verifier(fresh.approve(token[0]))
    before = fresh.world.snapshot()
    wrong = fresh.exchange("invoicing", token, verifier[::-1])
    assert wrong.status == 401 and problem(wrong)["oauth_problem"] == "verifier_invalid"
    assert fresh.world.diff(before) == {}
    assert fresh.exchange("invoicing", token, verifier).status == 200


def test_unapproved_denied_and_expired_request_tokens(fresh: Books) -> None:
    token = fresh.request_token("invoicing")
    early = fresh.exchange("invoicing", token, "nope")
    assert problem(early)["oauth_problem"] == "permission_unknown"
    denied = fresh.approve(token[0], decision="deny")
    assert denied.status == 200 and b"denied" in denied.raw
    assert problem(fresh.exchange("invoicing", token, "x"))["oauth_problem"] == "permission_denied"
    late = fresh.request_token("invoicing")
    verifier = fresh.verifier(fresh.approve(late[0]))
    fresh.world.clock.advance(601)
    expired = fresh.exchange("invoicing", late, verifier)
    assert problem(expired)["oauth_problem"] == "token_expired"


def test_deny_with_a_callback_redirects_with_the_problem(fresh: Books) -> None:
    signer = fresh.signer("invoicing")
    reply = fresh.signed(
        signer, "POST", "/oauth/request_token", oauth={"oauth_callback": "http://cb.example/x"}
    )
    token = dict(parse_qsl(reply.raw.decode()))["oauth_token"]
    final = fresh.approve(token, decision="deny")
    assert final.status == 302
    assert "oauth_problem=permission_denied" in final.headers["location"]


def test_authorize_page_refuses_a_wrong_login_and_a_forged_ticket(fresh: Books) -> None:
    token, _ = fresh.request_token("invoicing")
    wrong = fresh.post_page({"oauth_token": token, "username": "x", "password": "y"})
    assert wrong.status == 401 and b"Invalid username or password" in wrong.raw
    forged = fresh.post_page({"oauth_token": token, "ticket": "guess", "decision": "approve"})
    assert forged.status == 400
    unknown = fresh.send("GET", f"{BASE}/oauth/authorize?oauth_token=rt_nope")
    assert unknown.status == 400 and unknown.headers["content-type"].startswith("text/html")
    assert fresh.send("GET", f"{BASE}/oauth/authorize").status == 400


def test_callback_must_be_a_url_or_oob(books: Books) -> None:
    reply = books.signed(
        books.signer("invoicing"), "POST", "/oauth/request_token", oauth={"oauth_callback": "ftp:x"}
    )
    assert reply.status == 400
    assert problem(reply)["oauth_parameters_rejected"] == "oauth_callback"
    missing = books.signed(books.signer("invoicing"), "POST", "/oauth/request_token")
    assert missing.status == 400
    assert problem(missing)["oauth_parameters_absent"] == "oauth_callback"


# -- two-legged --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/1.0/company", "/api/1.0/accounts", "/api/1.0/contacts", "/api/1.0/contacts/10001"],
)
def test_partner_consumer_reads_the_directory_two_legged(books: Books, path: str) -> None:
    assert books.signed(books.signer("reporting"), "GET", path).status == 200


@pytest.mark.parametrize(
    "path", ["/api/1.0/invoices", "/api/1.0/payments", "/api/1.0/ledger_entries"]
)
def test_two_legged_never_reaches_the_books(books: Books, path: str) -> None:
    reply = books.signed(books.signer("reporting"), "GET", path)
    assert reply.status == 401
    assert problem(reply)["oauth_parameters_absent"] == "oauth_token"


def test_non_partner_consumers_need_a_token_everywhere(books: Books) -> None:
    for app in ("invoicing", "sync", "legacy"):
        reply = books.signed(books.signer(app), "GET", "/api/1.0/contacts")
        assert reply.status == 401 and problem(reply)["oauth_problem"] == "parameter_absent"


# -- protocol refusals -------------------------------------------------------------------------


def test_signature_method_is_fixed_per_consumer(books: Books) -> None:
    for app, wrong in (
        ("reporting", "HMAC-SHA1"),
        ("invoicing", "HMAC-SHA256"),
        ("legacy", "HMAC-SHA1"),
    ):
        signer = books.signer(app)
        signer.method = wrong
        reply = books.signed(
            signer, "POST", "/oauth/request_token", oauth={"oauth_callback": "oob"}
        )
        assert reply.status == 400, app
        assert problem(reply)["oauth_problem"] == "signature_method_rejected"


# 302, not 301: the request's own clock tick may carry the server's second on by one.
@pytest.mark.parametrize("offset", [-302, 302, -(10**6), 10**6])
def test_timestamps_more_than_300_s_off_either_way_are_refused(books: Books, offset: int) -> None:
    signer = books.signer("reporting")
    signer.now = books.now + offset
    reply = books.act(signer.request("GET", BASE + "/api/1.0/company"))
    assert reply.status == 401
    found = problem(reply)
    assert found["oauth_problem"] == "timestamp_refused"
    low, high = map(int, found["oauth_acceptable_timestamps"].split("-"))
    assert high - low == 600 and low <= books.now <= high


@pytest.mark.parametrize("offset", [-290, 290])
def test_timestamps_within_the_window_are_accepted(books: Books, offset: int) -> None:
    signer = books.signer("reporting")
    signer.now = books.now + offset
    assert books.act(signer.request("GET", BASE + "/api/1.0/company")).status == 200


def test_a_replayed_request_is_refused(books: Books) -> None:
    signer = books.signer("reporting")
    action = signer.request("GET", BASE + "/api/1.0/company")
    assert books.act(action).status == 200
    replay = books.act(action)
    assert replay.status == 401 and problem(replay)["oauth_problem"] == "nonce_used"


def test_a_refused_request_burns_no_nonce_but_a_bad_body_does(fresh: Books) -> None:
    signer = fresh.signer("reporting")
    bad = signer.request("GET", BASE + "/api/1.0/company")
    bad["headers"]["Authorization"] = bad["headers"]["Authorization"].replace(
        'oauth_signature="', 'oauth_signature="x'
    )
    before = dict(fresh.world.runtime.get(NONCES, {}))
    assert problem(fresh.act(bad))["oauth_problem"] == "signature_invalid"
    assert fresh.world.runtime.get(NONCES, {}) == before
    token = fresh.access_token("invoicing")
    writer = fresh.signer("invoicing", token=token)
    action = writer.request(
        "POST", BASE + "/api/1.0/invoices", body="{}", content_type="application/json"
    )
    assert fresh.act(action).status == 400  # authenticated, then an invalid body
    assert problem(fresh.act(action))["oauth_problem"] == "nonce_used"


def test_absent_parameters_are_listed(books: Books) -> None:
    none = books.send("GET", BASE + "/api/1.0/company")
    assert none.status == 401
    listed = problem(none)["oauth_parameters_absent"].split("&")
    assert listed == [
        "oauth_consumer_key",
        "oauth_signature_method",
        "oauth_signature",
        "oauth_timestamp",
        "oauth_nonce",
    ]
    partial = books.send(
        "GET", BASE + "/api/1.0/company", {"authorization": 'OAuth oauth_consumer_key="k"'}
    )
    assert partial.status == 400
    assert "oauth_signature" in problem(partial)["oauth_parameters_absent"]
    bearer = books.send("GET", BASE + "/api/1.0/company", {"authorization": "Bearer abc"})
    assert bearer.status == 401 and problem(bearer)["oauth_problem"] == "parameter_absent"


def test_version_and_duplicate_parameters_are_rejected(books: Books) -> None:
    signer = books.signer("reporting")
    reply = books.act(
        signer.request("GET", BASE + "/api/1.0/company", oauth={"oauth_version": "2.0"})
    )
    assert reply.status == 400 and problem(reply)["oauth_acceptable_versions"] == "1.0-1.0"
    action = signer.request("GET", BASE + "/api/1.0/company?oauth_nonce=a&oauth_nonce=b")
    del action["headers"]["Authorization"]
    assert problem(books.act(action))["oauth_problem"] == "parameter_rejected"
    mixed = signer.request("GET", BASE + "/api/1.0/company?oauth_nonce=a")
    assert problem(books.act(mixed))["oauth_problem"] == "parameter_rejected"


def test_unknown_consumer(books: Books) -> None:
    signer = books.signer("reporting")
    signer.key = "ck_unknown"
    reply = books.act(signer.request("GET", BASE + "/api/1.0/company"))
    assert reply.status == 401 and problem(reply)["oauth_problem"] == "consumer_key_unknown"


def test_plaintext_may_leave_out_timestamp_and_nonce(books: Books) -> None:
    token = books.access_token("legacy")
    secret = books.creds["legacy_consumer_secret"]
    header = (
        f'OAuth oauth_consumer_key="{books.creds["legacy_consumer_key"]}", '
        f'oauth_token="{token[0]}", oauth_signature_method="PLAINTEXT", '
        f'oauth_signature="{secret}%26{token[1]}"'
    )
    reply = books.send("GET", BASE + "/api/1.0/company", {"authorization": header})
    assert reply.status == 200
    wrong = header.replace(token[1], "nope")
    assert (
        problem(books.send("GET", BASE + "/api/1.0/company", {"authorization": wrong}))[
            "oauth_problem"
        ]
        == "signature_invalid"
    )


def test_rejected_requests_change_nothing(fresh: Books) -> None:
    token = fresh.access_token("invoicing")
    signer = fresh.signer("invoicing", token=token)
    form = [("contact_id", "10001"), ("description", "x"), ("quantity", "1"), ("unit_price", "5")]
    action = signer.request("POST", BASE + "/api/1.0/invoices", form=form)
    action["body"] = action["body"].replace("unit_price=5", "unit_price=6")
    before = fresh.world.state_hash()
    reply = fresh.act(action)
    assert reply.status == 401 and problem(reply)["oauth_problem"] == "signature_invalid"
    assert (
        fresh.world.state_hash().startswith(before[:0])
        and len(fresh.world.table("ledgerly.invoices")) == 40
    )


def test_rfc5849_base_string_example_is_what_authlib_builds() -> None:
    from authlib.oauth1.rfc5849.signature import construct_base_string

    params = [
        ("b5", "=%3D"),
        ("a3", "a"),
        ("c@", ""),
        ("a2", "r b"),
        ("oauth_consumer_key", "9djdj82h48djs9d2"),
        ("oauth_token", "kkk9d7dh3k39sjv7"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131201"),
        ("oauth_nonce", "7d8f3e4a"),
        ("c2", ""),
        ("a3", "2 q"),
    ]
    base = construct_base_string("POST", "http://example.com:80/request", params)
    assert base == (
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D"
        "%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce"
        "%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_"
        "token%3Dkkk9d7dh3k39sjv7"
    )


@pytest.mark.parametrize("app", ["invoicing", "reporting", "sync", "legacy"])
@pytest.mark.parametrize("garbage", ["%25%25zz", "abc", "%3D", ""])
def test_undecodable_signatures_are_invalid_not_errors(
    books: Books, app: str, garbage: str
) -> None:
    action = books.signer(app).request(
        "POST", BASE + "/oauth/request_token", oauth={"oauth_callback": "oob"}
    )
    header = action["headers"]["Authorization"]
    start = header.index('oauth_signature="') + len('oauth_signature="')
    action["headers"]["Authorization"] = (
        header[:start] + garbage + header[header.index('"', start) :]
    )
    reply = books.act(action)
    expected = "parameter_absent" if garbage == "" else "signature_invalid"
    assert reply.status in (400, 401) and problem(reply)["oauth_problem"] == expected


def test_no_auth_state_survives_a_reset(fresh: Books) -> None:
    start = fresh.world.snapshot()
    token = fresh.access_token("invoicing")
    signer = fresh.signer("invoicing", token=token)
    action = signer.request("GET", BASE + "/api/1.0/invoices")
    assert fresh.act(action).status == 200
    fresh.world.restore(start)
    fresh.world.clock.now_ns = start.clock_ns
    reply = fresh.act(action)  # the same signed request: unknown token now, nonce forgotten
    assert reply.status == 401 and problem(reply)["oauth_problem"] == "token_rejected"
    assert NONCES not in fresh.world.runtime

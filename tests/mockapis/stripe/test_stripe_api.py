"""Stripe endpoints: lists and their invariants, limits, errors, search, expand, idempotency."""

from __future__ import annotations

import pytest

from tests.inprocess import call
from tests.mockapis.stripe.conftest import BASE, StripeClient

LISTS = ["/v1/customers", "/v1/products", "/v1/prices", "/v1/charges", "/v1/balance_transactions"]


def walk(client: StripeClient, path: str, limit: int, *, backwards: bool = False) -> list[str]:
    """Every id of a list, page by page (backwards: from the end, with ending_before)."""
    ids: list[str] = []
    cursor: list[tuple[str, str]] = []
    if backwards:
        last = walk(client, path, 100)[-1]
        ids, cursor = [last], [("ending_before", last)]
    while True:
        page = client.get(path, [("limit", limit), *cursor]).json
        got = [o["id"] for o in page["data"]]
        ids = got + ids if backwards else ids + got
        if not page["has_more"]:
            return ids
        cursor = [("ending_before", got[0])] if backwards else [("starting_after", got[-1])]


@pytest.mark.parametrize("path", LISTS)
def test_walking_all_pages_yields_every_object_once_in_order(client, path):
    table = {
        "/v1/customers": "customers",
        "/v1/products": "products",
        "/v1/prices": "prices",
        "/v1/charges": "charges",
        "/v1/balance_transactions": "balance_transactions",
    }[path]
    rows = client.world.table(f"stripe.{table}").values()
    expected = [r["id"] for r in sorted(rows, key=lambda r: (r["created"], r["id"]), reverse=True)]
    for limit in (7, 100):
        assert walk(client, path, limit) == expected
        assert walk(client, path, limit, backwards=True) == expected


def test_list_object_shape_and_default_limit(client):
    body = client.get("/v1/customers").json
    assert body["object"] == "list" and body["url"] == "/v1/customers"
    assert len(body["data"]) == 10 and body["has_more"] is True


@pytest.mark.parametrize("limit", ["0", "101", "abc", "-5"])
def test_limit_out_of_range_is_stripes_error(client, limit):
    reply = client.get("/v1/customers", {"limit": limit})
    assert reply.status == 400
    error = reply.json["error"]
    assert error["param"] == "limit" and error["code"] == "parameter_invalid_integer"
    assert error["type"] == "invalid_request_error"


def test_unknown_parameter_and_unknown_cursor(client):
    reply = client.get("/v1/customers", {"colour": "red"})
    assert reply.status == 400 and reply.json["error"]["code"] == "parameter_unknown"
    reply = client.get("/v1/customers", {"starting_after": "cus_nope"})
    assert reply.json["error"]["code"] == "resource_missing"
    assert reply.json["error"]["param"] == "starting_after"
    reply = client.get("/v1/customers", {"starting_after": "a", "ending_before": "b"})
    assert reply.status == 400


def test_auth_errors(client):
    assert client.get("/v1/customers", key=None).status == 401
    reply = client.get("/v1/customers", key="sk_test_wrongwrongwrong")
    assert reply.status == 401 and "Invalid API Key" in reply.json["error"]["message"]


def test_retrieve_and_missing(client):
    customer = client.get("/v1/customers", {"limit": 1}).json["data"][0]
    assert client.get(f"/v1/customers/{customer['id']}").json == customer
    reply = client.get("/v1/customers/cus_missing")
    assert reply.status == 404
    assert reply.json["error"] == {
        "type": "invalid_request_error",
        "code": "resource_missing",
        "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
        "message": "No such customer: 'cus_missing'",
        "param": "id",
    }


def test_filters_email_created_and_type(client):
    customer = client.get("/v1/customers", {"limit": 1}).json["data"][0]
    found = client.get("/v1/customers", {"email": customer["email"]}).json["data"]
    assert customer["id"] in [c["id"] for c in found]
    since = client.get("/v1/customers", [("created[gte]", customer["created"])]).json["data"]
    assert [c["id"] for c in since] == [customer["id"]]
    txns = client.get("/v1/balance_transactions", {"type": "stripe_fee", "limit": 100}).json
    assert txns["data"] and all(t["type"] == "stripe_fee" for t in txns["data"])


def test_expand_nested_and_limits(client):
    page = client.get(
        "/v1/balance_transactions",
        [("type", "charge"), ("limit", 3), ("expand[]", "data.source.customer")],
    ).json
    for txn in page["data"]:
        assert txn["source"]["object"] == "charge"
        assert txn["source"]["customer"]["object"] == "customer"
        assert txn["net"] == txn["amount"] - txn["fee"]
    sdk_style = client.get("/v1/charges", [("limit", 1), ("expand[0]", "data.customer")]).json
    assert sdk_style["data"][0]["customer"]["object"] == "customer"
    too_deep = client.get("/v1/charges", [("expand[]", "data.a.b.c.d")])
    assert too_deep.status == 400 and too_deep.json["error"]["param"] == "expand"
    assert client.get("/v1/customers", [("expand[]", "data.email")]).status == 400


def test_expandable_null_fields_expand_to_null(client):
    """Fields Stripe marks expandable expand even when null here (default_source, test_clock,
    payment_intent, tax_code): null stays null; a field Stripe does not expand is a 400."""
    page = client.get(
        "/v1/customers", [("limit", 2), ("expand[]", "data.default_source"),
                          ("expand[]", "data.test_clock")],
    )  # fmt: skip
    assert page.status == 200 and all(c["default_source"] is None for c in page.json["data"])
    charges = client.get("/v1/charges", [("limit", 2), ("expand[]", "data.payment_intent")])
    assert charges.status == 200 and charges.json["data"][0]["payment_intent"] is None
    products = client.get("/v1/products", [("limit", 2), ("expand[]", "data.tax_code")])
    assert products.status == 200
    refused = client.get("/v1/customers", [("expand[]", "data.invoice_prefix")])
    assert refused.status == 400 and refused.json["error"]["param"] == "expand"


def test_recurring_prices_have_todays_shape(client):
    """A recurring price's ``recurring`` has no ``aggregate_usage`` (removed by Stripe in API
    version 2025-03-31) and carries ``meter``."""
    prices = client.get("/v1/prices", {"type": "recurring", "limit": 5}).json["data"]
    assert prices
    for price in prices:
        assert "aggregate_usage" not in price["recurring"] and "meter" in price["recurring"]
        assert price["recurring"]["interval"] in ("day", "week", "month", "year")


def test_post_bodies_must_be_form_encoded(fresh):
    """Stripe reads form bodies only: a JSON or untyped body is a 400 naming its
    Content-Type; an empty POST needs none; nothing is written."""
    before = len(fresh.world.table("stripe.customers").keys())
    auth = ("authorization", f"Bearer {fresh.key}")
    for ctype in ("application/json", None):
        headers = [("host", "api.stripe.com"), auth]
        if ctype:
            headers.append(("content-type", ctype))
        reply = call(fresh.gateway, "POST", BASE + "/v1/customers", headers, b'{"name": "A"}')
        error = reply.json["error"]
        assert reply.status == 400 and error["type"] == "invalid_request_error"
        assert error["message"].startswith(
            f"Invalid request: unsupported Content-Type {ctype or ''}"
        )
    assert len(fresh.world.table("stripe.customers").keys()) == before
    assert fresh.post("/v1/customers").status == 200
    charset = (("content-type", "application/x-www-form-urlencoded; charset=utf-8"),)
    named = fresh.request("POST", "/v1/customers", {"name": "Ada"}, headers=charset)
    assert named.status == 200 and named.json["name"] == "Ada"


def test_search_pages_cover_every_match_once(client):
    query = "metadata['segment']:'smb'"
    expected = {
        c["id"]
        for c in client.world.table("stripe.customers").values()
        if c["metadata"]["segment"] == "smb"
    }
    ids: list[str] = []
    token: list[tuple[str, str]] = []
    while True:
        page = client.get("/v1/customers/search", [("query", query), ("limit", 9), *token]).json
        assert page["object"] == "search_result"
        ids += [c["id"] for c in page["data"]]
        if not page["has_more"]:
            assert page["next_page"] is None
            break
        token = [("page", page["next_page"])]
    assert len(ids) == len(set(ids)) and set(ids) == expected


@pytest.mark.parametrize(
    "query",
    ["email~'ab'", "email:'x' AND name:'y' OR phone:'z'", "colour:'red'", "name>5", "", "email:"],
)
def test_invalid_search_queries(client, query):
    reply = client.get("/v1/customers/search", {"query": query})
    assert reply.status == 400 and reply.json["error"]["param"] == "query"


def test_search_grammar(client):
    customer = client.get("/v1/customers", {"limit": 1}).json["data"][0]
    domain = customer["email"].split("@")[1]
    by_email = client.get("/v1/customers/search", {"query": f"email:'{customer['email'].upper()}'"})
    assert customer["id"] in [c["id"] for c in by_email.json["data"]]
    by_domain = client.get(
        "/v1/customers/search", {"query": f"email~'@{domain}' AND created>=0", "limit": 100}
    ).json
    assert by_domain["data"] and all(c["email"].endswith(domain) for c in by_domain["data"])
    charges = client.get(
        "/v1/charges/search", {"query": "status:'failed' OR amount>100000", "limit": 100}
    ).json["data"]
    assert all(c["status"] == "failed" or c["amount"] > 100_000 for c in charges)
    bad_token = client.get("/v1/customers/search", {"query": "name~'ann'", "page": "zzz"})
    assert bad_token.status == 400 and bad_token.json["error"]["param"] == "page"


def test_create_update_delete_with_idempotency(fresh):
    form = {"email": "ada@example.com", "name": "Ada", "metadata[tier]": "gold"}
    key = (("idempotency-key", "key-1"),)
    first = fresh.post("/v1/customers", form, headers=key)
    again = fresh.post("/v1/customers", form, headers=key)
    assert first.status == again.status == 200 and first.json == again.json
    assert again.headers.get("idempotent-replayed") == "true"
    assert fresh.post("/v1/customers", {"email": "x@y.io"}, headers=key).status == 400
    customer_id = first.json["id"]
    assert fresh.get("/v1/customers", {"limit": 1}).json["data"][0]["id"] == customer_id
    updated = fresh.post(f"/v1/customers/{customer_id}", {"metadata[tier]": "", "name": "A"})
    assert updated.json["metadata"] == {} and updated.json["name"] == "A"
    assert fresh.post("/v1/customers", {"email": "not-an-email"}).status == 400
    deleted = fresh.request("DELETE", f"/v1/customers/{customer_id}")
    tombstone = {"id": customer_id, "object": "customer", "deleted": True}
    assert deleted.json == tombstone
    # A deleted customer is retrievable as its tombstone, and gone from lists and writes.
    assert fresh.get(f"/v1/customers/{customer_id}").json == tombstone
    assert customer_id not in [c["id"] for c in fresh.get("/v1/customers").json["data"]]
    assert fresh.post(f"/v1/customers/{customer_id}", {"name": "B"}).status == 404
    assert fresh.request("DELETE", f"/v1/customers/{customer_id}").status == 404
    assert fresh.get("/v1/customers/cus_neverexisted").status == 404


def test_products_and_prices(fresh):
    product = fresh.post("/v1/products", {"name": "Widget"}).json
    price = fresh.post(
        "/v1/prices",
        {
            "product": product["id"],
            "currency": "usd",
            "unit_amount": 1299,
            "recurring[interval]": "month",
        },
    ).json
    assert price["unit_amount"] == 1299 and price["type"] == "recurring"
    linked = fresh.post(
        f"/v1/products/{product['id']}",
        [("default_price", price["id"]), ("expand[]", "default_price")],
    ).json
    assert linked["default_price"]["id"] == price["id"]
    listed = fresh.get("/v1/prices", {"product": product["id"]}).json["data"]
    assert [p["id"] for p in listed] == [price["id"]]
    assert fresh.post("/v1/products", {}).json["error"]["code"] == "parameter_missing"
    assert (
        fresh.post("/v1/prices", {"product": "prod_x", "currency": "usd", "unit_amount": 5}).status
        == 404
    )


def test_counts_vary_with_the_seed():
    counts = {len(StripeClient(seed).world.table("stripe.customers")) for seed in range(5)}
    assert len(counts) > 1 and all(150 <= n <= 330 for n in counts)

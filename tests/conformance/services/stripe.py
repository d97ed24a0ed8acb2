"""stripe in the conformance suite: extra cases, allow-list, whether it conforms.

A case's path can name only the task's inputs, and no Stripe task has an object id among
them; so ``CASES`` is a :class:`~tests.conformance.cases.Deferred`: built when the suite
first iterates it, from ids of the scenario's world at the cases' seed
(:func:`~tests.conformance.cases.seeded_id`), not when the module is imported.
"""

from __future__ import annotations

from typing import Any

from tests.conformance.cases import Case, Deferred, seeded_id

__all__ = ["ALLOWANCES", "CASES", "PENDING"]

SCENARIO = "stripe.all-customers"
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _case(
    status: int, method: str, path: str, note: str, body: str | None = None, **kw: Any
) -> Case:
    headers = {**_FORM, **kw.pop("headers", {})} if body is not None else kw.pop("headers", {})
    return Case(SCENARIO, method, path, body=body, headers=headers, note=note, status=status, **kw)


def _cases() -> list[Case]:
    customer = seeded_id(SCENARIO, "stripe.customers")
    product = seeded_id(SCENARIO, "stripe.products")
    price = seeded_id(SCENARIO, "stripe.prices")
    charge = seeded_id(SCENARIO, "stripe.charges")
    txn = seeded_id(SCENARIO, "stripe.balance_transactions")
    return [
        # Operations no solution sends, answered with success.
        _case(200, "POST", "/v1/customers", "create", "email=ada%40example.com&name=Ada+Lovelace"),
        _case(
            200,
            "POST",
            f"/v1/customers/{customer}",
            "update",
            "metadata[segment]=smb&phone=%2B15550100",
        ),
        _case(200, "DELETE", f"/v1/customers/{customer}", "delete"),
        _case(
            200, "GET", f"/v1/customers/{customer}?expand[]=default_source", "expand default_source"
        ),
        _case(200, "GET", "/v1/charges?limit=3&expand[]=data.customer", "list charges"),
        _case(
            200,
            "GET",
            "/v1/charges/search?query=status%3A%27succeeded%27&limit=3",
            "search charges",
        ),
        _case(
            200,
            "GET",
            f"/v1/charges/{charge}?expand[]=customer&expand[]=balance_transaction",
            "charge, expanded",
        ),
        _case(200, "GET", f"/v1/balance_transactions/{txn}", "balance transaction"),
        _case(200, "GET", "/v1/prices?limit=5&expand[]=data.product", "list prices"),
        _case(200, "GET", f"/v1/prices/{price}", "retrieve price"),
        _case(
            200,
            "POST",
            "/v1/prices",
            "create price",
            f"product={product}&currency=usd&unit_amount=1500&recurring[interval]=month",
        ),
        _case(
            200, "POST", f"/v1/prices/{price}", "update price", "nickname=Standard&metadata[tier]=a"
        ),
        _case(200, "POST", "/v1/products", "create product", "name=Gift+card&description=A+card"),
        _case(200, "GET", f"/v1/products/{product}?expand[]=default_price", "retrieve product"),
        _case(200, "POST", f"/v1/products/{product}", "update product", "description=Renamed"),
        # Documented errors (Stripe's ``default`` response: the error object).
        _case(401, "GET", "/v1/customers", "no key", auth=False),
        _case(
            401,
            "GET",
            "/v1/customers",
            "wrong key",
            auth=False,
            headers={"Authorization": "Bearer sk_test_wrong0000000000000000"},
        ),
        _case(404, "GET", "/v1/customers/cus_nope", "no such customer"),
        _case(404, "DELETE", "/v1/customers/cus_nope", "delete"),
        _case(404, "POST", "/v1/customers/cus_nope", "update", "name=Nobody"),
        _case(400, "GET", "/v1/customers?limit=500", "limit"),
        _case(400, "GET", "/v1/customers?colour=blue", "unknown parameter"),
        _case(400, "GET", "/v1/customers/search", "search without query"),
        _case(400, "POST", "/v1/customers", "bad email", "email=not-an-email"),
        _case(404, "GET", "/v1/charges/ch_nope", "no such charge"),
        _case(400, "GET", "/v1/charges/search?query=amount%3E", "bad search query"),
        _case(404, "GET", "/v1/balance_transactions/txn_nope", "no such transaction"),
        _case(200, "GET", "/v1/balance_transactions?type=nope%5B", "list, odd type"),
        _case(404, "GET", "/v1/prices/price_nope", "no such price"),
        _case(400, "GET", "/v1/prices?type=weekly", "price type"),
        _case(
            400, "POST", "/v1/prices", "price without currency", f"product={product}&unit_amount=5"
        ),
        _case(404, "POST", "/v1/prices/price_nope", "update price", "nickname=x"),
        _case(404, "GET", "/v1/products/prod_nope", "no such product"),
        _case(400, "POST", "/v1/products", "product without name", "description=nameless"),
        _case(404, "POST", "/v1/products/prod_nope", "update product", "name=x"),
        _case(400, "GET", "/v1/products?active=maybe", "boolean"),
        Case(SCENARIO, "POST", "/v1/customers", body={"name": "Ada"}, note="JSON body", status=400),
    ]


PENDING = False
"""Every response conforms (issue 18): the suite's test must pass."""

CASES = Deferred(_cases)
"""Requests no scenario's solution sends: documented errors, operations no solution needs."""

_REFUNDS = (
    "Stripe removed `refunds` from the charge object in API version 2022-11-15 (it is "
    "expandable since: docs.stripe.com/upgrades#2022-11-15, and the vendor-specs README); "
    "the 2022-04 description still requires it, and charges here follow today's API."
)
ALLOWANCES: list[dict[str, Any]] = [
    *(
        {"operation": operation, "match": r"'refunds' is a required property$", "reason": _REFUNDS}
        for operation in ("GET /v1/charges", "GET /v1/charges/search", "GET /v1/charges/{charge}")
    )
]
"""Reviewed deviations: ``{"operation": "GET /vendor/{path}", "match": regex, "reason": why}``."""

"""stripe in the conformance suite: extra cases, allow-list, whether it conforms.

A case's path and body can name only the task's inputs, and no Stripe task has an object id among
them; so ``CASES`` is a :class:`~tests.conformance.cases.Deferred`: built when the suite
first iterates it, from ids of the scenario's world at the cases' seed
(:func:`~tests.conformance.cases.seeded_id`), not when the module is imported.
"""

from __future__ import annotations

import functools
from typing import Any

from tests.conformance.cases import Case, Deferred, case, seeded_id

__all__ = ["ALLOWANCES", "CASES", "PENDING"]

SCENARIO = "stripe.all-customers"
_case = functools.partial(case, SCENARIO)


def _cases() -> list[Case]:
    customer = seeded_id(SCENARIO, "stripe.customers")
    product = seeded_id(SCENARIO, "stripe.products")
    price = seeded_id(SCENARIO, "stripe.prices")
    charge = seeded_id(SCENARIO, "stripe.charges")
    txn = seeded_id(SCENARIO, "stripe.balance_transactions")
    return [
        # Operations no solution sends, answered with success.
        _case(
            200, "POST", "/v1/customers", "email=ada%40example.com&name=Ada+Lovelace", note="create"
        ),
        _case(
            200,
            "POST",
            f"/v1/customers/{customer}",
            "metadata[segment]=smb&phone=%2B15550100",
            note="update",
        ),
        _case(200, "DELETE", f"/v1/customers/{customer}", note="delete"),
        _case(
            200,
            "GET",
            f"/v1/customers/{customer}?expand[]=default_source",
            note="expand default_source",
        ),
        _case(200, "GET", "/v1/charges?limit=3&expand[]=data.customer", note="list charges"),
        _case(
            200,
            "GET",
            "/v1/charges/search?query=status%3A%27succeeded%27&limit=3",
            note="search charges",
        ),
        _case(
            200,
            "GET",
            f"/v1/charges/{charge}?expand[]=customer&expand[]=balance_transaction",
            note="charge, expanded",
        ),
        _case(200, "GET", f"/v1/balance_transactions/{txn}", note="balance transaction"),
        _case(200, "GET", "/v1/prices?limit=5&expand[]=data.product", note="list prices"),
        _case(200, "GET", f"/v1/prices/{price}", note="retrieve price"),
        _case(
            200,
            "POST",
            "/v1/prices",
            f"product={product}&currency=usd&unit_amount=1500&recurring[interval]=month",
            note="create price",
        ),
        _case(
            200,
            "POST",
            f"/v1/prices/{price}",
            "nickname=Standard&metadata[tier]=a",
            note="update price",
        ),
        _case(
            200, "POST", "/v1/products", "name=Gift+card&description=A+card", note="create product"
        ),
        _case(
            200, "GET", f"/v1/products/{product}?expand[]=default_price", note="retrieve product"
        ),
        _case(200, "POST", f"/v1/products/{product}", "description=Renamed", note="update product"),
        # Documented errors (Stripe's ``default`` response: the error object).
        _case(401, "GET", "/v1/customers", note="no key", auth=False),
        _case(
            401,
            "GET",
            "/v1/customers",
            note="wrong key",
            auth=False,
            headers={"Authorization": "Bearer sk_test_wrong0000000000000000"},
        ),
        _case(404, "GET", "/v1/customers/cus_nope", note="no such customer"),
        _case(404, "DELETE", "/v1/customers/cus_nope", note="delete: none such"),
        _case(404, "POST", "/v1/customers/cus_nope", "name=Nobody", note="update: none such"),
        _case(400, "GET", "/v1/customers?limit=500", note="limit"),
        _case(400, "GET", "/v1/customers?colour=blue", note="unknown parameter"),
        _case(400, "GET", "/v1/customers/search", note="search without query"),
        _case(400, "POST", "/v1/customers", "email=not-an-email", note="bad email"),
        _case(404, "GET", "/v1/charges/ch_nope", note="no such charge"),
        _case(400, "GET", "/v1/charges/search?query=amount%3E", note="bad search query"),
        _case(404, "GET", "/v1/balance_transactions/txn_nope", note="no such transaction"),
        _case(200, "GET", "/v1/balance_transactions?type=nope%5B", note="list, odd type"),
        _case(404, "GET", "/v1/prices/price_nope", note="no such price"),
        _case(400, "GET", "/v1/prices?type=weekly", note="price type"),
        _case(
            400,
            "POST",
            "/v1/prices",
            f"product={product}&unit_amount=5",
            note="price without currency",
        ),
        _case(404, "POST", "/v1/prices/price_nope", "nickname=x", note="update price: none such"),
        _case(404, "GET", "/v1/products/prod_nope", note="no such product"),
        _case(400, "POST", "/v1/products", "description=nameless", note="product without name"),
        _case(404, "POST", "/v1/products/prod_nope", "name=x", note="update product: none such"),
        _case(400, "GET", "/v1/products?active=maybe", note="boolean"),
        _case(400, "POST", "/v1/customers", {"name": "Ada"}, note="a JSON body"),
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

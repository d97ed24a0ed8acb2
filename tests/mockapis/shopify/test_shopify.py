"""Shopify storefront products.json: pages, the 250 cap, string prices, errors, invariants."""

from __future__ import annotations

import re

import pytest

from mockapis.shopify import SERVICE
from tests.mockapis.brewery.conftest import ServiceClient


@pytest.fixture(scope="module")
def client() -> ServiceClient:
    return ServiceClient(SERVICE, 0)


def test_default_page_has_30_products_in_id_order(client: ServiceClient) -> None:
    reply = client.get("/products.json")
    assert reply.status == 200
    products = reply.json["products"]
    assert len(products) == 30
    assert [p["id"] for p in products] == sorted(p["id"] for p in products)
    variant = products[0]["variants"][0]
    assert isinstance(variant["price"], str) and re.fullmatch(r"\d+\.\d\d", variant["price"])
    assert variant["product_id"] == products[0]["id"]


def test_limit_is_capped_at_250(client: ServiceClient) -> None:
    assert len(client.get("/products.json?limit=250").json["products"]) == 250
    assert len(client.get("/products.json?limit=1000").json["products"]) == 250


@pytest.mark.parametrize(
    ("query", "param"), [("limit=0", "limit"), ("page=-2", "page"), ("page=x", "page")]
)
def test_refused_parameters(client: ServiceClient, query: str, param: str) -> None:
    reply = client.get(f"/products.json?{query}")
    assert reply.status == 400 and param in reply.json["errors"]


def test_walking_all_pages_yields_every_product_once_in_order(client: ServiceClient) -> None:
    walked: list[int] = []
    page = 1
    while products := client.get(f"/products.json?limit=97&page={page}").json["products"]:
        walked.extend(p["id"] for p in products)
        page += 1
    assert walked == [p["id"] for p in client.rows("shopify.products")]
    assert len(walked) == 420 == len(set(walked))


def test_product_by_handle_and_404(client: ServiceClient) -> None:
    first = client.get("/products.json?limit=1").json["products"][0]
    assert client.get(f"/products/{first['handle']}.json").json == {"product": first}
    missing = client.get("/products/no-such-thing.json")
    assert missing.status == 404 and missing.json == {"errors": "Not Found"}
    assert client.get("/admin/api/2024-01/products.json").status == 404


def test_late_vendors_appear_only_after_the_first_page(client: ServiceClient) -> None:
    first = {p["vendor"] for p in client.get("/products.json?limit=250").json["products"]}
    everyone = {p["vendor"] for p in client.rows("shopify.products")}
    assert first < everyone

"""The official ``stripe`` SDK against ``apibench serve``: auto-pagination, retrieve, search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe

from gym_apibench.episode import Episode
from tests.served import SEED, Served, serving

SCENARIO = "stripe.all-customers"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    info = tmp_path_factory.mktemp("stripe") / "info.json"
    with serving(Path(info), "--scenario", SCENARIO) as server:
        yield server


@pytest.fixture(scope="module")
def client(served: Served) -> stripe.StripeClient:
    return stripe.StripeClient(
        served.info["credentials"]["stripe"]["token"],
        base_addresses={"api": served.info["services"]["stripe"]},
        max_network_retries=0,
    )


def test_auto_pagination_lists_every_customer(client: stripe.StripeClient) -> None:
    expected = Episode(SCENARIO, SEED).built.expected["ids"]
    ids = [c.id for c in client.v1.customers.list({"limit": 100}).auto_paging_iter()]
    assert ids == expected and len(expected) > 200
    small = [c.id for c in client.v1.customers.list({"limit": 37}).auto_paging_iter()]
    assert small == expected


def test_retrieve_create_and_search(client: stripe.StripeClient) -> None:
    first = client.v1.customers.list({"limit": 1}).data[0]
    assert client.v1.customers.retrieve(first.id).email == first.email
    created = client.v1.customers.create({"email": "sdk@example.com", "metadata": {"k": "v"}})
    assert created.metadata["k"] == "v"
    found = client.v1.customers.search({"query": "metadata['segment']:'smb'", "limit": 50})
    ids = [c.id for c in found.auto_paging_iter()]
    assert len(ids) == len(set(ids)) > 50
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.customers.retrieve("cus_missing")
    assert caught.value.code == "resource_missing"

"""Open Brewery DB: listing, filters, meta counts, limits and errors, pagination invariants."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.mockapis.brewery.conftest import BreweryClient, run_solution


def test_default_page_is_50_breweries_sorted_by_name(client: BreweryClient) -> None:
    reply = client.get("/v1/breweries")
    assert reply.status == 200
    rows = reply.json
    assert len(rows) == 50
    assert [r["name"].casefold() for r in rows] == sorted(r["name"].casefold() for r in rows)
    assert set(rows[0]) >= {"id", "name", "brewery_type", "state_province", "postal_code"}


def test_per_page_is_capped_at_200(client: BreweryClient) -> None:
    assert len(client.get("/v1/breweries?per_page=200").json) == 200
    assert len(client.get("/v1/breweries?per_page=500").json) == 200
    assert client.get("/v1/breweries/meta?per_page=500").json["per_page"] == 200


@pytest.mark.parametrize("query", ["per_page=0", "per_page=-1", "per_page=abc", "page=0", "page=x"])
def test_bad_page_parameters_are_400(client: BreweryClient, query: str) -> None:
    reply = client.get(f"/v1/breweries?{query}")
    assert reply.status == 400
    assert isinstance(reply.json["errors"], list) and reply.json["errors"]


def test_unknown_type_is_the_real_400(client: BreweryClient) -> None:
    reply = client.get("/v1/breweries?by_type=winery")
    assert reply.status == 400
    assert reply.json["errors"][0].startswith("Brewery type must include one of these types")
    assert client.get("/v1/breweries/meta?by_type=winery").status == 400


def test_filters_and_meta_agree(client: BreweryClient) -> None:
    counts = Counter(r["state_province"] for r in client.rows("brewery.breweries"))
    state, total = counts.most_common(1)[0]
    param = state.lower().replace(" ", "_")
    meta = client.get(f"/v1/breweries/meta?by_state={param}").json
    assert (meta["total"], meta["page"], meta["per_page"]) == (total, 1, 50)
    assert meta["by_state"] == {state: total} and sum(meta["by_type"].values()) == total
    rows = client.get(f"/v1/breweries?by_state={param}&by_type=micro&per_page=200").json
    assert rows and all(r["state_province"] == state and r["brewery_type"] == "micro" for r in rows)
    assert client.get("/v1/breweries/meta?by_state=CA").json["total"] == 0  # no abbreviations


def test_walking_all_pages_yields_every_brewery_once_in_order(client: BreweryClient) -> None:
    everything = client.get("/v1/breweries/meta").json
    walked: list[str] = []
    page = 1
    while rows := client.get(f"/v1/breweries?per_page=173&page={page}").json:
        walked.extend(r["id"] for r in rows)
        page += 1
    assert len(walked) == everything["total"] == len(set(walked))
    ordered = client.get("/v1/breweries?per_page=200").json
    assert walked[:200] == [r["id"] for r in ordered]
    assert client.get(f"/v1/breweries?per_page=173&page={page + 5}").json == []


def test_sort_descending_and_invalid_sort(client: BreweryClient) -> None:
    rows = client.get("/v1/breweries?sort=city:desc,name:asc&per_page=200").json
    cities = [r["city"].casefold() for r in rows]
    assert cities == sorted(cities, reverse=True)
    assert client.get("/v1/breweries?sort=colour:asc").status == 400


def test_by_id_random_and_404(client: BreweryClient) -> None:
    first = client.get("/v1/breweries").json[0]
    assert client.get(f"/v1/breweries/{first['id']}").json == first
    missing = client.get("/v1/breweries/does-not-exist")
    assert missing.status == 404 and missing.json == {"message": "Couldn't find Brewery"}
    assert len(client.get("/v1/breweries/random?size=80").json) == 50
    again = BreweryClient(0)
    assert (
        again.get("/v1/breweries/random?size=3").json
        == BreweryClient(0).get("/v1/breweries/random?size=3").json
    )


def test_unknown_path_is_404(client: BreweryClient) -> None:
    reply = client.get("/v2/breweries")
    assert reply.status == 404 and "message" in reply.json


@pytest.mark.parametrize("seed", range(5))
def test_counting_by_pages_also_solves_the_count(seed: int) -> None:
    """The meta endpoint is one way; walking every page is the other."""
    assert run_solution("brewery.count-in-state", "count_in_state_by_pages", seed)["success"]

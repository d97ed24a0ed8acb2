"""PunkAPI: pages, per_page limit and its real 400, filters, beer by id, pagination invariants."""

from __future__ import annotations

import pytest

from mockapis.punk import SERVICE
from tests.mockapis.brewery.conftest import ServiceClient


@pytest.fixture(scope="module")
def client() -> ServiceClient:
    return ServiceClient(SERVICE, 0)


def test_default_page_is_25_beers_by_id(client: ServiceClient) -> None:
    rows = client.get("/v2/beers").json
    assert [b["id"] for b in rows] == list(range(1, 26))
    assert isinstance(rows[0]["abv"], float) and "/" in rows[0]["first_brewed"]


def test_per_page_80_and_the_real_error_past_it(client: ServiceClient) -> None:
    assert len(client.get("/v2/beers?per_page=80").json) == 80
    reply = client.get("/v2/beers?per_page=81")
    assert reply.status == 400
    assert reply.json == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Invalid query params",
        "data": [
            {
                "location": "query",
                "param": "per_page",
                "msg": "Must be a number greater than 0 and less than 80",
                "value": "81",
            }
        ],
    }


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("page=0", "page"),
        ("page=x", "page"),
        ("per_page=0", "per_page"),
        ("abv_gt=strong", "abv_gt"),
        ("brewed_before=2010", "brewed_before"),
        ("ids=1|x", "ids"),
    ],
)
def test_refused_parameters(client: ServiceClient, query: str, param: str) -> None:
    reply = client.get(f"/v2/beers?{query}")
    assert reply.status == 400 and reply.json["data"][0]["param"] == param


def test_walking_all_pages_yields_every_beer_once_in_order(client: ServiceClient) -> None:
    walked: list[int] = []
    page = 1
    while rows := client.get(f"/v2/beers?per_page=80&page={page}").json:
        walked.extend(b["id"] for b in rows)
        page += 1
    assert walked == list(range(1, 326))
    assert client.get("/v2/beers?page=99").json == []


def test_filters(client: ServiceClient) -> None:
    beers = client.rows("punk.beers")
    strong = client.get("/v2/beers?abv_gt=9&per_page=80").json
    assert [b["id"] for b in strong] == [b["id"] for b in beers if b["abv"] > 9][:80]
    dark = client.get("/v2/beers?ebc_gt=100&abv_lt=6&per_page=80").json
    assert all(b["ebc"] > 100 and b["abv"] < 6 for b in dark)
    assert [b["id"] for b in client.get("/v2/beers?ids=3|1|7").json] == [1, 3, 7]
    early = client.get("/v2/beers?brewed_before=01-2010&per_page=80").json
    assert all(int(b["first_brewed"][3:]) < 2010 for b in early)
    name = beers[4]["name"]
    named = client.get(f"/v2/beers?beer_name={name.replace(' ', '_')}").json
    assert beers[4]["id"] in [b["id"] for b in named]


def test_beer_by_id_random_and_errors(client: ServiceClient) -> None:
    assert client.get("/v2/beers/7").json == [client.rows("punk.beers")[6]]
    missing = client.get("/v2/beers/999")
    assert missing.status == 404
    assert missing.json == {
        "statusCode": 404,
        "error": "Not Found",
        "message": "No beer found that matches the ID 999",
    }
    bad = client.get("/v2/beers/abc")
    assert bad.status == 400 and bad.json["data"][0]["param"] == "beerId"
    assert len(client.get("/v2/beers/random").json) == 1

"""OpenAlex works: filter grammar, per-page limits, the 10,000 cap, cursor paging, errors."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from mockapis.openalex import SERVICE
from tests.mockapis.brewery.conftest import ServiceClient, run_solution


@pytest.fixture(scope="module")
def client() -> ServiceClient:
    return ServiceClient(SERVICE, 0, {"works": 3000})


def _ids(body: dict[str, Any]) -> list[str]:
    return [w["id"] for w in body["results"]]


def test_default_listing(client: ServiceClient) -> None:
    reply = client.get("/works")
    assert reply.status == 200
    body = reply.json
    assert body["meta"]["count"] == 3000 and body["meta"]["per_page"] == 25
    assert body["meta"]["page"] == 1 and len(body["results"]) == 25
    assert _ids(body) == [w["id"] for w in client.rows("openalex.works")[:25]]


def test_filters_and_count(client: ServiceClient) -> None:
    works = client.rows("openalex.works")
    years = Counter(w["publication_year"] for w in works)
    year = max(years, key=lambda y: years[y])
    assert client.get(f"/works?filter=publication_year:{year}").json["meta"]["count"] == years[year]
    both = [
        w
        for w in works
        if w["publication_year"] == year and w["type"] == "article" and w["open_access"]["is_oa"]
    ]
    query = f"/works?filter=publication_year:{year},type:article,is_oa:true&per-page=200"
    assert client.get(query).json["meta"]["count"] == len(both)
    span = sum(n for y, n in years.items() if 2020 <= y <= 2022)
    assert client.get("/works?filter=publication_year:2020-2022").json["meta"]["count"] == span
    assert client.get("/works?filter=publication_year:2020|2021").json["meta"]["count"] == (
        years[2020] + years[2021]
    )
    not_articles = sum(1 for w in works if w["type"] != "article")
    assert client.get("/works?filter=type:!article").json["meta"]["count"] == not_articles
    cited = sum(1 for w in works if w["cited_by_count"] > 50)
    assert client.get("/works?filter=cited_by_count:>50").json["meta"]["count"] == cited


@pytest.mark.parametrize(
    "query",
    [
        "filter=colour:blue",
        "filter=publication_year",
        "filter=publication_year:soon",
        "filter=is_oa:maybe",
        "per-page=201",
        "per-page=0",
        "per_page=500",
        "page=0",
        "sort=popularity",
        "cursor=not-a-cursor!",
        "cursor=*&page=2",
        "frobnicate=1",
        "search=coral",
    ],
)
def test_refused_parameters_get_openalex_errors(client: ServiceClient, query: str) -> None:
    reply = client.get(f"/works?{query}")
    assert reply.status == 400, reply.raw
    assert reply.json["error"] == "Invalid query parameters error." and reply.json["message"]


def test_basic_paging_stops_at_10000_results(client: ServiceClient) -> None:
    assert client.get("/works?per-page=200&page=50").status == 200
    reply = client.get("/works?per-page=200&page=51")
    assert reply.status == 400
    assert reply.json["message"].startswith("Maximum results size of 10,000 records is exceeded")
    assert client.get("/works?page=401").status == 400  # 25 x 401 > 10,000


def test_cursor_paging_walks_every_work_once_in_order(client: ServiceClient) -> None:
    walked: list[str] = []
    cursor = "*"
    pages = 0
    while cursor is not None:
        body = client.get(f"/works?filter=type:article&per-page=137&cursor={cursor}").json
        assert body["meta"]["page"] is None
        walked.extend(_ids(body))
        cursor = body["meta"]["next_cursor"]
        pages += 1
    articles = [w["id"] for w in client.rows("openalex.works") if w["type"] == "article"]
    assert walked == articles and len(set(walked)) == len(walked)
    assert pages == -(-len(articles) // 137) + 1  # the last page is empty, with no cursor


def test_basic_paging_walks_every_work_once_in_sorted_order(client: ServiceClient) -> None:
    walked: list[str] = []
    page = 1
    while body := client.get(f"/works?sort=cited_by_count:desc&per-page=200&page={page}").json:
        if not body["results"]:
            break
        walked.extend(_ids(body))
        page += 1
    counts = {w["id"]: w["cited_by_count"] for w in client.rows("openalex.works")}
    assert len(walked) == len(set(walked)) == 3000
    assert [counts[i] for i in walked] == sorted(counts.values(), reverse=True)


def test_a_cursor_belongs_to_its_query(client: ServiceClient) -> None:
    cursor = client.get("/works?filter=type:article&cursor=*").json["meta"]["next_cursor"]
    assert client.get(f"/works?filter=type:article&cursor={cursor}").status == 200
    assert client.get(f"/works?filter=type:review&cursor={cursor}").status == 400


def test_select_and_work_by_id(client: ServiceClient) -> None:
    body = client.get("/works?select=id,publication_year&per-page=2").json
    assert all(set(w) == {"id", "publication_year"} for w in body["results"])
    work = client.rows("openalex.works")[3]
    short = work["id"].rsplit("/", 1)[1]
    assert client.get(f"/works/{short}").json == work
    assert client.get(f"/works/{short.lower()}").json == work
    missing = client.get("/works/W1")
    assert missing.status == 404 and missing.json["error"] == "Not Found"


@pytest.mark.parametrize("seed", range(5))
def test_basic_paging_also_solves_the_year_below_the_cap(seed: int) -> None:
    """Below 10,000 results, ``page`` reaches every work as well as the cursor does."""
    assert run_solution("openalex.year-works-cursor", "year_work_ids_by_page", seed)["success"]

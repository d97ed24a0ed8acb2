"""IndexedRouter: the same matches as Starlette's Router, trying only routes that fit."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route, Router

from mockapis.asgi import build_scope, drive
from mockapis.kit.routing import IndexedRouter


def _named(name: str):
    async def endpoint(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{name} {dict(request.path_params)}")

    return endpoint


ROUTES = [
    Route("/v2/objects/{object}/records/query", _named("query"), methods=["POST"]),
    Route("/v2/objects/{object}/records/{record_id}", _named("record"), methods=["GET"]),
    Route("/v2/objects/{object}/records/{record_id}", _named("patch"), methods=["PATCH"]),
    Route("/v2/objects", _named("objects"), methods=["GET"]),
    Route("/files/{rest:path}", _named("files"), methods=["GET"]),
]


def call(router, method: str, path: str):
    async def app(scope, receive, send):
        try:
            await router(scope, receive, send)
        except HTTPException as exc:
            response = PlainTextResponse(str(exc.status_code), exc.status_code, headers=exc.headers)
            await response(scope, receive, send)

    out = drive(app, build_scope(method, "https://h" + path))
    return out.status, out.body.decode(), dict((k.decode(), v.decode()) for k, v in out.headers)


PATHS = [
    ("POST", "/v2/objects/people/records/query"),
    ("GET", "/v2/objects/people/records/query"),
    ("GET", "/v2/objects/people/records/abc"),
    ("PATCH", "/v2/objects/people/records/abc"),
    ("GET", "/v2/objects"),
    ("GET", "/files/a/b/c"),
]


def test_matches_what_starlette_matches():
    indexed, plain = IndexedRouter(ROUTES), Router(ROUTES, redirect_slashes=False)
    for method, path in PATHS:
        got = call(indexed, method, path)
        want = call(plain, method, path)
        assert got[:2] == want[:2], (method, path)


def test_405_allow_lists_every_route_on_the_path():
    status, _, headers = call(IndexedRouter(ROUTES), "DELETE", "/v2/objects/p/records/x")
    assert status == 405
    assert headers["allow"] == "GET, HEAD, PATCH"


def test_unknown_path_is_404():
    status, _, _ = call(IndexedRouter(ROUTES), "GET", "/v2/people")
    assert status == 404


def test_candidates_keep_declaration_order():
    router = IndexedRouter(ROUTES)
    names = [r.path for r in router.candidates("/v2/objects/people/records/query")]
    assert names == [
        "/v2/objects/{object}/records/query",
        "/v2/objects/{object}/records/{record_id}",
        "/v2/objects/{object}/records/{record_id}",
        "/files/{rest:path}",  # a path converter can match anything: always a candidate
    ]
    assert [r.path for r in router.candidates("/files/x")] == ["/files/{rest:path}"]

"""The served GitHub against githubkit's models of GitHub's current REST API (issue 18).

githubkit generates a client per API version from ``github/rest-api-description``; each
generated method is one operation (its docstring names it, ``GET /repos/{owner}/{repo}``) and
declares the pydantic model of its success body (``response_model``) and of its error bodies
(``error_models``, by status). :func:`models` reads them off by calling the method against a
recorder instead of a client, so nothing here names a model by hand.

A body is parsed into its model strictly (no coercion: ``"1"`` is no integer) and exactly (a
field the model lacks is an error too), in the version it was served under:

- every GitHub exchange of the conformance suite (:func:`tests.conformance.suite.exchanges_of`:
  the solutions' requests and the service's cases; no vendor files needed) under
  ``2022-11-28``, what GitHub serves a request without ``X-GitHub-Api-Version``;
- every response githubkit receives driving a served GitHub over a socket, as a user's code
  would, under the version it asks for (its latest, ``2026-03-10``, whose breaking changes
  drop fields) or ``2022-11-28``.

Deviations the check should not count go to :data:`ALLOWANCES`, each with its reason; an
entry that excuses nothing fails.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from githubkit import GitHub
from githubkit.exception import RequestFailed
from githubkit.versions import LATEST_VERSION
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from gym_apibench.episode import Episode
from mockapis.github.versions import DEFAULT as DEFAULT_VERSION
from mockapis.github.versions import SELECTED_HEADER
from mockapis.registry import get_service
from tests.conformance.suite import exchanges_of
from tests.served import serving
from tests.test_specs import route_operations

VERSIONS = (DEFAULT_VERSION, LATEST_VERSION)

_STATUS = (
    "GitHub's error bodies carry the HTTP status as a string, its 422s too (a real one, as "
    "`gh api` prints it: message 'Validation Failed', errors, documentation_url, status '422'); "
    "the description's basic-error lists status, its validation-error (the 422 body) does not"
)

ALLOWANCES: list[dict[str, str]] = [
    {"operation": operation, "match": r"^status: extra_forbidden", "reason": _STATUS}
    for operation in (
        "GET /user/repos",
        "GET /repos/{owner}/{repo}/issues",
        "GET /repos/{owner}/{repo}/pulls",
        "GET /search/issues",
    )
]
"""Reviewed deviations: ``{"operation": "GET /path", "match": regex, "reason": why}``."""

pytestmark = pytest.mark.xdist_group("github-githubkit")  # one worker builds the exchanges


class _Recorder:
    """Stands in for githubkit's client: a generated method's request is returned, not sent."""

    def request(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        return kwargs

    arequest = request


_RECORDER = _Recorder()
"""One for all: a generated client holds its client by a weak reference."""


@functools.cache
def operations(version: str) -> dict[str, Callable[..., Any]]:
    """githubkit's generated methods of ``version``, by operation (``GET /user/repos``)."""
    package = importlib.import_module(f"githubkit_schemas.v{version.replace('-', '_')}.rest")
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not cls.__name__.endswith("Client"):
                continue
            for name, method in vars(cls).items():
                lines = (method.__doc__ or "").strip().splitlines() if callable(method) else []
                # The docstring's third line is the operation: "GET /users/{username}".
                third = lines[2].strip() if len(lines) > 2 else ""
                named = re.fullmatch(r"(GET|POST|PUT|PATCH|DELETE) (/\S*)", third)
                if named and not name.startswith(("_", "async_")):
                    found[named.group(0)] = functools.partial(_declared, cls, name)
    return found


def _declared(cls: type, name: str) -> dict[str, Any]:
    """What ``cls.name`` passes to its client's ``request``: placeholders for required args."""
    method = getattr(cls(_RECORDER), name)
    required = {
        p.name: "x"
        for p in inspect.signature(method).parameters.values()
        if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }
    declared: dict[str, Any] = method(**required)
    return declared


def models(version: str, operation: str) -> tuple[Any, dict[str, Any]]:
    """``operation``'s success model and its error models by status, in ``version``."""
    declared = operations(version)[operation]()
    return declared.get("response_model"), dict(declared.get("error_models") or {})


def model_for(version: str, operation: str, status: int) -> Any:
    """The model of ``operation``'s body for ``status``, or ``None`` (githubkit has none)."""
    success, errors = models(version, operation)
    return success if 200 <= status < 300 else errors.get(str(status))


def mismatches(model: Any, body: Any) -> list[str]:
    """How ``body`` fails ``model`` (strictly, and exactly): ``loc: error type (message)``."""
    try:
        # extra="forbid" overrides the models' own extra="allow" too (githubkit's free-form
        # objects): no body of the emulated operations has one.
        TypeAdapter(model).validate_json(json.dumps(body), strict=True, extra="forbid")
    except PydanticError as error:
        return [
            "/".join(str(part) for part in e["loc"]) + f": {e['type']} ({e['msg']})"
            for e in error.errors()
        ]
    return []


def unexplained(operation: str, errors: list[str]) -> tuple[list[str], set[int]]:
    """``errors`` no allowance covers, and the allowances (by index) that covered any."""
    left, used = [], set()
    for error in errors:
        hits = {
            i
            for i, a in enumerate(ALLOWANCES)
            if a["operation"] == operation and re.search(a["match"], error)
        }
        used |= hits
        if not hits:
            left.append(error)
    return left, used


@functools.cache
def _templates() -> list[tuple[str, re.Pattern[str]]]:
    """The served GitHub's operations, with a pattern matching their request paths."""
    return [
        (f"{method} {path}", re.compile(re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"))
        for method, path in sorted(route_operations(get_service("github")))
    ]


def operation_of(method: str, path: str) -> str:
    """The emulated operation a request for ``path`` (under the API root) is."""
    found = [
        name
        for name, pattern in _templates()
        if name.startswith(method + " ") and pattern.match(path)
    ]
    assert len(found) == 1, f"{method} {path}: operations {found}"
    return found[0]


@functools.cache
def exchanges() -> tuple[tuple[str, int, Any, str], ...]:
    """The conformance suite's GitHub exchanges, built once: ``(operation, status, body,
    source)``, their bodies as JSON (``None``: not JSON)."""
    return tuple(
        (operation_of(e.method, e.path), e.status, e.body, e.source) for e in exchanges_of("github")
    )


def _key(operation: str, status: int, error: str) -> str:
    """One failure's line: a list's index in the loc would make every item its own."""
    return f"{operation} -> {status}: " + re.sub(r"(^|/)\d+(?=/)", r"\1*", error)


def test_every_emulated_operation_is_a_github_operation_of_both_versions() -> None:
    for version in VERSIONS:
        missing = [name for name, _ in _templates() if name not in operations(version)]
        assert not missing, f"not operations of GitHub's {version} description: {missing}"
        assert all(models(version, name)[0] is not None for name, _ in _templates())


def test_every_github_response_parses_into_githubkits_model() -> None:
    """The suite's exchanges (requests without a version header) under 2022-11-28."""
    checked, failures, used = set(), {}, set()
    for operation, status, body, source in exchanges():
        model = model_for(DEFAULT_VERSION, operation, status)
        if model is None or body is None:
            continue  # githubkit has no model for this status (a 304, a 403 text, a 429)
        checked.add((operation, status))
        left, hits = unexplained(operation, mismatches(model, body))
        used |= hits
        for error in left:
            failures.setdefault(_key(operation, status, error), source)
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(
        f"{key} ({source})" for key, source in sorted(failures.items())[:40]
    )
    unexercised = {name for name, _ in _templates()} - {op for op, _ in checked}
    assert not unexercised, f"emulated operations no response of was parsed: {unexercised}"
    assert {status for _, status in checked} >= {200, 401, 404, 422}, "errors are parsed too"
    unused = [a for i, a in enumerate(ALLOWANCES) if i not in used]
    assert not unused, f"allow-list entries that excuse nothing: {unused}"


def _served(operation: str) -> Any:
    """A success body the served GitHub answered ``operation`` with (no version asked)."""
    return next(body for op, status, body, _ in exchanges() if op == operation and status == 200)


def test_the_check_can_fail() -> None:
    """A missing required field, a value of the wrong type (a string id, which lax pydantic
    would coerce), a field the version lacks, and a malformed error body are reported."""
    model = model_for(DEFAULT_VERSION, "GET /user", 200)  # a union: private or public user
    served = _served("GET /user")
    assert mismatches(model, served) == []
    unnamed = {key: value for key, value in served.items() if key != "login"}
    assert "PrivateUser/login: missing (Field required)" in mismatches(model, unnamed)
    quoted = {**served, "id": str(served["id"])}
    assert "PrivateUser/id: int_type (Input should be a valid integer)" in mismatches(model, quoted)
    repos = _served("GET /user/repos")
    starred = [{**repo, "stars": 3} for repo in repos]
    listing = model_for(DEFAULT_VERSION, "GET /user/repos", 200)
    extra = "0/stars: extra_forbidden (Extra inputs are not permitted)"
    assert extra in mismatches(listing, starred)
    # A 2022-11-28 body is no 2026-03-10 one: that version removed has_downloads.
    latest = model_for(LATEST_VERSION, "GET /user/repos", 200)
    assert "0/has_downloads: extra_forbidden (Extra inputs are not permitted)" in mismatches(
        latest, repos
    )
    error = model_for(DEFAULT_VERSION, "GET /user", 401)
    assert mismatches(error, {"message": "Bad credentials"}) == []
    assert mismatches(error, {"message": 401})


class _Seen:
    """Every response a client received: ``(operation, version, status, body)``."""

    def __init__(self, root: str) -> None:
        self.root = urlsplit(root).path.rstrip("/")
        self.responses: list[tuple[str, str, int, Any]] = []

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        path = response.request.url.path.removeprefix(self.root)
        version = response.headers[SELECTED_HEADER]
        asked = response.request.headers.get("X-GitHub-Api-Version", DEFAULT_VERSION)
        assert version == asked, f"{path}: asked for {asked}, served {version}"
        operation = operation_of(response.request.method, path)
        self.responses.append((operation, version, response.status_code, response.json()))


SCENARIO = "github.all-repos"


def test_githubkit_drives_the_served_github(tmp_path: Path) -> None:
    """githubkit, as a user's code runs it (its latest API version, pydantic parsing, Link
    pagination, errors as exceptions), against a served GitHub over a socket: every emulated
    operation answers what the seeded world holds, and every response parses exactly into the
    model of the version githubkit asked for."""
    truth = Episode(SCENARIO, 0).built.expected
    with serving(tmp_path / "info.json", "--scenario", SCENARIO, "--seed", "0") as served:
        base = served.info["services"]["github"]
        token = served.info["credentials"]["github"]["token"]
        seen = _Seen(base)
        hooks = {"response": [seen]}
        with GitHub(token, base_url=base, event_hooks=hooks, http_cache=False) as github:
            me = github.rest.users.get_authenticated().parsed_data
            mine = list(github.rest.paginate(github.rest.repos.list_for_authenticated_user))
            assert [repo.full_name for repo in mine] == truth["names"]
            busy = max(mine, key=lambda repo: repo.open_issues_count)
            repo = {"owner": busy.owner.login, "repo": busy.name}
            assert github.rest.repos.get(**repo).parsed_data.full_name == busy.full_name
            rest = github.rest
            issues = list(rest.paginate(rest.issues.list_for_repo, **repo, state="all"))
            pulls = list(rest.paginate(rest.pulls.list, **repo, state="all"))
            numbers = {p.number for p in pulls}
            assert pulls and numbers <= {i.number for i in issues}
            assert all(bool(i.pull_request) == (i.number in numbers) for i in issues)
            search = rest.search.issues_and_pull_requests
            found = search(q=f"is:pr author:{me.login}", per_page=100).parsed_data
            assert found.search_type == "lexical"
            assert all(item.user and item.user.login == me.login for item in found.items)
            other = next(p.user.login for p in pulls if p.user and p.user.login != me.login)
            assert rest.users.get_by_username(other).parsed_data.login == other
            theirs = rest.repos.list_for_user(other, per_page=100).parsed_data
            assert all(r.owner.login == other for r in theirs)
            old = github.rest(DEFAULT_VERSION)  # what clients sending no version get
            assert old.repos.get(**repo).parsed_data.has_downloads is not None
            listed = old.pulls.list(**repo, state="all", per_page=100).parsed_data
            assert len(listed) == min(100, len(pulls))
            with pytest.raises(RequestFailed) as missing:
                rest.repos.get("nobody-here", "nothing")
            assert missing.value.response.status_code == 404
            with pytest.raises(RequestFailed) as capped:
                search(q="is:pr", per_page=100, page=11)
            assert capped.value.response.status_code == 422
    assert {(version, status) for _, version, status, _ in seen.responses} >= {
        (LATEST_VERSION, 200),
        (DEFAULT_VERSION, 200),
        (LATEST_VERSION, 404),
        (LATEST_VERSION, 422),
    }
    failures = set()
    for operation, version, status, body in seen.responses:
        model = model_for(version, operation, status)
        assert model is not None, f"{operation} -> {status}: githubkit has no model for it"
        left, _ = unexplained(operation, mismatches(model, body))
        failures |= {f"{version} " + _key(operation, status, error) for error in left}
    assert not failures, "\n".join(sorted(failures)[:40])

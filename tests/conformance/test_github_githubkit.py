"""The served GitHub against githubkit's models of GitHub's current REST API (issue 18).

githubkit generates a client per API version from ``github/rest-api-description``; each
generated method is one operation (its docstring names it, ``GET /repos/{owner}/{repo}``) and
declares the pydantic model of its success body (``response_model``) and of its error bodies
(``error_models``, by status). :func:`models` reads them off by calling the method against a
recorder instead of a client, so nothing here names a model by hand.

Every GitHub exchange of the conformance suite (:func:`tests.conformance.suite.exchanges_of`:
the solutions' requests and the service's cases; no vendor files needed) is parsed into its
operation's model, strictly (no coercion: ``"1"`` is no integer), for two versions:

- ``2022-11-28``, what GitHub serves a request without ``X-GitHub-Api-Version`` (and what the
  served GitHub serves every request): exactly, so a field the version lacks is an error too;
- githubkit's latest version (``2026-03-10``, which githubkit's client sends): its required
  fields and types. Its breaking changes drop fields (an issue's ``assignee``, a repository's
  ``has_downloads``), which the served GitHub still sends, as GitHub does under 2022-11-28.

Deviations the suite should not count go to :data:`ALLOWANCES`, each with its reason; an
entry that excuses nothing fails. Last, githubkit itself drives a served GitHub over a socket
and parses every emulated operation's responses as a user's code would.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import pkgutil
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from githubkit import GitHub
from githubkit.versions import LATEST_VERSION
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from gym_apibench.episode import Episode
from mockapis.registry import get_service
from tests.conformance.exchanges import Exchange
from tests.conformance.suite import exchanges_of
from tests.served import serving
from tests.test_specs import route_operations

DEFAULT_VERSION = "2022-11-28"
"""The version GitHub serves a request without ``X-GitHub-Api-Version``."""

VERSIONS = (DEFAULT_VERSION, LATEST_VERSION)

_STATUS = (
    "GitHub's error bodies carry the HTTP status as a string, its 422s too (a real one, as "
    "`gh api` prints it: message 'Validation Failed', errors, documentation_url, status '422'); "
    "the description's basic-error lists status, its validation-error (the 422 body) does not"
)

ALLOWANCES: list[dict[str, str]] = [
    {
        "version": DEFAULT_VERSION,
        "operation": op,
        "match": r"^status: extra_forbidden",
        "reason": _STATUS,
    }
    for op in (
        "GET /user/repos",
        "GET /repos/{owner}/{repo}/issues",
        "GET /repos/{owner}/{repo}/pulls",
        "GET /search/issues",
    )
]
"""Reviewed deviations: ``{"version", "operation": "GET /path", "match": regex, "reason"}``."""

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


def mismatches(version: str, model: Any, body: Any) -> list[str]:
    """How ``body`` fails ``model``: ``loc: error type``. Strict (no coercion); under the
    default version exact (a field the model lacks is one: the served GitHub renders 2022-11-28
    whole), under later ones only required fields and types (they drop fields 2022-11-28 has)."""
    # forbid overrides the models' own extra="allow" too (githubkit's free-form objects): none
    # of the emulated operations' bodies has one.
    extra = "forbid" if version == DEFAULT_VERSION else "ignore"
    try:
        TypeAdapter(model).validate_json(json.dumps(body), strict=True, extra=extra)
    except PydanticError as error:
        return [
            "/".join(str(part) for part in e["loc"]) + f": {e['type']} ({e['msg']})"
            for e in error.errors()
        ]
    return []


@functools.cache
def _templates() -> list[tuple[str, re.Pattern[str]]]:
    """The served GitHub's operations, with a pattern matching their request paths."""
    return [
        (f"{method} {path}", re.compile(re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"))
        for method, path in sorted(route_operations(get_service("github")))
    ]


def operation_of(exchange: Exchange) -> str:
    """The emulated operation ``exchange`` requested."""
    matching = [
        name
        for name, pattern in _templates()
        if name.startswith(exchange.method + " ") and pattern.match(exchange.path)
    ]
    assert len(matching) == 1, f"{exchange.method} {exchange.path}: operations {matching}"
    return matching[0]


@functools.cache
def exchanges() -> tuple[Exchange, ...]:
    """The conformance suite's GitHub exchanges (no vendor files needed), built once."""
    return tuple(exchanges_of("github"))


def _covers(allowance: dict[str, str], version: str, operation: str, error: str) -> bool:
    return (
        allowance["version"] == version
        and allowance["operation"] == operation
        and re.search(allowance["match"], error) is not None
    )


def test_every_emulated_operation_is_a_github_operation_of_both_versions() -> None:
    for version in VERSIONS:
        missing = [name for name, _ in _templates() if name not in operations(version)]
        assert not missing, f"not operations of GitHub's {version} description: {missing}"
        assert all(models(version, name)[0] is not None for name, _ in _templates())


@pytest.mark.parametrize("version", VERSIONS)
def test_every_github_response_parses_into_githubkits_model(version: str) -> None:
    checked: Counter[str] = Counter()
    failures: dict[str, str] = {}
    used: set[int] = set()
    for exchange in exchanges():
        operation = operation_of(exchange)
        model = model_for(version, operation, exchange.status)
        if model is None or exchange.body is None:
            continue  # githubkit has no model for this status (a 304, a 403 text, a 429)
        checked[operation] += 1
        for error in mismatches(version, model, exchange.body):
            # A list's index, in the loc, would make every item its own failure.
            key = f"{operation} -> {exchange.status}: " + re.sub(r"^\d+/|/\d+/", "/*/", error)
            hits = [i for i, a in enumerate(ALLOWANCES) if _covers(a, version, operation, error)]
            used.update(hits)
            if not hits:
                failures.setdefault(key, exchange.source)
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(
        f"{key} ({source})" for key, source in sorted(failures.items())[:40]
    )
    unexercised = {name for name, _ in _templates()} - set(checked)
    assert not unexercised, f"emulated operations no response of was parsed: {unexercised}"
    mine = {i for i, a in enumerate(ALLOWANCES) if a["version"] == version}
    assert mine <= used, f"allow-list entries that excuse nothing: {mine - used}"


def test_error_responses_are_checked_too() -> None:
    """The suite's cases include documented errors: 401, 404 and 422 bodies are parsed."""
    statuses = {
        e.status
        for e in exchanges()
        if model_for(DEFAULT_VERSION, operation_of(e), e.status) is not None and e.status >= 400
    }
    assert {401, 404, 422} <= statuses


def _served(operation: str, status: int = 200) -> Any:
    """A body the served GitHub answered ``operation`` with."""
    return next(e.body for e in exchanges() if operation_of(e) == operation and e.status == status)


def test_the_check_can_fail() -> None:
    """A missing required field, a value of the wrong type (a string id, which lax pydantic
    would coerce), a field the version lacks, and a malformed error body are reported."""
    model = model_for(DEFAULT_VERSION, "GET /user", 200)  # a union: private or public user
    served = _served("GET /user")
    assert mismatches(DEFAULT_VERSION, model, served) == []
    unnamed = {key: value for key, value in served.items() if key != "login"}
    assert "PrivateUser/login: missing (Field required)" in mismatches(
        DEFAULT_VERSION, model, unnamed
    )
    quoted = {**served, "id": str(served["id"])}
    assert "PrivateUser/id: int_type (Input should be a valid integer)" in mismatches(
        DEFAULT_VERSION, model, quoted
    )
    starred = [{**repo, "stars": 3} for repo in _served("GET /user/repos")]
    repos = model_for(DEFAULT_VERSION, "GET /user/repos", 200)
    assert "0/stars: extra_forbidden (Extra inputs are not permitted)" in mismatches(
        DEFAULT_VERSION, repos, starred
    )
    latest = model_for(LATEST_VERSION, "GET /user/repos", 200)
    assert mismatches(LATEST_VERSION, latest, starred) == []  # later versions: fields dropped
    assert mismatches(LATEST_VERSION, latest, [{**starred[0], "private": "no"}])
    error = model_for(DEFAULT_VERSION, "GET /user", 401)
    assert mismatches(DEFAULT_VERSION, error, {"message": "Bad credentials"}) == []
    assert mismatches(DEFAULT_VERSION, error, {"message": 401})


SCENARIO = "github.all-repos"


def test_githubkit_drives_the_served_github(tmp_path: Path) -> None:
    """githubkit, as a user's code runs it (its latest API version, pydantic parsing, Link
    pagination), against a served GitHub over a socket: every emulated operation answers,
    parsed into githubkit's models, with what the seeded world holds."""
    truth = Episode(SCENARIO, 0).built.expected
    with serving(tmp_path / "info.json", "--scenario", SCENARIO, "--seed", "0") as served:
        base = served.info["services"]["github"]
        token = served.info["credentials"]["github"]["token"]
        with GitHub(token, base_url=base, user_agent="apibench-githubkit") as github:
            me = github.rest.users.get_authenticated().parsed_data
            mine = list(github.rest.paginate(github.rest.repos.list_for_authenticated_user))
            assert [repo.full_name for repo in mine] == truth["names"]
            busy = max(mine, key=lambda repo: repo.open_issues_count)
            owner, name = busy.owner.login, busy.name
            repo = {"owner": owner, "repo": name}
            assert github.rest.repos.get(owner, name).parsed_data.full_name == busy.full_name
            issues = list(
                github.rest.paginate(github.rest.issues.list_for_repo, **repo, state="all")
            )
            pulls = list(github.rest.paginate(github.rest.pulls.list, **repo, state="all"))
            assert pulls and {p.number for p in pulls} <= {i.number for i in issues}
            assert all(i.pull_request or i.number not in {p.number for p in pulls} for i in issues)
            found = github.rest.search.issues_and_pull_requests(
                q=f"is:pr author:{me.login}", per_page=100
            ).parsed_data
            assert found.search_type == "lexical"
            assert all(item.user and item.user.login == me.login for item in found.items)
            other = next(p.user.login for p in pulls if p.user and p.user.login != me.login)
            profile = github.rest.users.get_by_username(other).parsed_data
            theirs = github.rest.repos.list_for_user(other, per_page=100).parsed_data
            assert profile.login == other and all(r.owner.login == other for r in theirs)
            # The version GitHub serves clients that send none parses the same responses.
            old = github.rest(DEFAULT_VERSION).repos.get(owner, name).parsed_data
            assert old.full_name == busy.full_name and old.has_downloads is not None

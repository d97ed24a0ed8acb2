"""GitHub's REST API versions, chosen per request by the ``X-GitHub-Api-Version`` header.

A request without the header gets ``2022-11-28``, as on GitHub, which keeps serving it to
such requests; ``2026-03-10`` (the first version with breaking changes; githubkit sends it)
drops the fields it removed from the emulated objects: an issue's (and a pull request's)
``assignee``, a pull request's ``merge_commit_sha``, a repository's ``has_downloads``,
``master_branch`` and ``use_squash_pr_title_as_default`` (the two descriptions in
``github/rest-api-description``, as githubkit's generated models of both show). Any other
value is GitHub's 400. The version served is named by ``X-GitHub-Api-Version-Selected``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from mockapis.kit.auth import header_value
from mockapis.kit.errors import ApiError

__all__ = ["DEFAULT", "SELECTED_HEADER", "SUPPORTED", "requested", "shaped"]

DEFAULT = "2022-11-28"
SUPPORTED = ("2026-03-10", DEFAULT)
"""Newest first, as GitHub lists them."""
SELECTED_HEADER = "X-GitHub-Api-Version-Selected"

_REMOVED = {
    "2026-03-10": frozenset(
        {
            "assignee",
            "merge_commit_sha",
            "has_downloads",
            "master_branch",
            "use_squash_pr_title_as_default",
        }
    )
}
"""Per version, the fields it removed (their names mean nothing else in these objects)."""


def requested(request: Request) -> str:
    """The version ``request`` asks for (the default without the header), else GitHub's 400."""
    asked = header_value(request, b"x-github-api-version")
    if asked is None:
        return DEFAULT
    version = asked.strip()
    if version in SUPPORTED:
        return version
    # GitHub's message, as quoted in expipiplus1/update-nix-fetchgit#79 when one version was
    # supported; with two, the list form is ours.
    listed = ", ".join(
        f'"{v}" (most recent)' if i == 0 else f'"{v}"' for i, v in enumerate(SUPPORTED)
    )
    raise ApiError(
        400,
        f'The version you specified in the "X-GitHub-API-Version" request header, "{version}", '
        f"is not a supported version. The following versions are currently supported: {listed}.",
        code="bad_request",
    )


def shaped(body: Any, version: str) -> Any:
    """``body`` (rendered as 2022-11-28 has it) as ``version`` has it."""
    removed = _REMOVED.get(version)
    return body if not removed else _without(body, removed)


def _without(value: Any, removed: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, removed) for k, v in value.items() if k not in removed}
    if isinstance(value, list):
        return [_without(item, removed) for item in value]
    return value

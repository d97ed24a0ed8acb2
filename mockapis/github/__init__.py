"""GitHub REST API (``api.github.com``): the user, repositories, issues, pulls, issue search.

Stored tables (every row is exactly what the API returns for it):

- ``github.users``: login -> full user object (``login``, ``id``, ``node_id``, ``name``,
  ``company``, ``location``, ``bio``, ``followers``, ``created_at``, ...); ``public_repos``
  and the private counts are computed when served.
- ``github.repos``: ``owner/name`` -> repository object (``owner`` is the short user object;
  ``private``/``visibility``, ``created_at``, ``updated_at``, ``pushed_at``,
  ``open_issues_count`` counting open issues and pull requests, as GitHub does).
- ``github.issues``: ``owner/name#number`` -> issue object, as the issues API sends it: a
  pull request is an issue with a ``pull_request`` object (``merged_at``) and ``draft``.
  ``/pulls`` renders the pull request form of those rows.
- ``github._tokens``: token -> ``{"token", "login", "scopes"}`` (the agent's credentials).

Every response carries ``x-ratelimit-*`` (``core``: 5000 an hour with a token, 60 without;
``search``: 30 a minute with a token, 10 without; counted in ``world.runtime``) and ``Date``,
and every 200 an ``ETag``; ``If-None-Match`` with it gives a 304 that is not
counted. A request without ``User-Agent`` gets GitHub's 403 text. ``per_page`` above 100
counts as 100, as on GitHub. Seeded data: the authenticated user owns 40% to 100% of
``repos`` repositories (by seed; a quarter private), two of them busy with issues and pull
requests; other users own 1 to 4 each; 40% of the pull requests in the busy repos come from
one prolific contributor.

Fidelity: every response of the emulated operations, and their documented errors, validates
against GitHub's REST description (``tests/conformance``; the 2020-09 copy in
``../shared/vendor-specs/``, whose schemas are those of ``simple-user``, ``private-user`` for
``/user``, ``repository``/``minimal-repository``/``full-repository``, ``issue-simple``,
``pull-request-simple`` and ``issue-search-result-item``), and against githubkit's pydantic
models of today's description, both API versions (``tests/conformance/test_github_githubkit.py``,
githubkit also driving the served API). Where the live API has moved on we follow it: an issue
without a description has ``body: null``, search results say ``search_type``, repositories
``has_discussions``. ``X-GitHub-Api-Version`` picks the version (:mod:`.versions`): 2022-11-28
without it, 2026-03-10 without the fields it removed, another value a 400.
The fields no seeded draw makes are derived from the row: link templates from URLs, a pull
request's ``head``/``base`` a branch of its own repository, ``/user``'s ``disk_usage`` the sum
of the owner's repositories' sizes, a repository's ``network_count`` its forks.
"""

from mockapis.github import drift, issues, repos, search
from mockapis.github.data import DEFAULT_SIZES, seed
from mockapis.github.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    clone=drift.clone,
    name="github",
    hosts=("api.github.com",),
    routes=[*repos.ROUTES, *issues.ROUTES, *search.ROUTES],
    spec="github.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="GitHub REST API: the user, repositories, issues, pull requests, issue search.",
    default_sizes=DEFAULT_SIZES,
    date_header=True,
)

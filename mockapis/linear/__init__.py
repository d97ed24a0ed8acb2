"""Linear's GraphQL API (``api.linear.app``): users, teams, workflow states and cycles,
projects, issues, labels and comments, and issue search, behind one ``POST /graphql``.

The schema is the SDL in ``specs/linear.graphql`` (served at ``/openapi.yaml`` with the
HTTP side in ``specs/linear.openapi.yaml``), executed with ariadne and graphql-core.

Stored tables (camelCase rows, as the API names the fields; relations by id):

- ``linear.organization``: the workspace (``urlKey`` for URLs).
- ``linear.labels`` (workspace labels, ``teamId`` null, and each team's own) and
  ``linear.cycles`` (six two-week cycles a team, the fourth active at the epoch): see
  :mod:`mockapis.linear.planning`; issues refer to them by ``labelIds`` and ``cycleId``.
- ``linear.users``, ``linear.teams`` (``key``, ``memberIds``), ``linear.states`` (each
  team's workflow: Backlog, Todo, In Progress, In Review, Done, Canceled, Duplicate),
  ``linear.projects`` (``teamIds``, ``leadId``), ``linear.issues`` (``teamId``, ``number``,
  ``stateId``, ``assigneeId``, ``projectId``, ...), ``linear.comments``.
- ``linear._keys``: personal API keys -> user (the agent's credentials).

Personal API keys go raw in ``Authorization``; a ``Bearer`` prefix is Linear's 400. Lists
are Relay connections (50 a page by default, at most 250). Queries over 10,000 complexity
points are refused before execution; requests and complexity are also budgeted per hour,
reported in ``X-RateLimit-*`` headers.

Fidelity, checked against Linear's published schema (``packages/sdk/src/schema.graphql`` of
linear/linear, 2026-07, kept in ``../shared/vendor-specs/``) by
``tests/mockapis/linear/test_real_schema.py``: the schema here is a strict subset of it
(every type, field, argument, input field and enum value exists there with the same type,
and every argument or input field required there is here), and typical real queries
(viewer and organization, searchIssues, issue labels, cycles, states, assignees, comments,
label and cycle mutations, variables of the real filter types) validate on both and answer
here. Behaviour Linear does not publish in the schema is the simulation's reading of
Linear's docs: search matches every word of the term in the identifier, title or
description (Linear ranks by relevance with full-text and vector search; here results
keep the connection's order, and searchIssues has no limit of its own where Linear allows
30 a minute); label names are unique per scope with an error message of our own wording.
"""

from mockapis.linear.data import DEFAULT_SIZES, seed
from mockapis.linear.endpoint import ROUTES
from mockapis.linear.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="linear",
    hosts=("api.linear.app",),
    routes=ROUTES,
    spec="linear.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Linear GraphQL API: issues, teams, projects, comments (Relay connections).",
    default_sizes=DEFAULT_SIZES,
)

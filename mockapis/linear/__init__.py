"""Linear's GraphQL API (``api.linear.app``): users, teams and workflow states, projects,
issues and comments, behind one ``POST /graphql``.

The schema is the SDL in ``specs/linear.graphql`` (served at ``/openapi.yaml`` with the
HTTP side in ``specs/linear.openapi.yaml``), executed with ariadne and graphql-core.

Stored tables (camelCase rows, as the API names the fields; relations by id):

- ``linear.organization``: the workspace (``urlKey`` for URLs).
- ``linear.users``, ``linear.teams`` (``key``, ``memberIds``), ``linear.states`` (each
  team's workflow: Backlog, Todo, In Progress, In Review, Done, Canceled, Duplicate),
  ``linear.projects`` (``teamIds``, ``leadId``), ``linear.issues`` (``teamId``, ``number``,
  ``stateId``, ``assigneeId``, ``projectId``, ...), ``linear.comments``.
- ``linear._keys``: personal API keys -> user (the agent's credentials).

Personal API keys go raw in ``Authorization``; a ``Bearer`` prefix is Linear's 400. Lists
are Relay connections (50 a page by default, at most 250). Queries over 10,000 complexity
points are refused before execution; requests and complexity are also budgeted per hour,
reported in ``X-RateLimit-*`` headers.
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

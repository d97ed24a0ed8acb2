"""Clockify API v1 (``api.clockify.me/api/v1``): the user, workspaces, members, projects and
time entries, behind ``X-Api-Key``.

Stored tables (rows are what the API returns):

- ``clockify.users``: user id -> user (``activeWorkspace``, ``defaultWorkspace``,
  ``memberships``, ``settings``, ``status``).
- ``clockify.workspaces``: workspace id -> workspace (``hourlyRate``, ``memberships``).
- ``clockify.projects``: project id -> project (``workspaceId``, ``hourlyRate`` as
  ``{"amount": <minor units, e.g. cents>, "currency"}``, ``billable``, ``archived``).
- ``clockify.time_entries``: entry id -> time entry (``userId``, ``workspaceId``,
  ``projectId``, ``timeInterval`` ``{"start", "end", "duration"}`` in UTC with an ISO 8601
  duration such as ``PT1H30M``; a running timer has ``end`` and ``duration`` null).
- ``clockify._keys``: API key -> ``{"key", "user_id"}``.

Seeded data: the key's user belongs to ``workspaces`` workspaces; the active one is not the
default one. Listings page with ``page`` (from 1) and ``page-size`` (default 50; at most 5000,
1000 for time entries). Errors are ``{"message", "code"}``.
"""

from mockapis.clockify import resources
from mockapis.clockify.data import DEFAULT_SIZES, seed
from mockapis.clockify.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="clockify",
    hosts=("api.clockify.me",),
    routes=resources.ROUTES,
    spec="clockify.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Clockify API v1: workspaces, projects with hourly rates, time entries.",
    default_sizes=DEFAULT_SIZES,
)

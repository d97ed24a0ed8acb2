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
default one. Listings page with ``page`` (from 1) and ``page-size`` (default 50, at most
5000). Errors are ``{"message", "code"}``.

Checked against Clockify's reference (https://docs.clockify.me/, whose OpenAPI document
``openapi.json`` was read in full, as copied on 2025-12-01 to github.com/apet97/pyddon
``docs/openapi.json``), on 2026-12-05. Path, method, ``X-Api-Key`` header and every query
parameter of each operation; bodies against the named schema:

- ``GET /api/v1/user`` (``getLoggedUser``, ``UserDtoV1``): ``include-memberships`` (fixed:
  ``memberships`` was always filled, now ``[]`` unless asked); ``customFields`` added.
- ``GET /api/v1/workspaces`` (``getWorkspacesOfUser``, ``WorkspaceDtoV1[]``): as documented
  but for ``roles``, not emulated (no seeded user has a role but member): ignored.
- ``GET /api/v1/workspaces/{workspaceId}/users`` (``getUsersOfWorkspace``, ``UserDtoV1[]``):
  fixed the default order (EMAIL ascending, was by name) and added ``sort-column``,
  ``sort-order``, ``memberships`` (default NONE: ``[]``, was filled) and ``project-id``;
  ``account-statuses`` and ``include-roles`` ignored (every seeded user is ACTIVE, none has
  a manager role).
- ``GET /api/v1/workspaces/{workspaceId}/projects`` (``getProjects``, ``ProjectDtoV1[]`` whose
  fields are ``ProjectDtoImplV1``'s): added ``sort-column``, ``sort-order``,
  ``strict-name-search``, ``is-template``, ``clients``/``contains-client``; ``timeEstimate``
  is the documented object (was null), ``estimateReset`` added. Not emulated (ignored):
  ``hydrated``, ``client-status``, ``users``/``contains-user``, ``user-status``, ``access``,
  ``userGroups``/``contains-group``, ``expense-*``. The default order is not documented: by
  name, as the web app lists them.
- ``GET /api/v1/workspaces/{workspaceId}/projects/{projectId}`` (``getProject``): as
  documented (``hydrated``, ``custom-field-entity-type``, ``expense-*`` ignored).
- ``GET /api/v1/workspaces/{workspaceId}/user/{userId}/time-entries`` (``getTimeEntries``,
  ``TimeEntryWithRatesDtoV1[]``): added ``task``, ``tags``, ``project-required``,
  ``task-required``, ``get-week-before``; ``page-size`` may now reach 5000 (1000 was ours).

Deliberate deviations, each for a reason:

- ``page-size`` above 5000 is a 400: the document sets only a minimum (1); 5000 is the
  largest page integrators report the API serving (ingestdata.ai's Clockify connector
  page), and a bound keeps answers finite.
- Errors: the document declares only 200 answers. The 401 text is the one Clockify's
  reference names ("Full authentication is required to access this resource"); a refused
  parameter is 400 with code 501, a foreign workspace 403, an unknown project or user 404.
- Validated with the conformance suite's validator against that document, every body of
  the six operations conforms but for two things the document gets wrong about the live
  API. It marks nothing nullable, while the live API sends null for an unset rate
  (``hourlyRate``/``costRate`` of a membership or entry), an entry's absent ``projectId``
  and ``taskId``, and a running timer's ``end`` and ``duration``: null here too (as are
  ``kioskId`` and ``featureSubscriptionType``, unverified against the live API). And it
  types a user's ``status`` as an object (a generator artefact: its ``oneOf`` is a string
  enum); it is the string ``"ACTIVE"``.
- Durations are ISO 8601 (``PT1H30M``), as the live API sends them, where the document's
  examples show milliseconds ("8000").
- ``hydrated=true`` is accepted but entries keep their ids (``projectId``, ``taskId``,
  ``tagIds``) rather than embedded objects.
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

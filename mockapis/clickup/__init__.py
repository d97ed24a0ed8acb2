"""ClickUp API v2 (``api.clickup.com/api/v2``): workspaces, spaces, folders, lists, tasks, comments.

Stored tables (rows are what the API returns, bar bookkeeping keys starting with ``_``):

- ``clickup.users``: user id -> the user of ``GET /user``.
- ``clickup.teams``: team id -> workspace (``id``, ``name``, ``color``, ``members``).
- ``clickup.spaces``: space id -> space (``statuses``, ``features``, ``archived``;
  ``_team_id``).
- ``clickup.folders``: folder id -> folder (``space`` reference, ``archived``); its ``lists``
  and ``task_count`` are computed when served.
- ``clickup.lists``: list id -> list (``folder`` and ``space`` references; a folderless list's
  ``folder`` is a hidden one, ``{"name": "hidden", "hidden": true}``; ``due_date`` and
  ``start_date`` as epoch-millisecond strings or null; ``archived``); ``task_count`` computed.
- ``clickup.tasks``: task id -> task (``status`` with its ``type``: ``closed`` tasks are left
  out of listings unless ``include_closed``; ``parent`` for subtasks; every date an
  epoch-millisecond string; ``list``, ``folder``, ``space`` references).
- ``clickup.comments``: comment id -> comment (``comment_text``, ``user``, ``date``;
  ``_parent``: ``{"type": "task"|"comment", "id"}``, a reply's parent being a comment);
  ``reply_count`` computed.
- ``clickup._tokens``: personal token -> ``{"token", "user_id"}``.

Seeded data: one workspace of six members (the token's user first), ``spaces`` spaces with
folders of lists and folderless lists (some lists archived), ``tasks`` tasks (about 40% in
one busy list, some subtasks, some closed, a few archived) and ``comments`` comments (about
60% on one busy task) with threaded replies. Errors are ``{"err", "ECODE"}``; see
:mod:`mockapis.clickup.access` for auth and the rate limit.

Fidelity: every response is checked against ClickUp's API v2 reference (its per-operation
OpenAPI excerpts, ``../shared/vendor-specs/clickup``) by ``tests/conformance``; where that
reference contradicts itself (a task's assignees and tags, Get Folders' array), the reviewed
allow-list in ``tests/conformance/services/clickup.py`` says which documented shape we follow.
"""

from mockapis.clickup import comments, hierarchy, tasks
from mockapis.clickup.data import DEFAULT_SIZES, seed
from mockapis.clickup.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="clickup",
    hosts=("api.clickup.com",),
    routes=[*hierarchy.ROUTES, *tasks.ROUTES, *comments.ROUTES],
    spec="clickup.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="ClickUp API v2: workspaces, spaces, folders, lists, tasks, comments and replies.",
    default_sizes=DEFAULT_SIZES,
)

"""Typeform (``api.typeform.com``): workspaces, forms (definitions) and their responses.

A personal access token (``tfp_...``) as ``Authorization: Bearer``. Emulated:
``GET /workspaces`` and ``/forms`` (``page``, ``page_size`` default 10 and at most 200,
``search``; forms also ``workspace_id``, ``sort_by``, ``order_by``), ``/workspaces/{id}``,
``/forms/{form_id}`` (the definition: ``fields`` with ``id``, ``ref``, ``title``, ``type``,
``properties.choices``) and ``/forms/{form_id}/responses`` (``page_size`` default 25 and at
most 1000, ``since``/``until``, ``before``/``after`` response tokens, ``sort``,
``completed``, ``query``, ``included_response_ids``/``excluded_response_ids``; items' answers
name their field by ``{id, type, ref}``, not by title). Errors are ``{"code",
"description"}`` (with ``details`` for a bad parameter). Seeded: one form with more than 1000
responses, one workspace with no form. Tables are described in :mod:`mockapis.typeform.data`.
"""

from mockapis.service import Service
from mockapis.typeform import forms, responses, workspaces
from mockapis.typeform.data import DEFAULT_SIZES, seed
from mockapis.typeform.errors import render_error

__all__ = ["SERVICE"]

SERVICE = Service(
    name="typeform",
    hosts=("api.typeform.com",),
    routes=[*workspaces.ROUTES, *forms.ROUTES, *responses.ROUTES],
    spec="typeform.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Typeform: workspaces, form definitions, responses paged by before/after tokens.",
    default_sizes=DEFAULT_SIZES,
)

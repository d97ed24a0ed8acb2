"""Typeform (``api.typeform.com``): workspaces, forms (definitions) and their responses.

A personal access token (``tfp_...``) as ``Authorization: Bearer``. Emulated:
``GET /workspaces`` and ``/forms`` (``page``, ``page_size`` default 10 and at most 200,
``search``; forms also ``workspace_id``, ``sort_by``, ``order_by``), ``/workspaces/{id}``,
``/forms/{form_id}`` (the definition: ``fields`` with ``id``, ``ref``, ``title``, ``type``,
``properties.choices``) and ``/forms/{form_id}/responses`` (``page_size`` default 25 and at
most 1000, ``since``/``until``, ``before``/``after`` response tokens, ``sort``,
``response_type``, ``completed``, ``query``, ``fields``, ``answered_fields``,
``included_response_ids``/``excluded_response_ids``; items' answers name their field by
``{id, type, ref}``, not by title). Errors are ``{"code", "description"}`` (with ``details``
for a bad parameter). Seeded: one form with more than 1000 responses, one workspace with no
form. Tables are described in :mod:`mockapis.typeform.data`.

Checked on 2026-12-05 against Typeform's reference (no machine-readable description is
published; the pages were read through the search corpus, some only in part or through a
copy, as noted): path, method, bearer header, query parameters with their defaults and
limits, body fields. Pages marked (copy) were read as withone.ai's Typeform knowledge pages,
which reproduce the reference's parameters, schema and example.

- ``GET /workspaces``: https://www.typeform.com/developers/create/reference/retrieve-workspaces/
  (copy; and the account-workspaces page, read in full): search, page, page_size 10/200;
  items ``id``, ``name``, ``shared``, ``account_id``, ``forms.{count, href}``,
  ``self.href``; ``default`` and ``members`` as Typeform's own client types them
  (``Typeform.Workspace`` in github.com/Typeform/js-api-client ``src/typeform-types.ts``,
  read at bfd8cba, 2026-02-17). Fixed: ``members`` (``email``, ``name``, ``role``) added.
- ``GET /workspaces/{workspace_id}``: .../create/reference/retrieve-workspace/ (copy; and
  the create-workspace page's schema): the same workspace object, ``members`` added.
- ``GET /forms``: .../create/reference/retrieve-forms/ (copy; search, page, page_size 10/200,
  workspace_id, sort_by created_at|last_updated_at, order_by asc|desc; newest first as the
  workspaces page says). As documented.
- ``GET /forms/{form_id}``: .../create/reference/retrieve-form/ (read in full) and the
  client's ``Typeform.Form``: fixed, now carries ``language``, ``hidden`` and ``variables``.
  Responses also checked against the client's ``Typeform.Response`` and its
  ``responses.list``, which pages with ``before`` = the last item's ``response_id`` at
  ``page_size`` 1000, newest first (as here: ``token`` and ``response_id`` are equal).
- ``GET /forms/{form_id}/responses``: .../responses/reference/retrieve-responses/ (its
  parameters read up to ``response_type``; ``sort``, ``query``, ``fields`` and
  ``answered_fields`` from the same page's mirrors and Typeform's JSON response explanation,
  .../responses/JSON-response-explanation/). Fixed: ``response_type`` (comma-separated
  started/partial/completed), ``fields``, ``answered_fields``, ``sort`` by any field id of
  the form; ``query`` matched the answers' keys and field ids (``query=choice`` matched
  everything), it now matches answer and hidden values.
- Errors: https://www.typeform.com/developers/troubleshooting/ and the live answers that
  public API tests assert: no ``Authorization`` header is 401 ``AUTHENTICATION_FAILED``
  "Authentication credentials not found on the Request Headers"; a wrong token is now 403
  ``AUTHENTICATION_FAILED`` "Authentication failed" (was 401); an unknown form 404
  ``FORM_NOT_FOUND`` "Non existing form with uid ...".

Deliberate deviations, each for a reason:

- Every seeded response is completed, so ``response_type`` other than completed (and
  ``completed=false``) selects none; responses carry no ``variables`` or ``tags``.
- ``answered_fields`` with several ids keeps responses answering any of them: the pages
  read do not say any or all.
- ``sort`` by a field puts unanswered responses after the answered ones when ascending:
  the order of missing answers is not documented.
- The forms ``href`` of a workspace is ``/forms?workspace_id=...`` (a route that exists
  here) where the reference example shows ``/workspaces/{id}/forms``.
- 400 bodies for a bad query parameter (``VALIDATION_ERROR`` with ``details``) follow the
  Create API's validation errors; the responses page documents no 400 body.
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

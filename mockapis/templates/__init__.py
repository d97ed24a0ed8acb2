"""A template rendering service (``templates.apibench.example``), fictional: stored Jinja
templates and a sandboxed renderer.

Stored tables:

- ``templates.templates``: template id -> ``{"id", "account", "seq", "name", "description",
  "format" (text, markdown or html), "body" (the Jinja source), "strict_undefined",
  "version", "created_at", "updated_at"}``.
- ``templates._keys``: API key -> ``{"token", "account"}``.

Emulated: ``/v1/templates`` CRUD (Stripe-style lists), ``POST /v1/templates/{id}/render``
and ``POST /v1/render`` (inline source). Rendering runs in a sandbox (see
:mod:`mockapis.templates.sandbox`): data-only attribute access, a documented filter set, no
include/import, and limits on template, data and output size and on render work, counted in
steps (never timed), so every render is deterministic.
"""

from mockapis.service import Service
from mockapis.templates import rendering, resources
from mockapis.templates.data import DEFAULT_SIZES, seed
from mockapis.templates.errors import render_error

__all__ = ["SERVICE"]

SERVICE = Service(
    name="templates",
    hosts=("templates.apibench.example",),
    routes=[*resources.ROUTES, *rendering.ROUTES],
    spec="templates.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Stored Jinja templates rendered in a sandbox to text, Markdown or HTML.",
    default_sizes=DEFAULT_SIZES,
)

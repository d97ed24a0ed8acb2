"""HubSpot CRM v3 (``api.hubapi.com``) with OAuth 2.0 (``app.hubspot.com`` authorize page).

Objects contacts, companies and deals (list with ``after`` paging, read, create, update,
archive, search with ``filterGroups``, batch read/create/update/archive of at most 100
inputs), associations (v4 and v3), and OAuth: authorization code with PKCE S256 through an
HTML login and consent page, rotating refresh tokens with reuse detection, client
credentials (an extension), access tokens expiring on the episode clock, scopes, and
private-app tokens. See :mod:`mockapis.hubspot.records` and :mod:`mockapis.hubspot.tokens`
for the stored tables.

Fidelity: every emulated operation's responses (successes and documented errors) validate
against HubSpot's own descriptions (HubSpot-public-api-spec-collection: CRM objects and
contacts v3, associations v3 and v4, OAuth v1), checked by ``tests/conformance`` (cases in
``tests/conformance/services/hubspot.py``). One reviewed deviation: a requested property
without a value is null, as HubSpot's live API answers. Not in those descriptions: the older
v3 object association routes (``/crm/v3/objects/{from}/{id}/associations/...``) and the
browser authorize page.
"""

from mockapis.hubspot import associations, batch, consent, oauth, objects, search
from mockapis.hubspot.data import DEFAULT_SIZES, seed
from mockapis.hubspot.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="hubspot",
    hosts=("api.hubapi.com", "app.hubspot.com"),
    routes=[
        *search.ROUTES,
        *batch.ROUTES,
        *objects.ROUTES,
        *associations.ROUTES,
        *oauth.ROUTES,
        *consent.ROUTES,
    ],
    spec="hubspot.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="HubSpot CRM v3: contacts, companies, deals, associations, OAuth 2.0.",
    default_sizes=DEFAULT_SIZES,
)

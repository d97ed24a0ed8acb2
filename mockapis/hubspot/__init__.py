"""HubSpot CRM v3 (``api.hubapi.com``) with OAuth 2.0 (``app.hubspot.com`` authorize page).

Objects contacts, companies and deals (list with ``after`` paging, read, create, update,
archive, search with ``filterGroups``, batch read/create/update/archive of at most 100
inputs), associations (v4 and v3), and OAuth: authorization code with PKCE S256 through an
HTML login and consent page, rotating refresh tokens with reuse detection, client
credentials (an extension), access tokens expiring on the episode clock, scopes, and
private-app tokens. See :mod:`mockapis.hubspot.records` and :mod:`mockapis.hubspot.tokens`
for the stored tables.
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

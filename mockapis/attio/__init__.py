"""Attio CRM (REST API v2 at ``api.attio.com``): records, lists and entries, notes, members.

Stored tables (scenario checks read them; every row is exactly what the API returns for it):

- ``attio.people``, ``attio.companies``, ``attio.deals``: record_id -> record
  ``{"id": {"workspace_id", "object_id", "record_id"}, "created_at", "web_url", "values"}``.
  ``values`` maps every attribute slug of the object (see :mod:`mockapis.attio.schema`) to a
  list of values, ``[]`` when empty. Each value is ``{"active_from", "active_until": null,
  "created_by_actor": {"type", "id"}, <type fields>, "attribute_type"}``; type fields:
  text/number/checkbox/date/timestamp ``value``; personal-name ``first_name``, ``last_name``,
  ``full_name``; email-address ``original_email_address``, ``email_address``, ``email_domain``,
  ``email_root_domain``, ``email_local_specifier``; domain ``domain``, ``root_domain``;
  phone-number ``original_phone_number``, ``country_code``, ``phone_number``; location
  ``line_1``..``line_4``, ``locality``, ``region``, ``postcode``, ``country_code``,
  ``latitude``, ``longitude``; record-reference ``target_object``, ``target_record_id``;
  select ``option`` / status ``status`` (``{"id", "title", ...}``); currency
  ``currency_value``, ``currency_code``; actor-reference ``referenced_actor_type``,
  ``referenced_actor_id``. ``values["created_at"][0]["value"]`` equals ``created_at``.
- ``attio.lists``: list_id -> ``{"id": {"workspace_id", "list_id"}, "api_slug", "name",
  "parent_object": [slug], "workspace_access", "workspace_member_access", "created_by_actor",
  "created_at"}`` (``sales_pipeline`` of companies, ``key_contacts`` of people).
- ``attio.entries``: entry_id -> ``{"id": {"workspace_id", "list_id", "entry_id"},
  "parent_record_id", "parent_object", "created_at", "entry_values"}`` (values as above).
- ``attio.notes``: note_id -> ``{"id": {"workspace_id", "note_id"}, "parent_object",
  "parent_record_id", "title", "meeting_id", "content_plaintext", "content_markdown", "tags",
  "created_by_actor", "created_at"}``.
- ``attio.members``: workspace_member_id -> ``{"id": {"workspace_id", "workspace_member_id"},
  "first_name", "last_name", "avatar_url", "email_address", "created_at", "access_level"}``.
- ``attio._tokens``: token -> ``{"token", "token_id", "workspace_member_id", "scope",
  "issued_at"}`` (the agent's bearer tokens: the seeded one and those the token endpoint
  issued; writes are stamped ``{"type": "api-token", "id": token_id}``).
- ``attio._oauth_clients``: client_id -> ``{"client_id", "client_secret", "created_at"}``;
  ``attio._refresh_tokens``: refresh_token -> ``{"refresh_token", "client_id", "token_id",
  "workspace_member_id", "scope", "issued_at"}`` (see :mod:`mockapis.attio.oauth`).
  Tables named ``_...`` are credentials: in the state hash, never collateral damage.

Seeded data: companies with realistic names, domains, segments (``categories``,
``employee_range``, ``estimated_arr_usd``), ``foundation_date`` and ``primary_location``,
plus up to 5 duplicates sharing a domain with an original (created later); people linked to
companies (about 15% with no email); deals with a ``stage``, ``value``, company and people;
list entries; notes; 5 workspace members. ``created_at`` values are distinct.
"""

from mockapis.attio import drift, lists, notes, oauth, records, workspace
from mockapis.attio.data import DEFAULT_SIZES, seed
from mockapis.attio.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="attio",
    hosts=("api.attio.com", "app.attio.com"),
    routes=[*workspace.ROUTES, *records.ROUTES, *lists.ROUTES, *notes.ROUTES, *oauth.ROUTES],
    spec="attio.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Attio CRM REST API v2: people, companies, deals, lists, notes.",
    default_sizes=DEFAULT_SIZES,
    clone=drift.clone,
)

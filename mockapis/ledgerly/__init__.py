"""Ledgerly: a fictional legacy accounting API at ``api.ledgerly.example``, OAuth 1.0a only.

XML by default, JSON with ``?format=json``. Three-legged OAuth (request token, the HTML
authorize pages, access token) and two-legged calls for partner consumers on the read-only
directory endpoints (company, accounts, contacts); each consumer signs with one method
(HMAC-SHA1, HMAC-SHA256, RSA-SHA1 or PLAINTEXT). See :mod:`mockapis.ledgerly.oauth`.

Stored tables (scenario checks read them; rows are what the API renders):

- ``ledgerly.company``: ``"company"`` -> ``{"name", "legal_name", "base_currency",
  "country", "tax_number", "financial_year_end", "created_at"}``.
- ``ledgerly.accounts``: code -> ``{"code", "name", "type", "status"}`` (see
  :data:`mockapis.ledgerly.books.ACCOUNTS`).
- ``ledgerly.contacts``: contact_id -> ``{"contact_id", "name", "contact_person", "email",
  "phone", "city", "country", "type" (customer|supplier|both), "tax_number", "status",
  "created_at"}``.
- ``ledgerly.invoices``: invoice_id -> ``{"invoice_id", "number", "contact_id",
  "contact_name", "date", "due_date", "reference", "currency", "status" (open|paid),
  "line_items": [{"line_no", "description", "quantity", "unit_price", "tax_rate",
  "account_code", "line_amount", "tax_amount"}], "subtotal", "total_tax", "total",
  "amount_paid", "amount_due", "created_at", "updated_at", "created_by"}``; amounts are
  two-decimal strings (see :mod:`mockapis.ledgerly.books` for the rules).
- ``ledgerly.payments``: payment_id -> ``{"payment_id", "invoice_id", "contact_id", "date",
  "amount", "reference", "account_code", "created_at", "created_by"}``.
- ``ledgerly.ledger_entries``: entry_id -> ``{"entry_id", "date", "account_code",
  "description", "debit", "credit", "source_type" (invoice|payment), "source_id"}``.
- Credentials and bookkeeping (never collateral damage): ``ledgerly._consumers`` (key ->
  ``{"consumer_key", "name", "signature_method", "consumer_secret", "rsa_public_key",
  "two_legged", "created_at"}``), ``ledgerly._users`` (username -> ``{"username",
  "password", "name", "role"}``), ``ledgerly._request_tokens`` (token -> ``{"oauth_token",
  "oauth_token_secret", "consumer_key", "callback", "issued_at", "expires_at", "status"
  (issued|authorized|denied|used), "username", "verifier", "ticket"}``) and
  ``ledgerly._access_tokens`` (token -> ``{"oauth_token", "oauth_token_secret",
  "consumer_key", "username", "issued_at", "expires_at", "revoked_at"}``). Burnt nonces live
  in ``world.runtime["ledgerly.nonces"]``.

``created_by`` of a write is ``"<username>@<consumer name>"``.
"""

from mockapis.ledgerly import contacts, flow, invoices, ledger, payments
from mockapis.ledgerly.data import DEFAULT_SIZES, seed
from mockapis.ledgerly.errors import negotiated_error, render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="ledgerly",
    hosts=("api.ledgerly.example",),
    routes=[*flow.ROUTES, *ledger.ROUTES, *contacts.ROUTES, *invoices.ROUTES, *payments.ROUTES],
    spec="ledgerly.openapi.yaml",
    render_error=render_error,
    error_response=negotiated_error,
    seed=seed,
    description="Ledgerly (fictional legacy accounting): OAuth 1.0a, XML or JSON.",
    default_sizes=DEFAULT_SIZES,
    client_clock=True,
)

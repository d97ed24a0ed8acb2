"""Stripe (REST API at ``api.stripe.com``): customers, products, prices, charges, balance.

Stored tables (scenario checks read them; every row is exactly what the API returns, with
ids in its expandable fields):

- ``stripe.customers``: ``cus_...`` -> customer (``email``, ``name``, ``phone``, ``created``,
  ``metadata`` with ``segment`` (smb, mid_market, enterprise) and ``crm_id``, ...).
- ``stripe.products``: ``prod_...`` -> product (``name``, ``active``, ``default_price``, ...).
- ``stripe.prices``: ``price_...`` -> price (``product``, ``unit_amount`` in minor units,
  ``currency``, ``type`` one_time or recurring, ``recurring.interval``).
- ``stripe.charges``: ``ch_...`` -> charge (``amount``, ``customer``, ``status`` succeeded or
  failed, ``balance_transaction`` for succeeded ones).
- ``stripe.balance_transactions``: ``txn_...`` -> balance transaction (``amount``, ``fee``
  (2.9% + 30 cents), ``net``, ``type`` charge or stripe_fee, ``source`` the charge id).
- ``stripe._keys``: secret key -> ``{"key", "livemode"}`` (credentials).

Emulated: Bearer (or Basic) secret-key auth; form-encoded bodies and query strings with
bracket notation; list endpoints (``limit`` 1-100, default 10; ``starting_after``,
``ending_before``, ``has_more``, ``url``; newest first; ``created`` filters); ``expand[]`` up
to four levels; the search endpoints' query language subset with ``page`` tokens (see
:mod:`mockapis.stripe.search`); idempotency keys on POST; Stripe's error object. Counts vary
with the seed (within ``jitter_pct`` percent of the sizes).

Fidelity: every emulated operation's responses (success and documented errors) validate
against Stripe's published OpenAPI description (2022-04, ``../shared/vendor-specs``; see
``tests/conformance/services/stripe.py``); where the API has moved on since, objects follow
today's docs (no ``refunds`` on charges, no ``aggregate_usage`` on prices), which that
module's allow-list records.
"""

from mockapis.service import Service
from mockapis.stripe import catalog, customers, drift, payments
from mockapis.stripe.data import DEFAULT_SIZES, seed
from mockapis.stripe.errors import render_error

__all__ = ["SERVICE"]

SERVICE = Service(
    clone=drift.clone,
    name="stripe",
    hosts=("api.stripe.com",),
    routes=[*customers.ROUTES, *catalog.ROUTES, *payments.ROUTES],
    spec="stripe.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Stripe REST API: customers, products, prices, charges, balance transactions.",
    default_sizes=DEFAULT_SIZES,
)

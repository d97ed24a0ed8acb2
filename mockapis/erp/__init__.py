"""Millbrook ERP (``erp.millbrook.example``): a fictional legacy ERP with session login.

Auth (see :mod:`mockapis.erp.access`): ``POST /api/session`` sets the ``MBSESSION`` cookie and
returns a CSRF token that every state-changing request echoes in ``X-CSRF-Token``; sessions
die after ``session_idle_s`` seconds without a request (virtual clock); five failed logins lock
the user for 15 minutes.

Stored tables (scenario checks read them):

- ``erp.warehouses``: id -> ``{"id", "name", "city"}``.
- ``erp.suppliers``: id -> ``{"id", "name", "email", "phone", "country", "payment_terms_days"}``.
- ``erp.items``: sku -> ``{"sku", "name", "unit", "unit_price", "stock": {warehouse_id: qty}}``.
- ``erp.purchase_orders``: id -> ``{"id", "supplier_id", "warehouse_id", "status",
  "order_date", "currency", "total", "created_by", "approved_by", "approved_at",
  "rejection_reason", "lines": [{"line", "sku", "description", "quantity", "unit_price",
  "amount"}]}``; money is a decimal string with two places.
- ``erp.exports``: id -> ``{"id", "type", "params", "created_by", "created_ns", "ready_ns",
  "row_count", "csv"}``.
- ``erp._users``, ``erp._sessions``, ``erp._login_failures``, ``erp._config``: credentials and
  bookkeeping.

Sizes: ``suppliers``, ``items``, ``purchase_orders``, and two settings: ``session_idle_s``
(default 900) and ``export_delay_s`` (default 90).
"""

from mockapis.erp import exports, inventory, purchasing, session
from mockapis.erp.data import DEFAULT_SIZES, HOST, seed
from mockapis.erp.errors import render_error
from mockapis.service import Service

__all__ = ["SERVICE"]

SERVICE = Service(
    name="erp",
    hosts=(HOST,),
    routes=[*session.ROUTES, *inventory.ROUTES, *purchasing.ROUTES, *exports.ROUTES],
    spec="erp.openapi.yaml",
    render_error=render_error,
    seed=seed,
    description="Millbrook ERP: session cookie + CSRF login, stock, purchase orders, CSV exports.",
    default_sizes=DEFAULT_SIZES,
)

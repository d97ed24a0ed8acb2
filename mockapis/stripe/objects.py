"""Stripe's resource objects as the API returns them, and which of their fields expand.

Every stored row is exactly the object the API returns (ids in expandable fields).
"""

from __future__ import annotations

from typing import Any

from mockapis.tables import Record

__all__ = [
    "EXPANDABLE",
    "NAMES",
    "TABLES",
    "balance_transaction",
    "charge",
    "customer",
    "price",
    "product",
]

TABLES = {
    "customer": "stripe.customers",
    "product": "stripe.products",
    "price": "stripe.prices",
    "charge": "stripe.charges",
    "balance_transaction": "stripe.balance_transactions",
}
"""Object type -> table."""

NAMES = {
    "customer": "customer",
    "product": "product",
    "price": "price",
    "charge": "charge",
    "balance_transaction": "balance transaction",
}
"""Object type -> its name in ``No such ...`` messages."""

EXPANDABLE: dict[str, dict[str, str]] = {
    "charge": {
        "customer": "customer",
        "balance_transaction": "balance_transaction",
        "payment_intent": "payment_intent",
    },
    "balance_transaction": {"source": "charge"},
    "product": {"default_price": "price", "tax_code": "tax_code"},
    "price": {"product": "product"},
    "customer": {"default_source": "source", "test_clock": "test_helpers.test_clock"},
}
"""Object type -> expandable field -> the type of the object it names. Stripe lets every
field its reference marks expandable be expanded; those whose type has no table here are
always null in these objects (expanding null leaves null, as on Stripe)."""


def customer(
    customer_id: str,
    created: int,
    *,
    email: str | None,
    name: str | None,
    phone: str | None,
    description: str | None,
    metadata: dict[str, str],
) -> Record:
    """A customer object."""
    return {
        "id": customer_id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": created,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": description,
        "discount": None,
        "email": email,
        "invoice_prefix": customer_id[4:12].upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": metadata,
        "name": name,
        "next_invoice_sequence": 1,
        "phone": phone,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def product(
    product_id: str,
    created: int,
    *,
    name: str,
    description: str | None,
    active: bool,
    default_price: str | None,
    metadata: dict[str, str],
) -> Record:
    """A product object."""
    return {
        "id": product_id,
        "object": "product",
        "active": active,
        "created": created,
        "default_price": default_price,
        "description": description,
        "images": [],
        "livemode": False,
        "marketing_features": [],
        "metadata": metadata,
        "name": name,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "type": "service",
        "unit_label": None,
        "updated": created,
        "url": None,
    }


def price(
    price_id: str,
    created: int,
    *,
    product: str,
    unit_amount: int,
    currency: str,
    interval: str | None,
    nickname: str | None,
    metadata: dict[str, str],
    active: bool = True,
) -> Record:
    """A price object (one-time, or recurring every ``interval``)."""
    recurring: dict[str, Any] | None = None
    if interval is not None:
        # Today's shape (docs.stripe.com/api/prices/object): aggregate_usage is gone since
        # API version 2025-03-31, when metered prices moved to meters.
        recurring = {
            "interval": interval,
            "interval_count": 1,
            "meter": None,
            "trial_period_days": None,
            "usage_type": "licensed",
        }
    return {
        "id": price_id,
        "object": "price",
        "active": active,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": metadata,
        "nickname": nickname,
        "product": product,
        "recurring": recurring,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring" if recurring else "one_time",
        "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def charge(
    charge_id: str,
    created: int,
    *,
    amount: int,
    currency: str,
    customer: str | None,
    balance_transaction: str | None,
    succeeded: bool,
    description: str | None,
    receipt_email: str | None,
    metadata: dict[str, str],
) -> Record:
    """A card charge, succeeded (captured, with a balance transaction) or declined."""
    return {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": amount if succeeded else 0,
        "amount_refunded": 0,
        "balance_transaction": balance_transaction,
        "billing_details": {"address": None, "email": receipt_email, "name": None, "phone": None},
        "captured": succeeded,
        "created": created,
        "currency": currency,
        "customer": customer,
        "description": description,
        "disputed": False,
        "failure_code": None if succeeded else "card_declined",
        "failure_message": None if succeeded else "Your card was declined.",
        "livemode": False,
        "metadata": metadata,
        "outcome": {
            "network_status": "approved_by_network" if succeeded else "declined_by_network",
            "reason": None if succeeded else "generic_decline",
            "risk_level": "normal",
            "seller_message": "Payment complete." if succeeded else "The bank declined it.",
            "type": "authorized" if succeeded else "issuer_declined",
        },
        "paid": succeeded,
        "payment_intent": None,
        "payment_method": None,
        "receipt_email": receipt_email,
        "refunded": False,
        "status": "succeeded" if succeeded else "failed",
    }


def balance_transaction(
    txn_id: str, created: int, *, amount: int, fee: int, kind: str, source: str | None
) -> Record:
    """A balance transaction: ``net = amount - fee``, available two days later."""
    fee_details = []
    if fee:
        fee_details.append(
            {
                "amount": fee,
                "application": None,
                "currency": "usd",
                "description": "Stripe processing fees",
                "type": "stripe_fee",
            }
        )
    return {
        "id": txn_id,
        "object": "balance_transaction",
        "amount": amount,
        "available_on": created + 2 * 86_400,
        "created": created,
        "currency": "usd",
        "description": "Stripe fee" if kind == "stripe_fee" else None,
        "exchange_rate": None,
        "fee": fee,
        "fee_details": fee_details,
        "net": amount - fee,
        "reporting_category": "fee" if kind == "stripe_fee" else "charge",
        "source": source,
        "status": "available",
        "type": kind,
    }

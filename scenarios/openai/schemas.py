"""The JSON schemas the openai tasks ask the model to fill: one copy for truth and solutions."""

from __future__ import annotations

from typing import Any

CONTRACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "supplier": {"type": "string"},
        "contract_value": {"type": "number"},
        "currency": {"type": "string", "enum": ["EUR", "USD", "GBP", "CHF"]},
        "auto_renewal": {"type": "boolean"},
    },
    "required": ["supplier", "contract_value", "currency", "auto_renewal"],
    "additionalProperties": False,
}

INVOICE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string"},
        "vendor": {"type": "string"},
        "due_date": {"type": "string"},
        "total_due": {"type": "number"},
        "currency": {"type": "string", "enum": ["EUR", "USD", "GBP", "CHF"]},
    },
    "required": ["invoice_number", "vendor", "due_date", "total_due", "currency"],
    "additionalProperties": False,
}

PERSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "city": {"type": "string"},
    },
    "required": ["name", "age", "city"],
    "additionalProperties": False,
}

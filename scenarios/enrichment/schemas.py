"""The JSON schemas the enrichment tasks ask the model to fill: one copy for truth and solutions."""

from __future__ import annotations

from typing import Any

SEGMENTS = ("insurance", "manufacturing", "media", "energy", "agriculture", "travel")

ENRICH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "segment": {"type": "string", "enum": list(SEGMENTS)},
        "employees": {"type": "integer"},
    },
    "required": ["segment", "employees"],
    "additionalProperties": False,
}

POSTMORTEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "incident_id": {"type": "string"},
        "severity": {"type": "string", "enum": ["SEV1", "SEV2", "SEV3", "SEV4"]},
        "duration_minutes": {"type": "integer"},
        "customers_affected": {"type": "integer"},
    },
    "required": ["incident_id", "severity", "duration_minutes", "customers_affected"],
    "additionalProperties": False,
}

FILING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "fiscal_year": {"type": "integer"},
        "total_revenue": {"type": "integer"},
        "employees": {"type": "integer"},
    },
    "required": ["fiscal_year", "total_revenue", "employees"],
    "additionalProperties": False,
}

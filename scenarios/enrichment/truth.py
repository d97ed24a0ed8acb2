"""Ground truth of the enrichment workflows. The services are seeded independently, so the
truth stages the material (company descriptions in Attio) and computes the model's answers
with the simulator's own rules."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from mockapis.openai.simulator import Source, fill_schema
from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]

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


def _text(record: Record, attribute: str) -> str:
    values = record["values"].get(attribute) or []
    return str(values[0]["value"]) if values else ""


def attio_to_s3(world: World, rng: random.Random) -> Truth:
    """Companies of one category get a description naming their segment and headcount; the
    expected CSV has one row per company: record_id, name, segment, employees."""
    by_category: dict[str, list[Record]] = defaultdict(list)
    for company in world.table("attio.companies").values():
        for value in company["values"].get("categories") or []:
            by_category[value["option"]["title"]].append(company)
    fitting = sorted(c for c, rows in by_category.items() if 3 <= len(rows) <= 8)
    category = rng.choice(fitting)
    table = world.table("attio.companies")
    rows: list[list[str]] = []
    for company in sorted(by_category[category], key=lambda r: r["id"]["record_id"]):
        segment, employees = rng.choice(SEGMENTS), rng.randrange(12, 4000)
        description = (
            f"A vendor of planning software for {segment} companies, with offices in "
            f"{rng.randrange(2, 9)} countries.\nEmployees: {employees:,}"
        )
        old = company["values"]["description"][0]
        table.put(
            company["id"]["record_id"],
            {
                **company,
                "values": {**company["values"], "description": [{**old, "value": description}]},
            },
        )
        answer = fill_schema(ENRICH_SCHEMA, [Source(description)])
        assert answer == {"segment": segment, "employees": employees}, answer
        record_id = company["id"]["record_id"]
        rows.append([record_id, _text(company, "name"), segment, str(employees)])
    bucket = rng.choice(sorted(world.table("s3.buckets")))
    key = f"enrichment/{category.lower().replace(' ', '-')}-{rng.randrange(100, 999)}.csv"
    inputs = {"category": category, "bucket": bucket, "key": key}
    return {"inputs": inputs, "expected": {**inputs, "rows": rows}}

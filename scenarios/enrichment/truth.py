"""Ground truth of the enrichment workflows. The services are seeded independently, so the
truth stages the material (company descriptions in Attio) and computes the model's answers
with the simulator's own rules."""

from __future__ import annotations

import base64
import functools
import random
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gym_apibench.scenarios import family_module
from mockapis import seeding
from mockapis.attio.data import company_index
from mockapis.openai.simulator import Source, fill_schema
from mockapis.slack.data import Channel
from mockapis.tables import Record
from mockapis.tus.store import UPLOADS
from mockapis.web.data import COMPANIES, filings_of
from mockapis.world import World

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.enrichment import schemas
else:
    schemas = family_module(Path(__file__).parent, "schemas")

# "expected" may be deferred: computed from the initial world when grading asks for it.
Truth = dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]]


HOUR_NS = 3600 * 10**9


def _open_channel(world: World, rng: random.Random) -> Channel:
    """A Slack channel to post in: not archived, not #general (chosen in id order, from the
    channels' index)."""
    index: Mapping[str, Channel] = world.index("slack.channels")
    rows = [index[k] for k in sorted(index)]
    return rng.choice([c for c in rows if not c.is_archived and not c.is_general])


def _text(record: Record, attribute: str) -> str:
    values = record["values"].get(attribute) or []
    return str(values[0]["value"]) if values else ""


def attio_to_s3(world: World, rng: random.Random) -> Truth:
    """Companies of one category get a description naming their segment and headcount; the
    expected CSV has one row per company: record_id, name, segment, employees."""
    companies = company_index(world)
    sizes = companies.category_sizes()
    # Categories of 3 to 8 companies (else those of the fewest companies above 8, or the most
    # below 3: the guaranteed fallback of a small workspace).
    fitting = sorted(c for c, n in sizes.items() if 3 <= n <= 8)
    if not fitting:
        best = min(sorted(set(sizes.values())), key=lambda k: (k < 3, abs(k - 5)))
        fitting = sorted(c for c, n in sizes.items() if n == best)
    category = rng.choice(fitting)
    table = world.table("attio.companies")
    rows: list[list[str]] = []
    for record_id in sorted(companies.record_id(i) for i in companies.in_category(category)):
        company = table[record_id]
        segment, employees = rng.choice(schemas.SEGMENTS), rng.randrange(12, 4000)
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
        rows.append([record_id, _text(company, "name"), segment, str(employees)])
    bucket = rng.choice(sorted(world.table("s3.buckets")))
    key = f"enrichment/{category.lower().replace(' ', '-')}-{rng.randrange(100, 999)}.csv"
    inputs = {"category": category, "bucket": bucket, "key": key}
    return {"inputs": inputs, "expected": functools.partial(_enriched, {**inputs, "rows": rows})}


def _enriched(expected: dict[str, Any], world: World) -> dict[str, Any]:
    """``expected``, once the simulator is seen to read each staged description's segment and
    headcount (at grading: the simulator takes a fraction of a millisecond a document)."""
    for record_id, _, segment, employees in expected["rows"]:
        record = world.table("attio.companies")[record_id]
        answer = fill_schema(schemas.ENRICH_SCHEMA, [Source(_text(record, "description"))])
        assert answer == {"segment": segment, "employees": int(employees)}, answer
    return expected


def _postmortem(rng: random.Random, incident: str) -> tuple[str, dict[str, Any]]:
    """A postmortem in markdown and its facts; a changed severity and an earlier incident
    (with its own numbers) are there to mislead a careless reader."""
    severity = rng.choice(["SEV1", "SEV2", "SEV3", "SEV4"])
    first = rng.choice([s for s in ("SEV1", "SEV2", "SEV3", "SEV4") if s != severity])
    minutes, customers = rng.randrange(8, 600), rng.randrange(20, 40_000)
    earlier = f"INC-{rng.randrange(1000, int(incident[4:]))}"
    text = "\n".join(
        [
            f"# Postmortem: {seeding.pick(rng, 'catch_phrase').lower()} outage",
            "",
            f"Incident ID: {incident}",
            f"Severity: {severity} (declared {first} at first)",
            f"Duration (minutes): {minutes}",
            f"Customers affected: {customers:,}",
            f"Related: {earlier} ({rng.randrange(5, 90)} minutes, {rng.randrange(10, 900)} "
            "customers)",
            "",
            "## Summary",
            "",
            seeding.paragraph(rng, 4),
            "",
            "## Timeline",
            "",
            *(f"- {_clock_time(rng)} {seeding.sentence(rng)}" for _ in range(4)),
            "",
            "## Follow-ups",
            "",
            seeding.paragraph(rng, 3),
            "",
        ]
    )
    facts = {
        "incident_id": incident,
        "severity": severity,
        "duration_minutes": minutes,
        "customers_affected": customers,
    }
    return text, facts


def _clock_time(rng: random.Random) -> str:
    """A time of day, ``HH:MM:SS`` (as Faker's ``time``)."""
    return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"


def _stage_upload(world: World, rng: random.Random, name: str, data: bytes, age: int) -> None:
    upload_id = f"{rng.getrandbits(128):032x}"
    world.table(UPLOADS).put(
        upload_id,
        {
            "id": upload_id,
            "account": "acct_1",
            "length": len(data),
            "offset": len(data),
            "metadata": {"filename": name},
            "data": base64.b64encode(data).decode("ascii"),
            "created_ns": world.clock.now_ns - age * HOUR_NS,
            "expires_ns": None,
        },
    )


def tus_to_slack(world: World, rng: random.Random) -> Truth:
    """A final postmortem (and an older draft of it with other numbers) on the tus server;
    the Slack line made of the fields the model extracts from the final one."""
    incident = f"INC-{rng.randrange(2000, 9999)}"
    filename = f"postmortem-{incident.lower()}.md"
    draft, _ = _postmortem(rng, incident)
    text, facts = _postmortem(rng, incident)
    _stage_upload(world, rng, filename.replace(".md", "-draft.md"), draft.encode(), 30)
    _stage_upload(world, rng, filename, text.encode(), 2)
    channel = _open_channel(world, rng)
    message = (
        f"Postmortem {incident}: {facts['severity']}, {facts['duration_minutes']} minutes, "
        f"{facts['customers_affected']} customers affected"
    )
    inputs = {"filename": filename, "channel": channel.name}
    expected = {
        **inputs,
        "channel_id": channel.id,
        "text": message,
        "file": text,
        "fields": facts,
    }
    return {"inputs": inputs, "expected": functools.partial(_extracted, expected)}


def _extracted(expected: dict[str, Any], world: World) -> dict[str, Any]:
    """``expected``, once the simulator is seen to extract its fields from the postmortem (at
    grading)."""
    answer = fill_schema(schemas.POSTMORTEM_SCHEMA, [Source(expected["file"], "file")])
    assert answer == expected["fields"], (answer, expected["fields"])
    return expected


_ORGS = (
    ("Northwind Research", "research.desk@northwind-research.example"),
    ("Harbor Street Advisors", "filings@harborstreet.example"),
    ("Quarry Lane Partners", "it-admin@quarrylane.example"),
)


def filing_to_slack(world: World, rng: random.Random) -> Truth:
    """A company's newest annual report (not its newest filing, usually a quarterly report or
    a letter) and the Slack line of its figures, as the model extracts them from the report's
    markdown (the simulator's rules give the report's own figures: fiscal year, total revenue
    and employees are labelled rows of its "Selected financial data" table)."""
    table = world.table(COMPANIES)
    company = rng.choice([table[k] for k in sorted(table, key=str)])
    annual = next(f for f in filings_of(world, company["cik"]) if f.form == "10-K")
    fields = {
        "fiscal_year": annual.fiscal_year,
        "total_revenue": annual.figures["revenue"],
        "employees": annual.figures["employees"],
    }
    channel = _open_channel(world, rng)
    org, email = rng.choice(_ORGS)
    message = (
        f"{company['name']} 10-K FY{fields['fiscal_year']}: total revenue "
        f"{fields['total_revenue']} USD, {fields['employees']} employees"
    )
    inputs = {"company": company["name"], "channel": channel.name, "org": org, "email": email}
    expected = {
        **inputs,
        "channel_id": channel.id,
        "text": message,
        "fields": fields,
        "revenue_shown": f"${fields['total_revenue']:,}",
    }
    return {"inputs": inputs, "expected": expected}

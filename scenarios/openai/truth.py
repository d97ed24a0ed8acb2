"""Ground truth of the OpenAI scenarios: a contract document made from the seed, and the
fields the model extracts from it (computed with the simulator's own rules; for the PDF, at
grading: reading a PDF back takes milliseconds)."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import random
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gym_apibench.scenarios import family_module
from mockapis import seeding
from mockapis.openai.documents import to_source
from mockapis.openai.simulator import Source, fill_schema
from mockapis.world import World

# Loaded by path at run time (scenario folders are not packages); typed as modules to mypy.
if TYPE_CHECKING:
    from scenarios.openai import pdf, schemas
else:
    schemas = family_module(Path(__file__).parent, "schemas")
    pdf = family_module(Path(__file__).parent, "pdf")

# "expected" may be deferred: computed from the initial world when grading asks for it.
Truth = dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]]


def extract_contract(world: World, rng: random.Random) -> Truth:
    """A markdown contract summary with the facts among prose and a distracting older value."""
    supplier = seeding.pick(rng, "company")
    value = rng.randrange(10_000, 900_000) + rng.choice((0, 0.5, 0.25))
    currency = rng.choice(["EUR", "USD", "GBP", "CHF"])
    renewal = rng.choice([True, False])
    document = "\n".join(
        [
            f"# Supply agreement {rng.randrange(1000, 9999)}",
            "",
            seeding.paragraph(rng, 3),
            "",
            f"Supplier: {supplier}",
            f"Contract value: {value:,} {currency}",
            f"Auto renewal: {'yes' if renewal else 'no'}",
            f"Previous contract value: {value * 0.8:,.2f} {currency}",
            "",
            seeding.paragraph(rng, 4),
            "",
        ]
    )
    filename = f"contract-{seeding.pick(rng, 'lorem_word')}-{rng.randrange(100, 999)}.md"
    answer = fill_schema(schemas.CONTRACT_SCHEMA, [Source(document, "file")])
    assert answer == {
        "supplier": supplier,
        "contract_value": value,
        "currency": currency,
        "auto_renewal": renewal,
    }, answer
    inputs = {"filename": filename, "document": document}
    return {"inputs": inputs, "expected": {**inputs, "answer": answer}}


def read_invoice_pdf(world: World, rng: random.Random) -> Truth:
    """An invoice as a PDF (given base64 in the inputs): amounts among distracting ones, and
    the fields the model reads from the PDF's text."""
    created = dt.datetime.fromtimestamp(world.clock.now_ns // 10**9, dt.UTC)
    vendor = seeding.pick(rng, "company").replace(",", "")
    number = f"INV-{rng.randrange(10_000, 99_999)}"
    currency = rng.choice(["EUR", "USD", "GBP", "CHF"])
    subtotal = rng.randrange(1_000_00, 90_000_00) / 100
    tax = round(subtotal * 0.2, 2)
    total = round(subtotal + tax, 2)
    due = (created + dt.timedelta(days=rng.choice((14, 30, 45)))).date().isoformat()
    lines = [
        "INVOICE",
        "",
        f"Invoice number: {number}",
        f"Vendor: {vendor}",
        f"Issue date: {created.date().isoformat()}",
        f"Due date: {due}",
        "",
        f"Subtotal: {subtotal:,.2f} {currency}",
        f"Tax (20%): {tax:,.2f} {currency}",
        f"Total due: {total:,.2f} {currency}",
        f"Previous balance: {round(total * 0.7, 2):,.2f} {currency} (settled)",
        "",
        seeding.paragraph(rng, 3),
    ]
    data = pdf.text_pdf(lines, "Invoice", created)
    filename = f"invoice-{number.lower()}.pdf"
    facts = {
        "invoice_number": number,
        "vendor": vendor,
        "due_date": due,
        "total_due": total,
        "currency": currency,
    }
    inputs = {"filename": filename, "pdf_base64": base64.b64encode(data).decode("ascii")}
    return {"inputs": inputs, "expected": functools.partial(_read_back, inputs, facts)}


def _read_back(inputs: dict[str, str], facts: dict[str, Any], world: World) -> dict[str, Any]:
    """The fields the model reads from the PDF's text (they are the invoice's facts)."""
    data = base64.b64decode(inputs["pdf_base64"])
    text = to_source(data, inputs["filename"], "", "file").text
    answer = fill_schema(schemas.INVOICE_SCHEMA, [Source(text)])
    assert answer == facts, (answer, facts)
    return {**inputs, "answer": answer}


def structured_record(world: World, rng: random.Random) -> Truth:
    """A short note about a person (facts among prose); the record the model fills from it."""
    name = f"{seeding.pick(rng, 'first_name')} {seeding.pick(rng, 'last_name')}"
    age = rng.randrange(19, 80)
    city = seeding.pick(rng, "city")
    note = "\n".join(
        [
            seeding.paragraph(rng, 2),
            f"Name: {name}",
            f"Age: {age}",
            f"City: {city}",
            seeding.paragraph(rng, 2),
        ]
    )
    answer = fill_schema(schemas.PERSON_SCHEMA, [Source(note, "text")])
    assert answer == {"name": name, "age": age, "city": city}, answer
    return {"inputs": {"note": note}, "expected": {"answer": answer}}


def file_url_input_items(world: World, rng: random.Random) -> Truth:
    """A prompt and a page URL (the filings site through the reader, which any fetcher may
    read); the content parts a Responses call with them stores, in order."""
    prompt = (
        "Please provide a one-sentence summary of this page for the "
        f"{seeding.pick(rng, 'lorem_word')} {rng.randrange(10, 99)} review."
    )
    url = "https://r.jina.ai/https://filings.apibench.example/"
    content = [
        {"type": "input_text", "text": prompt},
        {"type": "input_file", "file_url": url},
    ]
    return {"inputs": {"prompt": prompt, "url": url}, "expected": {"content": content}}

"""Ground truth of the OpenAI scenarios: a contract document made from the seed, and the
fields the model extracts from it (computed with the simulator's own rules)."""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

from mockapis.openai.simulator import Source, fill_schema
from mockapis.world import World

Truth = dict[str, dict[str, Any]]

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


def extract_contract(world: World, rng: random.Random) -> Truth:
    """A markdown contract summary with the facts among prose and a distracting older value."""
    fake = Faker("en_US")
    fake.seed_instance(rng.getrandbits(32))
    supplier = fake.company()
    value = rng.randrange(10_000, 900_000) + rng.choice((0, 0.5, 0.25))
    currency = rng.choice(["EUR", "USD", "GBP", "CHF"])
    renewal = rng.choice([True, False])
    document = "\n".join(
        [
            f"# Supply agreement {rng.randrange(1000, 9999)}",
            "",
            fake.paragraph(nb_sentences=3),
            "",
            f"Supplier: {supplier}",
            f"Contract value: {value:,} {currency}",
            f"Auto renewal: {'yes' if renewal else 'no'}",
            f"Previous contract value: {value * 0.8:,.2f} {currency}",
            "",
            fake.paragraph(nb_sentences=4),
            "",
        ]
    )
    filename = f"contract-{fake.word()}-{rng.randrange(100, 999)}.md"
    answer = fill_schema(CONTRACT_SCHEMA, [Source(document, "file")])
    assert answer == {
        "supplier": supplier,
        "contract_value": value,
        "currency": currency,
        "auto_renewal": renewal,
    }, answer
    inputs = {"filename": filename, "document": document}
    return {"inputs": inputs, "expected": {**inputs, "answer": answer}}

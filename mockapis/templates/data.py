"""The seeded account: one API key, the catalogue's templates and a few generated notes."""

from __future__ import annotations

import random
from collections.abc import Mapping

from faker import Faker

from mockapis.service import resolve_sizes
from mockapis.templates.access import KEYS
from mockapis.templates.catalog import SEEDED, SeededTemplate
from mockapis.templates.store import TEMPLATES, iso, new_id
from mockapis.world import World, derive_seed

__all__ = ["ACCOUNT", "DEFAULT_SIZES", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"extra_templates": 4}
"""Generated note templates stored after the catalogue's."""
ACCOUNT = "acct_1"
DAY_NS = 86_400 * 10**9


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """A key, the catalogue's templates and ``extra_templates`` notes; bearer credentials."""
    counts = resolve_sizes("templates", sizes, DEFAULT_SIZES)
    rng = random.Random(derive_seed(world.seed, "templates", "account"))
    token = "tpl_live_" + "".join(rng.choice("0123456789abcdef") for _ in range(32))
    world.table(KEYS).put(token, {"token": token, "account": ACCOUNT})
    fake = Faker("en_US")
    extras = []
    for i in range(counts["extra_templates"]):
        fake.seed_instance(derive_seed(world.seed, "templates", "extra", i))
        body = f"Dear {{{{ name }}}},\n\n{fake.paragraph(nb_sentences=3)}\n\n{fake.name()}\n"
        extras.append(SeededTemplate(f"note-{fake.word()}-{i + 1}", "text", "A letter.", body))
    templates = [*SEEDED, *extras]
    for i, template in enumerate(templates):
        created = iso(world.clock.now_ns - (len(templates) - i) * DAY_NS)
        template_id = new_id(rng)
        world.table(TEMPLATES).put(
            template_id,
            {
                "id": template_id,
                "account": ACCOUNT,
                "seq": world.next_id("templates.template"),
                "name": template.name,
                "description": template.description,
                "format": template.format,
                "body": template.body,
                "strict_undefined": False,
                "version": 1,
                "created_at": created,
                "updated_at": created,
            },
        )
    return {"type": "bearer", "token": token}

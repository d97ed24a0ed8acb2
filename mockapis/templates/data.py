"""The seeded account: one API key, the catalogue's templates and a few generated notes."""

from __future__ import annotations

from collections.abc import Mapping

from mockapis import seeding
from mockapis.service import resolve_sizes
from mockapis.templates.access import KEYS
from mockapis.templates.catalog import SEEDED, SeededTemplate
from mockapis.templates.store import TEMPLATES, iso, new_id
from mockapis.world import World

__all__ = ["ACCOUNT", "DEFAULT_SIZES", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"extra_templates": 4}
"""Generated note templates stored after the catalogue's."""
ACCOUNT = "acct_1"
DAY_NS = 86_400 * 10**9


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """A key, the catalogue's templates and ``extra_templates`` notes; bearer credentials."""
    counts = resolve_sizes("templates", sizes, DEFAULT_SIZES)
    rng = seeding.stream(world.seed, "templates", "account")
    token = f"tpl_live_{seeding.hex_id(rng, 32)}"
    world.table(KEYS).put(token, {"token": token, "account": ACCOUNT})
    text = seeding.stream(world.seed, "templates", "extras")
    extras = []
    for i in range(counts["extra_templates"]):
        signer = f"{seeding.pick(text, 'first_name')} {seeding.pick(text, 'last_name')}"
        body = f"Dear {{{{ name }}}},\n\n{seeding.paragraph(text, 3)}\n\n{signer}\n"
        name = f"note-{seeding.pick(text, 'lorem_word')}-{i + 1}"
        extras.append(SeededTemplate(name, "text", "A letter.", body))
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

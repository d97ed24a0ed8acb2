"""Seeding: the project's API key, the upload size limit, and a few files already uploaded."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping

from mockapis import seeding
from mockapis.openai.store import FILES, KEYS, SETTINGS, new_id, now_s
from mockapis.service import resolve_sizes
from mockapis.world import World

__all__ = ["DEFAULT_MAX_FILE_BYTES", "DEFAULT_SIZES", "max_file_bytes", "seed", "stored_file"]

DEFAULT_MAX_FILE_BYTES = 1_048_576
"""The largest upload (1 MiB) unless a scenario sets the ``max_file_bytes`` size."""
DEFAULT_SIZES: Mapping[str, int] = {"files": 3, "max_file_bytes": DEFAULT_MAX_FILE_BYTES}
"""``files`` seeded (text notes and fine-tune JSONL); ``max_file_bytes`` (a setting)."""


def max_file_bytes(world: World) -> int:
    """The episode's upload size limit in bytes."""
    row = world.table(SETTINGS).get("max_file_bytes")
    return int(row["value"]) if row else DEFAULT_MAX_FILE_BYTES


def stored_file(
    world: World, filename: str, purpose: str, data: bytes, *, created_at: int | None = None
) -> dict[str, object]:
    """Store a processed file and return its row (the file object plus ``data``)."""
    file_id = new_id(world, "file-")
    row: dict[str, object] = {
        "id": file_id,
        "object": "file",
        "bytes": len(data),
        "created_at": now_s(world) if created_at is None else created_at,
        "expires_at": None,
        "filename": filename,
        "purpose": purpose,
        "status": "processed",
        "status_details": None,
        "data": base64.b64encode(data).decode("ascii"),
    }
    world.table(FILES).put(file_id, row)
    return row


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """The agent's key, the size limit, and ``files`` older uploads; bearer credentials."""
    counts = resolve_sizes("openai", sizes, DEFAULT_SIZES)
    rng = seeding.stream(world.seed, "openai", "key")
    key = "sk-proj-" + "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        for _ in range(48)
    )
    world.table(KEYS).put(key, {"key": key, "project": "proj_default"})
    world.table(SETTINGS).put("max_file_bytes", {"value": counts["max_file_bytes"]})
    text = seeding.stream(world.seed, "openai", "files")
    for i in range(counts["files"]):
        created = now_s(world) - (counts["files"] - i) * 86_400
        if i % 3 == 2:
            lines = [
                json.dumps(
                    {
                        "messages": [
                            {"role": "user", "content": seeding.sentence(text)},
                            {"role": "assistant", "content": seeding.sentence(text)},
                        ]
                    }
                )
                for _ in range(4)
            ]
            data = ("\n".join(lines) + "\n").encode()
            name = f"train-{seeding.pick(text, 'lorem_word')}.jsonl"
            stored_file(world, name, "fine-tune", data, created_at=created)
        else:
            data = (seeding.paragraph(text, 5) + "\n").encode()
            name = f"{seeding.pick(text, 'lorem_word')}-notes.txt"
            stored_file(world, name, "user_data", data, created_at=created)
    return {"type": "bearer", "token": key}

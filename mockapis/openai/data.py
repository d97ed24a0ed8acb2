"""Seeding: the project's API key, the upload size limit, and a few files already uploaded."""

from __future__ import annotations

import base64
import json
import string
from collections.abc import Mapping

from mockapis import seeding
from mockapis.openai.store import FILES, KEYS, SETTINGS, new_id, now_s
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow
from mockapis.world import World

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_SIZES",
    "file_row",
    "max_file_bytes",
    "seed",
    "stored_file",
]

DEFAULT_MAX_FILE_BYTES = 1_048_576
"""The largest upload (1 MiB) unless a scenario sets the ``max_file_bytes`` size."""
DEFAULT_SIZES: Mapping[str, int] = {"files": 3, "max_file_bytes": DEFAULT_MAX_FILE_BYTES}
"""``files`` seeded (text notes and fine-tune JSONL); ``max_file_bytes`` (a setting)."""


def max_file_bytes(world: World) -> int:
    """The episode's upload size limit in bytes."""
    row = world.table(SETTINGS).get("max_file_bytes")
    return int(row["value"]) if row else DEFAULT_MAX_FILE_BYTES


def file_row(
    file_id: str, filename: str, purpose: str, data: bytes, created_at: int
) -> dict[str, object]:
    """A processed file's row: the file object plus ``data`` (base64). ``expires_at`` and
    ``status_details`` are left out: OpenAI documents both as optional non-null fields, and
    these files neither expire nor failed validation."""
    return {
        "id": file_id,
        "object": "file",
        "bytes": len(data),
        "created_at": created_at,
        "filename": filename,
        "purpose": purpose,
        "status": "processed",
        "data": base64.b64encode(data).decode("ascii"),
    }


def stored_file(
    world: World, filename: str, purpose: str, data: bytes, *, created_at: int | None = None
) -> dict[str, object]:
    """Store a processed file and return its row (the file object plus ``data``)."""
    file_id = new_id(world, "file-")
    stamp = now_s(world) if created_at is None else created_at
    row = file_row(file_id, filename, purpose, data, stamp)
    world.table(FILES).put(file_id, row)
    return row


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """The agent's key, the size limit, and ``files`` older uploads; bearer credentials."""
    counts = resolve_sizes("openai", sizes, DEFAULT_SIZES)
    rng = seeding.stream(world.seed, "openai", "key")
    key = "sk-proj-" + "".join(rng.choices(_KEY_CHARS, k=48))
    world.table(KEYS).put(key, {"key": key, "project": "proj_default"})
    world.table(SETTINGS).put("max_file_bytes", {"value": counts["max_file_bytes"]})
    world.lazy(FILES, _files, world.seed, now_s(world), counts["files"])
    return {"type": "bearer", "token": key}


_KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_ALNUM = string.ascii_letters + string.digits
"""The characters of a file id after ``file-`` (as :func:`new_id` draws them)."""


def _files(seed_value: int, now: int, n: int) -> BuiltTables:
    """``n`` older uploads, a day apart (every third a fine-tuning JSONL, the others notes);
    ids drawn up front, contents when a row is read."""
    rng = seeding.stream(seed_value, "openai", "file-ids")
    rows: dict[str, LazyRow] = {}
    for i in range(n):
        file_id = "file-" + "".join(rng.choices(_ALNUM, k=22))
        rows[file_id] = LazyRow(_seeded_file, seed_value, i, file_id, now - (n - i) * 86_400)
    return {FILES: rows}


def _seeded_file(seed_value: int, i: int, file_id: str, created: int) -> dict[str, object]:
    text = seeding.stream(seed_value, "openai", "file", i)
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
        return file_row(file_id, name, "fine-tune", data, created)
    data = (seeding.paragraph(text, 5) + "\n").encode()
    name = f"{seeding.pick(text, 'lorem_word')}-notes.txt"
    return file_row(file_id, name, "user_data", data, created)

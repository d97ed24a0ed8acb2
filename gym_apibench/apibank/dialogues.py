"""API-Bank's dialogues and gold calls, read from a released api-bank folder.

Levels 1 and 2 are dialogue files (``lv1-lv2-samples/<level dir>/*.jsonl``: one turn a
line, ``User``, ``AI`` or ``API`` with its call and result). Level 3 is
``test-data/level-3.json``: tasks with a requirement, the gold calls in order and a final
response. A gold call is located in its dialogue by ``turn_index`` (levels 1, 2) or
``sample_id``/``api_id`` (level 3), as in the data's ``derived/gold_calls.jsonl``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "LEVEL3_FILE",
    "LEVEL_DIRS",
    "Dialogue",
    "DialogueError",
    "derive_gold_calls",
    "dialogue_of",
    "level_number",
    "load_dialogues",
    "render_call",
]

LEVEL_DIRS = {
    "level-1": "lv1-lv2-samples/level-1-given-desc",
    "level-2": "lv1-lv2-samples/level-2-toolsearcher",
}
"""The dialogue folders of levels 1 and 2, relative to the release."""
LEVEL3_FILE = "test-data/level-3.json"
"""The level-3 tasks, relative to the release."""
_FLAGS = (
    "replay_sequential_exact",
    "replay_sequential_check",
    "replay_fresh_exact",
    "replay_fresh_check",
)


class DialogueError(ValueError):
    """A dialogue file is missing or not in API-Bank's format."""


@dataclass(frozen=True)
class Dialogue:
    """One dialogue: its key (the source file, or the level-3 task), its turns as
    ``{"role", "text"}`` / ``{"role": "API", "api_name", "param_dict", "result"}`` and the
    level-3 final response (None at levels 1 and 2)."""

    key: str
    level: str
    turns: tuple[Mapping[str, Any], ...]
    response: str | None = None


def level_number(level: str) -> int:
    """``"level-2"`` -> 2."""
    return int(level.rsplit("-", 1)[1])


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    turns = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                turn = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DialogueError(f"{path}:{number}: not JSON: {exc}") from None
            if not isinstance(turn, dict) or turn.get("role") not in ("User", "AI", "API"):
                raise DialogueError(f"{path}:{number}: not a User, AI or API turn")
            turns.append(turn)
    return turns


def _level3_key(sample_id: int) -> str:
    return f"{LEVEL3_FILE}#{sample_id}"


def load_dialogues(release: Path) -> dict[str, Dialogue]:
    """Every dialogue of the release by key: ``api-bank/<path of the file>`` at levels 1 and 2
    (the gold calls' ``source_file``), ``api-bank/test-data/level-3.json#<sample_id>`` at 3."""
    found: dict[str, Dialogue] = {}
    for level, folder in LEVEL_DIRS.items():
        directory = release / folder
        if not directory.is_dir():
            raise DialogueError(f"{release} has no {folder}/: is it API-Bank's api-bank folder?")
        for path in sorted(directory.glob("*.jsonl")):
            key = f"api-bank/{folder}/{path.name}"
            found[key] = Dialogue(key, level, tuple(_read_jsonl(path)))
    path = release / LEVEL3_FILE
    if not path.is_file():
        raise DialogueError(f"{release} has no {LEVEL3_FILE}")
    tasks = json.loads(path.read_text(encoding="utf-8"))
    for sample_id, task in enumerate(tasks):
        turns = [{"role": "User", "text": str(task["requirement"]).strip()}]
        for call in task["apis"]:
            turns.append(
                {
                    "role": "API",
                    "api_name": call["api_name"],
                    "param_dict": call["input"],
                    "result": call["output"],
                }
            )
        key = _level3_key(sample_id)
        found[key] = Dialogue(key, "level-3", tuple(turns), str(task.get("response") or ""))
    return found


def derive_gold_calls(dialogues: Mapping[str, Dialogue]) -> list[dict[str, Any]]:
    """The gold calls in ``derived/gold_calls.jsonl``'s order and fields, with every replay
    flag null (for a release without the derived file)."""
    calls: list[dict[str, Any]] = []
    for dialogue in dialogues.values():
        api_turns = [(i, t) for i, t in enumerate(dialogue.turns) if t["role"] == "API"]
        for index, (turn_index, turn) in enumerate(api_turns):
            where: dict[str, Any]
            if dialogue.level == "level-3":
                sample = int(dialogue.key.rsplit("#", 1)[1])
                where = {"source_file": f"api-bank/{LEVEL3_FILE}", "sample_id": sample}
                where["api_id"] = index
            else:
                where = {"source_file": dialogue.key, "turn_index": turn_index}
                where["api_call_index"] = index
            calls.append(
                {
                    "level": dialogue.level,
                    **where,
                    "api_name": turn["api_name"],
                    "param_dict_raw": turn["param_dict"],
                    "gold_result": turn["result"],
                    **dict.fromkeys(_FLAGS),
                }
            )
    return calls


def dialogue_of(call: Mapping[str, Any]) -> tuple[str, int]:
    """The key of a gold call's dialogue and the index of its API turn there."""
    if call["level"] == "level-3":
        sample, api_id = int(call["sample_id"]), int(call["api_id"])
        # The level-3 turns are the requirement, then one turn per call.
        return _level3_key(sample), api_id + 1
    return str(call["source_file"]), int(call["turn_index"])


def _value_text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


def render_call(api_name: str, params: Mapping[str, Any]) -> str:
    """A call in API-Bank's syntax, as its evaluator writes one: ``[Name(key='value', ...)]``."""
    inner = ", ".join(f"{k}='{_value_text(v)}'" for k, v in params.items())
    return f"[{api_name}({inner})]"

"""Reading a model's program out of its reply, and a program's answer out of its output.

The API-Bench protocol: the program is between ``<<CODE>>`` and ``<</CODE>>``. Accepted
variants (case and inner spaces do not matter): closing tags ``<</CODE>>``, ``<<\\CODE>>``,
``<<END CODE>>`` / ``<<END_CODE>>`` / ``<<ENDCODE>>``, and single-angle ``<CODE>`` ...
``</CODE>``; an opening tag without a closing one takes the rest of the reply; a Markdown
fence inside the tags is removed. With several tagged blocks, the last one is the program.
A reply with no tags at all falls back to its last fenced code block (e.g. ```python).
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["NO_ANSWER", "extract_code", "last_json"]

_OPEN = r"<<\s*code\s*>>|<\s*code\s*>"
_CLOSE = r"<<\s*(?:/|\\|end[\s_]?)\s*code\s*>>|<\s*/\s*code\s*>"
_TAGGED = re.compile(rf"(?:{_OPEN})(.*?)(?:{_CLOSE}|\Z)", re.IGNORECASE | re.DOTALL)
_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_+.-]*)[^\n]*\n(.*?)(?:```|\Z)", re.DOTALL)
MAX_ANSWER_LINES = 500
MAX_TAIL_CHARS = 256 * 1024


def _unfence(code: str) -> str:
    match = _FENCE.search(code)
    if match and not code[: match.start()].strip():
        return match.group(2)
    return code


def extract_code(reply: str | None) -> str | None:
    """The program in ``reply`` (see the module docstring), or ``None`` when there is none."""
    if not reply:
        return None
    blocks = [b for b in _TAGGED.findall(reply) if b.strip()]
    if blocks:
        code = _unfence(blocks[-1].strip("\n"))
    else:
        fenced = [m.group(2) for m in _FENCE.finditer(reply) if m.group(2).strip()]
        if not fenced:
            return None
        code = fenced[-1]
    return code.strip("\n") + "\n" if code.strip() else None


class _NoAnswer:
    """The marker of output that holds no JSON value (``None`` is the JSON ``null``)."""

    def __repr__(self) -> str:
        return "NO_ANSWER"


NO_ANSWER: Any = _NoAnswer()


def last_json(stdout: str) -> Any:
    """The last JSON value printed: the longest tail of whole lines that parses as JSON.

    A last line ``42`` gives 42; a pretty-printed object at the end gives the object. Output
    with no such tail gives :data:`NO_ANSWER`. Only the last 500 lines and 256 KiB are
    looked at (a longer answer must be on one line).
    """
    lines = stdout.rstrip().splitlines()[-MAX_ANSWER_LINES:]
    found: Any = NO_ANSWER
    size = 0
    for start in range(len(lines) - 1, -1, -1):
        size += len(lines[start]) + 1
        if size > MAX_TAIL_CHARS and start < len(lines) - 1:
            break
        tail = "\n".join(lines[start:]).strip()
        if not tail:
            continue
        try:
            found = json.loads(tail)
        except ValueError:
            continue
    return found

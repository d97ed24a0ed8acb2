"""The model: a deterministic, rule-based simulator (pure: no world, no I/O).

It reads *sources* (the user's text and the text of the files given to it, in input order;
never the instructions or system messages) and answers by fixed rules, so that the answer
depends on the material and the requested format, not on how the question is phrased:

- Facts are the lines ``Name: value`` of the sources (list markers, ``#`` and ``**`` around
  them ignored). A property matches a fact when their names have the same words (case,
  ``_``/``-``/spaces and a plural ``s`` ignored), else when one's words contain the other's.
- ``json_schema``: each property of the schema is filled in declared order. enum: the enum
  value named by the matching fact, else the enum value occurring first in the sources
  (case-insensitive, whole words; a tie goes to the longer value). string: the matching fact's
  value. number/integer: the first number in the matching fact's value, else the number
  closest to the property's name on the first line that names it. boolean: yes/true or
  no/false in the matching fact. object: filled the same way. array of objects: one item per
  row of the first CSV file (or the first JSON array of objects), keys matched to the item's
  properties. array of scalars: the matching CSV column, else the matching fact split on
  commas. Nothing found: null when the schema allows null, else the first enum value, "",
  0, false, {} filled, or [].
- ``json_object``: every fact, keys in snake_case, numeric values as numbers.
- ``text``: with a ``Labels: a, b, c`` line in the instructions, the label occurring first in
  the sources (else ``unknown``); otherwise a summary: the first sentence of each paragraph
  of the files (of the user's text when no file is given), at most 5 sentences.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["MAX_SUMMARY_SENTENCES", "Source", "complete", "facts", "fill_schema", "summary"]

MAX_SUMMARY_SENTENCES = 5

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9 _/()&'.-]{0,60}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_LABELS = re.compile(r"^\s*labels\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_MAX_DEPTH = 8


@dataclass(frozen=True)
class Source:
    """One piece of material: text, and whether it came from a file (and as CSV or JSON)."""

    text: str
    kind: str = "text"
    """``text`` (typed by the user), ``file`` (a document), ``csv`` or ``json`` (a data file)."""


def _words(name: str) -> tuple[str, ...]:
    found = re.findall(r"[a-z0-9]+", name.lower())
    return tuple(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in found
    )


def facts(sources: Sequence[Source]) -> list[tuple[str, str]]:
    """Every ``Name: value`` line of the sources, in order."""
    found: list[tuple[str, str]] = []
    for source in sources:
        for raw in source.text.splitlines():
            line = raw.replace("**", "").strip().lstrip("#-*• \t").strip()
            key, sep, value = line.partition(":")
            value = value.strip()
            if not sep or not value or value.startswith("//") or not _KEY.fullmatch(key.strip()):
                continue
            found.append((key.strip(), value))
    return found


def _lookup(name: str, known: Sequence[tuple[str, str]]) -> str | None:
    want = _words(name)
    if not want:
        return None
    for key, value in known:
        if _words(key) == want:
            return value
    for key, value in known:
        have = _words(key)
        if have and (set(have) <= set(want) or set(want) <= set(have)):
            return value
    return None


def _first_occurrence(options: Sequence[Any], text: str) -> Any:
    best: tuple[int, int] | None = None
    chosen: Any = None
    for option in options:
        word = str(option)
        if not word.strip():
            continue
        hit = re.search(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", text, re.IGNORECASE)
        if hit is not None:
            rank = (hit.start(), -len(word))
            if best is None or rank < best:
                best, chosen = rank, option
    return chosen


def _number(text: str) -> float | None:
    hit = _NUMBER.search(text)
    if hit is None:
        return None
    try:
        return float(hit.group().replace(",", ""))
    except ValueError:
        return None


def _near_number(name: str, text: str) -> float | None:
    words = _words(name)
    if not words:
        return None
    phrase = r"[\s_-]+".join(re.escape(w) + "s?" for w in words)
    pattern = re.compile(rf"(?<![A-Za-z0-9]){phrase}(?![A-Za-z0-9])", re.IGNORECASE)
    for line in text.splitlines():
        hit = pattern.search(line)
        if hit is None:
            continue
        numbers = list(_NUMBER.finditer(line))
        if not numbers:
            continue
        closest = min(
            numbers, key=lambda m: min(abs(m.end() - hit.start()), abs(m.start() - hit.end()))
        )
        return float(closest.group().replace(",", ""))
    return None


def _unwrap(schema: Mapping[str, Any]) -> tuple[Mapping[str, Any], bool]:
    """The schema without its null alternative, and whether null is allowed."""
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list):
            rest = [o for o in options if isinstance(o, Mapping) and o.get("type") != "null"]
            nullable = len(rest) < len(options)
            return (rest[0] if rest else {}), nullable
    kind = schema.get("type")
    if isinstance(kind, list):
        rest = [t for t in kind if t != "null"]
        return {**schema, "type": rest[0] if rest else "null"}, len(rest) < len(kind)
    return schema, kind == "null"


class _Filler:
    def __init__(self, sources: Sequence[Source]) -> None:
        self.sources = sources
        self.facts = facts(sources)
        self.text = "\n\n".join(s.text for s in sources)

    def value(self, name: str, schema: Mapping[str, Any], depth: int) -> Any:
        schema, nullable = _unwrap(schema)
        kind = schema.get("type")
        fact = _lookup(name, self.facts) if name else None
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            picked = _first_occurrence(enum, fact) if fact else None
            if picked is None:
                picked = _first_occurrence(enum, self.text)
            if picked is not None:
                return picked
            return None if nullable else enum[0]
        if kind == "object" and depth < _MAX_DEPTH:
            return self.obj(schema, depth + 1)
        if kind == "array" and depth < _MAX_DEPTH:
            return self.array(name, schema, depth + 1)
        if kind in ("number", "integer"):
            number = _number(fact) if fact else None
            if number is None and name:
                number = _near_number(name, self.text)
            if number is None:
                return None if nullable else 0
            if kind == "integer" or number.is_integer():
                return round(number)
            return number
        if kind == "boolean":
            word = (fact or "").strip().lower()
            if word.startswith(("yes", "true")):
                return True
            if word.startswith(("no", "false")):
                return False
            return None if nullable else False
        if fact is not None:
            return fact
        return None if nullable else ""

    def obj(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        properties = schema.get("properties")
        if not isinstance(properties, Mapping):
            return {}
        return {
            str(key): self.value(str(key), sub if isinstance(sub, Mapping) else {}, depth)
            for key, sub in properties.items()
        }

    def array(self, name: str, schema: Mapping[str, Any], depth: int) -> list[Any]:
        items = schema.get("items")
        item_schema = items if isinstance(items, Mapping) else {}
        records = _records(self.sources)
        inner, _ = _unwrap(item_schema)
        if inner.get("type") == "object":
            return [
                _Filler([Source("\n".join(f"{k}: {v}" for k, v in r.items()))]).obj(inner, depth)
                for r in records
            ]
        column = [str(v) for r in records for k, v in r.items() if _words(k) == _words(name)]
        if not column:
            fact = _lookup(name, self.facts)
            column = [p.strip() for p in re.split(r"[,;]", fact or "") if p.strip()]
        filler = [_Filler([Source(f"{name}: {v}")]) for v in column]
        return [f.value(name, item_schema, depth) for f in filler]


def _records(sources: Sequence[Source]) -> list[dict[str, Any]]:
    for source in sources:
        if source.kind == "csv":
            rows = list(csv.DictReader(io.StringIO(source.text)))
            return [{str(k): v for k, v in r.items() if k is not None} for r in rows]
        if source.kind == "json":
            try:
                data = json.loads(source.text)
            except ValueError:
                continue
            if isinstance(data, Mapping):
                data = next((v for v in data.values() if isinstance(v, list)), [])
            if isinstance(data, list):
                return [r for r in data if isinstance(r, dict)]
    return []


def fill_schema(schema: Mapping[str, Any], sources: Sequence[Source]) -> Any:
    """The value the rules give for ``schema`` (a JSON Schema) from ``sources``."""
    return _Filler(sources).value("", schema, 0)


def _snake(key: str) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", key.lower()))


def _fact_object(sources: Sequence[Source]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in facts(sources):
        name = _snake(key)
        if name and name not in found:
            plain = value.replace(",", "")
            found[name] = (
                float(plain)
                if re.fullmatch(r"-?\d+\.\d+", plain)
                else (int(plain) if re.fullmatch(r"-?\d+", plain) else value)
            )
    return found


def summary(sources: Sequence[Source]) -> str:
    """The first sentence of each paragraph, at most :data:`MAX_SUMMARY_SENTENCES`."""
    files = [s for s in sources if s.kind != "text"]
    sentences: list[str] = []
    for source in files or sources:
        for paragraph in re.split(r"\n\s*\n", source.text):
            lines = [
                ln.strip().lstrip("-*•> \t")
                for ln in paragraph.splitlines()
                if ln.strip() and not ln.lstrip().startswith(("#", "|", "```"))
            ]
            flat = " ".join(ln for ln in lines if ln)
            if not flat:
                continue
            sentences.append(_SENTENCE_END.split(flat, 1)[0].strip())
            if len(sentences) == MAX_SUMMARY_SENTENCES:
                return " ".join(sentences)
    return " ".join(sentences)


def complete(instructions: str, sources: Sequence[Source], fmt: Mapping[str, Any]) -> str:
    """The model's output text for a request in the format ``fmt`` (``{"type": "text"}``,
    ``{"type": "json_object"}`` or ``{"type": "json_schema", "schema": {...}}``)."""
    kind = fmt.get("type", "text")
    if kind == "json_schema":
        schema = fmt.get("schema")
        value = fill_schema(schema if isinstance(schema, Mapping) else {}, sources)
        return json.dumps(value, ensure_ascii=False)
    if kind == "json_object":
        return json.dumps(_fact_object(sources), ensure_ascii=False)
    labels = _LABELS.search(instructions)
    if labels is not None:
        options = [p.strip() for p in re.split(r"[,;|]", labels.group(1)) if p.strip()]
        picked = _first_occurrence(options, "\n\n".join(s.text for s in sources))
        return str(picked) if picked is not None else "unknown"
    return summary(sources)

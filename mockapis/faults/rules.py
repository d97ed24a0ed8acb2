"""Parsing fault rules from YAML or Python data, strictly: a bad key is an error with its path."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from mockapis.faults.model import REQUIRED, Kind, Rule, When, Where

__all__ = ["FaultSpecError", "FaultsArg", "load_rules", "parse_rules", "with_dose"]

_RULE_KEYS = ("name", "kind", "params", "where", "when", "priority")
_WHERE_KEYS = ("service", "method", "path")
_WHEN_KEYS = ("probability", "first", "every", "after", "window")

FaultsArg = str | Path | Sequence[Mapping[str, Any]] | Mapping[str, Any] | Sequence[Rule] | None
"""What ``gym.make(..., faults=...)`` and ``--faults`` accept: a YAML file, rule mappings,
a mapping with a ``faults`` list, or parsed rules."""


class FaultSpecError(ValueError):
    """An invalid fault rule; the message gives the path of the bad key and what is valid."""


def _hint(key: str, valid: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, list(valid), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_keys(where: str, data: Mapping[str, Any], valid: Sequence[str]) -> None:
    for key in data:
        if key not in valid:
            raise FaultSpecError(
                f"{where}.{key}: unknown key{_hint(str(key), valid)}; valid keys: "
                f"{', '.join(valid)}"
            )


def _strings(where: str, value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
        raise FaultSpecError(f"{where}: expected a string or a list of strings; got {value!r}")
    return tuple(items)


def _count(where: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FaultSpecError(f"{where}: expected an integer >= {minimum}; got {value!r}")
    return value


def _parse_where(at: str, raw: Any) -> Where:
    if raw is None:
        return Where()
    if not isinstance(raw, Mapping):
        raise FaultSpecError(f"{at}: expected a mapping with {', '.join(_WHERE_KEYS)}")
    _check_keys(at, raw, _WHERE_KEYS)
    return Where(
        services=_strings(f"{at}.service", raw["service"]) if "service" in raw else (),
        methods=tuple(m.upper() for m in _strings(f"{at}.method", raw["method"]))
        if "method" in raw
        else (),
        paths=_strings(f"{at}.path", raw["path"]) if "path" in raw else (),
    )


def _parse_when(at: str, raw: Any) -> When:
    if raw is None:
        return When()
    if not isinstance(raw, Mapping):
        raise FaultSpecError(f"{at}: expected a mapping with {', '.join(_WHEN_KEYS)}")
    _check_keys(at, raw, _WHEN_KEYS)
    probability = raw.get("probability")
    if probability is not None and (
        isinstance(probability, bool)
        or not isinstance(probability, int | float)
        or not 0 <= probability <= 1
    ):
        raise FaultSpecError(f"{at}.probability: expected a number in [0, 1]; got {probability!r}")
    window = raw.get("window")
    if window is not None:
        if not (
            isinstance(window, list)
            and len(window) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in window)
            and 0 <= window[0] < window[1]
        ):
            raise FaultSpecError(
                f"{at}.window: expected [start, end] seconds with 0 <= start < end; got {window!r}"
            )
        window = (float(window[0]), float(window[1]))
    return When(
        probability=None if probability is None else float(probability),
        first=_count(f"{at}.first", raw["first"], 1) if "first" in raw else None,
        every=_count(f"{at}.every", raw["every"], 1) if "every" in raw else None,
        after=_count(f"{at}.after", raw["after"], 0) if "after" in raw else None,
        window=window,
    )


def _parse_params(at: str, kind: Kind, raw: Any) -> dict[str, Any]:
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise FaultSpecError(f"{at}: expected a mapping of parameters")
    valid = [p.name for p in kind.params]
    for key in raw:
        if kind.param(str(key)) is None:
            shown = ", ".join(valid) or "none"
            raise FaultSpecError(
                f"{at}.{key}: unknown parameter of kind {kind.name!r}{_hint(str(key), valid)}; "
                f"valid parameters: {shown}"
            )
    params: dict[str, Any] = {}
    for param in kind.params:
        if param.name in raw:
            try:
                params[param.name] = param.check(raw[param.name], f"{at}.{param.name}")
            except ValueError as exc:
                raise FaultSpecError(str(exc)) from None
        elif param.default is REQUIRED:
            raise FaultSpecError(f"{at}.{param.name}: required by kind {kind.name!r} ({param.doc})")
        else:
            params[param.name] = param.default
    problem = kind.check(params) if kind.check is not None else None
    if problem is not None:
        raise FaultSpecError(f"{at}.{problem[0]}: {problem[1]}")
    return params


def parse_rules(raw: Any, kinds: Mapping[str, Kind], *, source: str = "faults") -> list[Rule]:
    """Validate a list of rule mappings (or a mapping holding one under ``faults``)."""
    if isinstance(raw, Mapping):
        _check_keys(source, raw, ("faults",))
        raw = raw.get("faults")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise FaultSpecError(f"{source}: expected a list of fault rules; got {type(raw).__name__}")
    rules: list[Rule] = []
    for index, item in enumerate(raw):
        at = f"{source}[{index}]"
        if isinstance(item, Rule):
            rules.append(item)
            continue
        if not isinstance(item, Mapping):
            raise FaultSpecError(f"{at}: expected a mapping with {', '.join(_RULE_KEYS)}")
        _check_keys(at, item, _RULE_KEYS)
        kind_name = item.get("kind")
        if not isinstance(kind_name, str) or kind_name not in kinds:
            raise FaultSpecError(
                f"{at}.kind: unknown kind {kind_name!r}{_hint(str(kind_name), list(kinds))}; "
                f"valid kinds: {', '.join(sorted(kinds))}"
            )
        kind = kinds[kind_name]
        priority = item.get("priority", 0)
        if isinstance(priority, bool) or not isinstance(priority, int):
            raise FaultSpecError(f"{at}.priority: expected an integer; got {priority!r}")
        name = item.get("name", f"{kind.name}#{index}")
        if not isinstance(name, str) or not name:
            raise FaultSpecError(f"{at}.name: expected a non-empty string; got {name!r}")
        rules.append(
            Rule(
                name=name,
                kind=kind,
                params=_parse_params(f"{at}.params", kind, item.get("params")),
                where=_parse_where(f"{at}.where", item.get("where")),
                when=_parse_when(f"{at}.when", item.get("when")),
                priority=priority,
            )
        )
    names = [r.name for r in rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise FaultSpecError(f"{source}: rule names must be unique; repeated: {duplicates}")
    return rules


def load_rules(arg: FaultsArg, kinds: Mapping[str, Kind]) -> list[Rule]:
    """Rules from any accepted form (a path is read as YAML)."""
    if arg is None:
        return []
    if isinstance(arg, str | Path):
        path = Path(arg)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise FaultSpecError(f"{path}: cannot read the fault file: {exc}") from None
        except yaml.YAMLError as exc:
            raise FaultSpecError(f"{path}: not valid YAML: {exc}") from None
        return parse_rules(data, kinds, source=f"{path}: faults")
    return parse_rules(arg if isinstance(arg, Mapping) else list(arg), kinds)


def with_dose(rules: Sequence[Rule], dose: float) -> list[Rule]:
    """The rules with every probability set to ``dose`` (a sweep's x axis).

    Rules without a probability get one, so a profile's dose 0 turns every fault off.
    """
    if not 0 <= dose <= 1:
        raise FaultSpecError(f"dose must be in [0, 1]; got {dose}")
    return [
        dataclasses.replace(r, when=dataclasses.replace(r.when, probability=dose)) for r in rules
    ]

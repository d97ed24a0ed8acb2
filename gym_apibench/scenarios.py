"""Scenario files: the strict YAML format, loading, and the family modules they name.

A scenario lives at ``scenarios/<family>/<name>.yaml``; its id is ``<family>.<name>``. The
family folder also holds ``truth.py`` (ground truth derived from the seeded world),
``solutions.py`` (reference solutions through HTTP only) and optionally ``checks.py``
(custom checks). Folders whose name starts with ``_`` are not families (``_profiles`` holds
the fault profiles of ``apibench sweep``).

Imported families (a suite whose data users import themselves, such as API-Bank with
``apibench import-apibank``) live in ``<data home>/scenarios/<family>/`` in the same form
(see :func:`mockapis.home.apibench_home`: ``$APIBENCH_HOME``, else the XDG data folder).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from mockapis.faults import KINDS, FaultSpecError, Rule
from mockapis.faults.rules import parse_rules
from mockapis.faults.targets import check_targets
from mockapis.home import HOME_VARIABLE, apibench_home

__all__ = [
    "CHANGE_KINDS",
    "HOME_VARIABLE",
    "VARIANTS",
    "VARIANT_SEPARATOR",
    "CheckSpec",
    "Scenario",
    "ScenarioError",
    "clear_scenarios_cache",
    "family_function",
    "family_module",
    "get_scenario",
    "imported_scenarios_dir",
    "load_scenario_file",
    "load_scenarios",
    "scenarios_dir",
    "split_variant",
]

ID_PATTERN = re.compile(r"^[a-z0-9_-]+\.[a-z0-9._-]+$")

VARIANT_SEPARATOR = "."
VARIANTS: Mapping[str, str] = {"faulty": "faulty.yaml"}
"""Variants every scenario has, by name: the fault profile (in ``scenarios/_profiles``) that
``<scenario-id>.<variant>`` adds to the scenario's own rules. Same world, task and checks.
(Not ``:``, which ``gym.make`` reads as ``module:id``.)"""


def split_variant(scenario_id: str) -> tuple[str, str | None]:
    """``("attio.x", "faulty")`` for ``"attio.x.faulty"``; ``(scenario_id, None)`` when the id
    does not end with a variant's name."""
    base, _, last = scenario_id.rpartition(VARIANT_SEPARATOR)
    return (base, last) if base and last in VARIANTS else (scenario_id, None)


SPLITS = ("train", "test")
DEFAULT_EPOCH = "2024-01-15T09:00:00Z"

_SCENARIO_KEYS = {
    "title": "a short human title",
    "category": "the task category in reports (e.g. filtering, pagination, writes)",
    "split": "train or test",
    "services": "the services the task uses",
    "world": "sizes per service and entity, e.g. {attio: {people: 400}}",
    "epoch": "the virtual clock's start, RFC 3339",
    "max_steps": "the request budget",
    "instruction": "the task text; $name placeholders come from the truth's params",
    "truth": "function in truth.py giving params and expected values from the world",
    "solution": "function in solutions.py: the reference solution",
    "checks": "the grader's checklist",
    "faults": "fault rules injected in every episode (see mockapis.faults)",
    "naive": "function in solutions.py: a plausible solution the faults must defeat",
    "description": "notes for maintainers",
    "tags": "free-form labels",
}
_REQUIRED = (
    "title",
    "category",
    "split",
    "services",
    "max_steps",
    "instruction",
    "solution",
    "checks",
)
CHECK_KINDS = ("answer", "only_changes", "rows", "custom")
_CHECK_KEYS = {"name", "guard", *CHECK_KINDS}
_ANSWER_KEYS = {"equals", "compare", "path", "tolerance"}
ANSWER_COMPARES = ("exact", "set", "casefold_set", "number", "casefold")
_ROWS_KEYS = {"table", "added", "removed", "updated"}
CHANGE_KINDS = ("added", "removed", "updated")
"""The kinds of row change a ``rows`` check counts and an ``only_changes`` allowance bounds."""


class ScenarioError(ValueError):
    """An invalid scenario file: names the file, the key, and what is valid."""


@dataclass(frozen=True)
class CheckSpec:
    """One check of a scenario's checklist (validated; run by :mod:`gym_apibench.checks`)."""

    name: str
    kind: str
    spec: Any
    guard: bool


@dataclass(frozen=True)
class Scenario:
    """A validated task definition."""

    id: str
    path: Path
    title: str
    category: str
    split: str
    services: tuple[str, ...]
    max_steps: int
    instruction: str
    solution: str
    checks: tuple[CheckSpec, ...]
    truth: str | None = None
    naive: str | None = None
    faults: tuple[Rule, ...] = ()
    world: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    epoch_ns: int = 0
    description: str = ""
    tags: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        """The family (first part of the id): the service or suite it belongs to."""
        return self.id.split(".", 1)[0]

    variant: str | None = None
    """The variant this is of the scenario :attr:`base_id` (``faulty``), if any."""

    @property
    def base_id(self) -> str:
        """The id of the scenario a variant is of (its own id for a scenario)."""
        return (
            self.id.removesuffix(f"{VARIANT_SEPARATOR}{self.variant}") if self.variant else self.id
        )


def scenarios_dir() -> Path:
    """The scenarios folder (the source tree's, or the installed package's copy)."""
    source = Path(__file__).resolve().parent.parent / "scenarios"
    if source.is_dir():
        return source
    return Path(__file__).resolve().parent / "_scenarios"


def _suggest(key: str, valid: Any) -> str:
    close = difflib.get_close_matches(key, sorted(valid), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _unknown_keys(where: str, data: Mapping[str, Any], valid: Any) -> None:
    for key in data:
        if key not in valid:
            raise ScenarioError(
                f"{where}: unknown key {key!r}{_suggest(str(key), valid)} "
                f"Valid keys: {', '.join(sorted(valid))}."
            )


def _expect(where: str, key: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(value, kind) or (
        isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))
    ):
        raise ScenarioError(f"{where}: key {key!r} must be {what}; got {value!r}.")
    return value


def _parse_only_changes(at: str, spec: Any) -> None:
    """A list of table patterns (each may change in any way), or a mapping of table pattern
    -> ``{added, removed, updated}``, each kind at most a count, only the keys of a list, rows
    a family check function accepts (``{where: name}``) or ``any`` (a kind left out: none)."""
    if isinstance(spec, list) and all(isinstance(t, str) for t in spec):
        return
    if not (isinstance(spec, Mapping) and all(isinstance(t, str) for t in spec)):
        raise ScenarioError(
            f"{at}: only_changes must be a list of table names or a mapping of table name to "
            f"what may change ({', '.join(CHANGE_KINDS)})."
        )
    for table, allowed in spec.items():
        where = f"{at}.only_changes.{table}"
        _expect(where, table, allowed or {}, Mapping, f"a mapping of {', '.join(CHANGE_KINDS)}")
        _unknown_keys(where, allowed or {}, CHANGE_KINDS)
        for kind, value in (allowed or {}).items():
            if isinstance(value, Mapping):
                _unknown_keys(f"{where}.{kind}", value, {"where"})
                _expect(f"{where}.{kind}", "where", value.get("where"), str, "a function name")
            elif (
                not (isinstance(value, list) or (isinstance(value, int) and value >= 0))
                or isinstance(value, bool)
            ) and not (isinstance(value, str) and (value == "any" or value.startswith("$"))):
                raise ScenarioError(
                    f"{where}.{kind}: a count, a $key of the truth, a list of row keys, "
                    f"{{where: function}} or 'any'; got {value!r}."
                )


def _parse_check(where: str, index: int, raw: Any) -> CheckSpec:
    at = f"{where}: checks[{index}]"
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"{at} must be a mapping with a name and one of {CHECK_KINDS}.")
    _unknown_keys(at, raw, _CHECK_KEYS)
    kinds = [k for k in CHECK_KINDS if k in raw]
    if len(kinds) != 1:
        raise ScenarioError(f"{at} must have exactly one of {', '.join(CHECK_KINDS)}; got {kinds}.")
    kind = kinds[0]
    name = _expect(at, "name", raw.get("name"), str, "a string")
    spec = raw[kind]
    if kind == "answer":
        _expect(at, "answer", spec, Mapping, "a mapping")
        _unknown_keys(f"{at}.answer", spec, _ANSWER_KEYS)
        if "equals" not in spec:
            raise ScenarioError(f"{at}.answer: key 'equals' is required.")
        compare = spec.get("compare", "exact")
        if compare not in ANSWER_COMPARES:
            raise ScenarioError(
                f"{at}.answer: compare {compare!r} is not one of {', '.join(ANSWER_COMPARES)}."
            )
    elif kind == "only_changes":
        _parse_only_changes(at, spec)
    elif kind == "rows":
        _expect(at, "rows", spec, Mapping, "a mapping")
        _unknown_keys(f"{at}.rows", spec, _ROWS_KEYS)
        _expect(at, "rows.table", spec.get("table"), str, "a table name")
    elif kind == "custom":
        _expect(at, "custom", spec, str, "a function name in the family's checks.py")
    guard = raw.get("guard", kind == "only_changes")
    _expect(at, "guard", guard, bool, "true or false")
    return CheckSpec(name=name, kind=kind, spec=spec, guard=guard)


def _parse_epoch(where: str, value: Any) -> int:
    text = str(value).replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ScenarioError(f"{where}: epoch {value!r} is not an RFC 3339 time.") from None
    if moment.tzinfo is None:
        raise ScenarioError(f"{where}: epoch {value!r} needs a time zone (e.g. Z).")
    return int(moment.timestamp()) * 1_000_000_000


def _parse_faults(where: str, raw: Any) -> list[Rule]:
    try:
        rules = parse_rules(raw, KINDS, source=f"{where}: faults")
        check_targets(rules, source=f"{where}: faults")
        return rules
    except FaultSpecError as exc:
        raise ScenarioError(str(exc)) from None


def load_scenario_file(path: Path, known_services: Mapping[str, Any] | None = None) -> Scenario:
    """Parse and validate one scenario file."""
    where = str(path)
    family, name = path.parent.name, path.stem
    scenario_id = f"{family}.{name}"
    if not ID_PATTERN.match(scenario_id):
        raise ScenarioError(f"{where}: id {scenario_id!r} must be lowercase family.name.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{where}: a scenario file is a mapping of keys.")
    _unknown_keys(where, data, _SCENARIO_KEYS)
    for key in _REQUIRED:
        if key not in data:
            raise ScenarioError(f"{where}: missing required key {key!r} ({_SCENARIO_KEYS[key]}).")
    services = _expect(where, "services", data["services"], list, "a list of service names")
    if known_services is not None:
        for service in services:
            if service not in known_services:
                raise ScenarioError(
                    f"{where}: unknown service {service!r}{_suggest(service, known_services)} "
                    f"Known: {', '.join(sorted(known_services))}."
                )
    split = data["split"]
    if split not in SPLITS:
        raise ScenarioError(f"{where}: split must be one of {SPLITS}; got {split!r}.")
    max_steps = _expect(where, "max_steps", data["max_steps"], int, "a positive integer")
    if max_steps < 1:
        raise ScenarioError(f"{where}: max_steps must be >= 1; got {max_steps}.")
    world = data.get("world") or {}
    _expect(where, "world", world, Mapping, "a mapping of service -> entity -> count")
    for service, sizes in world.items():
        if service not in services:
            raise ScenarioError(f"{where}: world names {service!r}, which is not in services.")
        if not (
            isinstance(sizes, Mapping)
            and all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in sizes.values()
            )
        ):
            raise ScenarioError(f"{where}: world.{service} must map entities to counts >= 0.")
    checks = _expect(where, "checks", data["checks"], list, "a non-empty list")
    if not checks:
        raise ScenarioError(f"{where}: checks must not be empty.")
    parsed = tuple(_parse_check(where, i, c) for i, c in enumerate(checks))
    names = [c.name for c in parsed]
    if len(set(names)) != len(names):
        raise ScenarioError(f"{where}: check names must be unique; got {names}.")
    return Scenario(
        id=scenario_id,
        path=path,
        title=_expect(where, "title", data["title"], str, "a string"),
        category=_expect(where, "category", data["category"], str, "a string"),
        split=split,
        services=tuple(services),
        max_steps=max_steps,
        instruction=_expect(where, "instruction", data["instruction"], str, "a string").strip(),
        solution=_expect(where, "solution", data["solution"], str, "a function name"),
        truth=data.get("truth"),
        naive=data.get("naive"),
        faults=tuple(_parse_faults(where, data.get("faults"))),
        checks=parsed,
        world={s: dict(v) for s, v in world.items()},
        epoch_ns=_parse_epoch(where, data.get("epoch", DEFAULT_EPOCH)),
        description=str(data.get("description", "")),
        tags=tuple(data.get("tags", ())),
    )


def imported_scenarios_dir() -> Path:
    """``<data home>/scenarios``: the imported families."""
    return apibench_home() / "scenarios"


def load_scenarios() -> Mapping[str, Scenario]:
    """Every scenario, by id (validated, loaded once per data home): the built-in ones under
    :func:`scenarios_dir`, then the imported families under :func:`imported_scenarios_dir`."""
    # Keyed on the variables that locate the data home: resolving the path on every call
    # cost ~30 µs, several times per reset.
    return _loaded_for(
        os.environ.get(HOME_VARIABLE), os.environ.get("XDG_DATA_HOME"), os.environ.get("HOME")
    )


@functools.cache
def _loaded_for(*_environment: str | None) -> Mapping[str, Scenario]:
    return _load_scenarios(imported_scenarios_dir().resolve())


def clear_scenarios_cache() -> None:
    """Forget the loaded scenarios (after an import rewrote a family in the data home)."""
    _loaded_for.cache_clear()
    _load_scenarios.cache_clear()


@functools.cache
def _load_scenarios(imported: Path | None) -> Mapping[str, Scenario]:
    from mockapis.registry import services

    known = services()
    found: dict[str, Scenario] = {}
    # Folders starting with "_" are not families (``_profiles`` holds fault profiles).
    for path in sorted(scenarios_dir().glob("[!_]*/*.yaml")):
        scenario = load_scenario_file(path, known)
        found[scenario.id] = scenario
    if imported is None or not imported.is_dir():
        return found
    builtin = {s.family for s in found.values()}
    for family_dir in sorted(imported.glob("[!_.]*/")):
        if family_dir.name in builtin:
            raise ScenarioError(
                f"{family_dir}: an imported family may not share a built-in family's name "
                f"({family_dir.name!r})"
            )
        for path in sorted(family_dir.glob("*.yaml")):
            scenario = load_scenario_file(path, known)
            found[scenario.id] = scenario
    return found


def get_scenario(scenario_id: str) -> Scenario:
    """The scenario ``scenario_id`` (or its variant, ``<id>.faulty``); unknown ids list a
    close match."""
    known = load_scenarios()
    try:
        return known[scenario_id]
    except KeyError:
        base, variant = split_variant(scenario_id)
        if variant is not None and base in known:
            return _variant(known, base, variant)
        raise KeyError(
            f"unknown scenario {scenario_id!r}{_suggest(scenario_id, known)} "
            f"({len(known)} known; see `apibench list`)"
        ) from None


_VARIANTS: dict[str, tuple[Mapping[str, Scenario], Scenario]] = {}
"""Variant id -> (the scenarios it was made from, the variant)."""


def _variant(known: Mapping[str, Scenario], base: str, variant: str) -> Scenario:
    """Scenario ``base`` with variant ``variant``'s profile added to its faults (made once per
    loaded set of scenarios); its rules are named ``<variant>/<rule>``, apart from the
    scenario's own."""
    variant_id = f"{base}{VARIANT_SEPARATOR}{variant}"
    made = _VARIANTS.get(variant_id)
    if made is not None and made[0] is known:  # not made from scenarios loaded since
        return made[1]
    profile = VARIANTS[variant]
    from mockapis.faults import load_rules

    rules = [
        dataclasses.replace(rule, name=f"{variant}/{rule.name}")
        for rule in load_rules(scenarios_dir() / "_profiles" / profile)
    ]
    scenario = known[base]
    found = dataclasses.replace(
        scenario,
        id=variant_id,
        faults=(*scenario.faults, *rules),
        tags=(*scenario.tags, variant),
        variant=variant,
    )
    _VARIANTS[variant_id] = (known, found)
    return found


@functools.cache
def family_module(family_dir: Path, module: str) -> ModuleType:
    """``<family_dir>/<module>.py``, imported once per process as
    ``apibench_scenarios.<family>.<module>`` (scenario folders are not packages): truth,
    solutions and checks modules, and helpers beside them (a solution's signer)."""
    path = family_dir / f"{module}.py"
    if not path.is_file():
        raise ScenarioError(f"{family_dir}: missing {module}.py")
    qualified = f"apibench_scenarios.{family_dir.name}.{module}"
    spec = importlib.util.spec_from_file_location(qualified, path)
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = loaded
    spec.loader.exec_module(loaded)
    return loaded


def family_function(scenario: Scenario, module: str, name: str) -> Callable[..., Any]:
    """Function ``name`` of the scenario family's ``module`` (truth, solutions or checks)."""
    loaded = family_module(scenario.path.parent, module)
    function = getattr(loaded, name, None)
    if not callable(function):
        available = sorted(
            n for n, v in vars(loaded).items() if callable(v) and not n.startswith("_")
        )
        raise ScenarioError(
            f"{scenario.path}: {module}.py has no function {name!r}{_suggest(name, available)}"
        )
    return function  # type: ignore[no-any-return]

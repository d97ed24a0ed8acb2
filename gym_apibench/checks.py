"""The grader: a scenario's checklist run over the submitted answer and the world's diff.

Kinds: ``answer`` (the submission against an expected value), ``rows`` (how many rows of a
table were added, removed or updated), ``only_changes`` (collateral damage over every table of
the episode: no table outside the list changed, and in a listed table only the rows its
allowance names: at most a count, only given keys, or rows a family function accepts, per
kind of change; ``<service>._<name>`` tables, credentials and bookkeeping, never count)
and ``custom`` (a function in the family's ``checks.py``). Expected values are written
``$key`` and come from the scenario's ground truth for this seed.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gym_apibench.scenarios import CHANGE_KINDS, CheckSpec, Scenario, family_function
from mockapis.world import TableDiff, World, WorldDiff

__all__ = ["CheckContext", "CheckResult", "Grade", "grade", "resolve"]

NO_ANSWER: Any = None
ANY = "any"
"""An ``only_changes`` allowance for any number of rows of one kind."""


@dataclass(frozen=True)
class CheckContext:
    """What a check may look at: the final world, its diff, the answer and the ground truth."""

    world: World
    diff: WorldDiff
    answer: Any
    submitted: bool
    expected: Mapping[str, Any]
    inputs: Mapping[str, Any]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check."""

    name: str
    passed: bool
    detail: str
    guard: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The public form: ``{"name", "passed", "detail"}``."""
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


@dataclass(frozen=True)
class Grade:
    """A graded episode: reward in [0, 1], success, and each check."""

    reward: float
    success: bool
    results: tuple[CheckResult, ...]

    @property
    def checks(self) -> list[dict[str, Any]]:
        """The checks in their public form."""
        return [r.as_dict() for r in self.results]


def resolve(value: Any, expected: Mapping[str, Any]) -> Any:
    """``$key`` -> ``expected[key]``; anything else is a literal."""
    if isinstance(value, str) and value.startswith("$"):
        return expected[value[1:]]
    return value


def _dig(answer: Any, path: str | None) -> Any:
    for part in (path or "").split(".") if path else ():
        if isinstance(answer, Mapping) and part in answer:
            answer = answer[part]
        elif isinstance(answer, list) and part.isdigit() and int(part) < len(answer):
            answer = answer[int(part)]
        else:
            raise LookupError(f"the answer has no {path!r}")
    return answer


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _compare(got: Any, want: Any, how: str, tolerance: float) -> tuple[bool, str]:
    if how == "exact":
        return got == want, f"expected {_short(want)}, got {_short(got)}"
    if how == "casefold":
        ok = isinstance(got, str) and isinstance(want, str) and got.casefold() == want.casefold()
        return ok, f"expected {_short(want)} (any case), got {_short(got)}"
    if how in ("set", "casefold_set"):
        if not isinstance(got, list):
            return False, f"expected a list, got {_short(got)}"
        fold = how == "casefold_set"
        try:
            got_set = {_fold(v) if fold else v for v in got}
            want_set = {_fold(v) if fold else v for v in want}
        except TypeError:
            return False, f"expected a list of scalars, got {_short(got)}"
        if got_set == want_set and len(got) == len(got_set):
            return True, f"all {len(want_set)} items match"
        missing, extra = len(want_set - got_set), len(got_set - want_set)
        dupes = len(got) - len(got_set)
        return (
            False,
            f"{missing} missing, {extra} unexpected, {dupes} duplicated of {len(want_set)}",
        )
    if how == "number":
        if isinstance(got, bool) or not isinstance(got, int | float):
            return False, f"expected a number near {want}, got {_short(got)}"
        ok = math.isclose(float(got), float(want), rel_tol=0.0, abs_tol=tolerance)
        return ok, f"expected {want} (±{tolerance}), got {got}"
    raise AssertionError(how)


def _run_answer(spec: Mapping[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    if not ctx.submitted:
        return False, "no answer was submitted"
    try:
        got = _dig(ctx.answer, spec.get("path"))
    except LookupError as exc:
        return False, str(exc)
    want = resolve(spec["equals"], ctx.expected)
    return _compare(got, want, spec.get("compare", "exact"), float(spec.get("tolerance", 0.0)))


def _run_rows(spec: Mapping[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    table = spec["table"]
    diff = ctx.diff.get(table)
    counts = {
        "added": len(diff.added) if diff else 0,
        "removed": len(diff.removed) if diff else 0,
        "updated": len(diff.updated) if diff else 0,
    }
    problems = []
    for key in ("added", "removed", "updated"):
        if key in spec:
            want = resolve(spec[key], ctx.expected)
            if counts[key] != want:
                problems.append(f"{key} {counts[key]} rows, expected {want}")
    if problems:
        return False, f"{table}: " + "; ".join(problems)
    return True, f"{table}: " + ", ".join(f"{k} {v}" for k, v in counts.items())


def _is_bookkeeping(table: str) -> bool:
    # Tables named ``<service>._<name>`` hold credentials and bookkeeping (tokens an agent
    # refreshed, say): part of the state and its hash, but never collateral damage.
    return table.partition(".")[2].startswith("_")


def _allowance(spec: Any, table: str) -> Mapping[str, Any] | None:
    """What ``only_changes`` lets ``table`` do: a list of table patterns lets a table change
    in any way; a mapping gives each pattern its allowance (first match wins)."""
    if isinstance(spec, Mapping):
        for pattern, allowed in spec.items():
            if fnmatch.fnmatchcase(table, pattern):
                return allowed or {}
        return None
    if any(fnmatch.fnmatchcase(table, pattern) for pattern in spec):
        return dict.fromkeys(CHANGE_KINDS, ANY)
    return None


def _rows_beyond(
    kind: str, allowed: Any, table: str, diff: TableDiff, ctx: CheckContext, scenario: Scenario
) -> str:
    """What ``diff`` did of ``kind`` beyond ``allowed`` (empty when nothing)."""
    rows: Mapping[str, Any] = getattr(diff, kind)
    if not rows or allowed == ANY:
        return ""
    if isinstance(allowed, Mapping) and "where" in allowed:
        test = family_function(scenario, "checks", allowed["where"])
        stray = []
        for key, row in rows.items():
            before, after = (
                row if kind == "updated" else (None, row) if kind == "added" else (row, None)
            )
            if not test(ctx, key, before, after):
                stray.append(key)
    else:
        limit = resolve(allowed, ctx.expected)
        if isinstance(limit, int) and not isinstance(limit, bool):
            if len(rows) <= limit:
                return ""
            return f"{table}: {len(rows)} rows {kind}, at most {limit}"
        # The keys of a list (``[$id, ...]`` resolved one by one) or of a mapping.
        keys = {str(resolve(k, ctx.expected)) for k in limit}
        stray = [key for key in rows if key not in keys]
    if not stray:
        return ""
    return f"{table}: {len(stray)} other rows {kind} ({', '.join(sorted(stray)[:3])})"


def _run_only_changes(spec: Any, ctx: CheckContext, scenario: Scenario) -> tuple[bool, str]:
    stray: list[str] = []
    for name, diff in ctx.diff.items():
        if _is_bookkeeping(name):
            continue
        allowance = _allowance(spec, name)
        if allowance is None:
            stray.append(f"{name} (+{len(diff.added)} -{len(diff.removed)} ~{len(diff.updated)})")
            continue
        for kind in CHANGE_KINDS:
            beyond = _rows_beyond(kind, allowance.get(kind, 0), name, diff, ctx, scenario)
            if beyond:
                stray.append(beyond)
    if stray:
        return False, "changed what it should not: " + "; ".join(stray)
    return True, "nothing else changed"


def _run_check(check: CheckSpec, scenario: Scenario, ctx: CheckContext) -> CheckResult:
    if check.kind == "answer":
        passed, detail = _run_answer(check.spec, ctx)
    elif check.kind == "rows":
        passed, detail = _run_rows(check.spec, ctx)
    elif check.kind == "only_changes":
        passed, detail = _run_only_changes(check.spec, ctx, scenario)
    else:
        function = family_function(scenario, "checks", check.spec)
        passed, detail = function(ctx)
    return CheckResult(check.name, bool(passed), str(detail), check.guard)


def grade(scenario: Scenario, ctx: CheckContext) -> Grade:
    """Run every check. Success needs all to pass.

    The reward is 1 on success; otherwise the share of goal checks passed, and 0 when any
    guard (collateral-damage) check failed, so that breaking things never pays.
    """
    results = tuple(_run_check(check, scenario, ctx) for check in scenario.checks)
    success = all(r.passed for r in results)
    goals = [r for r in results if not r.guard]
    if success:
        reward = 1.0
    elif any(not r.passed for r in results if r.guard) or not goals:
        reward = 0.0
    else:
        reward = sum(r.passed for r in goals) / len(goals)
    return Grade(reward=reward, success=success, results=results)

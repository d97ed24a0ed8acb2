"""Ground truth and checks of the imported API-Bank scenarios (see :mod:`.importer`).

Truth: the episode world is the init databases at the scenario's level (its ``world`` sizes)
plus the dialogue's earlier gold calls replayed in order
(:func:`mockapis.apibank.base.replay`). Checks:
``api_call`` compares the agent's last call of the episode (the last entry it added to
``apibank._calls``) with the gold result by that API's own comparison, as API-Bank's
evaluator does (name first, then ``check_api_call_correctness``); ``reply_rouge`` records
the ROUGE-L F1 of the submitted reply against the gold reply, a metric that never fails;
``nothing_else`` (a guard) allows changes only to the tables the gold call itself changes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from gym_apibench.apibank.episodes import episode
from gym_apibench.apibank.metrics import rouge_detail
from gym_apibench.apibank.rouge import rouge_l_f1
from gym_apibench.checks import CheckContext
from mockapis.apibank.base import CALLS_TABLE, level_of, registry, replay
from mockapis.world import World

__all__ = ["api_call", "check_functions", "nothing_else", "reply_rouge", "truth_functions"]

Truth = dict[str, dict[str, Any]]


def truth_functions(family_dir: Path) -> Callable[[str], Callable[[World, random.Random], Truth]]:
    """The ``__getattr__`` of a generated ``truth.py``: scenario function name -> its truth."""

    def lookup(name: str) -> Callable[[World, random.Random], Truth]:
        gold = episode(family_dir, name)

        def truth(world: World, rng: random.Random) -> Truth:
            for call in gold.prior:
                replay(world, str(call["api_name"]), call["param_dict_raw"])
            # The tables the gold call itself writes: the only ones an agent's call may change.
            before = world.snapshot()
            replay(world, str(gold.call["api_name"]), gold.call["param_dict_raw"])
            tables = sorted(n for n in world.diff(before) if not _bookkeeping(n))
            world.restore(before)
            return {
                "inputs": {},
                "expected": {
                    "api_name": gold.call["api_name"],
                    "result": gold.call["gold_result"],
                    "reply": gold.reply,
                    "level": gold.level,
                    "reproducible": gold.reproducible,
                    "tables": tables,
                },
            }

        truth.__name__ = name
        return truth

    return lookup


def _bookkeeping(table: str) -> bool:
    return table.partition(".")[2].startswith("_")


def nothing_else(ctx: CheckContext) -> tuple[bool, str]:
    """No table changed but those the gold call changes (the call log is bookkeeping)."""
    allowed = set(ctx.expected.get("tables") or ())
    stray = sorted(n for n in ctx.diff if not _bookkeeping(n) and n not in allowed)
    if stray:
        return False, "changed what the gold call does not: " + ", ".join(stray)
    return True, "nothing else changed"


def _last_call(ctx: CheckContext) -> Mapping[str, Any] | None:
    diff = ctx.diff.get(CALLS_TABLE)
    if diff is None or not diff.added:
        return None
    return diff.added[max(diff.added)]


def api_call(ctx: CheckContext) -> tuple[bool, str]:
    """The agent's last API call of the episode gives the gold result (the API's own check)."""
    gold: Mapping[str, Any] = ctx.expected["result"]
    want = str(ctx.expected["api_name"])
    got = _last_call(ctx)
    if got is None:
        return False, f"no API call was made (expected {want})"
    name = str(got.get("api_name"))
    if name != want:
        return False, f"API name mismatch: {name} vs {want}"
    api = registry(level_of(ctx.world)).get(want)
    if api is None:
        return False, f"{want} is not an API of level {level_of(ctx.world)}"
    try:
        correct = api.check(got, gold)
    except KeyError as exc:
        # API-Bank's evaluator counts a check that raises KeyError as a wrong call.
        return False, f"{want}: the API's check raised KeyError {exc} (counted wrong, as upstream)"
    if correct:
        return True, f"{want}: the result matches the gold result"
    return False, (
        f"{want}: got output {got.get('output')!r:.200} exception {got.get('exception')!r:.120}; "
        f"gold output {gold.get('output')!r:.200} exception {gold.get('exception')!r:.120}"
    )


def reply_rouge(ctx: CheckContext) -> tuple[bool, str]:
    """ROUGE-L F1 of the submitted reply against the gold one (always passes: a metric)."""
    reference = ctx.expected.get("reply")
    if not reference:
        return True, "no gold reply after this call (the dialogue goes on with another call)"
    answer = ctx.answer if ctx.submitted and isinstance(ctx.answer, str) else ""
    score = rouge_l_f1(answer, str(reference)) if answer.strip() else 0.0
    return True, rouge_detail(score)


def check_functions(family_dir: Path) -> Callable[[str], Callable[[CheckContext], Any]]:
    """The ``__getattr__`` of a generated ``checks.py``: the family's check functions."""
    checks = {"api_call": api_call, "reply_rouge": reply_rouge, "nothing_else": nothing_else}

    def lookup(name: str) -> Callable[[CheckContext], Any]:
        try:
            return checks[name]
        except KeyError:
            raise AttributeError(f"no API-Bank check {name!r}") from None

    return lookup

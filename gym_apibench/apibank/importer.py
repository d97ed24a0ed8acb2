"""``apibench import-apibank PATH``: a released api-bank folder -> the data home and scenarios.

Writes, under the apibench home (``$APIBENCH_HOME``):

- ``api-bank/init_database/*.json`` (verbatim), ``api-bank/catalog.json`` (the API specs, see
  :mod:`gym_apibench.apibank.catalog`) and ``api-bank/gold_calls.jsonl`` (the release's
  ``derived/gold_calls.jsonl`` when present, else derived from the dialogues, flags null);
- ``scenarios/api-bank/``: one scenario per gold call (``l<level>-<api>-<n>.yaml``), the
  index ``episodes.json`` (each scenario's gold call, the dialogue's earlier calls, the gold
  reply) and thin ``truth.py``/``solutions.py``/``checks.py`` importing
  :mod:`gym_apibench.apibank.family` and :mod:`gym_apibench.apibank.oracle`.

The project ships none of this data; the importer only reads the user's copy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gym_apibench.apibank.catalog import load_catalog
from gym_apibench.apibank.dialogues import (
    Dialogue,
    derive_gold_calls,
    dialogue_of,
    level_number,
    load_dialogues,
    render_call,
)

__all__ = [
    "CATEGORIES",
    "EPISODES_FILE",
    "FAMILY",
    "OFFLINE_APIS",
    "ImportSummary",
    "Plan",
    "import_apibank",
    "is_reproducible",
    "plan_scenarios",
    "scenario_name",
]

FAMILY = "api-bank"
"""The scenario family (ids ``api-bank.l<level>-<api>-<n>``)."""
EPISODES_FILE = "episodes.json"
"""The family's index: scenario name -> its gold call, earlier calls and gold reply."""
CATEGORIES = {1: "call", 2: "retrieve+call", 3: "plan+retrieve+call"}
"""The paper's names of the three levels (the scenarios' category)."""
MAX_STEPS = {1: 10, 2: 20, 3: 20}

_THIN = {
    "truth.py": (
        "Ground truth of the API-Bank scenarios: the dialogue's earlier gold calls replayed.",
        "from gym_apibench.apibank.family import truth_functions",
        "truth_functions",
    ),
    "solutions.py": (
        "Reference solutions of the API-Bank scenarios: the gold call, then the gold reply.",
        "from gym_apibench.apibank.oracle import solution_functions",
        "solution_functions",
    ),
    "checks.py": (
        "Checks of the API-Bank scenarios: the call's result by its API's own comparison; ROUGE-L.",
        "from gym_apibench.apibank.family import check_functions",
        "check_functions",
    ),
}


@dataclass(frozen=True)
class Plan:
    """One scenario to write: its gold call (index into the gold calls), the dialogue's
    earlier calls (indices, in order), the gold reply to the user after the call (None when
    the dialogue goes on with another call) and whether the call is reproducible."""

    name: str
    level: int
    call: int
    prior: tuple[int, ...]
    reply: str | None
    reproducible: bool
    dialogue: str
    turn: int


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote."""

    home: Path
    family_dir: Path
    databases: int
    apis: int
    catalog_source: str
    gold_source: str
    scenarios: Mapping[int, int] = field(default_factory=dict)
    reproducible: Mapping[int, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """A human summary."""
        per_level = ", ".join(
            f"level {lv}: {n} ({self.reproducible.get(lv, 0)} reproducible)"
            for lv, n in sorted(self.scenarios.items())
        )
        return [
            f"API-Bank imported into {self.home}",
            f"  {self.databases} init databases, {self.apis} APIs (from {self.catalog_source})",
            f"  gold calls from {self.gold_source}",
            f"  {sum(self.scenarios.values())} scenarios in {self.family_dir}: {per_level}",
        ]


def scenario_name(level: int, api_name: str, n: int) -> str:
    """``(1, "GetUserToken", 3)`` -> ``"l1-get-user-token-3"``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", api_name)
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-") or "api"
    return f"l{level}-{slug}-{n}"


OFFLINE_APIS = frozenset({"Dictionary", "Translate"})
"""APIs that call live web services upstream; the service answers their gold inputs offline."""


def is_reproducible(call: Mapping[str, Any]) -> bool:
    """Whether the gold result of ``call`` can be reproduced at all: replayed exactly by the
    reference implementation (``replay_sequential_exact``), a ToolSearcher retrieval the
    offline ONNX retriever reproduced (``toolsearcher_onnx_repro``: its match equals gold),
    or a Dictionary or Translate call (not replayable upstream: live web services; the service
    answers their gold inputs offline, see ``mockapis.apibank.apis.knowledge``)."""
    if call.get("replay_sequential_exact") is True:
        return True
    if call.get("api_name") in OFFLINE_APIS and call.get("replay_sequential_exact") is None:
        return (call.get("gold_result") or {}).get("exception") is None
    repro = call.get("toolsearcher_onnx_repro")
    if call.get("api_name") == "ToolSearcher" and isinstance(repro, Mapping):
        gold = repro.get("gold_best_match")
        found = [v for k, v in repro.items() if k.startswith("onnx_best_match")]
        return gold is not None and bool(found) and all(v == gold for v in found)
    return False


def _reply_after(dialogue: Dialogue, turn: int) -> str | None:
    if dialogue.level == "level-3":
        # One response ends a level-3 task: the reply after its last call.
        return dialogue.response if turn == len(dialogue.turns) - 1 else None
    following = dialogue.turns[turn + 1] if turn + 1 < len(dialogue.turns) else None
    if following is not None and following["role"] == "AI":
        return str(following["text"])
    return None


def plan_scenarios(
    gold_calls: Sequence[Mapping[str, Any]], dialogues: Mapping[str, Dialogue]
) -> list[Plan]:
    """One :class:`Plan` per gold call, in the gold calls' order."""
    seen: Counter[tuple[int, str]] = Counter()
    earlier: dict[str, list[int]] = {}
    plans = []
    for index, call in enumerate(gold_calls):
        level = level_number(str(call["level"]))
        key, turn = dialogue_of(call)
        dialogue = dialogues.get(key)
        if dialogue is None:
            raise ValueError(f"gold call {index} names a dialogue not in the release: {key}")
        if not (0 <= turn < len(dialogue.turns)) or dialogue.turns[turn]["role"] != "API":
            raise ValueError(f"gold call {index}: turn {turn} of {key} is not an API call")
        api = str(call["api_name"])
        prior = earlier.setdefault(key, [])
        plans.append(
            Plan(
                name=scenario_name(level, api, seen[(level, api)]),
                level=level,
                call=index,
                prior=tuple(prior),
                reply=_reply_after(dialogue, turn),
                reproducible=is_reproducible(call),
                dialogue=key,
                turn=turn,
            )
        )
        seen[(level, api)] += 1
        prior.append(index)
    return plans


def _spec_text(entry: Mapping[str, Any]) -> str:
    # As API-Bank's ToolManager.get_api_description shows an API to the model.
    return json.dumps(
        {
            "name": entry["name"],
            "description": entry.get("description", ""),
            "input_parameters": entry.get("input_parameters", {}),
            "output_parameters": entry.get("output_parameters", {}),
        },
        ensure_ascii=False,
    )


def _history(dialogue: Dialogue, turn: int) -> list[str]:
    lines = []
    for item in dialogue.turns[:turn]:
        if item["role"] == "API":
            call = render_call(str(item["api_name"]), item.get("param_dict") or {})
            lines.append(f"API-Request: {call}->{item['result']!r}")
        else:
            lines.append(f"{item['role']}: {item['text']}")
    return lines


def _instruction(plan: Plan, dialogue: Dialogue, specs: Mapping[str, Mapping[str, Any]]) -> str:
    parts = [
        f"You are the AI assistant of the conversation below (API-Bank level {plan.level}, "
        f"{CATEGORIES[plan.level]}). Make the one API call the assistant should make next "
        "on the API-Bank service, then submit your reply to the user (a string) based on "
        "its result.",
        "Call an API with POST /apis/{ApiName} and a JSON object of its parameters, or with "
        "POST /call and a call in API-Bank's syntax [ApiName(key='value', ...)]; every "
        "answer has API-Bank's result shape {api_name, input, output, exception}. The "
        "current year is 2023.",
    ]
    if plan.level == 1:
        names = dict.fromkeys(str(t["api_name"]) for t in dialogue.turns if t["role"] == "API")
        described = [_spec_text(specs[n]) for n in names if n in specs]
        parts.append("API descriptions:\n" + "\n".join(described))
    else:
        parts.append(
            "Which APIs exist is for you to find: search them with the ToolSearcher API "
            '(POST /apis/ToolSearcher with {"keywords": ...}), which answers with the '
            "best-matching API's description."
        )
    parts.append("Conversation so far:\n" + "\n".join(_history(dialogue, plan.turn)))
    # The scenario loader substitutes $names in instructions: keep the dialogue's literal.
    return "\n\n".join(parts).replace("$", "$$")


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, for readable scenario files."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not any(c in value for c in "\r\t\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _scenario(
    plan: Plan, call: Mapping[str, Any], dialogue: Dialogue, specs: Mapping[str, Any]
) -> dict[str, Any]:
    api = str(call["api_name"])
    where = dialogue.key.rsplit("/", 1)[-1]
    checks: list[dict[str, Any]] = [
        {"name": "api-call", "custom": "api_call"},
        # A metric, not a goal: it always passes and records the score in its detail.
        {"name": "reply-rouge-l", "custom": "reply_rouge", "guard": True},
    ]
    # Only the tables the gold call itself changes may change (found by replaying it).
    checks.append({"name": "nothing-else", "custom": "nothing_else", "guard": True})
    return {
        "title": f"API-Bank level {plan.level}: {api} ({where}, turn {plan.turn})",
        "category": CATEGORIES[plan.level],
        "split": "test",
        "services": ["apibank"],
        "world": {"apibank": {"level": plan.level}},  # the suite of APIs the episode serves
        "max_steps": MAX_STEPS[plan.level],
        "truth": plan.name.replace("-", "_"),
        "solution": plan.name.replace("-", "_"),
        "tags": [
            "api-bank",
            f"level-{plan.level}",
            "reproducible" if plan.reproducible else "not-reproducible",
        ],
        "description": (
            f"Gold call {plan.call} of the imported gold_calls.jsonl ({dialogue.key}); "
            f"{len(plan.prior)} earlier call(s) of the dialogue are replayed into the world."
            + (
                ""
                if plan.reproducible
                else f" Not reproducible: {call.get('note') or 'see the data'}."
            )
        ),
        "checks": checks,
        "instruction": _instruction(plan, dialogue, specs),
    }


def _thin_module(doc: str, import_line: str, factory: str) -> str:
    return (
        f'"""{doc}\n\nGenerated by `apibench import-apibank`: every scenario names its function '
        'here, resolved by name\n(``l1_get_user_token_0`` is scenario ``l1-get-user-token-0``)."""'
        "\n\nfrom pathlib import Path\n\n"
        f"{import_line}\n\n__getattr__ = {factory}(Path(__file__).resolve().parent)\n"
    )


def _write_family(
    target: Path,
    plans: Sequence[Plan],
    gold: Sequence[Mapping[str, Any]],
    dialogues: Mapping[str, Dialogue],
    specs: Mapping[str, Any],
) -> None:
    staging = target.with_name(f".{target.name}.importing")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for plan in plans:
        data = _scenario(plan, gold[plan.call], dialogues[plan.dialogue], specs)
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        (staging / f"{plan.name}.yaml").write_text(text, encoding="utf-8")
    index = {
        p.name: {
            "call": p.call,
            "prior": list(p.prior),
            "reply": p.reply,
            "level": p.level,
            "reproducible": p.reproducible,
        }
        for p in plans
    }
    (staging / EPISODES_FILE).write_text(
        json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    for filename, (doc, import_line, factory) in _THIN.items():
        (staging / filename).write_text(_thin_module(doc, import_line, factory), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)


def import_apibank(release: Path, home: Path) -> ImportSummary:
    """Import the released api-bank folder ``release`` into the apibench home ``home``
    (re-importing replaces what an earlier import wrote)."""
    release = release.expanduser().resolve()
    if not (release / "init_database").is_dir():
        raise FileNotFoundError(
            f"{release} has no init_database/: give the api-bank folder of API-Bank's release "
            "(DAMO-ConvAI/api-bank), the one holding init_database/ and lv1-lv2-samples/"
        )
    dialogues = load_dialogues(release)
    entries, catalog_source = load_catalog(release)
    derived = release.parent / "derived" / "gold_calls.jsonl"
    if derived.is_file():
        with derived.open(encoding="utf-8") as lines:
            gold = [json.loads(line) for line in lines if line.strip()]
        gold_source = str(derived)
    else:
        gold = derive_gold_calls(dialogues)
        gold_source = f"the dialogues in {release} (no replay flags)"
    plans = plan_scenarios(gold, dialogues)

    data = home / "api-bank"
    databases = data / "init_database"
    shutil.rmtree(databases, ignore_errors=True)
    databases.mkdir(parents=True)
    copied = 0
    for path in sorted((release / "init_database").glob("*.json")):
        shutil.copyfile(path, databases / path.name)
        copied += 1
    (data / "catalog.json").write_text(
        json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (data / "gold_calls.jsonl").write_text(
        "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8"
    )
    # Level-1/2 specs describe the dialogues (level 3's own APIs are found by searching).
    specs = {e["name"]: e for e in entries if not str(e.get("suite", "")).startswith("level-3")}
    family_dir = home / "scenarios" / FAMILY
    _write_family(family_dir, plans, gold, dialogues, specs)
    return ImportSummary(
        home=home,
        family_dir=family_dir,
        databases=copied,
        apis=len(entries),
        catalog_source=catalog_source,
        gold_source=gold_source,
        scenarios=dict(sorted(Counter(p.level for p in plans).items())),
        reproducible=dict(sorted(Counter(p.level for p in plans if p.reproducible).items())),
    )

"""Every API-Bank gold call replayed through the HTTP service, dialogue by dialogue.

Each dialogue (level 1/2: a source file; level 3: a sample) starts from a fresh seeded world
of its level and posts its gold calls in order (``POST /apis/{name}`` with the parameters as
the data writes them), as the flags' ``replay_sequential_*`` runs did upstream. Every call
upstream reproduced (``replay_sequential_exact``) must give the gold result exactly; so must
ToolSearcher (with the ONNX backend, where the offline reproduction matched) and the
web-backed Dictionary and Translate (answered offline). Counts per level are printed.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from mockapis.apibank import base, home, search
from tests.mockapis.apibank.conftest import ApiBankClient


def _dialogues() -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for gold in home.gold_calls():
        key = (gold["level"], gold.get("source_file"), gold.get("sample_id"))
        groups.setdefault(key, []).append(gold)
    return groups


def _expected_to_match(gold: dict[str, Any]) -> bool:
    if gold["replay_sequential_exact"]:
        return True
    if gold["api_name"] == "ToolSearcher":
        repro = gold.get("toolsearcher_onnx_repro") or {}
        onnx = repro.get("onnx_best_match_2023_04_descs") or repro.get(
            "onnx_best_match_split_keywords"
        )
        return search.BACKEND == "onnx" and onnx == repro.get("gold_best_match")
    return gold["replay_sequential_exact"] is None and gold["api_name"] in (
        "Dictionary",
        "Translate",
    )


def test_every_reproducible_gold_call_replays_exactly(imported: Path) -> None:
    counts: Counter[tuple[str, str]] = Counter()
    mismatches = []
    for (level, _source, _sample), golds in _dialogues().items():
        client = ApiBankClient(int(level[-1]))
        for gold in golds:
            reply = client.api(gold["api_name"], gold["param_dict_raw"])
            got, want = reply.json, gold["gold_result"]
            same = all(got[f] == want[f] for f in ("input", "output", "exception"))
            assert reply.status == (200 if got["exception"] is None else 400)
            counts[(level, "total")] += 1
            if _expected_to_match(gold):
                counts[(level, "expected")] += 1
                counts[(level, "matched")] += same
                if not same:
                    mismatches.append((level, gold["api_name"], gold["param_dict_raw"], got))
            api = base.registry(int(level[-1]))[gold["api_name"]]
            counts[(level, "check")] += base.check_result(
                api, got, {"api_name": gold["api_name"], **want}
            )
    for level in ("level-1", "level-2", "level-3"):
        print(
            f"{level}: {counts[(level, 'matched')]}/{counts[(level, 'expected')]} expected "
            f"reproductions, {counts[(level, 'check')]}/{counts[(level, 'total')]} pass the check"
        )
    assert not mismatches, json.dumps(mismatches[:5], default=str)[:3000]
    assert counts[("level-1", "total")] == 389
    assert counts[("level-2", "total")] == 119
    assert counts[("level-3", "total")] == 245
    # level 1: 348 reproducible upstream + 5 Dictionary + 4 Translate answered offline
    assert counts[("level-1", "matched")] == 357
    # level 2: 73 reproducible + 45 ToolSearcher with ONNX
    assert counts[("level-2", "matched")] == 73 + (45 if search.BACKEND == "onnx" else 0)
    # level 3: 131 reproducible + 109 ToolSearcher with ONNX
    assert counts[("level-3", "matched")] == 131 + (109 if search.BACKEND == "onnx" else 0)

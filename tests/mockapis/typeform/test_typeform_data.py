"""The seeded account: determinism, sizes, indexes that agree with the rows, busy forms."""

from __future__ import annotations

from collections import Counter

import pytest

from mockapis.typeform import SERVICE
from mockapis.typeform.data import FORMS, RESPONSES, WORKSPACES, iso
from mockapis.world import World
from tests.inprocess import seeded_world

SEEDS = [0, 9, 1_618_033_988]


def _seeded(seed: int, sizes: dict[str, int] | None = None) -> World:
    return seeded_world(SERVICE, seed, sizes)


def test_same_seed_same_world_different_seed_different_world() -> None:
    assert _seeded(3).state_hash() == _seeded(3).state_hash() != _seeded(4).state_hash()


def test_sizes() -> None:
    world = _seeded(2, {"workspaces": 5, "forms": 6, "responses": 300})
    assert len(world.table(WORKSPACES)) == 5 and len(world.table(FORMS)) == 6
    assert len(world.table(RESPONSES)) == 300
    empty = _seeded(2, {"workspaces": 0, "forms": 0, "responses": 0})
    assert not empty.table(FORMS) and not empty.table(RESPONSES)
    with pytest.raises(ValueError, match="responses"):
        _seeded(1, {"answers": 3})


@pytest.mark.parametrize("seed", SEEDS)
def test_indexes_agree_with_the_rows(seed: int) -> None:
    world = _seeded(seed)
    forms = world.index(FORMS)
    responses = world.index(RESPONSES)
    assert list(forms) == list(world.table(FORMS))
    assert list(responses) == list(world.table(RESPONSES))
    per_form = Counter(r["form_id"] for r in world.table(RESPONSES).values())
    for key, form in world.table(FORMS).items():
        entry = forms[key]
        assert (entry.id, entry.title, entry.workspace_id) == (
            form["id"],
            form["title"],
            form["workspace_id"],
        )
        assert form["created_at"] == iso(entry.created)
        assert entry.responses == per_form[key]
        first = form["fields"][0]
        assert first["type"] == "multiple_choice"
        assert not first["properties"]["allow_multiple_selection"]
        assert entry.first_choices == len(first["properties"]["choices"])
    for key, row in world.table(RESPONSES).items():
        entry, item = responses[key], row["item"]
        assert (entry.token, entry.form_id) == (item["token"], row["form_id"])
        assert item["submitted_at"] == iso(entry.submitted)
        fields = world.table(FORMS)[row["form_id"]]["fields"]
        answer = item["answers"][0]
        assert answer["field"]["id"] == fields[0]["id"]
        choice = fields[0]["properties"]["choices"][entry.choice]
        assert answer["choice"] == {k: choice[k] for k in ("id", "label", "ref")}


@pytest.mark.parametrize("seed", SEEDS)
def test_busy_and_medium_forms_and_an_empty_workspace(seed: int) -> None:
    world = _seeded(seed)
    counts = Counter(r["form_id"] for r in world.table(RESPONSES).values())
    assert counts.most_common(1)[0][1] > 1000
    assert any(25 < n <= 1000 for n in counts.values())
    holding = Counter(f["workspace_id"] for f in world.table(FORMS).values())
    assert any(holding[w] == 0 for w in world.table(WORKSPACES))
    tokens = [r["item"]["token"] for r in world.table(RESPONSES).values()]
    assert len(set(tokens)) == len(tokens) and all(len(t) == 32 for t in tokens)
    for form_id in counts:
        stamps = [
            r["item"]["submitted_at"]
            for r in world.table(RESPONSES).values()
            if r["form_id"] == form_id
        ]
        created = world.table(FORMS)[form_id]["created_at"]
        assert len(set(stamps)) == len(stamps) and min(stamps) > created
        assert max(stamps) < world.clock.isoformat()

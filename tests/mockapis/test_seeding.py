"""Seeded draws and value pools: stable, per-row, equal to what the standard library draws."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from mockapis import pools, seeding

REPO = Path(__file__).resolve().parents[2]


def test_row_draws_are_per_row_and_do_not_depend_on_the_table_size():
    small = seeding.RowDraws(10, 4, 7, "svc", "t")
    large = seeding.RowDraws(500, 4, 7, "svc", "t")
    for col in range(4):
        assert large.words(col)[:10] == small.words(col)  # row i: the seed and i alone
    assert seeding.RowDraws(10, 4, 8, "svc", "t").words(0) != small.words(0)
    assert seeding.RowDraws(10, 4, 7, "svc", "u").words(0) != small.words(0)


def test_row_draws_map_columns_into_their_ranges():
    draws = seeding.RowDraws(2000, 8, 1, "svc", "t")
    assert set(draws.below(0, 3)) == {0, 1, 2}
    assert set(draws.ints(1, -1, 1)) == {-1, 0, 1}
    floats = draws.floats(2)
    assert all(0.0 <= f < 1.0 for f in floats) and 0.45 < sum(floats) / len(floats) < 0.55
    assert 0.25 < sum(draws.chance(3, 0.3)) / 2000 < 0.35
    assert set(draws.pick(4, "abc")) == set("abc")
    wide = draws.spans(5, 10**15, 10**17)
    assert all(10**15 <= v < 10**17 for v in wide)
    picked = draws.weighted(6, ["rare", "common"], [1, 10])
    assert 0.85 < picked.count("common") / 2000 < 0.97
    assert sorted(draws.sample(5, range(10), 3, row=0)) == sorted(
        set(draws.sample(5, range(10), 3, row=0))
    )


def test_uuids_are_the_uuid_modules_version_4_form_of_the_drawn_bits():
    draws = seeding.RowDraws(300, 2, 3, "svc", "t")
    high, low = draws.words(0), draws.words(1)
    expected = [
        str(uuid.UUID(int=h << 64 | lo, version=4)) for h, lo in zip(high, low, strict=True)
    ]
    assert draws.uuids(0) == expected
    rng = random.Random(5)
    made = seeding.uuid4(rng)
    assert made == str(uuid.UUID(int=random.Random(5).getrandbits(128), version=4))


def test_draws_are_the_same_in_another_process():
    script = (
        "from mockapis import seeding; d = seeding.RowDraws(5, 3, 11, 's', 't');"
        "print(d.words(0), d.uuids(1), d.floats(2))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "77"}
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=REPO,
    ).stdout.strip()
    d = seeding.RowDraws(5, 3, 11, "s", "t")
    assert out == f"{d.words(0)} {d.uuids(1)} {d.floats(2)}"


def test_lorem_text_follows_fakers_shape():
    rng = random.Random(2)
    sentence = seeding.sentence(rng, 6)
    assert sentence[0].isupper() and sentence.endswith(".")
    assert 3 <= len(sentence.split()) <= 9  # 60-140% of 6, as Faker varies it
    words = set(pools.pool("lorem_word"))
    assert all(w.strip(".").lower() in words for w in seeding.paragraph(rng, 3).split())
    assert len(seeding.hex_id(rng, 24)) == 24


def test_an_unknown_pool_names_the_known_ones():
    with pytest.raises(KeyError, match="first_name"):
        pools.pool("first_names")


def test_the_shipped_pools_are_what_the_pinned_faker_makes():
    assert pools.main(["--check"]) == 0, "run python -m mockapis.pools after changing a pool"

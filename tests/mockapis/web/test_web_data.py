"""The seeded site: the filings' index agrees with the rendered rows; PDFs are stable."""

from __future__ import annotations

import pytest

from mockapis.web import SERVICE
from mockapis.web.data import COMPANIES, FILINGS, LETTER_FORM, company_filings, filings_of
from mockapis.world import World
from tests.mockapis.web.conftest import EPOCH_NS


def _world(seed: int) -> World:
    world = World(seed, epoch_ns=EPOCH_NS)
    SERVICE.seed(world, dict(SERVICE.default_sizes))
    world.commit()
    return world


@pytest.mark.parametrize("seed", [0, 3, 2**31 - 11])
def test_index_agrees_with_rows(seed: int) -> None:
    world = _world(seed)
    filings = world.table(FILINGS)
    index = world.index(FILINGS)
    assert list(index) == list(filings)
    for accession, entry in index.items():
        row = filings[accession]
        facts = {k: v for k, v in entry._asdict().items() if k != "subject"}
        assert {k: row[k] for k in facts} == {
            **facts,
            "documents": list(entry.documents),
            "figures": dict(entry.figures),
        }
        if entry.form == LETTER_FORM:
            assert row["letter"]["subject"] == entry.subject and "sections" not in row
        else:
            assert row["sections"] and entry.subject is None and "letter" not in row
    for cik in world.table(COMPANIES):
        assert [f.accession for f in filings_of(world, cik)] == [
            f["accession"] for f in company_filings(world, cik)
        ]


def test_rows_are_the_same_whenever_rendered() -> None:
    a, b = _world(21), _world(21)
    keys = list(a.table(FILINGS))
    assert [a.table(FILINGS)[k] for k in keys] == [b.table(FILINGS)[k] for k in reversed(keys)][
        ::-1
    ]
    assert a.state_hash() == b.state_hash()

"""The seeded books: indexes agree with the rendered rows; sequences continue the seeded ones."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from mockapis.ledgerly import SERVICE, books, keys
from mockapis.ledgerly.data import CONTACTS, COUNTRIES
from mockapis.world import World

SEEDS = (0, 7, 2**31 - 5)


def _world(seed: int) -> World:
    world = World(seed)
    SERVICE.seed(world, dict(SERVICE.default_sizes))
    world.commit()
    return world


@pytest.mark.parametrize("seed", SEEDS)
def test_indexes_agree_with_rows(seed: int) -> None:
    world = _world(seed)
    contacts = world.table(CONTACTS)
    index = world.index(CONTACTS)
    assert list(index) == list(contacts)
    for contact_id, entry in index.items():
        row = contacts[contact_id]
        assert (row["contact_id"], row["name"], row["type"], row["country"]) == tuple(entry)
    today = world.clock.datetime().date()
    invoices = world.table(books.INVOICES)
    payments = world.table(books.PAYMENTS)
    found = world.index(books.INVOICES)
    assert list(found) == list(invoices)
    assert sorted(p for i in found.values() for p in i.payment_ids) == sorted(payments)
    for invoice_id, entry in found.items():
        row = invoices[invoice_id]
        assert row["number"] == entry.number and row["contact_id"] == entry.contact_id
        assert row["contact_name"] == contacts[entry.contact_id]["name"]
        assert row["date"] == (today - dt.timedelta(days=entry.days_ago)).isoformat()
        due = today - dt.timedelta(days=entry.days_ago - entry.terms_days)
        assert row["due_date"] == due.isoformat() and row["status"] == entry.status
        assert contacts[entry.contact_id]["type"] != "supplier"
        paid = [payments[p] for p in entry.payment_ids]
        assert all(p["invoice_id"] == invoice_id for p in paid)
    # The columns truths read agree with the entries (and so with the rows).
    for k, invoice_id in enumerate(found.ids):
        assert found.number(k) == found[invoice_id].number
        assert found.paid[k] == (found[invoice_id].status == "paid")


@pytest.mark.parametrize("seed", SEEDS)
def test_distributions(seed: int) -> None:
    world = _world(seed)
    index = world.index(CONTACTS).values()
    countries = Counter(c.country for c in index)
    assert set(countries) == {code for code, _ in COUNTRIES}
    assert Counter(c.type for c in index).keys() == {"customer", "supplier", "both"}
    statuses = Counter(i.status for i in world.index(books.INVOICES).values())
    assert statuses["open"] > 10 and statuses["paid"] > 100
    parts = Counter(len(i.payment_ids) for i in world.index(books.INVOICES).values())
    assert parts[0] and parts[1] and parts[2]  # unpaid, paid at once, paid in two parts
    partly = [
        i for i in world.index(books.INVOICES).values() if i.status == "open" and i.payment_ids
    ]
    assert partly  # open invoices with a first part paid


def test_new_numbers_follow_the_seeded_ones() -> None:
    world = _world(3)
    world.begin()
    n_payments = len(world.table(books.PAYMENTS))
    assert books.next_number(world, "payment") == n_payments + 1
    assert books.next_number(world, "payment") == n_payments + 2
    first = books.next_number(world, "entry", 3)
    assert first == len(world.table(books.ENTRIES)) + 1
    assert books.next_number(world, "entry") == first + 3
    world.rollback()
    assert books.SEQUENCE not in world.table_names or not world.table(books.SEQUENCE)


def test_seeded_worlds_are_stable() -> None:
    a, b = _world(11), _world(11)
    assert a.state_hash() == b.state_hash()
    assert a.table(books.ENTRIES)["40001"] == b.table(books.ENTRIES)["40001"]


def test_key_pool_is_what_the_generator_makes() -> None:
    # Regenerating the whole pool takes ~10 s: the first pair stands for the rest.
    assert keys.pooled_key_pair(0) == keys.rsa_key_pair(keys.pool_seed(0))
    assert len({keys.pooled_key_pair(i) for i in range(keys.POOL_SIZE)}) == keys.POOL_SIZE

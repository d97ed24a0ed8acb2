"""The virtual clock: fixed epoch, request ticks, explicit waits, formatting."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockapis.clock import NS_PER_SECOND, REQUEST_TICK_NS, VirtualClock, format_rfc3339_ns
from mockapis.world import World

EPOCH_NS = 1_700_000_000 * NS_PER_SECOND  # 2023-11-14T22:13:20Z


def test_clock_starts_at_its_epoch_and_never_reads_the_wall_clock() -> None:
    clock = VirtualClock(EPOCH_NS)
    assert clock.now_ns == EPOCH_NS
    assert clock.now == 1_700_000_000.0
    assert clock.now_ns == EPOCH_NS  # reading it does not move it


def test_tick_advances_by_one_request_tick() -> None:
    clock = VirtualClock(EPOCH_NS)
    clock.tick()
    clock.tick()
    assert clock.now_ns == EPOCH_NS + 2 * REQUEST_TICK_NS
    assert REQUEST_TICK_NS == 50_000_000


@pytest.mark.parametrize(
    ("seconds", "delta_ns"), [(0, 0), (1.5, 1_500_000_000), (1e-9, 1), (3600, 3600 * NS_PER_SECOND)]
)
def test_advance_moves_by_whole_nanoseconds(seconds: float, delta_ns: int) -> None:
    clock = VirtualClock(EPOCH_NS)
    clock.advance(seconds)
    assert clock.now_ns == EPOCH_NS + delta_ns


def test_advance_refuses_to_go_back_and_says_so() -> None:
    clock = VirtualClock(EPOCH_NS)
    with pytest.raises(ValueError, match="cannot go back: got -1 seconds"):
        clock.advance(-1)
    assert clock.now_ns == EPOCH_NS


def test_isoformat_has_nanoseconds_and_z() -> None:
    clock = VirtualClock(EPOCH_NS)
    assert clock.isoformat() == "2023-11-14T22:13:20.000000000Z"
    clock.tick()
    assert clock.isoformat() == "2023-11-14T22:13:20.050000000Z"
    assert format_rfc3339_ns(1) == "1970-01-01T00:00:00.000000001Z"


def test_datetime_is_aware_utc() -> None:
    clock = VirtualClock(EPOCH_NS + 123_456_789)
    assert clock.datetime() == dt.datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=dt.UTC)


@given(st.integers(min_value=0, max_value=4_102_444_800 * NS_PER_SECOND))  # up to 2100
def test_datetime_and_isoformat_agree_to_the_microsecond(ns: int) -> None:
    clock = VirtualClock(ns)
    exact = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=ns // 1000)
    assert clock.datetime() == exact
    assert clock.isoformat().startswith(exact.strftime("%Y-%m-%dT%H:%M:%S.%f"))


def test_world_clock_starts_at_the_world_epoch_and_seeds_do_not_move_it() -> None:
    assert World(seed=1).clock.now_ns == World(seed=2).clock.now_ns == EPOCH_NS
    assert World(epoch_ns=NS_PER_SECOND).clock.now == 1.0

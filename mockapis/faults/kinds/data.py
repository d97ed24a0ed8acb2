"""Faults in what the data looks like to the client: stale reads after writes, rows inserted or
deleted between pages by a concurrent writer, and writes that commit but whose response is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mockapis.clock import NS_PER_SECOND, VirtualClock
from mockapis.faults.kinds.transport import connection_reset, read_timeout
from mockapis.faults.layer import FaultCall
from mockapis.faults.model import Kind, Param, Proceed, Reply
from mockapis.world import Snapshot, World

__all__ = ["KINDS"]

READS = frozenset({"GET", "HEAD"})


# -- stale reads -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Write:
    """A write the replicas have not caught up with: when it committed, the state before it."""

    at_ns: int
    before: Snapshot

    def __deepcopy__(self, memo: dict[int, Any]) -> _Write:
        # Immutable: world snapshots (which deep-copy ``runtime``) share it instead of
        # copying every table of it, and of the writes kept before it.
        return self


async def _stale_read(call: FaultCall, proceed: Proceed) -> Reply:
    """Reads within ``lag`` of a write see the state before the oldest such write."""
    world = call.world
    now = world.clock.now_ns
    lag_ns = round(call.params["lag"] * NS_PER_SECOND)
    writes: list[_Write] = call.state.setdefault("writes", [])
    writes[:] = [w for w in writes if now - w.at_ns < lag_ns]
    if call.method in READS:
        if not writes:
            return await proceed()
        call.inject()
        call.scope["world"] = _replica(world, writes[0].before)
        try:
            return await proceed()
        finally:
            call.scope["world"] = world
    before = world.snapshot()
    reply = await proceed()
    if 200 <= reply.status < 300 and world.diff(before):
        writes.append(_Write(world.clock.now_ns, before))
    return reply


def _replica(world: World, before: Snapshot) -> World:
    """A scratch world in the state ``before``, at the current time (reads only)."""
    replica = World(world.seed, clock=VirtualClock(world.clock.now_ns))
    replica.restore(before)
    replica.share(world)  # lazy tables: read what the episode built, never build it again
    replica.clock.now_ns = world.clock.now_ns
    return replica


def _check_lag(params: Mapping[str, Any]) -> tuple[str, str] | None:
    lag = params["lag"]
    if not lag > 0:
        return "lag", f"must be a number of seconds > 0; got {lag!r}"
    return None


# -- pagination drift ------------------------------------------------------------------------


async def _pagination_drift(call: FaultCall, proceed: Proceed) -> Reply:
    """Before the request (outside its transaction): delete and insert rows of ``table``."""
    p = call.params
    service_name, _, _ = p["table"].partition(".")
    if service_name == call.service.name:
        table = call.world.table(p["table"])
        rng = call.rng
        doomed = rng.sample(sorted(table), min(p["deletes"], len(table)))
        for key in doomed:
            table.delete(key)
        inserted = 0
        clone = call.service.clone
        for _ in range(p["inserts"] if clone is not None else 0):
            made = clone(call.world, p["table"], rng)
            if made is None:
                break
            table.put(*made)
            inserted += 1
        if doomed or inserted:
            call.inject()
    return await proceed()


def _check_table(params: Mapping[str, Any]) -> tuple[str, str] | None:
    service, _, name = params["table"].partition(".")
    if not service or not name:
        return "table", f"a table name <service>.<table> (attio.people); got {params['table']!r}"
    return None


# -- commit then drop ------------------------------------------------------------------------


async def _commit_then_drop(call: FaultCall, proceed: Proceed) -> Reply:
    """The service runs and commits; then the client gets no response.

    The client errors are those of the ``read_timeout`` and ``connection_reset`` kinds (what
    httpx raises), so a client cannot tell a lost response from a request never served.
    """
    reply = await proceed()
    if reply.status >= 400:
        return reply
    call.inject()
    if call.params["error"] == "connection_reset":
        raise connection_reset()
    raise read_timeout(call, float(call.params["timeout"]))


_MAX_ROWS = 1000

KINDS = (
    Kind(
        "stale_read",
        "Replica lag: after a successful write matching the rule (a non-GET/HEAD request "
        "answered 2xx that changed the world), GET/HEAD requests matching it within `lag` "
        "seconds see the state from before that write. Give a `where` covering both the writes "
        "and the reads. Nothing is ever written by a stale read.",
        (Param("lag", (int, float), 5.0, "seconds of virtual time a write stays invisible"),),
        _stale_read,
        check=_check_lag,
    ),
    Kind(
        "pagination_drift",
        "A concurrent writer: before the request runs, `deletes` random rows of `table` are "
        "deleted and `inserts` new realistic rows are created now (drawn from the seed); these "
        "changes stand even if the request fails. Only requests to the table's own service are "
        "affected. Typical use: `where: {path: /v2/objects/*/records/query}, when: {after: 1}`.",
        (
            Param("inserts", (int,), 1, "rows inserted", minimum=0, maximum=_MAX_ROWS),
            Param("deletes", (int,), 0, "rows deleted", minimum=0, maximum=_MAX_ROWS),
            Param("table", (str,), doc="the table, as <service>.<table> (attio.people)"),
        ),
        _pagination_drift,
        check=_check_table,
    ),
    Kind(
        "commit_then_drop",
        "The service runs and its writes commit, then the response is lost: the client sees a "
        "read timeout (after `timeout` seconds) or a connection reset. Responses >= 400 pass "
        "through. Blind retries of such a create make duplicates.",
        (
            Param(
                "error",
                (str,),
                "read_timeout",
                "read_timeout or connection_reset",
                choices=("read_timeout", "connection_reset"),
            ),
            Param(
                "timeout",
                (int, float),
                30.0,
                "read_timeout: seconds the client waits",
                minimum=0,
                maximum=86_400,
            ),
        ),
        _commit_then_drop,
        transport=True,
    ),
)

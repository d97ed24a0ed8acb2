"""Latency on the virtual clock (fixed, uniform or lognormal)."""

from __future__ import annotations

import asyncio
import math

from mockapis.clock import WallClock
from mockapis.faults.layer import FaultCall
from mockapis.faults.model import Kind, Param, Proceed, Reply

__all__ = ["KINDS", "delay_of"]


def delay_of(call: FaultCall) -> float:
    """This hit's delay in seconds, drawn from the hit's own RNG."""
    p = call.params
    if p["distribution"] == "fixed":
        return float(p["seconds"])
    if p["distribution"] == "uniform":
        return call.rng.uniform(p["low"], p["high"])
    # lognormal: median ``seconds``, spread ``sigma``
    return float(p["seconds"]) * math.exp(call.rng.gauss(0.0, p["sigma"]))


async def _latency(call: FaultCall, proceed: Proceed) -> Reply:
    seconds = delay_of(call)
    call.inject()
    if isinstance(call.world.clock, WallClock):
        await asyncio.sleep(seconds)  # server mode: the client waits for real
    else:
        call.world.clock.advance(seconds)
    return await proceed()


KINDS = (
    Kind(
        "latency",
        "Delay the response: the virtual clock moves on (server mode: real time passes).",
        (
            Param(
                "distribution",
                (str,),
                "fixed",
                "fixed, uniform or lognormal",
                choices=("fixed", "uniform", "lognormal"),
            ),
            Param("seconds", (int, float), 1.0, "fixed delay, or the lognormal median", minimum=0),
            Param("low", (int, float), 0.0, "uniform: lowest delay", minimum=0),
            Param("high", (int, float), 2.0, "uniform: highest delay", minimum=0),
            Param("sigma", (int, float), 0.5, "lognormal: spread", minimum=0),
        ),
        _latency,
        delays_only=True,
    ),
)

"""Served mode at wire speed: a kept-alive single-record GET over real sockets, against a bare
Starlette app under plain ``uvicorn.run`` measured the same way in the same run.

Two servers, each in a process of its own: ``apibench serve --scenario attio.record-by-id``
(server mode's protocol, the gateway, the world) and :func:`floor_app` under ``uvicorn.run``
with its defaults. One load generator drives both alike from this process, so it shares a
GIL with neither: wrk when it is installed, else :func:`raw_load`, an asyncio client writing
HTTP/1.1 requests on kept-alive connections and framing the answers by ``Content-Length``.
An httpx loop (``--client httpx``) is a real client too, but on one core it tops out below
either server, and the ratio would measure httpx. The two are measured in alternating rounds,
so both meet the same machine load; each server's CPU time per request is printed too: it
does not depend on how fast the client is.

Targets: served requests per second at least 0.5x the bare app's with 8 connections, and a
median latency of at most 2 ms with one.

Run alone: ``python benchmarks/served.py [--seconds S] [--client auto|wrk|raw|httpx]``;
``make bench`` runs it too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import itertools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SCENARIO = "attio.record-by-id"
CONNECTIONS = 8
TARGET_RATIO = 0.5
TARGET_P50_MS = 2.0
STARTUP_TIMEOUT = 60.0
CLIENTS = ("auto", "wrk", "raw", "httpx")


def floor_app() -> Starlette:
    """The floor: a bare Starlette app with one JSON route."""

    async def endpoint(request: Request) -> JSONResponse:
        return JSONResponse({"id": request.path_params["item_id"], "name": "floor"})

    return Starlette(routes=[Route("/items/{item_id}", endpoint)])


@dataclass(frozen=True)
class Target:
    """A running server and the request to load it with."""

    name: str
    pid: int
    url: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Load:
    """What one load run measured."""

    requests: int
    seconds: float
    p50_s: float

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL if it has not exited within 5 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _start(stack: contextlib.ExitStack, command: list[str], log: Path) -> subprocess.Popen[bytes]:
    """``command`` running until ``stack`` closes; its stderr into ``log``."""
    with log.open("wb") as err:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
    stack.callback(_stop, process)
    return process


def _failed(process: subprocess.Popen[bytes], log: Path, what: str) -> RuntimeError:
    """The error for a server that did not come up, with the end of its stderr."""
    return RuntimeError(f"{process.args!r}: {what}\n{log.read_text()[-2000:]}")


def _ready(process: subprocess.Popen[bytes], log: Path, url: str, headers: dict[str, str]) -> None:
    """Wait until ``url`` answers 200; fail with the server's stderr if it exits or times out."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if process.poll() is not None:
            raise _failed(process, log, "exited early")
        with contextlib.suppress(httpx.TransportError):
            reply = httpx.get(url, headers=headers, timeout=2)
            if reply.status_code == 200:
                return
            raise _failed(process, log, f"{url}: {reply.status_code} {reply.text[:200]}")
        if time.monotonic() > deadline:
            raise _failed(process, log, f"not answering after {STARTUP_TIMEOUT:.0f} s")
        time.sleep(0.1)


def _free_port() -> int:
    """A loopback port free now (for a server that binds it itself, as plain uvicorn does)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def servers() -> Iterator[tuple[Target, Target]]:
    """The bare app and the served scenario, started together, stopped when the block ends."""
    with contextlib.ExitStack() as stack:
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="served-bench-")))
        port = _free_port()
        logs = home / "bare.log", home / "served.log"
        bare = _start(stack, [sys.executable, __file__, "--floor-port", str(port)], logs[0])
        info_file = home / "info.json"
        serve = [sys.executable, "-m", "gym_apibench.cli", "serve", "--scenario", SCENARIO]
        serve += ["--seed", "0", "--port", "0", "--info-file", str(info_file)]
        served = _start(stack, [*serve, "--control-file", str(home / "control.json")], logs[1])
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not info_file.exists():  # written once the server listens
            if served.poll() is not None:
                raise _failed(served, logs[1], "exited early")
            if time.monotonic() > deadline:
                raise _failed(served, logs[1], "wrote no info file in time")
            time.sleep(0.1)
        info = json.loads(info_file.read_text())
        base, record = info["services"]["attio"], info["task"]["inputs"]["record_id"]
        token = info["credentials"]["attio"]["token"]
        targets = (
            Target("bare", bare.pid, f"http://127.0.0.1:{port}/items/42", {}),
            Target(
                "served",
                served.pid,
                f"{base}/v2/objects/people/records/{record}",
                {"Authorization": f"Bearer {token}"},
            ),
        )
        for target, process, log in zip(targets, (bare, served), logs, strict=True):
            _ready(process, log, target.url, target.headers)
        yield targets


class _Keepalive(asyncio.Protocol):
    """One kept-alive connection sending the next of ``requests`` (round and round) as soon as
    each answer is whole."""

    def __init__(self, requests: list[bytes], until: float, latencies: list[float]) -> None:
        self.requests = itertools.cycle(requests)
        self.request = next(self.requests)
        self.until = until
        self.latencies = latencies
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.buffer = b""
        self.end = 0
        """Where the answer being read ends in ``buffer`` (0: its head is not whole yet)."""
        self.closing = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.sent = time.perf_counter()
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.end:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self.buffer[:head_end].lower()
            length = re.search(rb"\r\ncontent-length: *(\d+)", head)
            if not head.startswith(b"http/1.1 200 ") or length is None:
                self._fail(f"want a 200 with a Content-Length, got {head[:300]!r}")
                return
            self.end = head_end + 4 + int(length[1])
        if len(self.buffer) < self.end:
            return
        now = time.perf_counter()
        self.latencies.append(now - self.sent)
        self.buffer, self.end = self.buffer[self.end :], 0
        if now < self.until:
            self.sent = now
            self.request = next(self.requests)
            self.transport.write(self.request)
        else:
            self.closing = True
            self.transport.close()

    def _fail(self, message: str) -> None:
        if not self.done.done():
            self.done.set_exception(RuntimeError(message))
        self.closing = True
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.done.done():
            return
        if self.closing:
            self.done.set_result(None)
        else:
            self.done.set_exception(RuntimeError(f"the server closed the connection ({exc})"))


def request_bytes(url: str, headers: dict[str, str]) -> bytes:
    """A GET of ``url`` with ``headers`` as HTTP/1.1 bytes (kept alive; a ``User-Agent``, as
    every real client sends and GitHub requires)."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "User-Agent: apibench-bench"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def keepalive_load(
    host: str, port: int, requests: list[list[bytes]], seconds: float
) -> tuple[float, list[float]]:
    """One kept-alive connection to ``host:port`` per list in ``requests``, each sending its
    requests round and round for ``seconds`` (200s with a Content-Length expected): the
    elapsed seconds and every request's latency."""
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    start = time.perf_counter()
    until = start + seconds
    clients = []
    for mine in requests:
        _, client = await loop.create_connection(
            functools.partial(_Keepalive, mine, until, latencies), host, port
        )
        clients.append(client)
    # A server that stops answering fails the run instead of hanging it.
    await asyncio.wait_for(asyncio.gather(*(c.done for c in clients)), seconds + 30)
    return time.perf_counter() - start, latencies


async def raw_load(target: Target, connections: int, seconds: float) -> Load:
    """``connections`` kept-alive connections, each sending the next request on an answer."""
    url = urlsplit(target.url)
    request = request_bytes(target.url, target.headers)
    elapsed, latencies = await keepalive_load(
        url.hostname or "", url.port or 80, [[request]] * connections, seconds
    )
    return Load(len(latencies), elapsed, statistics.median(latencies))


async def httpx_load(target: Target, connections: int, seconds: float) -> Load:
    """``connections`` tasks sharing one httpx client (as many kept-alive connections)."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    latencies: list[float] = []
    async with httpx.AsyncClient(limits=limits, headers=target.headers) as client:
        start = time.perf_counter()
        until = start + seconds

        async def worker() -> None:
            while (sent := time.perf_counter()) < until:
                (await client.get(target.url)).raise_for_status()
                latencies.append(time.perf_counter() - sent)

        await asyncio.gather(*(worker() for _ in range(connections)))
    return Load(len(latencies), time.perf_counter() - start, statistics.median(latencies))


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


def wrk_load(target: Target, connections: int, seconds: float) -> Load:
    """wrk with one thread (the other core is the server's)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    for name, value in target.headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, target.url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk met errors on {target.url}:\n{out}")
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    if done is None or p50 is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    elapsed = float(done[2]) * _UNITS[done[3]]
    return Load(int(done[1]), elapsed, float(p50[1]) * _UNITS[p50[2]])


def load(client: str, target: Target, connections: int, seconds: float) -> Load:
    """One load run of ``seconds`` against ``target`` with ``client`` (wrk, raw or httpx)."""
    if client == "wrk":
        return wrk_load(target, connections, seconds)
    generate = raw_load if client == "raw" else httpx_load
    return asyncio.run(generate(target, connections, seconds))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far (Linux; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(seconds: float = 1.5, rounds: int = 3, client: str = "auto") -> dict[str, float]:
    """Measure and print; the figures as a dict."""
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "raw"
    with servers() as (bare, served):
        for target in (bare, served):  # warm-up: connections, caches, the first requests
            load(client, target, CONNECTIONS, min(seconds, 0.5))
        rates: dict[str, list[float]] = {"bare": [], "served": []}
        cpu = {"bare": 0.0, "served": 0.0}
        count = {"bare": 0, "served": 0}
        for _ in range(rounds):  # alternating, so both meet the same machine load
            for target in (bare, served):
                before = cpu_seconds(target.pid)
                result = load(client, target, CONNECTIONS, seconds)
                cpu[target.name] += cpu_seconds(target.pid) - before
                count[target.name] += result.requests
                rates[target.name].append(result.rate)
        single = {t.name: load(client, t, 1, seconds).p50_s for t in (bare, served)}
    ratio = statistics.median(s / b for s, b in zip(rates["served"], rates["bare"], strict=True))
    figures = {
        "bare_rps": statistics.median(rates["bare"]),
        "served_rps": statistics.median(rates["served"]),
        "ratio": ratio,
        "bare_p50_ms": single["bare"] * 1e3,
        "served_p50_ms": single["served"] * 1e3,
        "bare_cpu_us": cpu["bare"] / count["bare"] * 1e6,
        "served_cpu_us": cpu["served"] / count["served"] * 1e6,
    }
    generator = {
        "wrk": "wrk, 1 thread",
        "raw": "asyncio HTTP/1.1 keep-alive client",
        "httpx": "httpx AsyncClient",
    }[client]
    print(
        f"served keep-alive GET ({SCENARIO}, {CONNECTIONS} connections; load: {generator}, in "
        f"its own process, the same for both): served {figures['served_rps']:,.0f} req/s, "
        f"bare Starlette app under plain uvicorn {figures['bare_rps']:,.0f} req/s: "
        f"{ratio:.2f}x (target >= {TARGET_RATIO}x)"
    )
    print(
        f"served p50 at 1 connection: {figures['served_p50_ms']:.2f} ms (bare "
        f"{figures['bare_p50_ms']:.2f} ms; target <= {TARGET_P50_MS:g} ms); server CPU per "
        f"request: served {figures['served_cpu_us']:.0f} µs, bare {figures['bare_cpu_us']:.0f} µs"
    )
    return figures


def main() -> None:
    """Command line: seconds per load run, rounds, the load generator."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.5, help="length of each load run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of 8 conns")
    parser.add_argument("--client", choices=CLIENTS, default="auto", help="load generator")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--floor-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor_port is not None:  # the bare app's process (see servers())
        import uvicorn

        uvicorn.run(floor_app(), host="127.0.0.1", port=args.floor_port, log_level="warning")
        return
    figures = run(args.seconds, args.rounds, args.client)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()

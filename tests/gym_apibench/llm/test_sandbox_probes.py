"""A model's program tries what a hostile one would; in the sandbox every probe fails.

Each probe is a program given to the code agent by the scripted model endpoint. It reports
what it managed as its JSON answer (or is watched from the host: files, listeners, live
processes). The same cheating program that scores 1 unisolated (``sandbox=none``: the test
could fail) scores 0 in the sandbox.
"""

from __future__ import annotations

import json
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llm_mock_endpoint import Endpoint, code_reply, first_answer, play
from sandboxing import needs_sandbox, survivors

import gym_apibench
from gym_apibench.llm import CodeAgent
from gym_apibench.llm.code_agent import SandboxUnavailable
from gym_apibench.llm.isolation import PYTHON_LIBRARIES

pytestmark = needs_sandbox

PROJECT = Path(gym_apibench.__file__).resolve().parents[1]
SCENARIO = "brewery.count-in-state"
node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def sandboxed(endpoint: Endpoint, program: str, **options: Any) -> CodeAgent:
    endpoint.policy = lambda payload: code_reply(program)
    return CodeAgent({"model": "m", "base_url": endpoint.url, **options})


def probe(endpoint: Endpoint, program: str, **options: Any) -> Any:
    """The JSON answer of ``program`` run in the sandbox (``None``: it gave none)."""
    return first_answer(sandboxed(endpoint, program, **options), SCENARIO)


@pytest.fixture
def listener() -> Iterator[tuple[int, list[socket.socket]]]:
    """A host loopback port that records every connection made to it."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1], accepted
    server.close()


CHEAT = """
import json, sys
sys.path[:0] = [PATHS]
from gym_apibench.episode import Episode
print(json.dumps(Episode("SCENARIO", SEED).built.expected["count"]))
"""


def cheat(seed: int) -> str:
    paths = [str(PROJECT), *(p for p in sys.path if p.endswith("site-packages"))]
    program = CHEAT.replace("PATHS", ", ".join(map(repr, paths)))
    return program.replace("SCENARIO", SCENARIO).replace("SEED", str(seed))


@pytest.mark.parametrize("seed", [2, 5])
def test_the_cheating_program_scores_0_in_the_sandbox(endpoint: Endpoint, seed: int) -> None:
    unisolated, _ = play(sandboxed(endpoint, cheat(seed), sandbox="none"), SCENARIO, seed)
    assert unisolated["success"] is True  # what the sandbox is for
    code = sandboxed(endpoint, cheat(seed))
    info, steps = play(code, SCENARIO, seed)
    assert steps == 1 and info["success"] is False  # submitted null: no answer
    (attempt,) = code.episode_stats()["attempts"]
    assert attempt["outcome"] == "crash"
    assert "No module named 'gym_apibench'" in attempt["error"]
    assert code.episode_stats()["sandbox"] == "bubblewrap"


FILES = """
import json, os, sys
found = {}
def attempt(name, action):
    try:
        action()
        found[name] = True
    except Exception as exc:
        found[name] = type(exc).__name__
for module in ("gym_apibench", "mockapis", "scenarios", "yaml", "starlette"):
    attempt("import " + module, lambda: __import__(module))
for path in READS:
    attempt("read " + path, lambda: open(path, "rb").read(1))
for path in WRITES:
    attempt("write " + path, lambda: open(path, "w").write("x"))
attempt("write scratch", lambda: open("/tmp/SCRATCH", "w").write("x"))
attempt("import requests", lambda: __import__("requests"))
attempt("import httpx", lambda: __import__("httpx"))
status = open("/proc/self/status").read()
found["uid"] = os.getuid()
found["caps"] = [l.split()[1] for l in status.splitlines() if l.startswith("CapEff")][0]
found["no_new_privs"] = [l.split()[1] for l in status.splitlines() if l.startswith("NoNewPrivs")][0]
found["processes"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
print(json.dumps(found))
"""


def test_the_program_reads_and_writes_nothing_of_the_host(endpoint: Endpoint) -> None:
    scratch = f"apibench-probe-{uuid.uuid4().hex}"
    home = Path.home()
    reads = [
        "/etc/passwd",
        "/etc/hostname",
        str(PROJECT / "scenarios" / "attio" / "truth.py"),
        str(PROJECT / "gym_apibench" / "__init__.py"),
        str(Path(sys.prefix) / "pyvenv.cfg"),
        str(home / ".bashrc"),
        *(str(path) for path in Path(gym_apibench.__file__).parents[1].glob("*.toml")),
    ]
    writes = ["/usr/probe", "/sandbox/probe", "/opt/apibench/probe", "/probe", str(PROJECT / "p")]
    program = FILES.replace("READS", repr(reads)).replace("WRITES", repr(writes))
    found = probe(endpoint, program.replace("SCRATCH", scratch))
    assert found is not None, "the probe gave no answer"
    for module in ("gym_apibench", "mockapis", "scenarios", "yaml", "starlette"):
        assert found[f"import {module}"] == "ModuleNotFoundError", module
    for path in reads:
        assert found[f"read {path}"] in ("FileNotFoundError", "PermissionError"), path
    for path in writes:
        assert found[f"write {path}"] in ("OSError", "FileNotFoundError", "PermissionError"), path
    assert not (PROJECT / "p").exists()
    # scratch is the sandbox's own: writable inside, gone with it, never the host's /tmp
    assert found["write scratch"] is True
    assert not (Path(tempfile.gettempdir()) / scratch).exists()
    # the documented libraries are there
    assert found["import requests"] is True and found["import httpx"] is True
    assert {"requests", "httpx"} <= set(PYTHON_LIBRARIES)
    # no privileges; its own PID namespace (the sandbox's init, the relay's carrier, itself)
    assert found["uid"] == 65534 and int(found["caps"], 16) == 0 and found["no_new_privs"] == "1"
    assert max(found["processes"]) < 10


NETWORK = """
import json, socket
found = {}
targets = {
    "relay host port": ("127.0.0.1", RELAY),
    "other port": ("127.0.0.1", OTHER),
    "ipv6 loopback": ("::1", OTHER),
    "internet": ("1.1.1.1", 80),
}
for name, address in targets.items():
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    s = socket.socket(family)
    s.settimeout(3)
    try:
        s.connect(address)
        found[name] = True
    except OSError as exc:
        found[name] = type(exc).__name__
    s.close()
print(json.dumps(found))
"""


def test_the_program_reaches_nothing_but_the_relay(
    endpoint: Endpoint, listener: tuple[int, list[socket.socket]]
) -> None:
    port, accepted = listener
    code = sandboxed(endpoint, NETWORK.replace("OTHER", str(port)))
    # the relay port is reachable (the relay itself): the program's one way out
    found = first_answer(_with_relay_port(code), SCENARIO)
    assert found["relay host port"] is True
    assert found["other port"] in ("ConnectionRefusedError", "OSError")
    assert found["ipv6 loopback"] in ("ConnectionRefusedError", "OSError")
    assert found["internet"] in ("OSError", "TimeoutError")  # unreachable network
    assert accepted == []


def _with_relay_port(code: CodeAgent) -> CodeAgent:
    """``code`` whose program learns the relay's port (put in place of ``RELAY`` at start)."""
    original = code.client.complete

    def complete(messages: Any, seed: int) -> Any:
        reply = original(messages, seed=seed)
        port = str(code._resources["relay"].port)
        reply.message["content"] = reply.message["content"].replace("RELAY", port)
        return reply

    code.client.complete = complete  # type: ignore[method-assign]
    return code


def test_the_program_cannot_reach_a_served_control_plane(endpoint: Endpoint, tmp_path) -> None:
    from tests.served import serving

    info = tmp_path / "info.json"
    with serving(info) as served:
        control = tmp_path / "info.control.json"
        program = (
            "import json, urllib.request\n"
            "found = {}\n"
            f"try:\n    found['file'] = open({str(control)!r}).read()\n"
            "except OSError as exc:\n    found['file'] = type(exc).__name__\n"
            f"request = urllib.request.Request({served.control_url + '/episodes'!r}, "
            f"headers={{'Authorization': 'Bearer {served.control_token}'}})\n"
            "try:\n    found['control'] = urllib.request.urlopen(request, timeout=3).status\n"
            "except OSError as exc:\n    found['control'] = type(exc).__name__\n"
            "print(json.dumps(found))\n"
        )
        found = probe(endpoint, program)
        assert found == {"file": "FileNotFoundError", "control": "URLError"}
        assert served.control("GET", "/episodes").status_code == 200  # it was up all along


ESCAPES = """
import os, sys, time
def sleeper(tag):
    os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)", "MARKER", tag])
if os.fork() == 0:  # setsid, then a double fork: a daemon
    os.setsid()
    if os.fork() == 0:
        sleeper("daemon")
    os._exit(0)
if os.fork() == 0:  # its own process group
    os.setpgid(0, 0)
    sleeper("group")
if os.fork() == 0:
    sleeper("child")
time.sleep(0.5)
print("ENDING")
"""


@pytest.mark.parametrize("ending", ["exits", "times out"])
def test_no_process_outlives_the_program(endpoint: Endpoint, ending: str) -> None:
    marker = f"apibench-probe-{uuid.uuid4().hex}"
    program = ESCAPES.replace("MARKER", marker)
    if ending == "times out":
        program = program.replace('print("ENDING")', "time.sleep(300)")
    code = sandboxed(endpoint, program, time_limit=4)
    play(code, SCENARIO, 0)
    (attempt,) = code.episode_stats()["attempts"]
    assert attempt["outcome"] == ("timeout" if ending == "times out" else "no_json")
    _no_survivors(marker)


def _no_survivors(marker: str) -> None:
    deadline = time.monotonic() + 5
    while survivors(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not survivors(marker)


FORK_BOMB = """
import json, os, sys, time
forks = 0
sleeper = [sys.executable, "-c", "import time; time.sleep(300)", "MARKER"]
try:
    while forks < 10_000:
        if os.fork() == 0:
            os.execv(sys.executable, sleeper)
        forks += 1
except OSError as exc:
    print(json.dumps([forks, type(exc).__name__]), flush=True)
    os._exit(0)
print(json.dumps([forks, "no limit"]))
"""


def test_a_fork_bomb_is_bounded_by_the_process_limit(endpoint: Endpoint) -> None:
    marker = f"apibench-probe-{uuid.uuid4().hex}"
    forks, error = probe(endpoint, FORK_BOMB.replace("MARKER", marker), max_processes=24)
    assert error == "BlockingIOError" and 0 < forks < 24
    _no_survivors(marker)


def test_memory_and_file_size_limits(endpoint: Endpoint) -> None:
    program = (
        "import json\nfound = {}\n"
        "try:\n    x = bytearray(600 * 1024 * 1024)\n    found['memory'] = True\n"
        "except MemoryError:\n    found['memory'] = 'MemoryError'\n"
        "try:\n    open('/tmp/big', 'wb').write(b'x' * (3 * 1024 * 1024))\n"
        "    found['file'] = True\n"
        "except OSError as exc:\n    found['file'] = exc.errno\n"
        "print(json.dumps(found))\n"
    )
    found = probe(endpoint, program, memory_mb=256, scratch_mb=2)
    assert found == {"memory": "MemoryError", "file": 27}  # EFBIG


def test_without_bubblewrap_the_agent_refuses_unless_opted_out(
    endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gym_apibench.llm import isolation

    monkeypatch.setattr(isolation, "bwrap_path", lambda: None)
    isolation.sandbox_problem.cache_clear()
    try:
        with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap") as raised:
            sandboxed(endpoint, "print(1)")
        assert "sandbox=none" in str(raised.value)
        unisolated = sandboxed(endpoint, "print(1)", sandbox="none")
        assert first_answer(unisolated, SCENARIO) == 1
        assert unisolated.episode_stats()["sandbox"] == "none"
    finally:
        isolation.sandbox_problem.cache_clear()


JS_PROBE = """
const fs = require('fs'), net = require('net'), cp = require('child_process');
const found = {};
function attempt(name, action) {
  try { action(); found[name] = true } catch (e) { found[name] = e.code }
}
for (const path of READS) attempt('read ' + path, () => fs.readFileSync(path));
attempt('require', () => require(PROJECT + '/gym_apibench/llm/code.py'));
for (const path of WRITES) attempt('write ' + path, () => fs.writeFileSync(path, 'x'));
const sleeper = ['-e', 'setTimeout(() => {}, 300000)', 'MARKER'];
cp.spawn(process.execPath, sleeper, {detached: true, stdio: 'ignore'}).unref();
found.uid = process.getuid();
const s = net.connect(OTHER, '127.0.0.1');
s.on('connect', () => { found.other = true; done() });
s.on('error', e => { found.other = e.code; done() });
function done() { console.log(JSON.stringify(found)); process.exit(0) }
"""


@node
def test_javascript_probes(endpoint: Endpoint, listener: tuple[int, list[socket.socket]]) -> None:
    port, accepted = listener
    marker = f"apibench-probe-{uuid.uuid4().hex}"
    reads = ["/etc/passwd", str(PROJECT / "scenarios" / "attio" / "truth.py")]
    writes = ["/usr/probe", "/sandbox/probe", str(PROJECT / "p")]
    program = JS_PROBE.replace("READS", json.dumps(reads)).replace("WRITES", json.dumps(writes))
    program = program.replace("PROJECT", json.dumps(str(PROJECT))).replace("OTHER", str(port))
    found = probe(endpoint, program.replace("MARKER", marker), lang="js")
    assert found is not None
    assert all(found[f"read {path}"] == "ENOENT" for path in reads), found
    assert found["require"] == "MODULE_NOT_FOUND"
    assert all(found[f"write {path}"] in ("EROFS", "ENOENT", "EACCES") for path in writes), found
    assert found["uid"] == 65534 and found["other"] == "ECONNREFUSED" and accepted == []
    _no_survivors(marker)


@node
def test_javascript_memory_limit(endpoint: Endpoint) -> None:
    program = "const a = []; while (true) { a.push(new Array(1e6).fill(1)) }"
    code = sandboxed(endpoint, program, lang="js", memory_mb=64, time_limit=30)
    play(code, SCENARIO, 0)
    (attempt,) = code.episode_stats()["attempts"]
    assert attempt["outcome"] == "crash" and attempt["exit_code"] == 128 + 6  # V8 aborts


JS_FORK_BOMB = """
const cp = require('child_process');
let started = 0, refused = 0;
for (let i = 0; i < 200; i++) {
  try {
    const child = cp.spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300000)', 'MARKER']);
    child.on('error', () => { refused++ });
    if (child.pid) started++;
  } catch (e) { refused++ }
}
setTimeout(() => { console.log(JSON.stringify([started, refused])); process.exit(0) }, 2000);
"""


@node
def test_javascript_fork_bomb_is_bounded(endpoint: Endpoint) -> None:
    marker = f"apibench-probe-{uuid.uuid4().hex}"
    program = JS_FORK_BOMB.replace("MARKER", marker)
    started, refused = probe(endpoint, program, lang="js", max_processes=48)
    assert started < 48 and refused > 0
    _no_survivors(marker)

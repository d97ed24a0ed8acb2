"""The code agent's sandbox in the tests: which mode to run programs in, and process checks.

Where bubblewrap works, programs run sandboxed, as users' do. Where it does not, the tests
of the sandbox itself skip, with the reason, and the other code-agent tests run programs
unisolated (``sandbox=none``); unless ``APIBENCH_REQUIRE_SANDBOX=1`` (set by ``make test``
wherever ``bwrap`` is installed: CI), which turns the missing sandbox into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gym_apibench.llm.isolation import sandbox_problem

PROBLEM = sandbox_problem()
if PROBLEM is not None and os.environ.get("APIBENCH_REQUIRE_SANDBOX") == "1":
    raise RuntimeError(f"APIBENCH_REQUIRE_SANDBOX=1, and the sandbox cannot run: {PROBLEM}")

SANDBOX = "bubblewrap" if PROBLEM is None else "none"
"""The ``sandbox`` option the code-agent tests use."""

needs_sandbox = pytest.mark.skipif(PROBLEM is not None, reason=f"no sandbox here: {PROBLEM}")


def survivors(marker: str) -> list[int]:
    """Host pids of live (not zombie) processes with ``marker`` in their command line."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found

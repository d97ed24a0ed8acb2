"""Data files that code makes once and the package ships (value pools, RSA keys): the
command line that remakes one, or checks that the shipped file is what the code makes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

__all__ = ["remake"]


def remake(path: Path, make: Callable[[], str], prog: str, argv: list[str] | None = None) -> int:
    """``prog [--check]``: write ``make()`` to ``path``, or with ``--check`` compare them
    (exit status 1 and what to run when they differ: a test runs the check)."""
    parser = argparse.ArgumentParser(prog=prog, description=f"Remake {path.name}.")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    text = make()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is not what the code makes; run {prog}")
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    return 0

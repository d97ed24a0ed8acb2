"""The install stays lean: the environment the tests run in (``make test`` installs the test
extra, so in CI it is the test extra's whole dependency closure) holds no torch or CUDA
libraries, and stays under 2 GB."""

from __future__ import annotations

import importlib.metadata
import os
import re
import sys
from pathlib import Path

import pytest

HEAVY = re.compile(r"torch.*|triton.*|nvidia-.*|.*cuda.*|sentence-transformers|tensorflow.*|jax.*")
"""Distribution names (normalised) that bring a deep-learning framework or CUDA libraries."""

MAX_VENV_BYTES = 2 * 1024**3
"""The issue's bound for the virtual environment after ``make test`` (it measured 6.9 GB
when one model package pulled torch and CUDA)."""


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed() -> set[str]:
    return {_normalised(d.metadata["Name"]) for d in importlib.metadata.distributions()}


def _size(root: Path) -> int:
    total = 0
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def test_the_heavy_pattern_names_what_it_guards_against() -> None:
    for name in ("torch", "triton", "nvidia-cublas-cu12", "nvidia-cuda-runtime-cu12"):
        assert HEAVY.fullmatch(name)
    assert HEAVY.fullmatch(_normalised("sentence_transformers"))
    for name in ("tokenizers", "onnxruntime", "numpy", "ray", "pytest-xdist"):
        assert not HEAVY.fullmatch(name)


def test_no_torch_or_cuda_in_the_environment() -> None:
    heavy = sorted(name for name in _installed() if HEAVY.fullmatch(name))
    assert not heavy, (
        f"installed: {', '.join(heavy)}; apibench's install and test extras bring no "
        "deep-learning framework ('pip show' names which package requires them)"
    )


def test_the_virtual_environment_is_under_2_gb() -> None:
    if sys.prefix == sys.base_prefix:
        pytest.skip("not in a virtual environment: the system's packages are not apibench's")
    size = _size(Path(sys.prefix))
    assert size < MAX_VENV_BYTES, f"{sys.prefix} holds {size / 1024**3:.2f} GB (at most 2 GB)"

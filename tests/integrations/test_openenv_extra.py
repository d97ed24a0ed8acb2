"""Without the openenv extra (the main test venv), ``apibench openenv`` names it."""

from __future__ import annotations

import importlib.util

import pytest

from gym_apibench.cli import main


@pytest.mark.skipif(
    importlib.util.find_spec("openenv") is not None, reason="the openenv extra is installed"
)
def test_apibench_openenv_names_the_extra_it_needs(capsys):
    assert main(["openenv", "--port", "0"]) == 2
    assert "pip install 'apibench[openenv]'" in capsys.readouterr().err

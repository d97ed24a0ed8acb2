"""The shared API-Bank data imported once per test session into a temporary data home.

The data is not part of the project: tests use the copy in ``../shared/api-bank-data`` (or
``$APIBANK_DATA``) and skip, saying why, when it is absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gym_apibench.apibank.importer import ImportSummary, import_apibank
from gym_apibench.scenarios import HOME_VARIABLE, clear_scenarios_cache

RELEASE = Path(
    os.environ.get(
        "APIBANK_DATA",
        Path(__file__).resolve().parents[3] / "shared" / "api-bank-data" / "api-bank",
    )
)


def require_release() -> Path:
    """The released api-bank folder, or a skip naming where it was looked for."""
    if not (RELEASE / "init_database").is_dir():
        pytest.skip(
            f"API-Bank data not found at {RELEASE} (set APIBANK_DATA to its api-bank folder)"
        )
    return RELEASE


@pytest.fixture(scope="session")
def apibank_import(tmp_path_factory: pytest.TempPathFactory) -> ImportSummary:
    """The shared data imported into a fresh data home (once per session)."""
    release = require_release()
    return import_apibank(release, tmp_path_factory.mktemp("apibench-home"))


@pytest.fixture
def apibank_home(apibank_import: ImportSummary) -> Iterator[Path]:
    """``APIBENCH_HOME`` set to the imported home for one test (scenarios and data caches
    follow it; both are forgotten afterwards so other tests see the built-in scenarios)."""
    from mockapis.apibank.home import clear_caches

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(HOME_VARIABLE, str(apibank_import.home))
        clear_caches()
        clear_scenarios_cache()
        yield apibank_import.home
    clear_caches()
    clear_scenarios_cache()

"""API-Bank (Li et al., EMNLP 2023) on apibench: the importer of the released data, the
generated scenario family's truth, solutions and checks, and the suite's metrics."""

from __future__ import annotations

__all__: list[str] = []

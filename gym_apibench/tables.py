"""The tables of the reports: their model (:class:`Table`, :class:`Section`), their cells, and
their Markdown and plain-text renderings (HTML is :mod:`gym_apibench.report_html`'s)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from gym_apibench.stats import rate_with_interval

__all__ = [
    "Section",
    "Table",
    "format_param",
    "markdown_table",
    "percent",
    "print_table",
    "rate_cell",
]


@dataclass(frozen=True)
class Table:
    """A table of a report section (rendered as Markdown or HTML)."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Section:
    """A titled part of the report: paragraphs (``str``), bullet lists and tables, in order.

    A bullet list is a tuple of ``(label, text)``; ``key`` names the section for renderers.
    """

    key: str
    title: str
    blocks: Sequence[str | Table | tuple[tuple[str, str], ...]]


def percent(k: int, n: int) -> str:
    """``k`` of ``n`` as a percentage with one decimal (``n/a`` when ``n`` is 0)."""
    return f"{100.0 * k / n:.1f}%" if n else "n/a"


def format_param(value: Any) -> str:
    """A fault rule's parameter as a table cell: lists joined, ``none`` for nothing."""
    if value is None:
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def rate_cell(k: int, n: int) -> str:
    """``"40.0% [11.8, 76.9] (2/5)"`` (with the 95% Wilson interval), or a dash for none."""
    return f"{rate_with_interval(k, n)} ({k}/{n})" if n else "–"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown (GFM) table; a ``|`` in a cell is escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def print_table(table: Table, numeric: Sequence[bool], file: TextIO | None = None) -> None:
    """Print ``table`` as aligned plain text, the ``numeric`` columns right-aligned."""
    out = file if file is not None else sys.stdout
    rows = [table.header, *table.rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(table.header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(w) if right else cell.ljust(w)
            for cell, w, right in zip(cells, widths, numeric, strict=True)
        ).rstrip()

    print(line(rows[0]), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows[1:]:
        print(line(row), file=out)

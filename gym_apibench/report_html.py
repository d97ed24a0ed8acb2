"""The self-contained HTML report: the Markdown report's sections plus an inline SVG plot.

Everything is inline (CSS, the plot as SVG markup): the file opens offline, from anywhere,
with no request to any other resource.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from gym_apibench.report import (
    TITLE,
    category_rates,
    env_version_note,
    report_sections,
    scenario_category,
)
from gym_apibench.stats import wilson_interval
from gym_apibench.tables import Section, Table

if TYPE_CHECKING:
    from gym_apibench.results import EpisodeResult

__all__ = ["plot_categories_svg", "render_html"]

_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #dde; }
table { border-collapse: collapse; margin: .6em 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d5d8e0; padding: .3em .6em; text-align: left; }
th { background: #f2f4f8; } tr:nth-child(even) td { background: #fafbfc; }
td.num { text-align: right; } p.note { color: #555; font-size: .9em; max-width: 60em; }
p.version { color: #555; margin-top: -.5em; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
div.wide { overflow-x: auto; max-width: 100%; } div.wide table { margin: 0; }
""".strip()
"""``div.wide``: a table wider than the column (the category table of many categories)
scrolls inside it instead of running past the page's edge."""


_LABEL_CHARS = 40
"""Legend labels longer than this (agent specs with options) are cut, or the plot shrinks."""


def plot_categories_svg(
    results: Sequence[EpisodeResult],
    category_of: Callable[[str], str] = scenario_category,
) -> str:
    """Success rate by scenario category, one bar per agent with its 95% Wilson interval as
    an error bar, as SVG markup (no XML prolog).

    Drawn on the SVG canvas directly (no pyplot state); byte-stable across runs.
    """
    agents, categories, rates = category_rates(results, category_of)
    figure = Figure(figsize=(max(6.0, 1.2 + 0.9 * len(categories)), 4.2), layout="constrained")
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    width = 0.8 / max(1, len(agents))
    for i, agent in enumerate(agents):
        values, below, above = [], [], []
        for category in categories:
            k, n = rates.get((agent, category), (0, 0))
            value = k / n if n else 0.0
            low, high = wilson_interval(k, n) if n else (0.0, 0.0)
            values.append(value)
            below.append(value - low)
            above.append(high - value)
        offsets = [c + (i - (len(agents) - 1) / 2) * width for c in range(len(categories))]
        label = agent if len(agent) <= _LABEL_CHARS else agent[: _LABEL_CHARS - 1] + "…"
        axes.bar(
            offsets,
            values,
            width=width,
            label=label,
            yerr=[below, above],
            error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#333"},
        )
    axes.set_xticks(range(len(categories)), categories, rotation=20, ha="right")
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(xmax=1))
    axes.set_ylabel("Success rate")
    axes.set_title("Success by category (whiskers: 95% Wilson intervals)")
    axes.grid(True, axis="y", alpha=0.3)
    axes.legend(title="Agent", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "apibench", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue().decode("utf-8")
    # Inline in HTML: no XML prolog or doctype, and no RDF metadata block (it names URIs).
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text[text.index("<svg") :], flags=re.S)


def _cell(text: str) -> str:
    # Signed differences (+12.5 pp) and small p-values (< 0.0001) are numbers too.
    numeric = bool(text) and (text[0].isdigit() or text[0] in "+-<" or text in ("–", "n/a"))
    return (
        f'<td class="num">{html.escape(text)}</td>' if numeric else f"<td>{html.escape(text)}</td>"
    )


def _table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.header)
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in table.rows)
    table_html = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="wide">{table_html}</div>'


def _section(section: Section, plot: str | None) -> str:
    parts = [f'<section id="{section.key}">', f"<h2>{html.escape(section.title)}</h2>"]
    for block in section.blocks:
        if isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, tuple):
            items = "".join(
                f"<li><strong>{html.escape(k)}</strong>: {html.escape(v)}</li>" for k, v in block
            )
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f'<p class="note">{html.escape(block)}</p>')
    if plot is not None:
        parts.append(f'<figure aria-label="Success by category per agent">{plot}</figure>')
    parts.append("</section>")
    return "\n".join(parts)


def render_html(
    results: Sequence[EpisodeResult],
    params: Mapping[str, Any] | None = None,
    *,
    category_of: Callable[[str], str] = scenario_category,
) -> str:
    """The HTML report: the sections of :func:`~gym_apibench.report.report_sections`, with the
    plot of success by category under its table."""
    plot = plot_categories_svg(results, category_of) if results else None
    sections = report_sections(results, params, category_of=category_of)
    body = "\n".join(_section(s, plot if s.key == "categories" else None) for s in sections)
    note = env_version_note(results)
    header = f"<h1>{html.escape(TITLE)}</h1>\n"
    if note is not None:
        header += f'<p class="version">{html.escape(note.replace("`", ""))}</p>\n'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(TITLE)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"{header}{body}\n</body>\n</html>\n"
    )

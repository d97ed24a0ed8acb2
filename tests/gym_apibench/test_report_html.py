"""report.html: self-contained, strictly valid HTML with the tables and the plot; and
`apibench report` rebuilding and comparing runs from their results.jsonl."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser

import html5lib
import pytest

from gym_apibench.cli import main
from gym_apibench.harness import EpisodeResult
from gym_apibench.report_html import plot_categories_svg, render_html

CATEGORIES = {"attio.a": "filtering", "attio.b": "writes"}


def result(agent: str, scenario: str, seed: int, success: bool, **extra) -> EpisodeResult:
    episode = EpisodeResult(scenario, seed, agent, float(success), success, 2)
    if not success:
        episode = replace(episode, failure="wrong_answer", failure_category="overshoot")
    return replace(episode, **extra)


RESULTS = [
    result("oracle", "attio.a", 0, True),
    result("oracle", "attio.b", 0, True),
    result("naive <b>", "attio.a", 0, False),  # markup in a name must come out escaped
    result("naive <b>", "attio.a", 0, True, attempt=1),
    result("naive <b>", "attio.b", 0, True),
    result("naive <b>", "attio.b", 0, False, attempt=1),
]


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(RESULTS, {"agents": ["oracle", "naive <b>"]}, category_of=CATEGORIES.get)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_strictly_valid_html5(page):
    """html5lib in strict mode raises on any parse error (a test dependency)."""
    html5lib.HTMLParser(strict=True).parse(page)


def test_self_contained(page):
    parser = _Collect()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags
    for _, attrs in parser.tags:
        for name in ("src", "href"):
            assert not attrs.get(name) or attrs[name].startswith("#"), attrs
    assert not re.search(r"url\((?!#)", page) and "@import" not in page  # url(#id) is local
    assert not re.search(r"https?://(?!www\.w3\.org/)", page)  # only SVG's namespace URIs


def test_tables_and_plot(page):
    assert page.startswith("<!DOCTYPE html>")
    header = "<th>Rank</th><th>Agent</th><th>Success Rate [95% CI]</th><th>Successful Episodes</th>"
    assert header in page
    assert '<td class="num">1</td><td>oracle</td><td class="num">100.0% [' in page
    # The paired comparison's signed difference and p-value are numbers too.
    paired = page[page.index('<section id="paired">') :]
    assert re.search(r'<td class="num">[+-]\d+\.\d pp</td><td class="num">[<\d]', paired)
    assert "naive &lt;b&gt;" in page and "naive <b>" not in page
    for section in ("leaderboard", "pass-k", "categories", "taxonomy", "failures"):
        assert f'<section id="{section}">' in page
    assert "<td>overshoot</td>" in page
    # The plot sits in the categories section, as inline SVG with one bar per agent and category.
    categories = page[page.index('<section id="categories">') :]
    assert categories.index("<svg") < categories.index("</section>")
    assert page.count("<svg") == 1


def test_header_names_the_env_version(page):
    assert re.search(r'<h1>[^<]*</h1>\n<p class="version">Env version: v\d+ ', page)


def test_plot_is_deterministic_svg():
    first = plot_categories_svg(RESULTS, CATEGORIES.get)
    assert first == plot_categories_svg(RESULTS, CATEGORIES.get)
    assert first.startswith("<svg") and first.rstrip().endswith("</svg>")
    assert len(re.findall(r'id="patch_\d+"', first)) >= 4  # bars (and frame patches)
    # Each agent's bars carry whiskers: its 95% Wilson intervals, one line collection each.
    agents = {r.agent for r in RESULTS}
    assert len(re.findall(r'<g id="LineCollection_\d+"', first)) == len(agents)


def write_run(folder, results):
    folder.mkdir()
    (folder / "results.jsonl").write_text("".join(r.to_json() + "\n" for r in results))


def test_report_command_rebuilds_and_compares(tmp_path, capsys):
    write_run(tmp_path / "run-a", [result("oracle", "attio.a", 0, True)])
    write_run(tmp_path / "run-b", [result("oracle", "attio.a", 0, False)])
    assert main(["report", str(tmp_path / "run-a")]) == 0
    assert (
        "| 1 | oracle | 100.0% [20.7, 100.0] | 1/1 |"
        in (tmp_path / "run-a" / "report.md").read_text()
    )
    assert (tmp_path / "run-a" / "report.html").read_text().startswith("<!DOCTYPE html>")

    out = tmp_path / "both"
    assert (
        main(["report", str(tmp_path / "run-a"), str(tmp_path / "run-b"), "--out", str(out)]) == 0
    )
    md = (out / "report.md").read_text()
    assert "| 1 | oracle [run-a] | 100.0% [20.7, 100.0] | 1/1 |" in md
    assert "| 2 | oracle [run-b] | 0.0% [0.0, 79.3] | 0/1 |" in md
    assert "oracle [run-b]" in capsys.readouterr().out

    # Two runs without --out: the leaderboard and the paired comparison, no files.
    assert main(["report", str(tmp_path / "run-a"), str(tmp_path / "run-b")]) == 0
    assert "none written" in capsys.readouterr().out
    write_run(tmp_path / "run-c", [result("oracle", "attio.a", 0, True)])
    three = [str(tmp_path / name) for name in ("run-a", "run-b", "run-c")]
    assert main(["report", *three]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "no results" in capsys.readouterr().err


def test_old_results_without_attempt_or_category_still_report(tmp_path):
    line = json.loads(result("oracle", "attio.a", 0, False).to_json())
    del line["attempt"], line["failure_category"]
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "results.jsonl").write_text(json.dumps(line) + "\n")
    assert main(["report", str(tmp_path / "old")]) == 0
    assert "| (unclassified) | 1 |" in (tmp_path / "old" / "report.md").read_text()


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


@pytest.mark.slow
def test_opens_in_a_headless_browser_without_errors(page, tmp_path):
    """Where a Chromium is installed (not from PyPI: CI machines may lack one), the page
    renders its tables and plot with no console error."""
    import shutil
    import subprocess

    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        pytest.skip("no headless Chromium on this machine")
    html = tmp_path / "report.html"
    html.write_text(page, encoding="utf-8")
    done = subprocess.run(
        [
            browser,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=1",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "<table" in dom and "<svg" in dom
    # Console messages and uncaught errors are logged as "...:CONSOLE:<line>] ..." lines.
    assert not re.findall(r":CONSOLE[:(].*", done.stderr)


def test_wide_tables_scroll_inside_the_column(page):
    """A table of many columns (one per category) must not run past the page's edge at
    1280 px: every table sits in a box that scrolls sideways within the column."""
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    tables = tree.findall(".//table")
    assert tables
    wrapped = {id(t) for box in tree.findall(".//div[@class='wide']") for t in box}
    assert all(id(t) in wrapped for t in tables)
    style = tree.find(".//style").text
    assert "div.wide { overflow-x: auto; max-width: 100%; }" in style

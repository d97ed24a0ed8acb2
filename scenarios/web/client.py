"""HTTP helpers of the filings-site solutions (also used by the documents family): a polite
client (declared User-Agent, at most 10 requests a second) and the page parsers.

HTTP only: no simulator imports."""

from __future__ import annotations

import re
from collections.abc import Generator, Mapping
from html import unescape
from typing import Any

from gym_apibench.solving import Exchange, SolutionError, request, send

PER_SECOND = 10


class Site:
    """The filings site of a task, reached with a declared User-Agent; ``paced`` waits one
    second after every ten requests, which keeps any one-second window under the threshold."""

    def __init__(self, task: dict[str, Any], *, paced: bool = True) -> None:
        self.base = task["services"]["web"].rstrip("/")
        inputs = task["inputs"]
        self.headers = {"User-Agent": f"{inputs['org']} {inputs['email']}"}
        self.paced = paced
        self.sent = 0

    def get(self, path: str) -> Exchange:
        """GET a path of the site; the observation (2xx only). A paced client that got
        blocked anyway (retries it did not count sent more) waits the block out, as the
        403 page asks, and tries once more."""
        for blocked in range(2):
            if self.paced and self.sent and self.sent % PER_SECOND == 0:
                yield {"wait": 1}
            self.sent += 1
            obs = yield from send(request("GET", self.base + path, headers=self.headers))
            penalty = _block_seconds(obs)
            if not (self.paced and penalty is not None and not blocked):
                break
            yield {"wait": penalty + 1}
            self.sent = 0
        if obs["status"] != 200:
            raise SolutionError(f"GET {path}: {obs['status']} {obs['body'][:200]}")
        return obs


def _block_seconds(observation: Mapping[str, Any]) -> int | None:
    """How long the rate-threshold block lasts, when ``observation`` is its 403 page."""
    body = str(observation.get("body", ""))
    if observation.get("status") != 403 or "Request Rate Threshold Exceeded" not in body:
        return None
    found = re.search(r"stayed below the threshold for (\d+) seconds", body)
    return int(found.group(1)) if found else 60


def company_path(index_html: str, name: str) -> str:
    """The filings page of the company called ``name``, from the company index."""
    for href, text in re.findall(
        r'<a href="[^"]*?(/Archives/edgar/data/\d+/)">([^<]*)</a>', index_html
    ):
        if unescape(text) == name:
            return str(href)
    raise SolutionError(f"no company called {name!r} on the index")


def filings(company_html: str) -> list[dict[str, Any]]:
    """The filings table of a company page: form, filed, accession, document paths."""
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", company_html, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        if len(cells) < 6:
            continue
        accession = re.sub(r"<[^>]+>", "", cells[4])
        docs = re.findall(r'href="[^"]*?(/Archives/[^"]+)"', cells[5])
        found.append({"form": cells[0], "filed": cells[2], "accession": accession, "docs": docs})
    return found


def figures(report_html: str) -> dict[str, str]:
    """The "Selected financial data" rows of a report page: label -> value."""
    table = report_html.split('class="figures"', 1)[-1]
    return {
        unescape(k): unescape(v)
        for k, v in re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", table)
    }


def dollars(text: str) -> int:
    """``$1,234`` -> 1234; ``($1,234)`` -> -1234."""
    amount = int(re.sub(r"[^0-9]", "", text))
    return -amount if text.strip().startswith("(") else amount


SITE = "https://filings.apibench.example"
"""The site's real address: the reader names targets by their real host names."""


_PASSING_NET_ERRORS = (
    "ERR_CONNECTION_RESET",
    "ERR_CONNECTION_REFUSED",
    "ERR_TIMED_OUT",
    "ERR_EMPTY_RESPONSE",
)
"""The reader's 422s for a target that did not answer this time (Chrome's names), unlike
``ERR_NAME_NOT_RESOLVED``, which the next try meets again."""


def target_unavailable(observation: Mapping[str, Any]) -> bool:
    """Whether the reader reports its target failing for now (worth a retry): a page whose
    target answered a 5xx, or a 422 whose target's connection failed."""
    body = str(observation.get("body", ""))
    if observation.get("status") == 422:
        return "Failed to goto" in body and any(e in body for e in _PASSING_NET_ERRORS)
    head = body.partition("\nMarkdown Content:\n")[0]
    return "\nWarning: Target URL returned error 5" in head


class Reader:
    """The reader (``r.jina.ai``) of a task, with its API key: pages of the site as markdown."""

    def __init__(self, task: dict[str, Any]) -> None:
        self.base = task["services"]["reader"].rstrip("/")
        self.headers = {"Authorization": f"Bearer {task['credentials']['reader']['token']}"}

    def markdown(self, url: str) -> Generator[dict[str, Any], dict[str, Any], str]:
        """The markdown content of ``url`` (a target error is an error here)."""
        action = request("GET", f"{self.base}/{url}", headers=self.headers)
        obs = yield from send(action, transient=target_unavailable)
        if obs["status"] != 200:
            raise SolutionError(f"reader {url}: {obs['status']} {obs['body'][:200]}")
        body: str = obs["body"]
        head, _, content = body.partition("\nMarkdown Content:\n")
        if "\nWarning: Target URL returned error" in head:
            raise SolutionError(f"reader {url}: {head}")
        return content

    def annual_report(
        self, company: str, *, newest_only: bool = False
    ) -> Generator[dict[str, Any], dict[str, Any], tuple[int, int]]:
        """``(fiscal year, revenue)`` of the company's newest 10-K (``newest_only``: of its
        newest report, whatever the form), read through the index and its filings page."""
        index = yield from self.markdown(SITE + "/")
        page = md_link(index, company)
        filings_md = yield from self.markdown(page)
        form = r"10-[KQ]" if newest_only else r"10-K"
        for line in filings_md.splitlines():
            if re.match(rf"\| {form} \|", line):
                htm = re.search(r"\]\((https?://[^)]+\.htm)\)", line)
                if htm:
                    report = yield from self.markdown(htm.group(1))
                    year = re.search(r"\| Fiscal year \| (\d{4}) \|", report)
                    revenue = re.search(r"\| Total revenue \| ([^|]+) \|", report)
                    if not (year and revenue):
                        raise SolutionError(f"no figures in {htm.group(1)}")
                    return int(year.group(1)), dollars(revenue.group(1))
        raise SolutionError(f"no report of {company}")


def md_link(markdown: str, text: str) -> str:
    """The target of the markdown link whose text is exactly ``text``."""
    found = re.search(r"\[" + re.escape(text) + r"\]\(([^)]+)\)", markdown)
    if found is None:
        raise SolutionError(f"no link {text!r}")
    return found.group(1)

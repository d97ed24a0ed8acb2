"""Named suites: sets of scenarios that reproduce a published benchmark, selected by tag.

A suite's members are the scenarios carrying its tag; each member names its task in the
original benchmark (``v2-014``) and its category there (``v2-auth``) with two more tags, so
the scenario files stay the one source of the mapping (``apibench list --suite NAME``).
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gym_apibench.scenarios import SPLITS, Scenario

__all__ = ["SUITES", "Suite", "SuiteError", "get_suite", "select"]


class SuiteError(KeyError):
    """An unknown suite, or a suite whose scenarios do not match its definition."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Suite:
    """A named suite: the tag its scenarios carry, how its tasks and categories are tagged,
    and the protocol of the original (how many attempts each task got)."""

    name: str
    title: str
    tag: str
    task_prefix: str
    """Each member has exactly one tag ``<task_prefix><number>``: its task in the original."""
    categories: Mapping[str, str]
    """Category tag -> label, in the original's order; each member has exactly one."""
    tasks: int
    attempts: int
    source: str

    def members(self, scenarios: Iterable[Scenario]) -> list[Scenario]:
        """The scenarios of this suite, by task number."""
        found = [s for s in scenarios if self.tag in s.tags]
        return sorted(found, key=self.task_of)

    def task_of(self, scenario: Scenario) -> str:
        """The original's task number of a member (``"014"``)."""
        tag = self._one(scenario, [t for t in scenario.tags if self._is_task(t)], "task")
        return tag[len(self.task_prefix) :]

    def category_of(self, scenario: Scenario) -> str:
        """The original's category label of a member (``"auth"``)."""
        tags = [t for t in scenario.tags if t in self.categories]
        return self.categories[self._one(scenario, tags, "category")]

    def _is_task(self, tag: str) -> bool:
        rest = tag[len(self.task_prefix) :]
        return tag.startswith(self.task_prefix) and rest.isdigit()

    def _one(self, scenario: Scenario, tags: list[str], what: str) -> str:
        if len(tags) != 1:
            raise SuiteError(
                f"{scenario.path}: a scenario of suite {self.name!r} needs exactly one {what} "
                f"tag; got {tags or 'none'}"
            )
        return tags[0]


SUITES: Mapping[str, Suite] = {
    "api-bench-v2": Suite(
        name="api-bench-v2",
        title="API-Bench v2",
        tag="api-bench-v2",
        task_prefix="v2-",
        categories={
            "v2-spec": "spec adherence",
            "v2-auth": "auth",
            "v2-pagination": "pagination and batching",
            "v2-workflows": "cross-API workflows",
        },
        tasks=41,
        attempts=3,
        source="superglue's llm-benchmark-evals (2025): 41 tasks on 18 live systems",
    )
}


def get_suite(name: str) -> Suite:
    """The suite ``name``; an unknown name lists the known ones, with a close match."""
    try:
        return SUITES[name]
    except KeyError:
        close = difflib.get_close_matches(name, SUITES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise SuiteError(
            f"unknown suite {name!r}{hint} Known suites: {', '.join(sorted(SUITES))}."
        ) from None


def select(
    scenarios: Mapping[str, Scenario],
    *,
    split: str | None = None,
    tag: str | None = None,
    suite: str | None = None,
) -> list[str]:
    """The ids of ``scenarios`` (sorted) in ``split``, with a tag matching the glob ``tag``,
    and in ``suite``; ``None`` leaves that filter out. A tag glob matching no tag of any
    scenario is an error (a typo would silently select nothing)."""
    chosen = list(scenarios.values())
    if suite is not None:
        chosen = get_suite(suite).members(chosen)
    if split is not None:
        if split not in SPLITS:
            raise SuiteError(f"unknown split {split!r}; the splits are {', '.join(SPLITS)}")
        chosen = [s for s in chosen if s.split == split]
    if tag is not None:
        known = {t for s in scenarios.values() for t in s.tags}
        if not any(fnmatch.fnmatchcase(t, tag) for t in known):
            close = difflib.get_close_matches(tag, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SuiteError(f"no scenario has a tag matching {tag!r}{hint}")
        chosen = [s for s in chosen if any(fnmatch.fnmatchcase(t, tag) for t in s.tags)]
    return sorted(s.id for s in chosen)

"""The numeric plan of a seeded GitHub world: who owns how many repositories, and each
repository's issues and pull requests (kinds, states, authors, times, ids).

Everything here is drawn in vectorised passes (:class:`~mockapis.seeding.RowDraws` and numpy),
with no Python loop over issues. The repositories source reads its aggregates (open issues,
the newest issue's time) and the issues source its rows: both compute the same plan from the
seed, so a repository's ``open_issues_count`` always counts its issues' states.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from mockapis import seeding

__all__ = ["CLOSED", "OPEN", "PULL", "REPO_COLUMNS", "Layout", "layout"]

DAY_S = 86_400
OPEN, CLOSED, PULL = 0, 1, 2
"""Issue kinds: an open issue, a closed issue, a pull request (open or closed)."""
PROLIFIC_SHARE = (0, 2)
"""A repository's pull requests whose ordinal mod 5 is in here are by the prolific
contributor (40%)."""
REPO_COLUMNS = 12
"""Words drawn per repository: 0 created, 1 issue count, 11 id step; 2 to 10 are the
repositories source's (see ``mockapis.github.data``)."""
_ISSUE_COLUMNS = 5
_REPO_ID_BASE = 10_000_000
_ISSUE_ID_BASE = 100_000_000
_U32 = np.uint64(32)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Layout(NamedTuple):
    """Repositories (by position) and their issues (by position: a repository's issues are
    contiguous, in number order)."""

    repos: seeding.RowDraws
    """The repositories' draws (:data:`REPO_COLUMNS` words each)."""
    owners: list[int]
    """Each repository's owner, as a user position (0: the authenticated user)."""
    repo_ids: list[int]
    created: list[int]
    """Each repository's creation, in epoch seconds."""
    starts: list[int]
    """Position of each repository's first issue; one more entry: the number of issues."""
    repo_of: IntArray
    kinds: npt.NDArray[np.int8]
    """:data:`OPEN`, :data:`CLOSED` or :data:`PULL` per issue."""
    times: IntArray
    """Creation in epoch seconds, ascending within a repository (numbers follow creation)."""
    open: BoolArray
    merged: BoolArray
    draft: BoolArray
    authors: IntArray
    """Each issue's author, as a user position."""
    comments: IntArray
    ids: IntArray


def layout(
    seed_value: int, epoch_s: int, max_repos: int, scale: int, users: int, prolific: int | None
) -> Layout:
    """The plan: the authenticated user owns 40% to all of ``max_repos`` repositories (two of
    them busy, with about ``scale`` issues each when ``scale``), each other user 1 to 4; a
    quiet repository has 0 to 3 issues of any kind; 40% of every repository's pull requests
    are by ``prolific`` (a user position)."""
    plan = seeding.stream(seed_value, "github", "plan")
    own = plan.randint(max_repos * 2 // 5, max_repos) if max_repos else 0
    busy = sorted(plan.sample(range(own), min(2, own)))
    owners = [0] * own + [u for u in range(1, users) for _ in range(plan.randint(1, 4))]
    d = seeding.RowDraws(len(owners), REPO_COLUMNS, seed_value, "github", "repos")
    created = d.spans(0, epoch_s - 3000 * DAY_S + 1, epoch_s - 30 * DAY_S + 1)
    counts = d.ints(1, 0, 3)
    mixes: dict[int, tuple[int, int, int]] = {}
    for j in busy if scale else ():
        mixes[j] = (
            plan.randint(scale // 4, scale * 2 // 5),
            plan.randint(scale // 10, scale // 5),
            plan.randint(scale * 2 // 5, scale * 3 // 5),
        )
        counts[j] = sum(mixes[j])
    starts = [0, *np.cumsum(np.array(counts, dtype=np.int64)).tolist()]
    e = seeding.RowDraws(starts[-1], _ISSUE_COLUMNS, seed_value, "github", "issues")
    # One draw is a quiet issue's kind (fate % 3) and a pull request's fate (fate // 3, in
    # 0-999): open below 400 (40%), and then a draft below 80 (20% of the open ones);
    # merged from 400 to 819 (70% of the closed ones).
    fate = e.below_array(0, 3000)
    kinds = (fate % 3).astype(np.int8)
    fate //= 3
    keys = e.below_array(1, 1 << 32)
    for j, mix in mixes.items():
        # A busy repository's mix of kinds, shuffled by the issues' own draws.
        at = slice(starts[j], starts[j + 1])
        mixed = np.repeat(np.array((OPEN, CLOSED, PULL), dtype=np.int8), mix)
        kinds[at] = mixed[np.argsort(keys[at], kind="stable")]
    repo_of = np.repeat(np.arange(len(owners), dtype=np.int64), np.array(counts, dtype=np.int64))
    # Issue times from the repository's creation (in whole days) up to a day before the epoch.
    days = np.maximum(2, (epoch_s - np.array(created, dtype=np.int64)) // DAY_S)
    widths = (days[repo_of] * DAY_S - DAY_S).astype(np.uint64)
    high = e.below_array(2, 1 << 32).astype(np.uint64)
    drawn = epoch_s - DAY_S - ((high * widths) >> _U32).astype(np.int64)
    times = drawn[np.lexsort((drawn, repo_of))]
    pull = kinds == PULL
    is_open = (kinds == OPEN) | (pull & (fate < 400))
    authors = e.below_array(3, max(1, users))
    if prolific is not None:
        ordinal = np.cumsum(pull) - 1
        before = np.concatenate(([0], np.cumsum(pull)))[np.array(starts[:-1], dtype=np.int64)]
        ordinal -= before[repo_of]
        share = ordinal % 5
        authors[pull & ((share == PROLIFIC_SHARE[0]) | (share == PROLIFIC_SHARE[1]))] = prolific
    extra = e.below_array(4, 13 * 97)  # comments (0-12), id step (1-97)
    return Layout(
        repos=d,
        owners=owners,
        repo_ids=(_REPO_ID_BASE + np.cumsum(np.array(d.ints(11, 1, 97), dtype=np.int64))).tolist(),
        created=created,
        starts=starts,
        repo_of=repo_of,
        kinds=kinds,
        times=times,
        open=is_open,
        merged=pull & (fate >= 400) & (fate < 820),
        draft=pull & (fate < 80),
        authors=authors,
        comments=extra % 13,
        ids=_ISSUE_ID_BASE + np.cumsum(extra // 13 + 1),
    )

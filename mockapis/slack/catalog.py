"""Word lists the seeded workspace draws from: channel names, topics and message phrases."""

from __future__ import annotations

__all__ = [
    "BASE_CHANNELS",
    "CLOSINGS",
    "OPENINGS",
    "PREFIXES",
    "SUBJECTS",
    "TOPICS",
    "VERBS",
]

BASE_CHANNELS = (
    "general", "random", "engineering", "announcements", "support", "sales", "marketing",
    "design", "product", "hiring", "watercooler", "incidents", "releases", "finance", "legal",
    "security", "data", "frontend", "backend", "mobile", "qa", "devops", "customer-success",
    "partnerships", "events", "feedback", "growth", "research", "docs", "onboarding",
)  # fmt: skip
"""Unprefixed channel names; ``general`` always comes first."""

PREFIXES = ("proj-", "team-", "help-", "ext-", "ops-", "eng-", "fy24-")
"""Prefixes of the generated channel names (scenarios exclude one of them)."""

TOPICS = (
    "alpha", "atlas", "aurora", "beacon", "billing", "bolt", "canvas", "cedar", "comet", "cobalt",
    "delta", "ember", "falcon", "fjord", "forge", "galaxy", "garnet", "harbor", "helix", "horizon",
    "indigo", "iris", "jade", "juniper", "kepler", "lagoon", "lumen", "magnet", "maple", "meteor",
    "nebula", "nova", "oasis", "onyx", "orbit", "pebble", "phoenix", "pilot", "pixel", "prism",
    "quartz", "quasar", "radar", "raven", "relay", "ripple", "saffron", "sierra", "signal", "sonar",
    "spark", "sprout", "summit", "tango", "tempo", "terra", "thunder", "tidal", "topaz", "tundra",
    "umbra", "unity", "vector", "velvet", "vertex", "violet", "vista", "willow", "zenith", "zephyr",
    "apollo", "boreal", "citrus", "dynamo", "echo", "flint", "glacier", "granite", "lotus",
    "mosaic",
)  # fmt: skip
"""Words generated channel names are made of."""

OPENINGS = (
    "Heads up:", "Quick question:", "FYI", "Update:", "Reminder:", "Good news:", "Hey team,",
    "Status:", "Small thing:", "Following up:", "PSA:", "Done:", "Question for the group:",
    "Looks like", "Just noticed", "Can someone check", "Thanks all,", "Note:",
)  # fmt: skip
SUBJECTS = (
    "the deploy", "the staging build", "the Q3 report", "the release notes", "the dashboard",
    "the onboarding doc", "the customer call", "the invoice run", "the API migration",
    "the design review", "the on-call rotation", "the roadmap", "the test suite", "the backlog",
    "the metrics export", "the launch plan", "the security audit", "the data pipeline",
    "the sprint board", "the retro notes", "the budget sheet", "the support queue",
)  # fmt: skip
VERBS = (
    "is ready for review", "needs another pass", "went out this morning", "is blocked on legal",
    "is green again", "slipped to next week", "has a new owner", "is live", "looks off",
    "was updated", "is done", "needs a decision", "is waiting on QA", "was rolled back",
    "got approved", "is in progress", "has two open comments", "needs more context",
)  # fmt: skip
CLOSINGS = (
    "", "", "", " :tada:", " :eyes:", " :+1:", " Thanks!", " Any thoughts?", " More soon.",
    " See thread.", " cc the team", " :rocket:", " Details in the doc.", " Let me know.",
)  # fmt: skip
"""Message texts are ``OPENING SUBJECT VERB (#n)CLOSING``: cheap to draw by the thousand."""

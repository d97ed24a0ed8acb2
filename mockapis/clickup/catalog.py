"""Fixed vocabularies of the seeded ClickUp workspace: statuses, priorities, names."""

from __future__ import annotations

from typing import Any

__all__ = [
    "COLORS",
    "FOLDER_NAMES",
    "LIST_NAMES",
    "PRIORITIES",
    "SPACE_NAMES",
    "STATUSES",
    "STATUS_WEIGHTS",
    "TAGS",
    "TASK_VERBS",
    "priority",
]

STATUSES: list[dict[str, Any]] = [
    {"status": "to do", "type": "open", "orderindex": 0, "color": "#d3d3d3"},
    {"status": "in progress", "type": "custom", "orderindex": 1, "color": "#4194f6"},
    {"status": "review", "type": "custom", "orderindex": 2, "color": "#a875ff"},
    {"status": "complete", "type": "closed", "orderindex": 3, "color": "#6bc950"},
]
"""Every space's workflow; ``complete`` is the closed status (hidden unless ``include_closed``)."""
STATUS_WEIGHTS = [35, 25, 10, 30]

PRIORITIES: dict[int, tuple[str, str]] = {
    1: ("urgent", "#f50000"),
    2: ("high", "#ffcc00"),
    3: ("normal", "#6fddff"),
    4: ("low", "#d8d8d8"),
}


def priority(level: int | None) -> dict[str, str] | None:
    """A task's ``priority`` object for level 1 (urgent) to 4 (low), or None."""
    if level is None:
        return None
    name, color = PRIORITIES[level]
    return {"id": str(level), "priority": name, "color": color, "orderindex": str(level)}


COLORS = ["#7b68ee", "#ff7fab", "#0ab4ff", "#e50000", "#667684", "#1bbc9c", "#f9d900"]
SPACE_NAMES = ["Engineering", "Marketing", "Operations", "Design", "Sales", "Support", "People"]
FOLDER_NAMES = ["Roadmap", "Sprints", "Campaigns", "Clients", "Hiring", "Launches", "Research"]
LIST_NAMES = [
    "Backlog",
    "Q1 Goals",
    "Q2 Goals",
    "Bugs",
    "Content Calendar",
    "Onboarding",
    "Vendors",
    "Website",
    "Events",
    "Partnerships",
    "Infrastructure",
    "Mobile App",
    "Analytics",
    "Customer Requests",
    "Docs",
    "Budget",
]
TASK_VERBS = ["Draft", "Review", "Fix", "Ship", "Plan", "Update", "Test", "Design", "Audit"]
TAGS = ["frontend", "backend", "urgent", "customer", "q1", "blocked", "research"]

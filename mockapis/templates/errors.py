"""The template service's error body: ``{"error": {"type", "message", "line"?}}``."""

from __future__ import annotations

from typing import Any

from mockapis.kit.errors import ApiError
from mockapis.templates.engine import TemplateProblem

__all__ = ["from_problem", "render_error"]


def render_error(exc: ApiError) -> dict[str, Any]:
    """``{"error": {"type": <code>, "message", "line"?}}`` (``line``: the template line)."""
    error: dict[str, Any] = {
        "type": exc.code,
        "message": exc.message.encode("utf-8", "replace").decode("utf-8"),
    }
    if exc.extra.get("line") is not None:
        error["line"] = exc.extra["line"]
    return {"error": error}


def from_problem(problem: TemplateProblem, where: str = "") -> ApiError:
    """A 422 for a template that cannot compile or render, naming the line when known."""
    at = f" (line {problem.line})" if problem.line is not None else ""
    prefix = f"{where}: " if where else ""
    return ApiError(
        422, f"{prefix}{problem.message}{at}", code=problem.kind, extra={"line": problem.line}
    )

"""APIs without a database: Calculator, GetToday, PlayMusic, SendEmail, and ToolSearcher
(backed by ``mockapis.apibank.search``). Calculator and ToolSearcher are in both suites.

GetToday answers ``2023-03-31`` as upstream's does on every run (the gold dialogues all show it
and replay exactly), not the episode clock's date: the dialogues' dates depend on it.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from mockapis.apibank import home
from mockapis.apibank.base import LV3, LV12, Api, ApiBankError, Db, register
from mockapis.apibank.checks import folded, same_call, stripped

__all__ = ["TODAY", "Calculator", "GetToday", "PlayMusic", "SendEmail", "ToolSearcher"]

TODAY = "2023-03-31"

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
}
_MAX_FORMULA = 1000


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise ApiBankError("invalid formula.")
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Div) and right == 0:
            raise ApiBankError("Division by zero.")
        return float(_BINARY[type(node.op)](left, right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return float(_UNARY[type(node.op)](_evaluate(node.operand)))
    raise ApiBankError("invalid formula.")


@register
class Calculator(Api):
    """Evaluates ``+ - * /`` and parentheses on numbers; the result is a float."""

    name = "Calculator"
    suites = (LV12, LV3)

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        formula = str(args["formula"]).strip()
        if not formula or len(formula) > _MAX_FORMULA:
            raise ApiBankError("invalid formula.")
        try:
            tree = ast.parse(formula, mode="eval")
        except (SyntaxError, ValueError):
            raise ApiBankError("invalid formula.") from None
        try:
            return _evaluate(tree)
        except (OverflowError, RecursionError):
            raise ApiBankError("invalid formula.") from None


@register
class GetToday(Api):
    """Today's date (fixed: see the module docstring)."""

    name = "GetToday"

    def input_of(self, args: Mapping[str, Any]) -> Any:
        """Upstream's result has no input (``null``)."""
        return None

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        return TODAY


@register
class PlayMusic(Api):
    """The URL scheme that plays a piece of music: ``music://<name, lower-cased>``."""

    name = "PlayMusic"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        music = args["music_name"].strip().lower()
        if music == "":
            raise ApiBankError("Music name cannot be empty.")
        return f"music://{music}"


_EMAIL = re.compile(r"^[a-z0-9]+[\._]?[a-z0-9]+[@]\w+[.]\w{2,3}$")


@register
class SendEmail(Api):
    """Sends an email (nothing is delivered): checks address, subject and content."""

    name = "SendEmail"

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        receiver = args["receiver"].strip()
        if not _EMAIL.match(receiver):
            raise ApiBankError("Email address of the receiver is invalid.")
        if args["subject"].strip() == "":
            raise ApiBankError("Subject cannot be empty.")
        if args["content"].strip() == "":
            raise ApiBankError("Content cannot be empty.")
        return "success"

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: receivers compared lower-cased, all stripped; output and exception."""
        compare = {"receiver": folded, "subject": stripped, "content": stripped}
        return same_call(response, gold, compare=compare)


@register
class ToolSearcher(Api):
    """The API best matching some keywords (``mockapis.apibank.search``): its spec, or
    ``[GetUserToken spec, spec]`` when it takes a token."""

    name = "ToolSearcher"
    suites = (LV12, LV3)

    def call(self, db: Db, args: dict[str, Any]) -> Any:
        from mockapis.apibank import search

        try:
            return search.tool_search(str(args["keywords"]), home.catalog(), db.level)
        except search.NoMatch as exc:
            raise ApiBankError(str(exc)) from None

    def check(self, response: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
        """Upstream: output and exception equal."""
        return same_call(response, gold)

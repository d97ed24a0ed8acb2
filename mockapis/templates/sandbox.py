"""The Jinja sandbox of one render: data-only attribute access, counted work, capped operators,
and a syntax-tree guard that meters loops, output and comparisons and refuses includes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from mockapis.templates.limits import MAX_DEPTH, MAX_VALUE, Budget, RenderLimitError, size_of

__all__ = [
    "CHARGE",
    "EMIT",
    "GUARD_FILTERS",
    "ITERATE",
    "SIZED",
    "TemplateSandbox",
    "check_percent_format",
    "guard_tree",
]

ITERATE = "_iterate"
EMIT = "_emit"
SIZED = "_sized"
CHARGE = "_charge"
GUARD_FILTERS = (ITERATE, EMIT, SIZED, CHARGE)
"""Internal filters the guard wraps around loops, output, ``~`` and comparisons."""

_STR_METHODS = frozenset(
    [
        "capitalize",
        "casefold",
        "count",
        "endswith",
        "find",
        "isalnum",
        "isalpha",
        "isdigit",
        "islower",
        "isspace",
        "istitle",
        "isupper",
        "lower",
        "lstrip",
        "partition",
        "removeprefix",
        "removesuffix",
        "rfind",
        "rpartition",
        "rsplit",
        "rstrip",
        "split",
        "splitlines",
        "startswith",
        "strip",
        "swapcase",
        "title",
        "upper",
    ]
)
_DICT_METHODS = frozenset({"items", "keys", "values", "get"})
_LIST_METHODS = frozenset({"index", "count"})
_LOOP_ATTRIBUTES = frozenset(
    [
        "index",
        "index0",
        "revindex",
        "revindex0",
        "first",
        "last",
        "length",
        "depth",
        "depth0",
        "previtem",
        "nextitem",
        "cycle",
        "changed",
    ]
)
_GROUP_ATTRIBUTES = frozenset({"grouper", "list"})

NESTED_CALL_COST = 25
"""Work units of a macro, block or recursive-loop call (each costs far more than a step)."""
_MAX_INT_BITS = 4096
_MAX_FORMAT_WIDTH = 100
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _allowed_attributes(obj: Any) -> frozenset[str]:
    if isinstance(obj, str):
        return _STR_METHODS
    if isinstance(obj, dict):
        return _DICT_METHODS
    if isinstance(obj, list | tuple):
        names = _LIST_METHODS
        if hasattr(obj, "grouper"):  # groupby's named tuples
            names = names | _GROUP_ATTRIBUTES
        return names
    if isinstance(obj, LoopContext):
        return _LOOP_ATTRIBUTES
    return frozenset()


def _kind(obj: Any) -> str:
    """``obj``'s type with its article, for messages ("a str", "an undefined")."""
    name = "undefined" if isinstance(obj, Undefined) else type(obj).__name__
    return ("an " if name[:1] in "aeiouAEIOU" else "a ") + name


def check_percent_format(fmt: str) -> None:
    """Refuse a ``%`` format with a ``*`` or a width or precision over the cap."""
    for match in _PERCENT_SPEC.finditer(fmt):
        for part in match.groups():
            if part == "*" or (part is not None and int(part) > _MAX_FORMAT_WIDTH):
                raise RenderLimitError(
                    f"format widths and precisions are limited to {_MAX_FORMAT_WIDTH} "
                    f"(and '*' is not allowed); got {match.group(0)!r}"
                )


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """An immutable sandbox with a per-render :class:`Budget`.

    Attribute access reaches only the data: an object's keys (which shadow methods), a short
    list of read-only string, dict and list methods, and the loop variable. Everything else,
    underscored names first, is refused with :class:`SecurityError` (never a silent undefined).
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, budget: Budget, **options: Any) -> None:
        super().__init__(**options)
        self.budget = budget

    # -- attributes and items ----------------------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Only whitelisted, public attributes of data, strings and loops."""
        return not attr.startswith("_") and attr in _allowed_attributes(obj)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        """Raise at once: an unsafe attribute is an error, not an empty value."""
        raise SecurityError(
            f"access to attribute {attribute!r} of {_kind(obj)} value is not allowed "
            "(templates reach data keys and a few string, list and dict methods only)"
        )

    def _attribute(self, obj: Any, name: str) -> Any:
        if isinstance(obj, TemplateReference):
            try:
                return obj[name]
            except KeyError:
                pass
        if name in _allowed_attributes(obj) and not name.startswith("_"):
            return getattr(obj, name)
        if name.startswith("_") or hasattr(obj, name):
            return self.unsafe_undefined(obj, name)
        return self.undefined(obj=obj, name=name)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute``: a key of a data object first, then a whitelisted method."""
        self.budget.charge(1)
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return self._attribute(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """``obj[argument]``: an item (slices cost their length), else a whitelisted attribute."""
        self.budget.charge(1)
        if isinstance(obj, str | list | tuple | dict):
            try:
                value = obj[argument]
            except (TypeError, LookupError):
                pass
            else:
                if isinstance(argument, slice):
                    self.budget.charge(size_of(value))
                return value
        elif isinstance(obj, LoopContext | TemplateReference) and isinstance(argument, str):
            return self._attribute(obj, argument)
        if isinstance(argument, str):
            return self._attribute(obj, argument)
        return self.undefined(obj=obj, name=argument)

    # -- calls and operators -----------------------------------------------------------------

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A call from a template: counted, with nesting (macros, recursive loops) capped."""
        if isinstance(__obj, Undefined):
            return __obj()  # raises the undefined error naming the missing variable
        if not callable(__obj):
            raise SecurityError(f"{_kind(__obj)} value is not callable")
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"{_kind(__obj)} is not safely callable")
        nested = isinstance(__obj, Macro | LoopContext | BlockReference)
        # A method (``big.split(',')``) costs the length of the value it works on.
        receiver = getattr(__obj, "__self__", None)
        __self.budget.charge(NESTED_CALL_COST if nested else 1 + size_of(receiver))
        if nested:
            if __self.budget.depth >= MAX_DEPTH:
                raise RenderLimitError(
                    f"calls nest more than {MAX_DEPTH} deep (macro or loop recursion)"
                )
            __self.budget.depth += 1
        try:
            return __context.call(__obj, *args, **kwargs)
        finally:
            if nested:
                __self.budget.depth -= 1

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        """``*``, ``**``, ``+`` and ``%`` with their results' sizes checked before they exist."""
        self.budget.charge(1)
        check = _BINOP_CHECKS[operator_]
        check(left, right)
        result = self.binop_table[operator_](left, right)
        if _is_int(result) and abs(result).bit_length() > _MAX_INT_BITS:
            raise RenderLimitError(f"integers are limited to {_MAX_INT_BITS} bits")
        self.budget.charge(size_of(result))
        return self.budget.check_size(result, f"the result of {operator_!r}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int)


def _check_mul(left: Any, right: Any) -> None:
    if _is_int(left) and _is_int(right):
        if abs(left).bit_length() + abs(right).bit_length() > _MAX_INT_BITS:
            raise RenderLimitError(f"integers are limited to {_MAX_INT_BITS} bits")
        return
    for seq, times in ((left, right), (right, left)):
        repeated = isinstance(seq, str | list | tuple) and _is_int(times)
        if repeated and len(seq) * max(times, 0) > MAX_VALUE:
            raise RenderLimitError(
                f"repeating a value of length {len(seq)} {times} times exceeds the limit "
                f"of {MAX_VALUE}"
            )


def _check_pow(left: Any, right: Any) -> None:
    if _is_int(left) and _is_int(right) and (abs(left).bit_length() - 1) * right > _MAX_INT_BITS:
        raise RenderLimitError(f"integers are limited to {_MAX_INT_BITS} bits")


def _check_add(left: Any, right: Any) -> None:
    if size_of(left) + size_of(right) > MAX_VALUE:
        raise RenderLimitError(f"the result of '+' would exceed the limit of {MAX_VALUE}")


def _check_mod(left: Any, right: Any) -> None:
    if isinstance(left, str):
        check_percent_format(left)


_BINOP_CHECKS: Mapping[str, Callable[[Any, Any], None]] = {
    "*": _check_mul,
    "**": _check_pow,
    "+": _check_add,
    "%": _check_mod,
}


class _Guard(NodeTransformer):
    """Wraps loops, output, ``~``, slices and comparisons in metering filters; refuses
    includes."""

    @staticmethod
    def _wrap(node: nodes.Node, name: str) -> nodes.Filter:
        return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = self._wrap(node.iter, ITERATE)
        return node

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [self._wrap(child, EMIT) for child in node.nodes]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return self._wrap(node, SIZED)

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        self.generic_visit(node)
        if isinstance(node.arg, nodes.Slice):  # compiled as ``a[1:]``, not through getitem
            return self._wrap(node, CHARGE)
        return node

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        self.generic_visit(node)
        node.expr = self._wrap(node.expr, CHARGE)
        for operand in node.ops:
            operand.expr = self._wrap(operand.expr, CHARGE)
        return node

    def _refuse(self, node: nodes.Node, tag: str) -> nodes.Node:
        raise TemplateSyntaxError(
            f"{{% {tag} %}} is not supported: a template is self-contained (use macros "
            "defined in the same template)",
            node.lineno,
        )

    def visit_Include(self, node: nodes.Include) -> nodes.Node:
        return self._refuse(node, "include")

    def visit_Import(self, node: nodes.Import) -> nodes.Node:
        return self._refuse(node, "import")

    def visit_FromImport(self, node: nodes.FromImport) -> nodes.Node:
        return self._refuse(node, "from ... import")

    def visit_Extends(self, node: nodes.Extends) -> nodes.Node:
        return self._refuse(node, "extends")


def guard_tree(tree: nodes.Template) -> nodes.Template:
    """``tree`` with its loops, output, concatenations and comparisons metered."""
    guarded = _Guard().visit(tree)
    assert isinstance(guarded, nodes.Template)
    return guarded

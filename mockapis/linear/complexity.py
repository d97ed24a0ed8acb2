"""Query complexity as Linear scores it, computed before execution.

Each property (scalar or enum field) costs 0.1 point and each object 1 point; a connection
multiplies the cost of its ``nodes`` and ``edges`` by its page size (``first`` or ``last``,
50 when neither is given). A query over :data:`MAX_COMPLEXITY` points is refused before it
runs. ``__typename`` and introspection (``__schema``, ``__type``) are free here, so that
standard clients can introspect the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)

__all__ = ["DEFAULT_PAGE", "MAX_COMPLEXITY", "complexity", "js_number"]

MAX_COMPLEXITY = 10_000
DEFAULT_PAGE = 50
_PROPERTY = 0.1
_OBJECT = 1.0


def complexity(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
) -> float:
    """The complexity points of ``operation`` (a validated operation of ``document``)."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0.0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return _Scorer(schema, fragments, variables).selections(root, operation.selection_set, None)


def js_number(value: float) -> str:
    """``value`` as JavaScript prints a number (``10000``, ``12304.999999999998``)."""
    return str(int(value)) if value == int(value) else repr(value)


class _Scorer:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selections(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode, page: int | None
    ) -> float:
        """The cost of ``selection_set`` on ``parent``; ``page`` is the enclosing connection's
        page size (its list fields are multiplied by it)."""
        total = 0.0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, page)
            elif isinstance(selection, InlineFragmentNode):
                target = parent
                if selection.type_condition is not None:
                    named = self.schema.get_type(selection.type_condition.name.value)
                    target = named if isinstance(named, GraphQLObjectType) else parent
                total += self.selections(target, selection.selection_set, page)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    named = self.schema.get_type(fragment.type_condition.name.value)
                    target = named if isinstance(named, GraphQLObjectType) else parent
                    total += self.selections(target, fragment.selection_set, page)
        return total

    def field(self, parent: GraphQLObjectType, node: FieldNode, page: int | None) -> float:
        name = node.name.value
        definition = parent.fields.get(name)
        if name.startswith("__") or definition is None:
            return 0.0
        field_type = definition.type
        named = get_named_type(field_type)
        if is_leaf_type(named):
            return _PROPERTY
        if not isinstance(named, GraphQLObjectType) or node.selection_set is None:
            return _OBJECT
        inner = field_type.of_type if is_non_null_type(field_type) else field_type
        count = (page or 1) if is_list_type(inner) else 1
        child_page = self.page_size(node) if named.name.endswith("Connection") else None
        return count * (_OBJECT + self.selections(named, node.selection_set, child_page))

    def page_size(self, node: FieldNode) -> int:
        """The ``first`` (else ``last``) argument of a connection field, else the default."""
        for wanted in ("first", "last"):
            for argument in node.arguments or ():
                if argument.name.value != wanted:
                    continue
                value: Any = None
                if isinstance(argument.value, IntValueNode):
                    value = int(argument.value.value)
                elif isinstance(argument.value, VariableNode):
                    value = self.variables.get(argument.value.name.value)
                if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                    return value
        return DEFAULT_PAGE

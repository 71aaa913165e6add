"""A query-cost validation rule: objects cost 1, connections multiply their selection by the page size, a field
answering a list of ids (`nodes(ids:)`) by the number of ids, and a field answering `count` plans
(`planAlternatives`) by its count.

strawberry ships depth, alias and token limiters but no cost analysis. The rule runs in validation, so
its verdict is cached with the document like any other validation result: the rule class is built once
per schema, never per request (a per-request rule would defeat the validation cache).
"""

from __future__ import annotations

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.validation.validation_context import ASTValidationContext

from solver.alternatives import DEFAULT_COUNT, MAX_COUNT

PAGE_ARGUMENTS = ("first", "last")
ID_LIST_ARGUMENTS = ("ids",)
# Root fields that answer `count` plans (schema/alternatives.py): their selection counts `count` times (MAX_COUNT
# for a variable, DEFAULT_COUNT when left out), as the endpoint charges `count` plans (api/shape.py).
COUNTED_FIELDS = frozenset({"planAlternatives", "planHouseholdAlternatives"})
COUNT_ARGUMENT = "count"


def selection_cost(
    selection_set: SelectionSetNode | None,
    context: ASTValidationContext,
    default_page_size: int,
    visiting: frozenset[str] = frozenset(),
) -> int:
    """The cost of a selection set: 1 per object field, times the page size under a connection."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is None:
                continue
            children = selection_cost(selection.selection_set, context, default_page_size, visiting)
            times = (
                _count(selection)
                if selection.name.value in COUNTED_FIELDS
                else _page_size(selection, default_page_size)
            )
            total += 1 + times * children
        elif isinstance(selection, InlineFragmentNode):
            total += selection_cost(selection.selection_set, context, default_page_size, visiting)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = context.get_fragment(name)
            if fragment is not None and name not in visiting:
                total += selection_cost(fragment.selection_set, context, default_page_size, visiting | {name})
    return total


def _page_size(field: FieldNode, default_page_size: int) -> int:
    """The literal `first`/`last` argument (or the number of `ids` listed), or the largest page when it is a
    variable; 1 when there is none."""
    for argument in field.arguments or ():
        if argument.name.value in ID_LIST_ARGUMENTS:
            if isinstance(argument.value, ListValueNode):
                return max(1, min(len(argument.value.values), default_page_size))
            return default_page_size
        if argument.name.value in PAGE_ARGUMENTS:
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), default_page_size))
            return default_page_size
    return 1


def _count(field: FieldNode) -> int:
    """How many plans a counted field answers: its literal `count` (within 1..MAX_COUNT), MAX_COUNT for a
    variable, DEFAULT_COUNT when it is left out."""
    for argument in field.arguments or ():
        if argument.name.value == COUNT_ARGUMENT:
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), MAX_COUNT))
            return MAX_COUNT
    return DEFAULT_COUNT


def cost_limit_rule(max_cost: int, default_page_size: int) -> type[ASTValidationRule]:
    """A validation rule class refusing operations whose cost exceeds `max_cost`."""

    class QueryCostRule(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            cost = selection_cost(node.selection_set, self.context, default_page_size)
            if cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"Query cost {cost} exceeds the limit of {max_cost}: ask for smaller pages (first) "
                        "or fewer nested connections.",
                        node,
                        extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "maxCost": max_cost},
                    )
                )

    return QueryCostRule

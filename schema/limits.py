"""The limits every operation is validated against: depth, aliases, tokens and cost.

The rule classes are built once, at import, and every request adds the same classes: graphql-core's
validation is cached (strawberry's `ValidationCache`) by schema, document and the tuple of rule classes,
so a rule class made per request would make every request a cache miss.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
)
from graphql.validation.validation_context import ASTValidationContext
from strawberry.extensions.max_aliases import create_validator as alias_validator

from schema.cost import cost_limit_rule
from schema.queries import MAX_PAGE_SIZE

MAX_DEPTH = 20  # the standard introspection query (GraphiQL's) nests 15 deep; the contract's operations 4.
MAX_ALIASES = 30
MAX_TOKENS = 5_000
MAX_COST = 3_000  # 100 households with members and all their records is about 900.
TOO_COMPLEX = "QUERY_TOO_COMPLEX"


def coded(rule: type[ASTValidationRule], code: str) -> type[ASTValidationRule]:
    """`rule` with `extensions.code` set on the errors it reports (strawberry's limiters set none).

    strawberry's depth and alias rules report from their constructor, so the context's error callback is
    wrapped for the duration of it.
    """

    class Coded(rule):  # type: ignore[valid-type, misc]
        def __init__(self, context: ValidationContext, *args: Any) -> None:
            report = context.on_error

            def on_error(error: GraphQLError) -> None:
                error.extensions = {"code": code, **(error.extensions or {})}
                report(error)

            context.on_error = on_error  # type: ignore[method-assign]
            try:
                super().__init__(context, *args)
            finally:
                context.on_error = report  # type: ignore[method-assign]

    Coded.__name__ = f"Coded{rule.__name__}"
    return Coded


def selection_depth(
    selection_set: SelectionSetNode | None, context: ASTValidationContext, visiting: frozenset[str] = frozenset()
) -> int:
    """How deep fields nest under a selection set, through fragments, introspection fields included."""
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            deepest = max(deepest, 1 + selection_depth(selection.selection_set, context, visiting))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, selection_depth(selection.selection_set, context, visiting))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in visiting:
            fragment = context.get_fragment(selection.name.value)
            if fragment is not None:
                name = selection.name.value
                deepest = max(deepest, selection_depth(fragment.selection_set, context, visiting | {name}))
    return deepest


def depth_limit_rule(max_depth: int) -> type[ASTValidationRule]:
    """A rule refusing operations nested deeper than `max_depth`.

    strawberry's QueryDepthLimiter skips introspection fields, so `__type { ofType { ofType ... } } }`
    nests as deep as a client likes; this rule counts every field.
    """

    class DepthLimitRule(ASTValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            depth = selection_depth(node.selection_set, self.context)
            if depth > max_depth:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    GraphQLError(
                        f"Operation '{name}' nests {depth} fields deep; the limit is {max_depth}.",
                        node,
                        extensions={"code": TOO_COMPLEX, "depth": depth, "maxDepth": max_depth},
                    )
                )

    return DepthLimitRule


VALIDATION_RULES: tuple[type[ASTValidationRule], ...] = (
    depth_limit_rule(MAX_DEPTH),
    coded(alias_validator(MAX_ALIASES), TOO_COMPLEX),
    cost_limit_rule(MAX_COST, MAX_PAGE_SIZE),
)

"""The limits every operation is validated against: depth, aliases, tokens and cost.

The rule classes are built once, at import, and every request adds the same classes: graphql-core's
validation is cached (strawberry's `ValidationCache`) by schema, document and the tuple of rule classes,
so a rule class made per request would make every request a cache miss.
"""

from __future__ import annotations

from typing import Any

from graphql import ASTValidationRule, GraphQLError, ValidationContext
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from schema.cost import cost_limit_rule
from schema.queries import MAX_PAGE_SIZE

MAX_DEPTH = 15  # GraphiQL's introspection query is 13 deep; the contract's operations 4.
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


VALIDATION_RULES: tuple[type[ASTValidationRule], ...] = (
    coded(depth_validator(MAX_DEPTH, None, None), TOO_COMPLEX),
    coded(alias_validator(MAX_ALIASES), TOO_COMPLEX),
    cost_limit_rule(MAX_COST, MAX_PAGE_SIZE),
)

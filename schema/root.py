"""The served schema: Query and Mutation merged from the parts each package of the schema contributes.

To add a part, import its type and append it to QUERY_PARTS or MUTATION_PARTS (one line each); shared
enums live in `schema/enums.py` and `FieldError` in `schema/errors.py`, so parts never register a type twice.
"""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from db.faults import fault_code
from schema.admin import AdminMutation, AdminQuery
from schema.alternatives import AlternativesMutation, AlternativesQuery
from schema.calendar_feeds import CalendarFeedsMutation, CalendarFeedsQuery
from schema.coercion import CoercionErrors
from schema.descriptions import describe
from schema.errors import MaskFaultsAndErrors, log_fault, should_mask_error
from schema.firm import FirmMutation, FirmQuery
from schema.household_facts import HouseholdFactsMutation
from schema.limits import MAX_TOKENS, VALIDATION_RULES
from schema.mutations import RecordsMutation
from schema.plan_diff import PlanDiffQuery
from schema.plan_jobs import PlanJobsMutation, PlanJobsQuery, PlanJobsSubscription
from schema.planning import PlanningQuery
from schema.processing import ProcessingMutation, ProcessingQuery
from schema.queries import MAX_PAGE_SIZE, RecordsQuery
from schema.replans import ReplansMutation, ReplansQuery, ReplansSubscription
from schema.rules import RulesQuery
from schema.scalars import SCALARS
from schema.stored_plans import StoredPlansMutation, StoredPlansQuery

QUERY_PARTS: tuple[type, ...] = (
    RecordsQuery,
    RulesQuery,
    PlanningQuery,
    AdminQuery,
    StoredPlansQuery,
    PlanJobsQuery,
    PlanDiffQuery,
    FirmQuery,
    AlternativesQuery,
    ReplansQuery,
    CalendarFeedsQuery,
    ProcessingQuery,
)
MUTATION_PARTS: tuple[type, ...] = (
    RecordsMutation,
    HouseholdFactsMutation,
    AdminMutation,
    StoredPlansMutation,
    PlanJobsMutation,
    FirmMutation,
    AlternativesMutation,
    ReplansMutation,
    CalendarFeedsMutation,
    ProcessingMutation,
)
SUBSCRIPTION_PARTS: tuple[type, ...] = (PlanJobsSubscription, ReplansSubscription)

Query = merge_types("Query", QUERY_PARTS)
Mutation = merge_types("Mutation", MUTATION_PARTS)
Subscription = merge_types("Subscription", SUBSCRIPTION_PARTS)


# Caches hold this many documents (and their validation results); the LRU keeps a flood of unique texts bounded.
CACHE_SIZE = 512


def _mask_errors() -> SchemaExtension:
    return MaskFaultsAndErrors(should_mask_error=should_mask_error)


def _max_tokens() -> SchemaExtension:
    return MaxTokensLimiter(max_token_count=MAX_TOKENS)


def _parser_cache() -> SchemaExtension:
    return ParserCache(maxsize=CACHE_SIZE)


def _limits() -> SchemaExtension:
    # The same rule classes every time (schema/limits.py): the validation cache keys on them.
    return AddValidationRules(list(VALIDATION_RULES))


def _validation_cache() -> SchemaExtension:
    return ValidationCache(maxsize=CACHE_SIZE)


def extensions() -> list[type[SchemaExtension] | Callable[[], SchemaExtension]]:
    """The schema's extensions (made per operation, from limits built once).

    Tokens are limited while parsing, depth, aliases and cost while validating (both cached); unexpected
    errors are logged by strawberry, then masked; variable coercion errors are rewritten into the error
    contract (`schema/coercion.py`).
    """
    return [_max_tokens, _parser_cache, _limits, _validation_cache, CoercionErrors, _mask_errors]


class Schema(strawberry.Schema):
    """strawberry's schema, logging only unexpected errors (bugs); a client's mistakes are not the server's."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Log the errors that will be masked, with their traceback (and the request id of the log line); a
        database fault in one warning line (it says "retry", not "bug")."""
        bugs = []
        for error in filter(should_mask_error, errors):
            if error.original_error is not None and fault_code(error.original_error) is not None:
                log_fault(error.original_error, f"resolving {'.'.join(map(str, error.path or ()))}")
            else:
                bugs.append(error)
        super().process_errors(bugs, execution_context)


schema = Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    extensions=extensions(),
    config=StrawberryConfig(relay_max_results=MAX_PAGE_SIZE, scalar_map=SCALARS),
)
# The shared facts' descriptions fill what the modules leave blank (schema/descriptions.py), once, before serving.
UNMATCHED_DESCRIPTIONS = describe(schema._schema)


def sdl() -> str:
    """The served schema as SDL, as `permitpath export-schema` prints it and schema.graphql holds it."""
    return schema.as_str() + "\n"

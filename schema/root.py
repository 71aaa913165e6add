"""The served schema: Query and Mutation merged from the parts each package of the schema contributes.

To add a part, import its type and append it to QUERY_PARTS or MUTATION_PARTS (one line each); shared
enums live in `schema/enums.py` and `FieldError` in `schema/errors.py`, so parts never register a type twice.
"""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from schema.errors import should_mask_error
from schema.mutations import RecordsMutation
from schema.planning import PlanningQuery
from schema.queries import MAX_PAGE_SIZE, RecordsQuery
from schema.rules import RulesQuery

QUERY_PARTS: tuple[type, ...] = (RecordsQuery, RulesQuery, PlanningQuery)
MUTATION_PARTS: tuple[type, ...] = (RecordsMutation,)

Query = merge_types("Query", QUERY_PARTS)
Mutation = merge_types("Mutation", MUTATION_PARTS)


def _mask_errors() -> SchemaExtension:
    return MaskErrors(should_mask_error=should_mask_error)


def extensions() -> list[type[SchemaExtension] | Callable[[], SchemaExtension]]:
    """The schema's extensions (made per operation); unexpected errors are logged by strawberry, then masked."""
    return [_mask_errors]


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=extensions(),
    config=StrawberryConfig(relay_max_results=MAX_PAGE_SIZE),
)


def sdl() -> str:
    """The served schema as SDL, as `permitpath export-schema` prints it and schema.graphql holds it."""
    return schema.as_str() + "\n"

"""Expected failures as GraphQL types, and which unexpected errors get masked.

Expected outcomes (bad input, unknown ids, conflicts) are members of a mutation's result union. A `PublicError` is an
expected error raised where a union does not fit (a query argument out of range); its message is shown.
Anything else is a bug: strawberry logs it and `MaskErrors` replaces its message.
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from solver.domain import FieldError as DomainFieldError


@strawberry.type(description="One invalid input: `path` names the field (e.g. `input.offers[0].hoursPerWeek`).")
class FieldError:
    path: str
    message: str

    @classmethod
    def from_domain(cls, error: DomainFieldError) -> FieldError:
        """The GraphQL form of a solver field error."""
        return cls(path=error.path, message=error.message)


@strawberry.type(description="The input was refused; each error names a field and what is allowed. Nothing written.")
class InvalidInput:
    errors: list[FieldError]


@strawberry.type(description="No record with this id in your firm. Nothing was written.")
class NotFound:
    "The argument or input field holding the id."

    path: str
    id: strawberry.ID
    message: str


@strawberry.type(description="The record is gone (with everything that belonged to it).")
class Deleted:
    id: strawberry.ID


CONFLICT = "CONFLICT"


@strawberry.type(
    description=(
        "The request conflicts with the stored state: the record changed since the `version` you sent (read it "
        "again and reapply your change), or the `idempotencyKey` was first sent with another input. Nothing "
        "was written."
    )
)
class Conflict:
    "The argument that conflicts: `version` or `idempotencyKey`."

    path: str
    message: str
    code: str = strawberry.field(default=CONFLICT, description="Always CONFLICT.")
    current_version: int | None = strawberry.field(
        default=None, description="The record's version now, for a stale `version`."
    )


class PublicError(Exception):
    """An expected error whose message is meant for the client (never masked); `code` is its extensions.code."""

    code = "INVALID_INPUT"


# Expected errors raised by other layers (the api registers its SolverBusy), shown with their stable code.
PUBLIC_ERRORS: dict[type[Exception], str] = {}


def should_mask_error(error: GraphQLError) -> bool:
    """Mask errors raised while resolving fields (bugs), except `PublicError`s.

    Errors without a path come before execution (syntax, validation, variable coercion): they describe the
    request, not the server, so they are shown.
    """
    if error.path is None or error.original_error is None:
        return False
    original = error.original_error
    return not isinstance(original, (PublicError, GraphQLError, *PUBLIC_ERRORS))

"""Expected failures as GraphQL types, and which unexpected errors get masked.

Expected outcomes (bad input, unknown ids, conflicts) are members of a mutation's result union. A `PublicError` is an
expected error raised where a union does not fit (a query argument out of range); its message is shown.
A database fault (db/faults.py: the database is down, refuses the login, is locked or full) is neither:
it is logged at warning in one line and shown as `Unavailable` with its code (DATABASE_UNAVAILABLE,
STORAGE_FULL) and a fixed message, which the endpoint answers with 503 and Retry-After. Anything else is a
bug: strawberry logs it and `MaskErrors` replaces its message.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from db.faults import fault_code
from solver.domain import FieldError as DomainFieldError

log = logging.getLogger("permitpath.faults")
# What a client is told to wait before retrying after a database fault (the Retry-After header).
RETRY_AFTER_S = 5


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


class Unavailable(PublicError):
    """A database fault as the client sees it: a fixed message (the driver's names the database, host and
    role) and a retryable code."""

    def __init__(self, code: str) -> None:
        what = "storage is full" if code == "STORAGE_FULL" else "database is unavailable"
        super().__init__(f"the service's {what} for the moment; retry after {RETRY_AFTER_S} s")
        self.code = code


def unavailable(error: BaseException) -> Unavailable | None:
    """The client's view of `error` when it is a database fault, else None."""
    code = fault_code(error)
    return Unavailable(code) if code is not None else None


def log_fault(error: BaseException, where: str) -> None:
    """One warning line for a database fault: what failed, not a traceback per request."""
    detail = f"{type(error).__name__}: {error}".splitlines()[0]
    log.warning("database fault %s (answered 503 %s): %s", where, fault_code(error), detail)


class MaskFaultsAndErrors(MaskErrors):
    """strawberry's MaskErrors, showing a database fault as `Unavailable` (its code, never the driver's text)."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        """The masked error, or the `Unavailable` one for a database fault."""
        shown = unavailable(error.original_error) if error.original_error is not None else None
        if shown is None:
            return super().anonymise_error(error)
        return GraphQLError(
            message=str(shown),
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=shown,
            extensions={"code": shown.code},
        )

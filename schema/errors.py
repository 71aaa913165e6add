"""Expected failures as GraphQL types, and which unexpected errors get masked.

Expected outcomes (bad input, unknown ids, conflicts) are members of a mutation's result union. A `PublicError` is an
expected error raised where a union does not fit (a query argument out of range); its message is shown.
A database fault (db/faults.py: the database is down, refuses the login, is locked or full) is neither:
it is logged at warning in one line and shown as `Unavailable` with its code (DATABASE_UNAVAILABLE,
STORAGE_FULL) and a fixed message, which the endpoint answers with 503 and Retry-After. Anything else is a
bug: strawberry logs it and `MaskErrors` replaces its message.

Every input problem, whatever layer finds it, is one field error: a path from the operation's variables or
arguments, a `FieldErrorCode` and a short message (docs/integrators.md "Errors"). In a result union it is a
`FieldError`; elsewhere (a query argument, the variables before execution) `InvalidFields` and the api's
limits put the same three in `errors[].extensions.fieldErrors`, and `schema/coercion.py` rewrites
graphql-core's coercion errors into it.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Iterable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from db.faults import fault_code
from solver.domain import FieldError as DomainFieldError

log = logging.getLogger("permitpath.faults")
# What a client is told to wait before retrying after a database fault (the Retry-After header).
RETRY_AFTER_S = 5


@strawberry.enum(
    name="FieldErrorCode",
    description="What is wrong with one input field: the closed set every layer reports (the variables' types and "
    "limits before execution, the checks of facts while resolving).",
)
class FieldErrorCode(enum.Enum):
    """The machine half of an input error; the message is the human half (docs/integrators.md "Errors")."""

    REQUIRED = strawberry.enum_value("REQUIRED", description="A required field or variable is missing or empty.")
    NOT_NULL = strawberry.enum_value(
        "NOT_NULL", description="An explicit null where the field takes none (omit it to use its default)."
    )
    UNKNOWN_FIELD = strawberry.enum_value("UNKNOWN_FIELD", description="The input type has no field of this name.")
    INVALID_TYPE = strawberry.enum_value(
        "INVALID_TYPE", description="The value is of the wrong kind (text for a number, a list for an object)."
    )
    UNKNOWN_CODE = strawberry.enum_value(
        "UNKNOWN_CODE",
        description="A code outside its closed list: an enum value, a country, province, NOC unit group, permit "
        "category, PR program or draw type.",
    )
    OUT_OF_RANGE = strawberry.enum_value(
        "OUT_OF_RANGE", description="A number or date outside the range the field allows."
    )
    INVALID_VALUE = strawberry.enum_value(
        "INVALID_VALUE",
        description="A value of the right kind that the rules refuse: a malformed date or number, dates out of "
        "order, a reference to nothing, facts that contradict each other.",
    )
    INVALID_TEXT = strawberry.enum_value(
        "INVALID_TEXT", description="Text with NUL, control characters or lone surrogates, or a line break in a name."
    )
    TOO_LONG = strawberry.enum_value("TOO_LONG", description="Text longer than the field allows.")
    TOO_MANY = strawberry.enum_value("TOO_MANY", description="A list longer than its limit.")
    DUPLICATE = strawberry.enum_value("DUPLICATE", description="A value that must be unique is repeated.")
    LIMIT = strawberry.enum_value(
        "LIMIT",
        description="A limit of the service: the solve time cap, the size or nesting of the variables.",
    )


# The codes of the checks' messages, first match wins (the checks in solver/fields.py, schema/checks.py and
# solver/scenario_json.py say what is wrong in a few fixed phrasings; a new phrasing falls to INVALID_VALUE).
_MESSAGE_CODES: tuple[tuple[re.Pattern[str], FieldErrorCode], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"must not be null|is required; leave it out|not to be None", FieldErrorCode.NOT_NULL),
        (r"\(U\+[0-9A-F]{4}\)|must be one line|lone surrogate", FieldErrorCode.INVALID_TEXT),
        (r"; at most \d+ per|items; the limit is", FieldErrorCode.TOO_MANY),
        (r"is longer than|characters; names have at most", FieldErrorCode.TOO_LONG),
        (r"is required|must not be empty|must not be blank|to be provided", FieldErrorCode.REQUIRED),
        (r"earlier offer|may appear once|must be unique|more than once", FieldErrorCode.DUPLICATE),
        (r"is not a field of", FieldErrorCode.UNKNOWN_FIELD),
        (
            r"is not (?:an? (?:NOC|ISO 3166|Canadian province|exemption code|permit category|permanent-residence"
            r"|known)|one of)|does not exist in '\w+' enum",
            FieldErrorCode.UNKNOWN_CODE,
        ),
        (
            r"is outside|is negative|must not be negative|must be a positive|must be between",
            FieldErrorCode.OUT_OF_RANGE,
        ),
        (
            r"cannot represent|to be an object|expected an ISO date string",
            FieldErrorCode.INVALID_TYPE,
        ),
    )
)


def code_for(message: str) -> FieldErrorCode:
    """The code of a check's message (the checks predate the codes; they name what is wrong in words)."""
    for pattern, code in _MESSAGE_CODES:
        if pattern.search(message):
            return code
    return FieldErrorCode.INVALID_VALUE


SHOWN_CHARACTERS = 40  # the most of a client's value an error message repeats


def shown(value: object) -> str:
    """A client's value as an error message may show it: a scalar's repr cut to a few dozen characters, never a
    whole object or list (a message must not echo the input back)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)}"
    text = repr(value)
    if len(text) <= SHOWN_CHARACTERS:
        return text
    length = f" ({len(value)} characters)" if isinstance(value, str) else ""
    return f"{text[:SHOWN_CHARACTERS]}...{length}"


MAX_MESSAGE = 1000  # characters; a message built around a client's value is cut here (an allowed list fits)


def short(message: str) -> str:
    """`message` cut to MAX_MESSAGE characters (a check that quotes a long value must not echo all of it)."""
    return message if len(message) <= MAX_MESSAGE else f"{message[: MAX_MESSAGE - 3]}..."


def prefixed(prefix: str, path: str) -> str:
    """`path` under `prefix` (the variable or argument holding it): `scenario` + `principal.birthDate`."""
    if not path:
        return prefix
    if path == prefix or path.startswith((f"{prefix}.", f"{prefix}[")):
        return path
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"


@strawberry.type(
    description="One invalid input: `path` names the field from the operation's variables or arguments (e.g. "
    "`scenario.principal.birthDate`, `input.offers[0].hoursPerWeek`, `options.timeLimitMs`), `code` says what "
    "kind of problem it is, `message` says it in English."
)
class FieldError:
    path: str
    message: str

    @strawberry.field(  # type: ignore[untyped-decorator]
        description="What kind of problem it is, from a closed set (stable; the message may change)."
    )
    def code(self) -> FieldErrorCode:
        """The code the check's message names (`code_for`): every check that makes a FieldError has its code
        without being changed, and the two can never disagree."""
        return code_for(self.message)

    @classmethod
    def from_domain(cls, error: DomainFieldError, prefix: str | None = None) -> FieldError:
        """The GraphQL form of a solver field error, its path under `prefix` when given."""
        path = error.path if prefix is None else prefixed(prefix, error.path)
        return cls(path=path, message=short(error.message))


def field_error_json(path: str, code: FieldErrorCode, message: str) -> dict[str, str]:
    """One entry of `errors[].extensions.fieldErrors`: the union members' FieldError, as JSON."""
    return {"path": path, "code": code.name, "message": message}


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


class InvalidFields(PublicError):
    """Input refused where no result union fits (a query argument, the variables before execution): the
    response's error has `extensions.code` INVALID_INPUT and `extensions.fieldErrors`, each with path, code and
    message, as a union's `FieldError`s."""

    def __init__(self, errors: Iterable[tuple[str, FieldErrorCode, str]], summary: str | None = None) -> None:
        self.field_errors = [field_error_json(path, code, short(message)) for path, code, message in errors]
        first = self.field_errors[0] if self.field_errors else {"path": "", "message": "invalid input"}
        more = len(self.field_errors) - 1
        text = summary or f"{first['path']}: {first['message']}" + (f" (and {more} more)" if more > 0 else "")
        super().__init__(short(text))
        # graphql-core copies an original error's `extensions` onto the GraphQLError it locates.
        self.extensions: dict[str, Any] = {"code": self.code, "fieldErrors": self.field_errors}

    @classmethod
    def of(cls, errors: Iterable[DomainFieldError], prefix: str) -> InvalidFields:
        """The solver's field errors under the argument `prefix`, coded from their messages."""
        return cls((prefixed(prefix, e.path), code_for(e.message), e.message) for e in errors)


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

"""The `Date` scalar, bounded: a date a client sends is refused before any resolver sees it when it is outside
`solver.fields.DATE_RANGE`, wherever it enters (an argument, an input field, a variable or a literal).

GraphQL's `String` cannot be replaced the same way (introspection holds the built-in one); text is checked
before execution instead (`api/limits.py`), with `solver.fields.check_text`.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types.scalar import ScalarDefinition

from solver.fields import check_date

DESCRIPTION = "Date (isoformat), from 1900-01-01 to 2100-12-31 when sent"


class InvalidDate(ValueError):
    """A value that is not a date this service accepts; graphql-core names the variable path around it."""

    code = "INVALID_INPUT"


def parse_date(value: object) -> dt.date:
    """An ISO date string within the accepted range as a date, or `InvalidDate` saying what is allowed."""
    if not isinstance(value, str):
        raise InvalidDate(f"expected an ISO date string like 2026-05-01, got {value!r}")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidDate(f"{value!r} is not an ISO date like 2026-05-01") from None
    if message := check_date(day):
        raise InvalidDate(message)
    return day


def _serialize(value: dt.date) -> str:
    return value.isoformat()


DATE: ScalarDefinition = strawberry.scalar(
    name="Date", description=DESCRIPTION, serialize=_serialize, parse_value=parse_date
)
SCALARS: dict[object, ScalarDefinition] = {dt.date: DATE}

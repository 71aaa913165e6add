"""The code of each phrasing the checks use (`schema.errors.code_for`): the checks predate the codes, so a
reworded check must keep its code (or this table says which one it moved to)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from schema.errors import FieldErrorCode, code_for, prefixed, shown
from schema.root import schema

MESSAGES: list[tuple[str, FieldErrorCode]] = [
    ("must not be null; omit it to use the default (60)", FieldErrorCode.NOT_NULL),
    ("is required; leave it out to keep the stored value", FieldErrorCode.NOT_NULL),
    ("contains a control character (U+0000) at position 2; text may hold no NUL", FieldErrorCode.INVALID_TEXT),
    ("must be one line (no tabs or line breaks)", FieldErrorCode.INVALID_TEXT),
    ("21 children; at most 20 per household", FieldErrorCode.TOO_MANY),
    ("is longer than 200 characters", FieldErrorCode.TOO_LONG),
    ("at least one citizenship is required", FieldErrorCode.REQUIRED),
    ("ref must not be empty", FieldErrorCode.REQUIRED),
    ("must not be blank", FieldErrorCode.REQUIRED),
    ("ref 'a' is used by an earlier offer; refs must be unique", FieldErrorCode.DUPLICATE),
    ("each objective term may appear once", FieldErrorCode.DUPLICATE),
    ("is not a field of PersonInput; allowed: birthDate, citizenships", FieldErrorCode.UNKNOWN_FIELD),
    ("'21999' is not a NOC 2021 unit group; allowed: one of the 516 unit groups", FieldErrorCode.UNKNOWN_CODE),
    (
        "'XX' is not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. IN, FR, US)",
        FieldErrorCode.UNKNOWN_CODE,
    ),
    ("'ZZ' is not a Canadian province or territory; allowed: AB, BC", FieldErrorCode.UNKNOWN_CODE),
    ("'Z99' is not a permit category code; allowed: C43", FieldErrorCode.UNKNOWN_CODE),
    ("'XYZ' is not a permanent-residence program (PR.programs); allowed: CEC", FieldErrorCode.UNKNOWN_CODE),
    ("'X' is not one of PR_READY, COST", FieldErrorCode.UNKNOWN_CODE),
    ("500 is outside 1-240 months", FieldErrorCode.OUT_OF_RANGE),
    ("9999-12-31 is outside the dates this service accepts, 1900-01-01 to 2100-12-31", FieldErrorCode.OUT_OF_RANGE),
    ("-2.0 is negative; wages are >= 0", FieldErrorCode.OUT_OF_RANGE),
    ("-1 must be a positive number of milliseconds", FieldErrorCode.OUT_OF_RANGE),
    ("must be between 1 and 240", FieldErrorCode.OUT_OF_RANGE),
    ("expected an ISO date string like 2026-05-01, got 12", FieldErrorCode.INVALID_TYPE),
    ("'nope' is not an ISO date like 2026-05-01", FieldErrorCode.INVALID_VALUE),
    (
        "'X1' is not an offer-of-employment number: 'A' followed by 7 digits (e.g. A1234567)",
        FieldErrorCode.INVALID_VALUE,
    ),
    ("2027-01-01 is not before asOf 2026-12-01", FieldErrorCode.INVALID_VALUE),
    ("no offer has ref 'x'; the offers' refs: acme", FieldErrorCode.INVALID_VALUE),
]


@pytest.mark.parametrize(("message", "code"), MESSAGES, ids=[m for m, _ in MESSAGES])
def test_each_phrasing_has_its_code(message: str, code: FieldErrorCode) -> None:
    assert code_for(message) is code


def test_a_value_is_shown_cut_and_an_object_never() -> None:
    assert shown("ten") == "'ten'"
    assert shown("x" * 100) == "'" + "x" * 39 + "... (100 characters)"
    assert shown({"principal": {"name": "secret"}}) == "an object"
    assert shown([1, 2, 3]) == "a list of 3"


def test_paths_go_under_their_argument_once() -> None:
    assert prefixed("scenario", "principal.birthDate") == "scenario.principal.birthDate"
    assert prefixed("scenario", "scenario.asOf") == "scenario.asOf"
    assert prefixed("input", "[0].ref") == "input[0].ref"
    assert prefixed("scenario", "") == "scenario"


async def test_a_subscriptions_coercion_error_is_in_the_contract_too() -> None:
    updates = await schema.subscribe(
        "subscription($id: ID!) { planJobUpdates(id: $id) { __typename } }", variable_values={"id": {"x": 1}}
    )
    assert isinstance(updates, AsyncIterator)
    first = await anext(updates)
    assert [(e.message, e.extensions) for e in first.errors or []] == [
        (
            "id: expected ID, got an object",
            {
                "code": "INVALID_INPUT",
                "fieldErrors": [{"path": "id", "code": "INVALID_TYPE", "message": "expected ID, got an object"}],
            },
        )
    ]

"""Validation of record values before they are written, with the solver's field checks.

Each function takes a record's column values (after an update, the stored values merged with the
changes) and the input path they came from, and returns every error, each naming its field by its
GraphQL path (`input.principal.workHistory[0].nocCode`) and saying what is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from db.models import NOMINATION_PREFIX, PR_PREFIX, STATUS_PREFIX, PermitStatus
from schema.errors import FieldError
from solver.domain import CanadianStatus
from solver.fields import (
    MAX_CHILDREN,
    check_application_code,
    check_clb,
    check_country,
    check_hours,
    check_noc,
    check_offer_number,
    check_order,
    check_permit_code,
    check_pr_program,
    check_province,
    check_text,
)
from solver.scenario_json import camel as contract_name

# A member's flattened columns and the nested input GraphQL groups them under.
_GROUPS = ((STATUS_PREFIX, "status"), (NOMINATION_PREFIX, "provincialNomination"), (PR_PREFIX, "prApplication"))
_MONTHS_RANGE = (1, 240)
_OFFER_MONTHS_RANGE = (1, 120)
_NAME_LENGTH = 200


def camel(column: str) -> str:
    """The GraphQL name of a column (`hours_per_week` -> `hoursPerWeek`, `status_kind` -> `status.kind`)."""
    for prefix, group in _GROUPS:
        if column.startswith(prefix):
            return f"{group}.{contract_name(column.removeprefix(prefix))}"
    return contract_name(column)


def join(path: str, column: str) -> str:
    """`path.field` for a column."""
    return f"{path}.{camel(column)}"


def not_null(changes: Mapping[str, Any], required: frozenset[str], path: str) -> list[FieldError]:
    """Errors for an update that sets a required field to null."""
    return [
        FieldError(path=join(path, column), message="is required; leave it out to keep the stored value")
        for column, value in changes.items()
        if value is None and column in required
    ]


def _text(values: Mapping[str, Any], column: str, path: str) -> Iterator[FieldError]:
    """A name: not blank, one line, at most _NAME_LENGTH characters, without control characters."""
    text = values.get(column)
    if text is None:
        return
    text = str(text)
    if not text.strip():
        yield FieldError(path=join(path, column), message="must not be blank")
    elif len(text) > _NAME_LENGTH:
        yield FieldError(path=join(path, column), message=f"is longer than {_NAME_LENGTH} characters")
    elif message := check_text(text):
        yield FieldError(path=join(path, column), message=message)
    elif "\n" in text or "\r" in text or "\t" in text:
        yield FieldError(path=join(path, column), message="must be one line (no tabs or line breaks)")


def _not_future(values: Mapping[str, Any], column: str, path: str, today: dt.date) -> Iterator[FieldError]:
    day = values.get(column)
    if day is not None and day > today:
        message = f"{day.isoformat()} is after today ({today.isoformat()}); a birth date is not in the future"
        yield FieldError(path=join(path, column), message=message)


def _not_after_today(values: Mapping[str, Any], column: str, path: str, today: dt.date) -> Iterator[FieldError]:
    """A fact of the file that has happened (applied, submitted, given) is not dated after today."""
    day = values.get(column)
    if day is not None and day > today:
        message = f"{day.isoformat()} is after today ({today.isoformat()}); it records what has already happened"
        yield FieldError(path=join(path, column), message=message)


def _within(values: Mapping[str, Any], column: str, path: str, bounds: tuple[int, int]) -> Iterator[FieldError]:
    value = values.get(column)
    low, high = bounds
    if value is not None and not low <= value <= high:
        yield FieldError(path=join(path, column), message=f"{value} is outside {low}-{high} months")


def _check(values: Mapping[str, Any], column: str, path: str, check: Any) -> Iterator[FieldError]:
    value = values.get(column)
    if value is not None and (message := check(value)):
        yield FieldError(path=join(path, column), message=message)


def _order(values: Mapping[str, Any], start: str, end: str, path: str) -> Iterator[FieldError]:
    first, last = values.get(start), values.get(end)
    if first is not None and (message := check_order(first, last, camel(start), camel(end))):
        yield FieldError(path=join(path, end), message=message)


def household_errors(values: Mapping[str, Any], path: str) -> list[FieldError]:
    """Errors in a household's own values."""
    return list(_text(values, "name", path))


def member_errors(values: Mapping[str, Any], path: str, today: dt.date | None = None) -> list[FieldError]:
    """Errors in a member's values: name, birth date (not after `today`, default the current date),
    citizenships, status permit code, nomination province."""
    errors = [*_text(values, "name", path), *_not_future(values, "birth_date", path, today or dt.date.today())]
    errors += _citizenship_errors(values, path)
    errors += _check(values, "status_permit_code", path, check_permit_code)
    errors += _check(values, "nomination_province", path, check_province)
    return errors + list(_file_errors(values, path, today or dt.date.today()))


def _file_errors(values: Mapping[str, Any], path: str, today: dt.date) -> Iterator[FieldError]:
    """The member's client-file facts that one record holds: the PR application, biometrics and a Canadian's
    own status (what spans records, such as a Canadian's pending applications, is checked when planned)."""
    submitted = values.get("pr_submitted_on")
    program = values.get("pr_program")
    if program is not None and submitted is not None and (message := check_pr_program(program, submitted)):
        yield FieldError(path=join(path, "pr_program"), message=message)
    yield from _not_after_today(values, "pr_submitted_on", path, today)
    yield from _order(values, "pr_submitted_on", "pr_aor_on", path)
    yield from _not_after_today(values, "pr_aor_on", path, today)
    yield from _not_after_today(values, "biometrics_given_on", path, today)
    yield from _not_after_today(values, "medical_exam_on", path, today)
    biometrics, birth = values.get("biometrics_given_on"), values.get("birth_date")
    if biometrics is not None and birth is not None and biometrics <= birth:
        message = f"{biometrics.isoformat()} is not after birthDate {birth.isoformat()}"
        yield FieldError(path=join(path, "biometrics_given_on"), message=message)
    canadian = values.get("canadian_status")
    if canadian is not None:
        who = f"a {canadian.value.lower().replace('_', ' ')} (canadianStatus)"
        if values.get("status_kind") is not None:
            message = f"must be empty for {who}: a Canadian needs no temporary status"
            yield FieldError(path=f"{path}.status", message=message)
        if values.get("in_canada") is False:
            message = f"must be true for {who}: the planner takes a Canadian member as in Canada"
            yield FieldError(path=join(path, "in_canada"), message=message)


def canadian_permits_errors(canadian: CanadianStatus | None, permits: int, path: str) -> list[FieldError]:
    """A Canadian member given permits: a citizen or permanent resident holds and applies for none."""
    if canadian is None or not permits:
        return []
    who = f"a {canadian.value.lower().replace('_', ' ')} (canadianStatus)"
    return [FieldError(path=path, message=f"must be empty for {who}: a Canadian holds and applies for no permit")]


def children_count_errors(count: int, path: str) -> list[FieldError]:
    """More children than a household may list."""
    if count <= MAX_CHILDREN:
        return []
    return [FieldError(path=path, message=f"{count} children; at most {MAX_CHILDREN} per household")]


def _citizenship_errors(values: Mapping[str, Any], path: str) -> list[FieldError]:
    """A member's or a child's citizenships, when given: at least one, each an ISO 3166-1 alpha-2 code."""
    citizenships = values.get("citizenships")
    errors: list[FieldError] = []
    if citizenships is not None and not citizenships:
        errors.append(FieldError(path=join(path, "citizenships"), message="at least one citizenship is required"))
    for i, code in enumerate(citizenships or ()):
        if message := check_country(code):
            errors.append(FieldError(path=f"{join(path, 'citizenships')}[{i}]", message=message))
    return errors


def child_errors(values: Mapping[str, Any], path: str, today: dt.date | None = None) -> list[FieldError]:
    """Errors in a child: birth date not after today, citizenships (one at least, ISO codes)."""
    errors = list(_not_future(values, "birth_date", path, today or dt.date.today()))
    errors += _citizenship_errors(values, path)
    return errors


def education_errors(values: Mapping[str, Any], path: str) -> list[FieldError]:
    """Errors in an education record: completion before start, program length."""
    return [*_order(values, "start", "completion", path), *_within(values, "length_months", path, _MONTHS_RANGE)]


def language_test_errors(values: Mapping[str, Any], path: str) -> list[FieldError]:
    """Errors in a language test: every ability a CLB/NCLC level from 1 to 12."""
    errors: list[FieldError] = []
    for ability in ("listening", "reading", "writing", "speaking"):
        errors += _check(values, ability, path, check_clb)
    return errors


def work_errors(values: Mapping[str, Any], path: str) -> list[FieldError]:
    """Errors in a work period: NOC code, hours per week, end before start."""
    return [
        *_check(values, "noc_code", path, check_noc),
        *_check(values, "hours_per_week", path, check_hours),
        *_order(values, "start", "end", path),
    ]


def offer_errors(values: Mapping[str, Any], path: str) -> list[FieldError]:
    """Errors in a job offer: the contract's offer checks plus the offer-of-employment number and wage."""
    errors = [*_text(values, "ref", path), *_text(values, "employer_name", path)]
    errors += _check(values, "noc_code", path, check_noc)
    errors += _check(values, "province", path, check_province)
    errors += _check(values, "hours_per_week", path, check_hours)
    errors += _order(values, "earliest_start", "latest_start", path)
    errors += _within(values, "months", path, _OFFER_MONTHS_RANGE)
    errors += _check(values, "lmia_exempt_code", path, check_permit_code)
    errors += _not_after_today(values, "lmia_applied_on", path, dt.date.today())
    if values.get("lmia_applied_on") is not None and values.get("lmia_exempt_code") is not None:
        message = (
            f"an offer under LMIA-exempt code {values['lmia_exempt_code']} needs no LMIA; give lmiaAppliedOn only "
            "for an offer without lmiaExemptCode"
        )
        errors.append(FieldError(path=join(path, "lmia_applied_on"), message=message))
    errors += _check(values, "offer_number", path, check_offer_number)
    wage = values.get("hourly_wage")
    if wage is not None and wage < 0:
        errors.append(FieldError(path=join(path, "hourly_wage"), message=f"{wage:g} is negative; wages are >= 0"))
    return errors


def permit_errors(values: Mapping[str, Any], path: str) -> list[FieldError]:
    """Errors in a permit: its code (an application, APPLIED, may also be TFWP: any catalog category), validity
    order, and the dates an issued permit must have."""
    status = values.get("status")
    code_check = check_application_code if status is PermitStatus.APPLIED else check_permit_code
    errors = [*_check(values, "code", path, code_check), *_order(values, "valid_from", "valid_to", path)]
    if status is PermitStatus.APPLIED:  # a planned permit's applied_on is the day it is planned for
        errors += _not_after_today(values, "applied_on", path, dt.date.today())
    if status in (PermitStatus.APPROVED, PermitStatus.EXPIRED):
        for column in ("valid_from", "valid_to"):
            if values.get(column) is None:
                message = f"is required for a permit that is {status.value}"
                errors.append(FieldError(path=join(path, column), message=message))
    return errors

"""solver.assemble: domain values from objects under the domain's names; a null where the domain has a default
is refused by path, a null optional field is kept."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from solver.assemble import NullFields, assemble
from solver.domain import FieldError, Nomination, Person


def _person(**changes: object) -> SimpleNamespace:
    education = SimpleNamespace(
        credential="MASTER",
        institution="UNIVERSITY",
        canadian=True,
        start=dt.date(2023, 9, 1),
        completion=dt.date(2025, 5, 31),
        pgwp_eligible_dli=None,
        field_of_study_eligible=True,
        full_time=True,
        length_months=None,
        study_permit_applied_on=None,
    )
    fields: dict[str, object] = {
        "birth_date": dt.date(1995, 1, 1),
        "citizenships": ["NG"],
        "in_canada": True,
        "passport_expiry": None,
        "status": None,
        "permit_history": [],
        "education": [education],
        "language_tests": None,
        "work_history": [],
        "provincial_nomination": None,
        "pending_applications": [],
        "pr_application": None,
        "biometrics_given_on": None,
        "medical_exam_on": None,
        "canadian_status": None,
    }
    return SimpleNamespace(**{**fields, **changes})


def test_every_null_with_a_default_is_named_by_its_contract_path() -> None:
    with pytest.raises(NullFields) as refused:
        assemble(Person, _person())
    assert refused.value.errors == (
        FieldError("education[0].pgwpEligibleDli", "must not be null; omit it to use the default (false)"),
        FieldError("languageTests", "must not be null; omit it to use the default ([])"),
    )


def test_null_optional_fields_are_kept_and_given_fields_win() -> None:
    nomination = assemble(
        Nomination, SimpleNamespace(province="ON", nominated_on=None, employer_restricted=False), nominated_on=None
    )
    assert nomination.nominated_on is None  # given (even as None) is taken as is
    with pytest.raises(NullFields, match="employerRestricted: must not be null"):
        assemble(Nomination, SimpleNamespace(province="ON", nominated_on=dt.date(2026, 1, 1), employer_restricted=None))
    person = assemble(Person, _person(language_tests=[]), education=())
    assert person.passport_expiry is None and person.status is None

"""Small builders for hand-written households and plans in the solver tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from solver.domain import (
    Credential,
    Education,
    InstitutionKind,
    LanguageTest,
    LanguageTestKind,
    Offer,
    Person,
    PlannedJob,
    PlannedPermit,
    Role,
    Status,
    StatusKind,
    WorkPeriod,
)

D = dt.date.fromisoformat
NAMES = {"C43": "Post-graduation work permit", "A75": "Bridging open work permit"}


def ielts(level: int, taken: str = "2026-08-01") -> LanguageTest:
    return LanguageTest(LanguageTestKind.IELTS_GENERAL, D(taken), level, level, level, level)


def graduate(
    *,
    completion: str = "2026-11-20",
    study_valid_to: str = "2027-02-18",
    credential: Credential = Credential.BACHELOR,
    institution: InstitutionKind = InstitutionKind.UNIVERSITY,
    length_months: int = 50,
    clb: int = 8,
    passport: str = "2035-01-01",
    **changes: Any,
) -> Person:
    """An international student in Canada who completed a program on `completion`."""
    start = D("2022-09-06")
    edu = Education(
        credential=credential,
        institution=institution,
        canadian=True,
        start=start,
        completion=D(completion),
        pgwp_eligible_dli=True,
        length_months=length_months,
        study_permit_applied_on=D("2022-04-11"),
    )
    person = Person(
        birth_date=D("2000-03-03"),
        citizenships=("NG",),
        in_canada=True,
        passport_expiry=D(passport),
        status=Status(StatusKind.STUDENT, D(study_valid_to)),
        education=(edu,),
        language_tests=(ielts(clb),),
    )
    return dataclasses.replace(person, **changes)


def worker(
    *, valid_to: str, code: str = "C43", noc: str = "22310", since: str = "2025-03-03", **changes: Any
) -> Person:
    """A worker in Canada on an open permit with an ongoing 40 h/week job."""
    person = Person(
        birth_date=D("1995-09-09"),
        citizenships=("PH",),
        in_canada=True,
        passport_expiry=D("2031-03-01"),
        status=Status(StatusKind.WORKER, D(valid_to), permit_code=code),
        language_tests=(LanguageTest(LanguageTestKind.CELPIP_GENERAL, D("2026-02-01"), 6, 6, 6, 6),),
        work_history=(WorkPeriod(noc, D(since), 40, True),),
    )
    return dataclasses.replace(person, **changes)


def abroad(citizenship: str = "IN", **changes: Any) -> Person:
    """A person outside Canada with no status in Canada."""
    person = Person(
        birth_date=D("1991-05-05"), citizenships=(citizenship,), in_canada=False, passport_expiry=D("2032-01-01")
    )
    return dataclasses.replace(person, **changes)


def offer(ref: str, noc: str, start: str, *, holder: Role = Role.PRINCIPAL, **changes: Any) -> Offer:
    return dataclasses.replace(Offer(ref, holder, noc, "ON", 40, D(start)), **changes)


def permit(
    code: str, apply_on: str, valid_from: str, valid_to: str, *, person: Role = Role.PRINCIPAL, **changes: Any
) -> PlannedPermit:
    """A planned permit with the fee left at 0 (complete_plan does not fill it; tests set it when it matters)."""
    open_ = changes.pop("open", changes.get("offer_ref") is None)
    base = PlannedPermit(person, code, NAMES.get(code, code), open_, D(apply_on), D(valid_from), D(valid_to), 0.0)
    return dataclasses.replace(base, **changes)


def job(noc: str, start: str, end: str | None, *, ref: str | None = None, person: Role = Role.PRINCIPAL) -> PlannedJob:
    return PlannedJob(person, noc, D(start), D(end) if end else None, ref)

"""Small builders for the rule tests: a person, a program, a test, a job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from solver.domain import (
    Credential,
    Education,
    HeldPermit,
    InstitutionKind,
    LanguageTest,
    LanguageTestKind,
    Nomination,
    Offer,
    Person,
    Role,
    Status,
    StatusKind,
    WorkPeriod,
)

D = dt.date.fromisoformat


def program(
    credential: Credential = Credential.BACHELOR,
    institution: InstitutionKind = InstitutionKind.UNIVERSITY,
    *,
    start: str = "2022-09-06",
    completion: str = "2026-11-20",
    months: int | None = 50,
    study_permit: str | None = "2022-04-11",
    **changes: Any,
) -> Education:
    fields: dict[str, Any] = {
        "credential": credential,
        "institution": institution,
        "canadian": True,
        "start": D(start),
        "completion": D(completion),
        "pgwp_eligible_dli": True,
        "length_months": months,
        "study_permit_applied_on": None if study_permit is None else D(study_permit),
    }
    fields.update(changes)
    return Education(**fields)


def lang(
    level: int, taken: str = "2026-08-01", kind: LanguageTestKind = LanguageTestKind.IELTS_GENERAL
) -> LanguageTest:
    return LanguageTest(kind, D(taken), level, level, level, level)


def job(noc: str, start: str, end: str | None = None, hours: float = 40, **changes: Any) -> WorkPeriod:
    return WorkPeriod(
        noc_code=noc,
        start=D(start),
        hours_per_week=hours,
        in_canada=True,
        end=None if end is None else D(end),
        **changes,
    )


def person(
    *,
    born: str = "2000-03-03",
    citizenships: tuple[str, ...] = ("NG",),
    in_canada: bool = True,
    passport: str = "2035-01-01",
    status: Status | None = None,
    education: tuple[Education, ...] = (),
    tests: tuple[LanguageTest, ...] = (),
    work: tuple[WorkPeriod, ...] = (),
    history: tuple[HeldPermit, ...] = (),
    nomination: Nomination | None = None,
) -> Person:
    return Person(
        birth_date=D(born),
        citizenships=citizenships,
        in_canada=in_canada,
        passport_expiry=D(passport),
        status=status,
        permit_history=history,
        education=education,
        language_tests=tests,
        work_history=work,
        provincial_nomination=nomination,
    )


def student(valid_to: str = "2027-02-18") -> Status:
    return Status(StatusKind.STUDENT, D(valid_to))


def worker(valid_to: str, code: str | None = None, *, employer_specific: bool = False) -> Status:
    return Status(StatusKind.WORKER, D(valid_to), permit_code=code, employer_specific=employer_specific)


def held(code: str, start: str, end: str) -> HeldPermit:
    return HeldPermit(code, D(start), D(end))


def offer(code: str | None, noc: str = "21231", province: str = "ON", months: int | None = 36, **changes: Any) -> Offer:
    return Offer(
        ref="o",
        holder=Role.PRINCIPAL,
        noc_code=noc,
        province=province,
        hours_per_week=40,
        earliest_start=D("2027-01-04"),
        months=months,
        lmia_exempt_code=code,
        **changes,
    )

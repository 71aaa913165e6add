"""Small households for the planner's constraint-family tests, and a solve that always validates."""

from __future__ import annotations

import datetime as dt

from solver.domain import (
    Credential,
    Education,
    InstitutionKind,
    LanguageTest,
    LanguageTestKind,
    Offer,
    Person,
    Plan,
    PlanOptions,
    Role,
    Scenario,
    Status,
    StatusKind,
    WorkPeriod,
)
from solver.solve import plan
from solver.validate import check_plan

AS_OF = dt.date(2026, 12, 1)
BIRTH = dt.date(1996, 5, 5)
PASSPORT = dt.date(2036, 1, 1)


def language_result(clb: int = 8, taken: dt.date = dt.date(2026, 6, 1)) -> LanguageTest:
    return LanguageTest(LanguageTestKind.IELTS_GENERAL, taken, clb, clb, clb, clb)


def graduate(
    completion: dt.date = dt.date(2026, 11, 20),
    status_to: dt.date = dt.date(2027, 2, 18),
    clb: int = 8,
    passport: dt.date = PASSPORT,
    credential: Credential = Credential.BACHELOR,
    length_months: int = 48,
) -> Person:
    """A university graduate in Canada on a study permit."""
    return Person(
        birth_date=BIRTH,
        citizenships=("NG",),
        in_canada=True,
        passport_expiry=passport,
        status=Status(StatusKind.STUDENT, status_to),
        education=(
            Education(
                credential=credential,
                institution=InstitutionKind.UNIVERSITY,
                canadian=True,
                start=dt.date(2022, 9, 1),
                completion=completion,
                pgwp_eligible_dli=True,
                length_months=length_months,
                study_permit_applied_on=dt.date(2022, 4, 1),
            ),
        ),
        language_tests=(language_result(clb),),
    )


def worker(code: str = "C43", valid_to: dt.date = dt.date(2027, 3, 31), clb: int = 8, noc: str = "21231") -> Person:
    """An open-permit worker in Canada with an ongoing job since 2025-03-03."""
    return Person(
        birth_date=BIRTH,
        citizenships=("PH",),
        in_canada=True,
        passport_expiry=PASSPORT,
        status=Status(StatusKind.WORKER, valid_to, permit_code=code),
        language_tests=(language_result(clb),),
        work_history=(WorkPeriod(noc, dt.date(2025, 3, 3), 40.0, True),),
    )


def abroad(clb: int = 8) -> Person:
    """A person outside Canada with no status."""
    return Person(
        birth_date=BIRTH,
        citizenships=("IN",),
        in_canada=False,
        passport_expiry=PASSPORT,
        language_tests=(language_result(clb),),
    )


def offer(
    ref: str = "acme",
    noc: str = "21231",
    start: dt.date = dt.date(2027, 1, 4),
    months: int | None = None,
    code: str | None = None,
    holder: Role = Role.PRINCIPAL,
    latest: dt.date | None = None,
) -> Offer:
    return Offer(ref, holder, noc, "ON", 40.0, start, latest_start=latest, months=months, lmia_exempt_code=code)


def household(
    principal: Person, *, spouse: Person | None = None, offers: tuple[Offer, ...] = (), months: int = 48
) -> Scenario:
    return Scenario(as_of=AS_OF, principal=principal, spouse=spouse, offers=offers, horizon_months=months)


def solve(scenario: Scenario, options: PlanOptions | None = None) -> Plan:
    """plan(), asserting the plan passes the independent validator."""
    options = options or PlanOptions(time_limit_ms=5000)
    result = plan(scenario, options)
    check_plan(scenario, result, options)
    return result


def codes(p: Plan, role: Role | None = None) -> list[str]:
    return [x.code for x in p.permits if role is None or x.person is role]

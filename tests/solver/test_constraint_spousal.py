"""C41.principal_validity / C41.principal_occupation and C42.principal_program across the household."""

from __future__ import annotations

import datetime as dt

from solver.domain import Credential, Role
from tests.solver.planner_cases import abroad, codes, graduate, household, offer, solve


def test_c41_principal_validity_36_month_transfer_lets_the_spouse_work() -> None:
    ict = offer("ict", noc="21211", start=dt.date(2027, 1, 11), months=36, code="C63")
    p = solve(household(abroad(), spouse=abroad(), offers=(ict,), months=36))
    assert codes(p, Role.PRINCIPAL) == ["C63"]
    spouse = [x for x in p.permits if x.person is Role.SPOUSE]
    assert [x.code for x in spouse] in (["C41"], ["C49"])
    principal = p.permits[0]
    assert spouse[0].valid_to <= principal.valid_to


def test_c41_principal_validity_12_month_transfer_is_too_short_for_the_spouse() -> None:
    ict = offer("ict", noc="21211", start=dt.date(2027, 1, 11), months=12, code="C63")
    p = solve(household(abroad(clb=4), spouse=abroad(), offers=(ict,), months=24))
    assert codes(p, Role.PRINCIPAL) == ["C63"]
    assert "C41" not in codes(p, Role.SPOUSE)


def test_c41_principal_occupation_teer_4_job_does_not_qualify() -> None:
    ict = offer("ict", noc="64100", start=dt.date(2027, 1, 11), months=36, code="C63")
    p = solve(household(abroad(clb=4), spouse=abroad(), offers=(ict,), months=24))
    assert "C41" not in codes(p, Role.SPOUSE)


def test_c42_principal_program_20_month_master_qualifies_the_spouse() -> None:
    student = graduate(
        completion=dt.date(2028, 4, 28), status_to=dt.date(2028, 9, 30), credential=Credential.MASTER, length_months=20
    )
    p = solve(household(student, spouse=abroad(), months=24))
    (spousal,) = [x for x in p.permits if x.person is Role.SPOUSE]
    assert (spousal.code, spousal.valid_to) == ("C42", dt.date(2028, 9, 30))


def test_c42_principal_program_12_month_master_does_not_qualify() -> None:
    student = graduate(
        completion=dt.date(2027, 9, 30), status_to=dt.date(2027, 12, 31), credential=Credential.MASTER, length_months=12
    )
    p = solve(household(student, spouse=abroad(), months=24))
    assert "C42" not in codes(p, Role.SPOUSE)

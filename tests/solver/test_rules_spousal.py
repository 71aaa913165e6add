"""Spousal open work permits (C41, C42, C49, A74): golden cases either side of 2025-01-21 and 2024-03-19."""

from __future__ import annotations

import pytest

from solver.domain import Credential, InstitutionKind, Nomination
from solver.rules import spousal
from solver.rules.decision import Verdict
from solver.rules.registry import load_rules
from tests.solver.rules_people import D, job, person, program, student, worker

RULES = load_rules()
E, N, U = Verdict.ELIGIBLE, Verdict.NOT_ELIGIBLE, Verdict.UNDECIDED


@pytest.mark.parametrize(
    ("noc", "on", "ok", "reason"),
    [
        ("21231", "2025-01-21", True, "TEER 1 software engineer"),
        ("20012", "2025-01-21", True, "TEER 0 manager"),
        ("22310", "2025-01-20", True, "TEER 2 the day before: any TEER 0-3"),
        ("22310", "2025-01-21", True, "TEER 2 natural and applied sciences (22) listed"),
        ("32101", "2025-01-21", True, "TEER 2 health (32) listed"),
        ("72310", "2025-01-21", True, "TEER 2 trades (72) listed"),
        ("83100", "2025-01-21", True, "TEER 3 natural resources (83) listed"),
        ("12100", "2025-01-20", True, "TEER 2 business the day before: eligible"),
        ("12100", "2025-01-21", False, "TEER 2 business excluded from 2025-01-21"),
        ("12100", "2025-01-22", False, "day after: still excluded"),
        ("63200", "2025-01-21", False, "TEER 3 sales and service excluded"),
        ("92100", "2025-01-21", False, "TEER 2 manufacturing excluded"),
        ("64100", "2025-01-20", False, "TEER 4 never qualifies for C41"),
        ("42202", "2025-01-21", False, "education unit groups unverified: not listed yet"),
        ("2123", "2025-01-21", False, "invalid NOC"),
    ],
)
def test_c41_occupation(noc: str, on: str, ok: bool, reason: str) -> None:
    assert spousal.c41_occupation_ok(noc, D(on), RULES) is ok, reason


@pytest.mark.parametrize(
    ("on", "months"),
    [("2025-01-20", 6), ("2025-01-21", 16), ("2025-01-22", 16)],
    ids=["day before: 6 months", "from 2025-01-21: 16 months", "day after"],
)
def test_c41_min_months_left(on: str, months: int) -> None:
    assert spousal.c41_min_months_left(D(on), RULES) == months


PRINCIPAL = person(status=worker("2026-06-30", employer_specific=True), work=(job("12100", "2024-01-08"),))


@pytest.mark.parametrize(
    ("who", "on", "verdict", "cites", "reason"),
    [
        (PRINCIPAL, "2025-01-20", E, None, "TEER 2 business, 17 months left, day before the change"),
        (PRINCIPAL, "2025-01-21", N, "C41.principal_occupation", "same facts from 2025-01-21: occupation excluded"),
        (
            person(status=worker("2026-05-20", employer_specific=True), work=(job("21231", "2024-01-08"),)),
            "2025-01-21",
            N,
            "C41.principal_validity",
            "TEER 1 but a day short of 16 months",
        ),
        (
            person(status=worker("2026-05-21", employer_specific=True), work=(job("21231", "2024-01-08"),)),
            "2025-01-21",
            E,
            None,
            "TEER 1 with exactly 16 months left",
        ),
        (
            person(status=worker("2026-05-21", "C43"), work=()),
            "2025-01-21",
            U,
            "C41.principal_occupation",
            "PGWP principal with no job: occupation and employment missing",
        ),
        (
            person(status=worker("2025-07-21", employer_specific=True), work=(job("21231", "2024-01-08"),)),
            "2025-01-20",
            E,
            None,
            "pre-2025 rule: 6 months left is enough",
        ),
    ],
)
def test_check_c41(who: object, on: str, verdict: Verdict, cites: str | None, reason: str) -> None:
    decision = spousal.check_c41(who, D(on), RULES)  # type: ignore[arg-type]
    assert decision.verdict is verdict, (reason, decision.reasons)
    if cites is not None:
        assert decision.reasons[0].rule_id == cites


def test_c41_pending_pgwp_never_qualifies() -> None:
    who = person(status=student("2027-02-18"), work=(job("21231", "2026-12-01"),))
    decision = spousal.check_c41(who, D("2027-01-10"), RULES, pgwp_pending=True, principal_permit_to=D("2029-12-01"))
    assert decision.verdict is N
    assert "C41.principal_employed" in decision.rule_ids


def test_c41_missing_facts_are_named() -> None:
    who = person(status=worker("2027-06-01", "C43"))
    decision = spousal.check_c41(who, D("2025-03-01"), RULES)
    assert decision.verdict is U
    assert decision.missing == ("principal's occupation", "principal's employment")


def _master(months: int, institution: InstitutionKind = InstitutionKind.UNIVERSITY) -> object:
    return program(Credential.MASTER, institution, start="2024-01-08", completion="2026-12-20", months=months)


@pytest.mark.parametrize(
    ("edu", "on", "ok", "reason"),
    [
        (
            program(Credential.DIPLOMA, InstitutionKind.COLLEGE, months=24),
            "2024-03-18",
            True,
            "any program before 2024-03-19",
        ),
        (
            program(Credential.DIPLOMA, InstitutionKind.COLLEGE, months=24),
            "2024-03-19",
            False,
            "college diploma from 2024-03-19",
        ),
        (
            _master(12, InstitutionKind.COLLEGE),
            "2024-03-19",
            False,
            "college master's 2024-03-19..04-29: university only",
        ),
        (_master(12, InstitutionKind.COLLEGE), "2024-04-30", True, "master's of any length from 2024-04-30"),
        (_master(12), "2025-01-20", True, "12-month master's the day before 2025-01-21"),
        (_master(12), "2025-01-21", False, "12-month master's from 2025-01-21: under 16 months"),
        (_master(12), "2025-01-22", False, "day after"),
        (_master(16), "2025-01-21", True, "16-month master's qualifies"),
        (program(Credential.DOCTORAL, months=48), "2025-01-21", True, "doctorate"),
        (program(Credential.PROFESSIONAL_DEGREE, months=48), "2025-01-21", True, "professional degree at a university"),
        (program(Credential.BACHELOR, months=48), "2025-01-21", False, "ordinary bachelor's"),
        (
            program(Credential.DOCTORAL, months=48, pgwp_eligible_dli=False),
            "2025-01-21",
            False,
            "not PGWP-eligible from 2025-01-21",
        ),
        (
            program(Credential.DOCTORAL, months=48, pgwp_eligible_dli=False),
            "2025-01-20",
            True,
            "PGWP eligibility not needed before",
        ),
    ],
)
def test_c42_program(edu: object, on: str, ok: bool, reason: str) -> None:
    assert spousal.c42_program_ok(edu, D(on), RULES) is ok, reason  # type: ignore[arg-type]


def test_check_c42_student_in_canada() -> None:
    edu = program(Credential.MASTER, start="2026-09-08", completion="2028-04-28", months=20)
    who = person(status=student("2028-09-30"), education=(edu,))
    assert spousal.check_c42(who, D("2026-09-14"), RULES).verdict is E
    abroad = person(in_canada=False, status=None, education=(edu,))
    assert spousal.check_c42(abroad, D("2026-09-14"), RULES).verdict is N


@pytest.mark.parametrize(
    ("on", "submitted", "verdict", "reason"),
    [
        ("2023-01-29", "2022-12-01", N, "C49 not yet in force"),
        ("2023-01-30", "2022-12-01", E, "first day of C49"),
        ("2026-03-01", None, N, "no PR application and no nomination"),
        ("2026-03-01", "2026-03-02", N, "PR application the day after"),
        ("2026-03-01", "2026-03-01", E, "PR application the same day"),
    ],
)
def test_check_c49(on: str, submitted: str | None, verdict: Verdict, reason: str) -> None:
    who = person(status=worker("2027-12-01"))
    sub = None if submitted is None else D(submitted)
    assert spousal.check_c49(who, D(on), RULES, pr_submitted_on=sub).verdict is verdict, reason


def test_c49_nomination_counts() -> None:
    who = person(status=worker("2027-12-01"), nomination=Nomination("BC", D("2026-01-10")))
    assert spousal.check_c49(who, D("2026-01-10"), RULES).verdict is E
    assert spousal.check_c49(who, D("2026-01-09"), RULES).verdict is N


@pytest.mark.parametrize(
    "on", ["2023-05-09", "2026-01-01"], ids=["before A74 existed", "households have no citizen sponsor"]
)
def test_a74_never_for_two_foreign_nationals(on: str) -> None:
    assert spousal.check_a74(person(), D(on), RULES).verdict is N

"""Bridging open work permit (A75) golden cases."""

from __future__ import annotations

import pytest

from solver.domain import Nomination
from solver.rules import bowp
from solver.rules.decision import Verdict
from solver.rules.registry import load_rules
from tests.solver.rules_people import D, held, person, worker

RULES = load_rules()
E, N, U = Verdict.ELIGIBLE, Verdict.NOT_ELIGIBLE, Verdict.UNDECIDED
WORKER = person(status=worker("2027-03-31", "C43"), history=(held("C43", "2024-03-31", "2027-03-31"),))


@pytest.mark.parametrize(
    ("who", "on", "pr_class", "submitted", "verdict", "reason"),
    [
        (WORKER, "2026-12-01", "CEC", "2026-12-01", E, "CEC applicant with a valid PGWP"),
        (WORKER, "2026-12-01", "CEC", "2026-12-02", N, "PR application not yet submitted"),
        (WORKER, "2026-12-01", "SPOUSE", "2026-11-01", N, "family class is not eligible"),
        (WORKER, "2021-09-15", "QSW", "2021-09-01", N, "QSW the day before it was added"),
        (WORKER, "2021-09-16", "QSW", "2021-09-01", E, "QSW from 2021-09-16"),
        (WORKER, "2027-04-01", "CEC", "2027-03-01", E, "day after expiry: restorable"),
        (WORKER, "2027-06-29", "CEC", "2027-03-01", E, "day 90 after expiry: restorable"),
        (WORKER, "2027-06-30", "CEC", "2027-03-01", N, "day 91: too late to restore"),
        (person(in_canada=False, status=None), "2026-12-01", "CEC", "2026-12-01", N, "outside Canada"),
        (WORKER, "2026-12-01", None, None, U, "no PR application facts"),
    ],
)
def test_bowp_check(
    who: object, on: str, pr_class: str | None, submitted: str | None, verdict: Verdict, reason: str
) -> None:
    sub = None if submitted is None else D(submitted)
    decision = bowp.check(who, D(on), RULES, pr_class=pr_class, pr_submitted_on=sub)  # type: ignore[arg-type]
    assert decision.verdict is verdict, (reason, decision.reasons)


def test_employer_restricted_nominee_uses_t13() -> None:
    who = person(status=worker("2027-03-31"), nomination=Nomination("MB", D("2026-01-01"), employer_restricted=True))
    decision = bowp.check(who, D("2026-12-01"), RULES, pr_class="PNP", pr_submitted_on=D("2026-11-01"))
    assert decision.verdict is N
    assert "T13" in decision.reasons[0].message


def test_four_month_window_is_only_a_risk() -> None:
    decision = bowp.check(WORKER, D("2026-01-01"), RULES, pr_class="CEC", pr_submitted_on=D("2026-01-01"))
    assert decision.verdict is E
    assert "A75.four_month_window" in decision.rule_ids


def test_maintained_status_counts() -> None:
    expired = person(status=None, history=(held("C43", "2023-01-01", "2025-12-31"),))
    on = D("2026-06-01")
    assert bowp.check(expired, on, RULES, pr_class="CEC", pr_submitted_on=on).verdict is N
    assert bowp.check(expired, on, RULES, pr_class="CEC", pr_submitted_on=on, maintained=True).verdict is E


def test_parameters() -> None:
    on = D("2026-01-01")
    assert bowp.validity_months(on, RULES) == 24
    assert bowp.completeness_days(on, RULES) == 30
    assert bowp.earliest_issue(on, RULES) == D("2026-01-31")
    assert "QUEBEC_INVESTOR" in bowp.eligible_classes(on, RULES)

"""A75.completeness / A75.eligible_classes: a bridging permit only after the PR application is submitted."""

from __future__ import annotations

import datetime as dt

from solver.domain import Role
from tests.solver.planner_cases import codes, household, solve, worker


def test_a75_bridging_follows_the_pr_submission_and_keeps_status() -> None:
    p = solve(household(worker(noc="22310", clb=6), months=36))
    assert p.pr_program == "CEC"
    (bowp,) = p.permits
    submitted = next(s.date for s in p.steps if s.action == "SUBMIT_PR")
    assert bowp.code == "A75"
    assert submitted <= bowp.apply_on <= dt.date(2027, 3, 31)
    assert bowp.valid_from >= submitted + dt.timedelta(days=30)
    assert p.status_gaps == ()


def test_a75_eligible_classes_no_pr_application_means_no_bridging() -> None:
    p = solve(household(worker(noc="22310", clb=4), months=36))
    assert p.pr_ready_date is None
    assert "A75" not in codes(p, Role.PRINCIPAL)
    assert [g.start for g in p.status_gaps] == [dt.date(2027, 4, 1)]

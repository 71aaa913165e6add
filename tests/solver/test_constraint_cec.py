"""CEC.skilled_experience, CEC.hours_cap and CEC.language: when the PR applicant is ready."""

from __future__ import annotations

import datetime as dt

from tests.solver.planner_cases import household, solve, worker


def test_cec_skilled_experience_52_weeks_at_the_30_hour_cap_is_ready_on_as_of() -> None:
    # 40 h/week since 2025-03-03 counts 30 h/week: 1,560 hours after 364 days, before as_of.
    p = solve(household(worker(noc="22310", clb=6), months=36))
    assert (p.pr_ready_date, p.pr_program) == (dt.date(2026, 12, 1), "CEC")


def test_cec_language_teer_1_experience_with_clb_6_is_not_ready_and_the_blocker_says_clb_7() -> None:
    p = solve(household(worker(noc="21231", clb=6), months=36))
    assert p.pr_ready_date is None
    (blocker,) = [b for b in p.blockers if b.rule_id == "CEC.language"]
    assert "CLB 7 instead of 6" in blocker.message

"""CEC.skilled_experience, CEC.hours_cap and CEC.language: when the PR applicant is ready."""

from __future__ import annotations

import datetime as dt

from loadtests.generate import corpus
from solver.solve import plan
from tests.solver.planner_cases import household, solve, worker


def test_cec_skilled_experience_52_weeks_at_the_30_hour_cap_is_ready_on_as_of() -> None:
    # 40 h/week since 2025-03-03 counts 30 h/week: 1,560 hours after 364 days, before as_of.
    p = solve(household(worker(noc="22310", clb=6), months=36))
    assert (p.pr_ready_date, p.pr_program) == (dt.date(2026, 12, 1), "CEC")


def test_cec_language_teer_1_experience_with_clb_6_is_not_ready_and_the_blocker_says_clb_7() -> None:
    p = solve(household(worker(noc="21231", clb=6), months=36))
    assert p.pr_ready_date is None
    (blocker,) = [b for b in p.blockers if b.rule_id == "CEC.language"]
    assert "CLB 7 (instead of CLB 6 on that day) would make principal ready" in blocker.message


def test_the_language_blocker_names_the_partner_whose_test_would_move_readiness() -> None:
    """The principal holds a valid CLB 9; only the spouse (no test at all) could apply earlier under CEC.
    The blocker must name the spouse, not the principal's CLB 9 (it once read "CLB 7 instead of 9")."""
    household_98 = corpus(2026, 120)[98]
    p = plan(household_98)
    assert p.pr_program == "CEC" and p.pr_ready_date == dt.date(2028, 7, 11)
    (blocker,) = [b for b in p.blockers if b.rule_id == "CEC.language"]
    assert blocker.message == (
        "a valid language test at CLB 7 (instead of no valid test on that day) would make spouse ready on 2028-06-19"
    )

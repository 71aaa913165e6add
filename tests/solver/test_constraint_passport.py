"""PASSPORT.cap: no permit ends after the passport expires, and the plan says a renewal would help."""

from __future__ import annotations

import datetime as dt

from tests.solver.planner_cases import graduate, household, solve


def test_passport_cap_shortens_the_pgwp_and_adds_a_renewal_step() -> None:
    p = solve(household(graduate(passport=dt.date(2028, 3, 1)), months=36))
    (permit,) = p.permits
    assert permit.valid_to == dt.date(2028, 3, 1)
    (renew,) = [s for s in p.steps if s.action == "RENEW_PASSPORT"]
    assert renew.rule_ids == ("PASSPORT.cap",)


def test_passport_cap_far_expiry_leaves_the_pgwp_whole() -> None:
    p = solve(household(graduate(), months=36))
    assert p.permits[0].valid_to == dt.date(2030, 6, 8)
    assert not [s for s in p.steps if s.action == "RENEW_PASSPORT"]

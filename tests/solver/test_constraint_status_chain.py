"""The status chain (solver/model/constraints/status.py), one piece at a time.

Each test is a household where one piece of the chain decides the plan, so removing that piece either
changes the optimum or yields a plan the independent validator rejects (solve() checks every plan):
maintained status (an application on or before the last day of status keeps it and the old work
conditions), restoration (after status ended: a gap, no work, until the new permit starts), entry from
abroad (the first permit's window starts on arrival; one application at a time), someone who came from
abroad (no bridging permit once status has ended) and the status-gap bound (the gap the objective counts).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from solver.domain import ObjectiveTerm, PlanOptions, Role
from tests.solver.planner_cases import abroad, codes, household, offer, solve, worker

# Status continuity first, then cost: a gap-free plan must be paid for, so the gap's count decides it.
STATUS_FIRST = PlanOptions(
    time_limit_ms=5000,
    objective=(
        ObjectiveTerm.STATUS_CONTINUITY,
        ObjectiveTerm.COST,
        ObjectiveTerm.PR_READY,
        ObjectiveTerm.WORK_CONTINUITY,
        ObjectiveTerm.FEWEST_APPLICATIONS,
    ),
)


def test_status_gap_the_gap_after_the_last_permit_is_counted_so_a_permit_is_bought_to_avoid_it() -> None:
    # The C43 ends 2026-12-20; the only way to stay in status is the employer permit for an offer starting
    # later. Without the gap bound (or the gap running to the next permit's start) the gap looks free and
    # the cheaper plan without a permit, or with a bridging permit after a gap, wins.
    # The offer's LMIA is already positive, so the worker may apply at once (TFWP.lmia: two steps otherwise).
    positive = dataclasses.replace(offer(start=dt.date(2027, 3, 1)), lmia_approved=True)
    p = solve(household(worker(valid_to=dt.date(2026, 12, 20)), offers=(positive,), months=24), STATUS_FIRST)
    assert codes(p) == ["TFWP"]
    assert p.permits[0].apply_on <= dt.date(2026, 12, 20)
    assert p.status_gaps == ()
    assert p.objective_values["STATUS_CONTINUITY"] == 0


def test_status_gap_a_bridging_permit_is_bought_when_only_status_comes_before_cost() -> None:
    p = solve(household(worker(noc="22310", clb=6), months=36), STATUS_FIRST)
    assert codes(p) == ["A75"]
    assert p.status_gaps == ()
    assert p.objective_values["STATUS_CONTINUITY"] == 0


def test_status_restoration_a_permit_filed_after_status_ended_leaves_a_gap_without_work() -> None:
    # Status ends 2026-12-10; the bridging permit can only follow the PR submission on 2026-12-31, within
    # the restoration days. Maintained status (and its work) must not be claimed for it.
    p = solve(household(worker(noc="22310", clb=6, valid_to=dt.date(2026, 12, 10)), months=36))
    (bowp,) = p.permits
    assert bowp.code == "A75"
    assert dt.date(2026, 12, 10) < bowp.apply_on <= dt.date(2026, 12, 10) + dt.timedelta(days=90)
    assert [(g.start, g.end, g.work_authorized) for g in p.status_gaps] == [
        (dt.date(2026, 12, 11), bowp.valid_from - dt.timedelta(days=1), False)
    ]
    assert [(j.start, j.end) for j in p.jobs] == [(dt.date(2026, 12, 1), dt.date(2026, 12, 10))]
    step = next(s for s in p.steps if s.code == "A75")
    assert "STATUS.restoration" in step.rule_ids
    assert p.objective_values["WORK_CONTINUITY"] == p.objective_values["STATUS_CONTINUITY"]


def test_entry_from_abroad_the_work_window_opens_on_arrival() -> None:
    # Applied from outside once the employer's LMIA is positive (filed on as_of, 120 days), then outside
    # processing; no work (and no Canadian experience toward CEC) before it starts, and no status gap while
    # outside Canada.
    p = solve(household(abroad(), offers=(offer(),), months=24))
    (tfwp,) = p.permits
    assert (tfwp.code, tfwp.apply_on, tfwp.valid_from) == ("TFWP", dt.date(2027, 3, 31), dt.date(2027, 5, 30))
    assert [(j.start, j.offer_ref) for j in p.jobs] == [(dt.date(2027, 5, 30), "acme")]
    assert p.pr_ready_date == dt.date(2028, 5, 28)
    assert p.status_gaps == ()
    assert p.objective_values["WORK_CONTINUITY"] == 180


def test_entry_from_abroad_one_application_at_a_time_after_arrival() -> None:
    p = solve(
        household(
            abroad(),
            offers=(offer(months=12), offer("beta", start=dt.date(2028, 9, 1), months=24)),
            months=48,
        )
    )
    first, second = p.permits
    assert (first.code, second.code) == ("TFWP", "TFWP")
    assert second.apply_on >= first.valid_from
    assert p.pr_ready_date == dt.date(2028, 5, 28)
    assert p.objective_values["WORK_CONTINUITY"] == 180


def test_status_someone_who_came_from_abroad_gets_no_bridging_permit_after_status_ended() -> None:
    # The 12-month permit ends 2028-05-29, before the PR submission: bridging needs status at application
    # and an applicant from abroad is not restored (they leave when status ends).
    p = solve(household(abroad(), offers=(offer(months=12),), months=48))
    assert codes(p, Role.PRINCIPAL) == ["TFWP"]
    assert p.status_gaps == ()
    assert p.objective_values["WORK_CONTINUITY"] == 422

"""A rule change's impact on one household (solver/impact.py): the plan diff read for urgency, judged against an
injected day."""

from __future__ import annotations

import dataclasses
import datetime as dt

from solver.domain import Deadline, DeadlineKind, Finding, Plan, PlannedPermit, PlanStatus, Role
from solver.impact import Urgency, impact

TODAY = dt.date(2026, 12, 1)
PGWP = PlannedPermit(
    person=Role.PRINCIPAL,
    code="C43",
    name="Post-graduation work permit",
    open=True,
    apply_on=dt.date(2027, 3, 1),
    valid_from=dt.date(2027, 5, 1),
    valid_to=dt.date(2030, 5, 1),
    fee=255.0,
)


def _deadline(on: dt.date, rule: str = "STATUS.apply_before_expiry") -> Deadline:
    return Deadline(Role.PRINCIPAL, DeadlineKind.APPLY_TO_KEEP_STATUS, on, rule, "apply before your status ends")


BEFORE = Plan(
    status=PlanStatus.OPTIMAL,
    rules_version="before",
    solve_ms=1.0,
    pr_ready_date=dt.date(2028, 6, 1),
    permits=(PGWP,),
    deadlines=(_deadline(dt.date(2027, 3, 1)), _deadline(dt.date(2027, 9, 1), "PGWP.window")),
)


def test_nothing_changed_is_unchanged_and_ranks_last() -> None:
    same = impact(BEFORE, dataclasses.replace(BEFORE, rules_version="after", solve_ms=9.0), TODAY)
    assert (same.urgency, same.changed, same.urgent_deadline) == (Urgency.UNCHANGED, False, None)
    assert same.rank_key[0] == 3


def test_a_deadline_moved_into_the_next_30_days_comes_first() -> None:
    moved = dataclasses.replace(BEFORE, deadlines=(_deadline(dt.date(2026, 12, 20)), BEFORE.deadlines[1]))
    found = impact(BEFORE, moved, TODAY)
    assert found.urgency is Urgency.DEADLINE_WITHIN_30_DAYS
    assert found.urgent_deadline == dt.date(2026, 12, 20)
    assert [m.days for m in found.deadlines_moved] == [(dt.date(2026, 12, 20) - dt.date(2027, 3, 1)).days]
    # On the 31st day it is no longer urgent, only changed.
    assert impact(BEFORE, moved, dt.date(2026, 11, 19)).urgency is Urgency.CHANGED


def test_deadlines_moved_earlier_come_before_those_moved_later() -> None:
    later = (_deadline(dt.date(2027, 4, 1)), _deadline(dt.date(2027, 6, 1), "PGWP.window"))
    found = impact(BEFORE, dataclasses.replace(BEFORE, deadlines=later), TODAY)
    assert [m.after.rule_id for m in found.deadlines_moved] == ["PGWP.window", "STATUS.apply_before_expiry"]


def test_a_lost_permit_a_new_blocker_or_a_later_pr_date_blocks() -> None:
    lost = impact(BEFORE, dataclasses.replace(BEFORE, permits=()), TODAY)
    assert lost.urgency is Urgency.BLOCKED and [p.code for p in lost.permits_lost] == ["C43"]
    blocker = Finding("SPOUSAL.eligible_partner", "the partner's permit no longer qualifies")
    blocked = impact(BEFORE, dataclasses.replace(BEFORE, blockers=(blocker,)), TODAY)
    assert blocked.urgency is Urgency.BLOCKED
    assert [f.rule_id for f in blocked.new_blockers] == ["SPOUSAL.eligible_partner"]
    later = impact(BEFORE, dataclasses.replace(BEFORE, pr_ready_date=dt.date(2028, 9, 1)), TODAY)
    assert (later.urgency, later.pr_days) == (Urgency.BLOCKED, 92)
    earlier = impact(BEFORE, dataclasses.replace(BEFORE, pr_ready_date=dt.date(2028, 1, 1)), TODAY)
    assert earlier.urgency is Urgency.CHANGED

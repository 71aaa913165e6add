"""What a rule change does to one household: `impact(before, after, today) -> Impact`.

A caseload re-plan plans each stored household again under other rules and asks this module what changed,
with `solver/compare.py`'s diff as the engine: the PR date before and after, the permits gained and lost, the
deadlines moved (those that came earlier first), the new blockers and the routes newly closed (risks), and how
urgent the change is, judged against `today` (injected: a re-plan is reproducible).

Urgency, most urgent first:
- DEADLINE_WITHIN_30_DAYS: a deadline of the new plan now falls within 30 days of today, and it did not before
  (moved earlier into the window, or new);
- BLOCKED: a new blocker, a permit lost, or the PR date later or gone;
- CHANGED: anything else the diff sees;
- UNCHANGED: nothing.
Within a level, the earlier the first affected day, the more urgent (`rank_key`).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from solver.compare import DeadlineMove, DeadlineRef, FindingKind, FindingRef, PermitRef, compare
from solver.domain import Plan

# A deadline this close to today (inclusive) makes the change urgent.
URGENT_DAYS = 30


class Urgency(enum.Enum):
    """How soon a household's rule change needs a consultant, most urgent first."""

    DEADLINE_WITHIN_30_DAYS = "DEADLINE_WITHIN_30_DAYS"
    BLOCKED = "BLOCKED"
    CHANGED = "CHANGED"
    UNCHANGED = "UNCHANGED"


_LEVEL = {urgency: level for level, urgency in enumerate(Urgency)}


@dataclass(frozen=True)
class Impact:
    """One household's impact report: the plan diff read for a rule change."""

    pr_before: dt.date | None
    pr_after: dt.date | None
    pr_days: int | None
    permits_gained: tuple[PermitRef, ...]
    permits_lost: tuple[PermitRef, ...]
    # Moved deadlines, those that came earlier first (most negative shift), then the new ones (days None).
    deadlines_moved: tuple[DeadlineMove, ...]
    deadlines_new: tuple[DeadlineRef, ...]
    new_blockers: tuple[FindingRef, ...]
    new_risks: tuple[FindingRef, ...]
    urgency: Urgency
    # The earliest deadline of the new plan within 30 days of today that was not there before, if any.
    urgent_deadline: dt.date | None
    changed: bool

    @property
    def rank_key(self) -> tuple[int, dt.date]:
        """Sorts reports most urgent first: by level, then by the first affected day."""
        return (_LEVEL[self.urgency], self.urgent_deadline or self._first_day() or dt.date.max)

    def _first_day(self) -> dt.date | None:
        days = [m.after.date for m in self.deadlines_moved] + [d.date for d in self.deadlines_new]
        days += [p.apply_on for p in self.permits_gained + self.permits_lost]
        return min(days, default=None)


def impact(before: Plan, after: Plan, today: dt.date) -> Impact:
    """The impact report of re-planning a household whose stored plan was `before` and is now `after`."""
    diff = compare(before, after)
    moved = tuple(sorted(diff.deadlines_moved, key=lambda m: (m.days, m.after.date)))
    blockers = tuple(f for f in diff.findings_new if f.kind is FindingKind.BLOCKER)
    risks = tuple(f for f in diff.findings_new if f.kind is FindingKind.CLOSED_ROUTE)
    urgent = _urgent_deadline(before, after, today)
    pr_before, pr_after = before.pr_ready_date, after.pr_ready_date
    pr_worse = pr_before is not None and (pr_after is None or pr_after > pr_before)
    if urgent is not None:
        urgency = Urgency.DEADLINE_WITHIN_30_DAYS
    elif blockers or diff.permits_removed or pr_worse:
        urgency = Urgency.BLOCKED
    elif not diff.same:
        urgency = Urgency.CHANGED
    else:
        urgency = Urgency.UNCHANGED
    return Impact(
        pr_before=pr_before,
        pr_after=pr_after,
        pr_days=None if pr_before is None or pr_after is None else (pr_after - pr_before).days,
        permits_gained=diff.permits_added,
        permits_lost=diff.permits_removed,
        deadlines_moved=moved,
        deadlines_new=diff.deadlines_added,
        new_blockers=blockers,
        new_risks=risks,
        urgency=urgency,
        urgent_deadline=urgent,
        changed=not diff.same,
    )


def _urgent_deadline(before: Plan, after: Plan, today: dt.date) -> dt.date | None:
    """The earliest deadline of `after` within URGENT_DAYS of today that `before` did not have in that window."""
    last = today + dt.timedelta(days=URGENT_DAYS)

    def window(plan: Plan) -> set[tuple[object, ...]]:
        return {(d.person, d.kind, d.rule_id, d.date) for d in plan.deadlines if today <= d.date <= last}

    new = window(after) - window(before)
    return min((day for *_, day in new if isinstance(day, dt.date)), default=None)

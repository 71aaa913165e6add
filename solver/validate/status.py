"""A person's status over time: study permit end, processing days, the timeline and its status gaps."""

from __future__ import annotations

import datetime as dt

from solver.dates import add_days, whole_months_between
from solver.domain import Education, Person, ProcessingBasis, Role, StatusGap, StatusKind
from solver.rules import processing
from solver.rules.status import is_work_permit, lost_status
from solver.validate.context import PlanContext, category_family
from solver.validate.timeline import Timeline
from solver.validate.visitors import visitor_applies_outside


def current_program(person: Person, on: dt.date) -> Education | None:
    """The Canadian program a person studies in or finished last by `on` (latest completion)."""
    programs = [e for e in person.education if e.canadian and e.start <= on]
    return max(programs, key=lambda e: e.completion, default=None)


def program_months(edu: Education) -> int:
    """The program's length in months: the declared length, else whole months from start to completion."""
    return edu.length_months if edu.length_months is not None else whole_months_between(edu.start, edu.completion)


def study_program(person: Person) -> Education | None:
    """The program a study permit held on as_of is for: the latest Canadian completion (it may start later)."""
    return max((e for e in person.education if e.canadian), key=lambda e: e.completion, default=None)


def study_permit_end(ctx: PlanContext, person: Person) -> dt.date | None:
    """Last day of a study permit held on as_of: its expiry, or completion + STATUS.study_permit_end days."""
    status = person.status
    if status is None or status.kind is not StatusKind.STUDENT:
        return None
    edu = study_program(person)
    if edu is None:
        return status.valid_to
    days = int(ctx.param("STATUS.study_permit_end", "days_after_completion", edu.completion))
    return min(status.valid_to, add_days(edu.completion, days))


def processing_days(ctx: PlanContext, code: str, inside: bool, on: dt.date, role: Role) -> int:
    """Processing days of category `code` for `role`'s application filed on `on` (PROCESSING.*, or the overrides
    of options.processing), at the figure the plan's dates use (its robustness basis: p50, or p90 for a plan
    made to hold at the slow figure; docs/plan-semantics.md)."""
    person = ctx.scenario.person(role)
    found = processing.spread(
        code,
        on,
        ctx.rules,
        inside=inside,
        overrides=ctx.options.processing,
        citizenships=person.citizenships if person is not None else (),
    )
    robustness = ctx.plan.robustness
    return found.days(robustness is not None and robustness.basis is ProcessingBasis.P90)


def _build_timeline(ctx: PlanContext, role: Role, person: Person) -> Timeline:
    s = ctx.scenario
    n = (ctx.horizon_end - s.as_of).days
    t = Timeline(s.as_of, n, bytearray(n), bytearray(n), bytearray(n))
    permits = ctx.permits_of(role)
    t.entry = s.as_of if person.in_canada else min((p.valid_from for p in permits), default=None)
    if t.entry is not None:
        t.mark(t.in_canada, t.entry, add_days(ctx.horizon_end, -1))
    status = person.status
    if person.canadian_status is not None:
        # A citizen or permanent resident: in status and free to work every day, without a permit.
        t.mark(t.status, s.as_of, add_days(ctx.horizon_end, -1))
        t.mark(t.open_work, s.as_of, add_days(ctx.horizon_end, -1))
    elif person.in_canada and status is not None and status.kind is not StatusKind.NONE:
        end = study_permit_end(ctx, person) or status.valid_to
        t.mark(t.status, s.as_of, end)
        if status.kind is StatusKind.WORKER:
            t.mark(t.spec(None) if status.employer_specific else t.open_work, s.as_of, end)
        _mark_filings(ctx, t, person, end)
    for p in permits:
        t.mark(t.status, p.valid_from, p.valid_to)
        t.mark(t.open_work if p.open else t.spec(p.offer_ref), p.valid_from, p.valid_to)
    approval = ctx.pr_approval
    if approval is not None:
        last = add_days(ctx.horizon_end, -1)
        t.mark(t.status, approval, last)
        t.mark(t.open_work, approval, last)
    for p in permits:
        # Maintained status: filed in status, in Canada -> status (and the conditions held then) until decision.
        a = t.index(p.apply_on)
        if not 0 <= a < n or not t.status[a] or visitor_applies_outside(ctx, role, person, p):
            continue
        last = add_days(p.valid_from, -1)
        t.mark(t.status, p.apply_on, last)
        family = category_family(p.code)
        if family is not None and family.works_while_pending(ctx, person, p):
            t.mark(t.open_work, p.apply_on, last)
        if t.open_work[a]:
            t.mark(t.open_work, p.apply_on, last)
        for arr in list(t.specific.values()):
            if arr[a]:
                t.mark(arr, p.apply_on, last)
    if not person.in_canada:
        # Someone who came from abroad is in Canada while they hold status, and leaves when it ends.
        t.in_canada[:] = t.status
    return t


def _mark_filings(ctx: PlanContext, t: Timeline, person: Person, status_end: dt.date) -> None:
    """Maintained status from the applications pending on as_of (STATUS.maintained, R183(5)): one filed in
    Canada on or before the day the status held ended keeps that status and its work conditions (R186(u)) until
    the decision, even when the printed status ended before as_of; one filed after (restoration) or from outside
    Canada keeps nothing. A PGWP filed so lets the graduate work full time meanwhile (C43.work_while_pending)."""
    status = person.status
    assert status is not None
    for app in person.pending_applications:
        if not app.inside_canada or app.applied_on > status_end:
            continue
        kept = [p for p in ctx.plan.permits if p.code == app.code and p.apply_on == app.applied_on]
        decision = kept[0].valid_from if kept else ctx.horizon_end
        last = add_days(decision, -1)
        t.mark(t.status, ctx.scenario.as_of, last)
        if status.kind is StatusKind.WORKER:
            t.mark(t.spec(None) if status.employer_specific else t.open_work, ctx.scenario.as_of, last)
        family = category_family(app.code)
        if kept and family is not None and family.works_while_pending(ctx, person, kept[0]):
            t.mark(t.open_work, ctx.scenario.as_of, last)


def status_gaps(ctx: PlanContext, role: Role) -> list[StatusGap]:
    """Maximal runs of days in Canada without status (end inclusive)."""
    t = ctx.timelines[role]
    out: list[StatusGap] = []
    i = 0
    while i < t.days:
        if t.in_canada[i] and not t.status[i]:
            j = i
            while j + 1 < t.days and t.in_canada[j + 1] and not t.status[j + 1]:
                j += 1
            out.append(StatusGap(role, add_days(t.start, i), add_days(t.start, j), work_authorized=False))
            i = j + 1
        else:
            i += 1
    return out


def restorable(ctx: PlanContext, role: Role, on: dt.date, *, worker: bool = False) -> bool:
    """Without status on `on`, within STATUS.restoration days of losing it (`worker`: a worker's status)."""
    t = ctx.timelines[role]
    i = t.index(on)
    if t.status[i]:
        return False
    j = i
    while j > 0 and not t.status[j - 1]:
        j -= 1
    days = int(ctx.param("STATUS.restoration", "days", on))
    if j == 0:
        # No status since as_of: it was lost before, on the day after the status the person last held ended.
        person = ctx.scenario.person(role)
        status = person.status if person is not None else None
        if person is None or not person.in_canada:
            return False
        if status is None or status.kind is StatusKind.NONE:
            # No status on as_of: lost the day after the permit of the history that ended last, if any.
            held = lost_status(person, ctx.scenario.as_of)
            if held is None or (worker and not is_work_permit(held.code)):
                return False
            return on <= add_days(held.valid_to, days)
        if worker and status.kind is not StatusKind.WORKER:
            return False
        return on <= add_days(study_permit_end(ctx, person) or status.valid_to, days)
    if worker and not t.any_work(j - 1):
        return False
    return on <= add_days(add_days(t.start, j - 1), days)

"""Planned jobs: their dates, offers, one at a time, and work authorization on every job day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from solver.dates import add_days, add_months
from solver.domain import Person, PlannedJob, Role, StatusKind, WorkPeriod
from solver.validate.context import PlanContext, Violation
from solver.validate.status import study_program

# --- jobs ------------------------------------------------------------------------------------------


def _ongoing(person: Person, as_of: dt.date) -> list[WorkPeriod]:
    """Work-history jobs in Canada that run on past as_of (end null or later)."""
    return [w for w in person.work_history if w.in_canada and (w.end is None or w.end >= as_of)]


def _history_entry(person: Person, job: PlannedJob, as_of: dt.date) -> WorkPeriod | None:
    return next((w for w in _ongoing(person, as_of) if w.noc_code == job.noc_code), None)


def job_end(ctx: PlanContext, job: PlannedJob) -> dt.date:
    """The job's last day, with an open end meaning the horizon's last day."""
    return job.end if job.end is not None else add_days(ctx.horizon_end, -1)


def _job_issues(ctx: PlanContext, role: Role, person: Person) -> Iterator[Violation]:
    s, t = ctx.scenario, ctx.timelines[role]
    last_day = add_days(ctx.horizon_end, -1)
    previous: PlannedJob | None = None
    study_end_edu = study_program(person) if person.status and person.status.kind is StatusKind.STUDENT else None
    for job in ctx.jobs_of(role):
        end = job_end(ctx, job)

        def v(rule_id: str, message: str, day: dt.date = job.start, job: PlannedJob = job) -> Violation:
            return Violation(rule_id, role, day, f"job {job.offer_ref or job.noc_code}: {message}")

        if end < job.start:
            yield v("JOB.dates", f"ends {end} before it starts")
            continue
        if previous is not None and job_end(ctx, previous) >= job.start:
            yield v("JOB.one_at_a_time", f"overlaps job {previous.offer_ref or previous.noc_code}")
        previous = job
        if job.offer_ref is not None:
            offer = ctx.offer(job.offer_ref)
            if offer is None or offer.holder is not role or offer.noc_code != job.noc_code:
                yield v("JOB.offer", "no such offer for this person and occupation")
                continue
            if job.start < offer.earliest_start or (offer.latest_start is not None and job.start > offer.latest_start):
                yield v("JOB.start_window", f"starts outside [{offer.earliest_start}, {offer.latest_start}]")
            # An open-ended offer's job runs to the plan's end or, like a history job, ends earlier (while authorized).
            want = add_days(add_months(job.start, offer.months), -1) if offer.months is not None else last_day
            if end > want or (offer.months is not None and end != want):
                yield v("JOB.dates", f"ends {end}, the offer gives {want}")
            if sum(1 for j in ctx.plan.jobs if j.offer_ref == job.offer_ref) > 1:
                yield v("JOB.offer", "the offer is taken twice")
        else:
            entry = _history_entry(person, job, s.as_of)
            if entry is None or job.start != s.as_of or (entry.end is not None and end > entry.end):
                yield v("JOB.offer", "not an ongoing job of the work history starting on as_of")
        if study_end_edu is not None and job.start < study_end_edu.completion:
            yield v("JOB.student", f"a student holds no planned job before completing on {study_end_edu.completion}")
        lo, hi = max(0, t.index(job.start)), min(t.days, t.index(end) + 1)
        for i in range(lo, hi):
            if not t.authorized(i, job.offer_ref):
                yield v(
                    "STATUS.work_authorized", "worked without authorization for this employer", add_days(s.as_of, i)
                )
                break

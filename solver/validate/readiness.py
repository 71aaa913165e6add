"""The PR-ready date: counted CEC hours, the program met day by day, and the plan's claimed date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from solver import noc
from solver.dates import add_days, add_months
from solver.domain import Person, Role
from solver.validate.context import PR_PROGRAMS, PlanContext, Violation
from solver.validate.facts import language_ok
from solver.validate.jobs import _history_entry, job_end

# --- the PR date -----------------------------------------------------------------------------------


# Weekly hours are counted in hundredths so that sums stay exact integers (37.5 h -> 3750).
_SCALE = 100


@dataclass
class _Hours:
    """Prefix sums of counted weekly hours (capped, in hundredths) per day from `first`: hours = sum / 700."""

    first: dt.date
    total: list[int]
    teer23: list[int]


def _cec_hours(ctx: PlanContext, role: Role, person: Person) -> _Hours:
    s = ctx.scenario
    first = add_months(s.as_of, -int(ctx.param("CEC.skilled_experience", "lookback_months", s.as_of)))
    n = (ctx.horizon_end - first).days
    all_h = [0] * n
    t23 = [0] * n
    max_teer = int(ctx.param("CEC.skilled_experience", "max_teer", s.as_of))
    cap = round(_SCALE * float(ctx.param("CEC.hours_cap", "max_hours_per_week", s.as_of)))

    def add(code: str, hours: float, lo: dt.date, hi: dt.date, ok: Sequence[bool] | None = None) -> None:
        teer = noc.teer(code)
        if teer > max_teer:
            return
        h = round(_SCALE * hours)
        for i in range(max(0, (lo - first).days), min(n, (hi - first).days + 1)):
            if ok is None or ok[i]:
                all_h[i] += h
                if teer >= 2:
                    t23[i] += h

    for w in person.work_history:
        if w.in_canada and w.authorized and not w.self_employed and not w.while_full_time_student:
            add(w.noc_code, w.hours_per_week, w.start, min(w.end or s.as_of, add_days(s.as_of, -1)))
    t = ctx.timelines[role]
    offset = (s.as_of - first).days
    for job in ctx.jobs_of(role):
        offer = ctx.offer(job.offer_ref)
        entry = _history_entry(person, job, s.as_of) if offer is None else None
        if offer is not None:
            hours = offer.hours_per_week
        elif entry is not None and not entry.self_employed and not entry.while_full_time_student:
            hours = entry.hours_per_week
        else:
            continue
        ok = [False] * offset + [t.authorized(i, job.offer_ref) for i in range(t.days)]
        add(job.noc_code, hours, max(job.start, s.as_of), job_end(ctx, job), ok)
    prefix_all, prefix_23 = [0], [0]
    for a, b in zip(all_h, t23, strict=True):
        prefix_all.append(prefix_all[-1] + min(a, cap))
        prefix_23.append(prefix_23[-1] + min(b, cap))
    return _Hours(first, prefix_all, prefix_23)


def meets_program(ctx: PlanContext, role: Role, program: str, day: dt.date, hours: _Hours | None) -> bool:
    """True when `role` meets `program` (CEC or PNP) on `day` (docs/plan-semantics.md, Canadian Experience Class)."""
    person = ctx.scenario.person(role)
    if person is None:
        return False
    if program == "PNP":
        nomination = person.provincial_nomination
        return nomination is not None and nomination.nominated_on <= day
    if program != "CEC" or hours is None:
        return False
    lo = add_months(day, -int(ctx.param("CEC.skilled_experience", "lookback_months", day)))
    i, j = (lo - hours.first).days, (day - hours.first).days
    need = round(7 * _SCALE * float(ctx.param("CEC.skilled_experience", "hours", day)))
    total = hours.total[j] - hours.total[max(i, 0)]
    if total < need:
        return False
    validity = int(ctx.param("CEC.test_validity", "months", day))
    if language_ok(person, day, int(ctx.param("CEC.language", "clb_teer_0_1", day)), validity):
        return True
    teer23 = hours.teer23[j] - hours.teer23[max(i, 0)]
    return teer23 >= need and language_ok(person, day, int(ctx.param("CEC.language", "clb_teer_2_3", day)), validity)


def first_ready_day(ctx: PlanContext, role: Role, program: str) -> dt.date | None:
    """The first day in [as_of, H) on which `role` meets `program` under this plan's jobs and permits."""
    person = ctx.scenario.person(role)
    if person is None:
        return None
    hours = _cec_hours(ctx, role, person) if program == "CEC" else None
    day = ctx.scenario.as_of
    if hours is not None:
        # No window can hold the hours before the running total first does: start there (a shortcut only).
        need = round(7 * _SCALE * float(ctx.param("CEC.skilled_experience", "hours", day)))
        if _constant(ctx, "CEC.skilled_experience", day):
            first = next((i for i, total in enumerate(hours.total) if total >= need), None)
            if first is None:
                return None
            day = max(day, add_days(hours.first, first - 1))
    while day < ctx.horizon_end:
        if meets_program(ctx, role, program, day, hours):
            return day
        day = add_days(day, 1)
    return None


def _constant(ctx: PlanContext, rule_id: str, start: dt.date) -> bool:
    """True when `rule_id` has the same version from `start` through the horizon (or rules_as_of is set)."""
    if ctx.options.rules_as_of is not None:
        return True
    return not any(start < b < ctx.horizon_end for b in ctx.rules.rule(rule_id).breakpoints)


def _pr_issues(ctx: PlanContext) -> Iterator[Violation]:
    plan, ready = ctx.plan, ctx.plan.pr_ready_date
    submitted = ctx.submitted_pr
    if submitted is not None:
        # Submitted already: the plan reports that application, not a readiness of its own.
        by, app = submitted
        if (plan.pr_applicant, plan.pr_program, ready) != (by, app.program, app.submitted_on):
            message = f"the {app.program} application submitted on {app.submitted_on} by {by.value} is the plan's"
            yield Violation("PLAN.pr", plan.pr_applicant, ready, message)
        return
    if ready is None:
        if plan.pr_program is not None or plan.pr_applicant is not None:
            yield Violation("PLAN.pr", None, None, "a PR program or applicant without a PR-ready date")
        return
    role, program = plan.pr_applicant, plan.pr_program
    if role is None or ctx.scenario.person(role) is None or program not in PR_PROGRAMS:
        yield Violation("PLAN.pr", role, ready, f"PR-ready date without a valid applicant/program ({role}, {program})")
        return
    rule = "CEC.skilled_experience" if program == "CEC" else "PNP.nomination"
    first = first_ready_day(ctx, role, program)
    if first != ready:
        yield Violation(rule, role, ready, f"{program} is first met on {first}, the plan says {ready}")

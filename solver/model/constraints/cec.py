"""Canadian Experience Class: counted hours in the look-back before the ready day.

Rules: CEC.skilled_experience (hours, lookback_months, max_teer), CEC.hours_cap (per week, applied to the
day's total), CEC.exclusions (self-employment, full-time-student work, unauthorized or foreign work), and
CEC.language's split: all TEER 0-3 hours with the TEER 0/1 level, or TEER 2/3 hours alone with the lower one.
Hours are counted in units of 1/700 hour, so a day at h hours a week is exactly min(h, cap) * 100 units.
"""

from __future__ import annotations

import datetime as dt

from solver import noc
from solver.cpsat import cp_model
from solver.domain import Person, WorkPeriod
from solver.model.constraints.pr import CEC_HIGH, CEC_LOW
from solver.model.tables import add_function
from solver.model.variables import JobVars, Vars

UNITS_PER_HOUR = 700


def _param(v: Vars, name: str, on: dt.date) -> int:
    rid = "CEC.hours_cap" if name == "max_hours_per_week" else "CEC.skilled_experience"
    return int(v.opts.rules.param(rid, name, v.opts.on(on)))


def counts(v: Vars, w: WorkPeriod, on: dt.date) -> bool:
    """Whether a past period's work counts (CEC.exclusions, CEC.skilled_experience.max_teer)."""
    return (
        w.in_canada
        and w.authorized
        and not w.self_employed
        and not w.while_full_time_student
        and noc.is_valid(w.noc_code)
        and noc.teer(w.noc_code) <= _param(v, "max_teer", on)
    )


def daily_units(hours_per_week: float, cap: int) -> int:
    """Units of 1/700 hour one day of work at `hours_per_week` counts for, under the weekly cap."""
    return round(min(hours_per_week, cap) * 100)


def lookback_table(v: Vars) -> list[int]:
    """First day of the look-back window for each ready day in [0, H+1]."""
    months = v.opts.param_series("CEC.skilled_experience", "lookback_months", 0, v.horizon + 1)
    return v.opts.shift_months_each(0, [-n for n in months])


def past_units(v: Vars, person: Person, low_teer_only: bool, lookback: list[int]) -> list[int]:
    """Units of past work (before as_of) inside the look-back of each ready day in [0, H+1]."""
    cal = v.opts.cal
    as_of = cal.as_of
    cap = _param(v, "max_hours_per_week", as_of)
    first = min(lookback)
    per_day: dict[int, float] = {}
    for w in person.work_history:
        if not counts(v, w, as_of) or (low_teer_only and noc.teer(w.noc_code) <= 1):
            continue
        lo = max(cal.day(w.start), first)
        hi = min(-1, cal.day(w.end) if w.end is not None else -1)
        for d in range(lo, hi + 1):
            per_day[d] = per_day.get(d, 0.0) + w.hours_per_week
    # prefix[i]: units on days [first, first + i)
    prefix = [0]
    for d in range(first, 0):
        prefix.append(prefix[-1] + (daily_units(per_day[d], cap) if d in per_day else 0))
    out = []
    for r in range(v.horizon + 2):
        lo = lookback[r] - first
        hi = min(r, 0) - first
        out.append(max(0, prefix[hi] - prefix[lo]) if hi > lo else 0)
    return out


def _job_units(v: Vars, jv: JobVars, low_teer_only: bool) -> int:
    job = jv.job
    if job.self_employed or not noc.is_valid(job.noc_code):
        return 0
    teer = noc.teer(job.noc_code)
    if teer > _param(v, "max_teer", v.opts.cal.as_of) or (low_teer_only and teer <= 1):
        return 0
    return daily_units(job.hours_per_week, _param(v, "max_hours_per_week", v.opts.cal.as_of))


def add_cec(v: Vars) -> None:
    """For each person and CEC branch: past units plus planned overlap units reach the threshold on R."""
    m = v.model
    pr = v.prv()
    table = lookback_table(v)
    lookback = m.new_int_var(min(table), v.big, "cec_lookback_start")
    add_function(m, pr.day, 0, table, lookback, "cec_lookback")
    threshold = _param(v, "hours", v.opts.cal.as_of) * UNITS_PER_HOUR
    experience = v.group("CEC.skilled_experience")
    overlap: dict[str, cp_model.IntVar] = {}
    for key, jv in v.jobs.items():
        lo = m.new_int_var(0, v.big, f"cec_from[{key}]")
        hi = m.new_int_var(-v.big, v.big, f"cec_to[{key}]")
        m.add(lo >= jv.start)
        m.add(lo >= lookback)
        m.add(hi <= jv.end + 1)
        m.add(hi <= pr.day)
        days = m.new_int_var(0, v.horizon, f"cec_days[{key}]")
        counted = m.new_bool_var(f"cec_counts[{key}]")
        m.add(days <= hi - lo).only_enforce_if(counted)
        m.add(days == 0).only_enforce_if(counted.Not())
        m.add_implication(counted, jv.present)
        overlap[key] = days
        jv.overlap = days
    for role, person in v.opts.scenario.members:
        for branch, low_only in ((CEC_HIGH, False), (CEC_LOW, True)):
            lit = pr.branches[(role, branch)]
            past = m.new_int_var(0, threshold * 10 + 10**9, f"cec_past_units[{role.value},{branch}]")
            add_function(m, pr.day, 0, past_units(v, person, low_only, table), past, f"cec_past[{role.value},{branch}]")
            planned = [_job_units(v, jv, low_only) * overlap[k] for k, jv in v.jobs.items() if jv.job.person is role]
            m.add(past + sum(planned) >= threshold).only_enforce_if([lit, experience])

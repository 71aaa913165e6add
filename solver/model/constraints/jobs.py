"""Jobs: one at a time per person, in the offer's start window, and every day of a job work-authorized.

Rules: STATUS.maintained (old conditions while pending), C43.work_while_pending (a PGWP filed while the
study permit was valid authorizes work from its application), an employer-specific permit authorizes only
its offer's job, no work in a status gap (STATUS.restoration), open work after PR approval (PR.processing).
"""

from __future__ import annotations

from collections.abc import Sequence

from solver.cpsat import cp_model
from solver.model.constraints import status
from solver.model.tables import add_function
from solver.model.variables import JobVars, Lit, Node, Vars
from solver.options import Job


def _end_table(v: Vars, job: Job) -> list[int]:
    first, last = job.start_days[0], job.start_days[-1]
    if job.months is None:
        return [v.opts.cal.horizon - 1] * (last - first + 1)
    return [shifted - 1 for shifted in v.opts.shift_months_each(first, [job.months] * (last - first + 1))]


def add_job_vars(v: Vars) -> None:
    """An optional interval per job: an offer's ends after its months; an open-ended offer's at H - 1 or with a
    permit of its offer (`end_open_ended_jobs`); a history job's at H - 1 or earlier."""
    m = v.model
    for job in v.opts.jobs:
        name = job.key
        present = m.new_bool_var(f"job[{name}]")
        start = m.new_int_var_from_domain(cp_model.Domain.from_values(list(job.start_days)), f"job_start[{name}]")
        end = m.new_int_var(0, v.big, f"job_end[{name}]")
        if job.offer_ref is None:
            m.add(end <= v.horizon - 1)
        elif job.months is None:
            # An open-ended offer's job runs to the plan's end, or ends with a permit of its offer that ends before
            # the plan does (`end_open_ended_jobs`, once the families have named those permits).
            m.add(end <= v.horizon - 1)
            m.add(end >= start)
            m.add(start == job.start_days[0]).only_enforce_if(present.Not())
        else:
            add_function(m, start, job.start_days[0], _end_table(v, job), end, f"job_end[{name}]")
            m.add(start == job.start_days[0]).only_enforce_if(present.Not())
        size = m.new_int_var(0, v.big, f"job_days[{name}]")
        m.add(size == end - start + 1)
        interval = m.new_optional_interval_var(start, size, end + 1, present, f"job_interval[{name}]")
        v.jobs[name] = JobVars(job, present, start, end, interval)
    for role, _ in v.opts.scenario.members:
        m.add_no_overlap([j.interval for j in v.person_jobs(role)])


def allows(node: Node, job: Job) -> bool:
    """Whether `node`'s work window authorizes `job`."""
    if not node.works:
        return False
    if node.is_depot:
        assert node.depot is not None
        if node.depot.open_work:
            return True
        return job.offer_ref is None
    if node.open:
        return True
    return node.offer_ref is not None and node.offer_ref == job.offer_ref


def _disjoint(
    v: Vars,
    jv: JobVars,
    first: cp_model.LinearExprT,
    last: cp_model.LinearExprT,
    enforce: Sequence[Lit],
    tag: str,
) -> None:
    """The job avoids the days [first, min(last, PR approval - 1)] when every `enforce` literal holds."""
    m = v.model
    approval = v.prv().approval
    options = []
    for name, lhs, rhs in (
        ("before", _last_day_in_horizon(v, jv) + 1, first),
        ("after", jv.start, last + 1),
        ("after_pr", jv.start, approval),
        ("empty", first, last + 1),
        ("empty_pr", first, approval),
    ):
        b = m.new_bool_var(f"avoid[{jv.job.key},{tag},{name}]")
        m.add(lhs <= rhs).only_enforce_if(b) if name == "before" else m.add(lhs >= rhs).only_enforce_if(b)
        options.append(b)
    m.add_bool_or(options).only_enforce_if(enforce)


def _last_day_in_horizon(v: Vars, jv: JobVars) -> cp_model.IntVar:
    """The job's last day within the horizon: days after H are outside the plan and need no authorization."""
    if jv.horizon_end is None:
        jv.horizon_end = v.model.new_int_var(-1, v.horizon - 1, f"job_end_in_horizon[{jv.job.key}]")
        v.model.add_min_equality(jv.horizon_end, [jv.end, v.horizon - 1])
    return jv.horizon_end


def end_open_ended_jobs(v: Vars) -> None:
    """An open-ended offer's job ends on the plan's last day, or on the last day of one of its offer's
    employer-specific permits (`JobVars.ended_by`): its job can be taken when no permit reaches the plan's end."""
    for jv in v.jobs.values():
        if jv.job.offer_ref is None or jv.job.months is not None:
            continue
        jv.to_plan_end = v.model.new_bool_var(f"job_to_plan_end[{jv.job.key}]")
        v.model.add(jv.end == v.horizon - 1).only_enforce_if(jv.to_plan_end)
        v.model.add_bool_or([jv.to_plan_end, *jv.ended_by])


def add_job_authorization(v: Vars) -> None:
    """Every day of a job is in a window that authorizes it, or after PR approval."""
    for jv in v.jobs.values():
        job = jv.job
        for node in v.person_nodes(job.person):
            if not allows(node, job):
                _disjoint(v, jv, node.window_start, node.window_end, [jv.present, node.present], node.key)
            if node.next_window is not None:
                # No work in the gap after the node, until the next node's window.
                lits = [jv.present, *status.lapsed(node)]
                _disjoint(v, jv, node.end + 1, node.next_window - 1, lits, f"{node.key}->lapse")

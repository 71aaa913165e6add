"""PR readiness: the ready day, who applies and under which program, submission and approval days.

Rules: CEC.language, CEC.test_validity (language domains of the ready day), PNP.nomination, EE.ita_window
(submission on the invitation day, options.ita_wait_days after the profile), PR.processing (approval).
"""

from __future__ import annotations

from solver.cpsat import cp_model
from solver.dates import add_months
from solver.domain import Person, Role
from solver.model.tables import add_function
from solver.model.variables import PrVars, Vars
from solver.rules.language import best_clb

CEC_HIGH = "CEC_0_1"
CEC_LOW = "CEC_2_3"
PNP = "PNP"
# The branch of a PR application the client already submitted: "SUBMITTED:<program>".
SUBMITTED = "SUBMITTED:"

# PR.processing months by submitted program (none: no approval inside the plan, a conservative reading).
_PROCESSING_MONTHS = {"CEC": "cec_months", "FSW": "fsw_months", "FST": "fsw_months", "PNP": "pnp_ee_months"}


def language_days(v: Vars, person: Person, level_param: str) -> list[int]:
    """Days in the horizon on which a valid test meets the CEC level (CEC.language, CEC.test_validity).

    The answer can only change where a parameter changes or a test starts or stops being valid (taken, or
    its validity months later), so best_clb is asked once per run of days between those.
    """
    needs = v.opts.param_series("CEC.language", level_param, 0, v.horizon - 1)
    validity = v.opts.param_series("CEC.test_validity", "months", 0, v.horizon - 1)
    cal = v.opts.cal
    changes = {0} | {d for d in range(1, v.horizon) if (needs[d], validity[d]) != (needs[d - 1], validity[d - 1])}
    for test in person.language_tests:
        changes.add(cal.day(test.taken))
        changes.update(cal.day(add_months(test.taken, months)) for months in set(validity))
    starts = sorted(d for d in changes if 0 <= d < v.horizon)
    out: list[int] = []
    for lo, hi in zip(starts, [*starts[1:], v.horizon], strict=True):
        if best_clb(person.language_tests, cal.date(lo), validity[lo]) >= needs[lo]:
            out.extend(range(lo, hi))
    return out


def approval_table(v: Vars, months_param: str) -> list[int]:
    """Approval day for each ready day R in [0, H+1]: add_months(R + ita wait, PR.processing months)."""
    wait = v.opts.plan_options.ita_wait_days
    months = v.opts.param_series("PR.processing", months_param, wait, v.horizon + 1 + wait)
    big = v.big
    return [min(day, big) for day in v.opts.shift_months_each(wait, months)]


def add_pr(v: Vars) -> PrVars:
    """Creates the PR variables and the language and nomination conditions of each branch."""
    m = v.model
    h = v.horizon
    submitted = v.opts.submitted_pr()
    ready = m.new_bool_var("pr_ready")
    day = m.new_int_var_from_domain(cp_model.Domain.from_intervals([[0, h - 1], [h + 1, h + 1]]), "pr_ready_day")
    m.add(day <= h - 1).only_enforce_if(ready)
    m.add(day == h + 1).only_enforce_if(ready.Not())
    sub_day = v.opts.cal.day(submitted[1].submitted_on) if submitted is not None else 0
    submit = m.new_int_var(min(0, sub_day), h + 1 + v.opts.plan_options.ita_wait_days, "pr_submission_day")
    if submitted is None:
        m.add(submit == day + v.opts.plan_options.ita_wait_days)
    approval = m.new_int_var(0, v.big, "pr_approval_day")
    capped = m.new_int_var(0, h, "pr_approval_in_horizon")
    m.add_min_equality(capped, [approval, h])
    pr = PrVars(ready=ready, day=day, submit=submit, approval=approval, approval_capped=capped)
    m.add(approval == v.big).only_enforce_if(ready.Not())
    cec_approval = m.new_int_var(0, v.big, "approval_if_cec")
    add_function(m, day, 0, approval_table(v, "cec_months"), cec_approval, "approval_if_cec")
    pnp_approval = m.new_int_var(0, v.big, "approval_if_pnp")
    add_function(m, day, 0, approval_table(v, "pnp_ee_months"), pnp_approval, "approval_if_pnp")
    language = v.group("CEC.language")
    branch_lits = []
    for role, person in v.opts.scenario.members:
        app = m.new_bool_var(f"pr_applicant[{role.value}]")
        pr.applicant[role] = app
        for name, param in ((CEC_HIGH, "clb_teer_0_1"), (CEC_LOW, "clb_teer_2_3")):
            lit = m.new_bool_var(f"pr_branch[{role.value},{name}]")
            pr.branches[(role, name)] = lit
            days = language_days(v, person, param)
            if len(days) < h:
                pr.language_limited = True
            domain = cp_model.Domain.from_values(days) if days else cp_model.Domain(h + 1, h + 1)
            m.add_linear_expression_in_domain(day, domain).only_enforce_if([lit, language])
            m.add(approval == cec_approval).only_enforce_if(lit)
            branch_lits.append(lit)
        pnp = m.new_bool_var(f"pr_branch[{role.value},{PNP}]")
        pr.branches[(role, PNP)] = pnp
        nomination = person.provincial_nomination
        if nomination is None:
            m.add(pnp == 0)
        else:
            m.add(day >= v.opts.cal.day(nomination.nominated_on)).only_enforce_if(pnp)
        m.add(approval == pnp_approval).only_enforce_if(pnp)
        branch_lits.append(pnp)
        mine = [pr.branches[(role, b)] for b in (CEC_HIGH, CEC_LOW, PNP)]
        if person.canadian_status is not None:
            # A Canadian partner is never a PR applicant.
            for lit in mine:
                m.add(lit == 0)
        if submitted is None:
            m.add_max_equality(app, mine)
    if submitted is None:
        m.add(sum(branch_lits) == ready)
    else:
        _add_submitted(v, pr, branch_lits, submitted[0], submitted[1].program, sub_day)
    v.pr = pr
    return pr


def _add_submitted(v: Vars, pr: PrVars, planned: list[cp_model.IntVar], role: Role, program: str, sub_day: int) -> None:
    """A PR application already submitted is the plan's: ready (PR_READY 0; the plan reports the submission
    day as the ready date), submitted on its day, approved after PR.processing months of its program as on that
    day, or not within the plan when the brief gives no processing time for it. Nothing else is planned for PR.
    """
    m = v.model
    for lit in planned:
        m.add(lit == 0)
    m.add(pr.ready == 1)
    m.add(pr.day == 0)
    m.add(pr.submit == sub_day)
    lit = m.new_constant(1)
    pr.branches[(role, SUBMITTED + program)] = lit
    m.add(pr.applicant[role] == 1)
    for other, app in pr.applicant.items():
        if other is not role:
            m.add(app == 0)
    name = _PROCESSING_MONTHS.get(program)
    submitted_on = v.opts.cal.date(sub_day)
    if name is None:
        m.add(pr.approval == v.big)
        return
    months = int(v.opts.rules.param("PR.processing", name, v.opts.on(submitted_on)))
    m.add(pr.approval == min(max(v.opts.shift_months(sub_day, months), 0), v.big))


def program_of(branch: str) -> str:
    """The contract's prProgram for a branch."""
    if branch.startswith(SUBMITTED):
        return branch.removeprefix(SUBMITTED)
    return "PNP" if branch == PNP else "CEC"

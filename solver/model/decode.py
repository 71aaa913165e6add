"""Decoding, in one place: a solved model's values as the domain's Plan (permits, jobs, steps, gaps, fees).

The objective values reported are recomputed here from the decoded dates (status gaps, work windows, fees),
so they are exact whatever terms options.objective listed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from dataclasses import dataclass

from solver import crs, invitation
from solver.dates import add_days, add_months
from solver.deadlines import deadlines
from solver.domain import (
    Finding,
    Person,
    Plan,
    PlannedJob,
    PlannedPermit,
    PlanStatus,
    PlanStep,
    Role,
    StatusGap,
    WorkPeriod,
)
from solver.model.constraints.pr import PNP, program_of
from solver.model.constraints.status import counts_tail_gap
from solver.model.explain import explanation
from solver.model.objective import biometrics_cents, restoration_surcharge_cents
from solver.model.search import Solved
from solver.model.variables import Node, Vars
from solver.options.records import ACTION_EMPLOYER_LMIA
from solver.phrases import Phrase, all_of
from solver.rules import catalog
from solver.rules.fees import biometrics_charged, pr_fees
from solver.rules.language import best_clb

ACTION_JOB = "START_JOB"
ACTION_PROFILE = "CREATE_EE_PROFILE"
ACTION_SUBMIT = "SUBMIT_PR"
ACTION_SUBMITTED = "PR_SUBMITTED"
ACTION_PASSPORT = "RENEW_PASSPORT"
ACTION_RETAKE = "RETAKE_LANGUAGE_TEST"
ACTION_RESTORE = "RESTORE_STATUS"
RESTORE_RULES = ("STATUS.restoration", "FEES.restoration")


def _chain(s: Solved, role: Role) -> list[Node]:
    """The present nodes of `role`'s chain in order (depot first)."""
    v = s.vars
    later = sorted(
        (n for n in v.person_nodes(role) if not n.is_depot and s.value(n.present)),
        key=lambda n: (s.value(n.apply), n.key),
    )
    return [v.depot(role), *later]


def _maintained(s: Solved, tail: Node, head: Node) -> bool:
    filed_outside = head.candidate is not None and head.candidate.filed_outside
    return (
        s.value(head.apply) <= s.value(tail.end)
        and tail.in_canada
        and not filed_outside
        and not processed_outside(s, head)
    )


def processed_outside(s: Solved, n: Node) -> bool:
    """Whether a visitor's application `n` is processed outside Canada (constraints/visitors.py)."""
    return n.processed_outside is not None and bool(s.value(n.processed_outside))


def restoring(s: Solved, n: Node) -> bool:
    """Whether the permit of node `n` is applied for with restoration (constraints/status.py)."""
    return n.restoring is not None and bool(s.value(n.restoring))


def _from_abroad(s: Solved, role: Role) -> bool:
    return not s.vars.opts.depots[role].in_canada


def status_gaps(s: Solved, role: Role) -> list[tuple[int, int]]:
    """Inclusive day ranges without status for `role` in [0, PR approval) (in Canada only)."""
    v = s.vars
    pc = s.value(v.prv().approval_capped)
    chain = _chain(s, role)
    out: list[tuple[int, int]] = []
    if _from_abroad(s, role):
        return out
    for tail, head in zip(chain, [*chain[1:], None], strict=True):
        if head is None:
            if not counts_tail_gap(v, tail):
                continue
            first, last = s.value(tail.end) + 1, pc - 1
        elif _maintained(s, tail, head):
            continue
        else:
            first, last = s.value(tail.end) + 1, min(s.value(head.start), pc) - 1
        first = max(first, 0)
        if first <= last:
            out.append((first, last))
    return out


def authorized_days(s: Solved, role: Role) -> int:
    """Days in [0, PR approval) on which `role` may work."""
    pc = s.value(s.vars.prv().approval_capped)
    total = 0
    for n in _chain(s, role):
        if n.works:
            last = min(s.value(n.window_end), pc - 1)
            total += max(0, last - max(s.value(n.window_start), 0) + 1)
    return total


@dataclass(frozen=True)
class _PermitFees:
    """One planned permit's fees in cents: the client's (biometrics included) and the employer's."""

    client: int
    biometrics: int
    employer: int


def _fees(s: Solved) -> dict[str, _PermitFees]:
    """Fees per permit key: biometrics on each application that finds none valid (rules.fees)."""
    v = s.vars
    out: dict[str, _PermitFees] = {}
    for role, person in v.opts.scenario.members:
        chain = _chain(s, role)[1:]
        # What was filed before as_of is paid, biometrics with it (rules.fees.biometrics_given counts it).
        new = [n for n in chain if n.candidate is not None and n.candidate.filed_on is None]
        charged = biometrics_charged(person, (v.opts.cal.date(s.value(n.apply)) for n in new), v.opts.rules)
        for n in chain:
            assert n.candidate is not None
            day = v.opts.cal.date(s.value(n.apply))
            bio = biometrics_cents(v, role) if n.candidate.filed_on is None and day in charged else 0
            if bio:
                charged.discard(day)
            # Restoring status with the permit: FEES.restoration's fee instead of the processing fee.
            surcharge = restoration_surcharge_cents(v) if restoring(s, n) else 0
            out[n.key] = _PermitFees(n.candidate.fee_cents + surcharge + bio, bio, n.candidate.employer_fee_cents)
    return out


def objective_values(s: Solved) -> dict[str, int]:
    """Each term's integer value as docs/plan-semantics.md defines it."""
    v = s.vars
    pc = s.value(v.prv().approval_capped)
    gaps = sum(last - first + 1 for role, _ in v.opts.scenario.members for first, last in status_gaps(s, role))
    work = sum(pc - authorized_days(s, role) for role, _ in v.opts.scenario.members)
    fees = _fees(s)
    return {
        "PR_READY": s.value(v.prv().day),
        "STATUS_CONTINUITY": gaps,
        "WORK_CONTINUITY": work,
        "COST": math.ceil(sum(f.client + f.employer for f in fees.values()) / 100),
        "FEWEST_APPLICATIONS": len(fees),
    }


def _pr(s: Solved) -> tuple[Role | None, str | None]:
    pr = s.vars.prv()
    for (role, branch), lit in sorted(pr.branches.items(), key=lambda kv: (kv[0][0].value, kv[0][1])):
        if s.value(lit):
            return role, branch
    return None, None


def decode(s: Solved, *, status: PlanStatus, solve_ms: float, blockers: tuple[Finding, ...]) -> Plan:
    """The Plan of a solved model."""
    v = s.vars
    cal = v.opts.cal
    rules = v.opts.rules
    fees = _fees(s)
    permits: list[PlannedPermit] = []
    steps: list[PlanStep] = []
    for role, _ in v.opts.scenario.members:
        chain = _chain(s, role)
        for tail, n in itertools.pairwise(chain):
            c = n.candidate
            assert c is not None
            apply_on = cal.date(s.value(n.apply))
            on = v.opts.on(apply_on)
            permit = PlannedPermit(
                person=role,
                code=c.code,
                name=catalog.category(c.code, on, rules).name,
                open=c.open,
                apply_on=apply_on,
                valid_from=cal.date(s.value(n.start)),
                valid_to=cal.date(s.value(n.end)),
                fee=fees[n.key].client / 100,
                offer_ref=c.offer_ref,
                biometrics_fee=fees[n.key].biometrics / 100,
                employer_fee=fees[n.key].employer / 100,
            )
            permits.append(permit)
            steps.extend(_permit_steps(s, tail, n, permit))
    jobs = _jobs(s)
    for job in jobs:
        if job.offer_ref is not None:
            said = Phrase.of("step.job", offer=job.offer_ref, noc=job.noc_code)
            steps.append(PlanStep(job.start, job.person, ACTION_JOB, said.english(), None, _job_rules(s, job), said))
    applicant, branch = _pr(s)
    pr = v.prv()
    ready = s.value(pr.ready) == 1
    submitted = v.opts.submitted_pr()
    if ready and applicant is not None and branch is not None:
        steps.extend(_pr_steps(s, applicant, branch) if submitted is None else [_submitted_step(s)])
    gaps = [
        StatusGap(role, cal.date(a), cal.date(b), False)
        for role, _ in v.opts.scenario.members
        for a, b in status_gaps(s, role)
    ]
    # On one day, what a permit's application waits for (its prior steps: the employer's LMIA, its decision)
    # comes before the application, then the rest by action.
    prior = {(st.date, st.person, st.action) for n in v.nodes.values() if n.candidate for st in n.candidate.prior_steps}
    steps.sort(
        key=lambda st: (
            st.date,
            st.person.value,
            (st.date, st.person, st.action) not in prior,
            st.action,
            st.code or "",
        )
    )
    permits.sort(key=lambda p: (p.apply_on, p.person.value, p.code))
    pr_fee = 0.0
    if ready and applicant is not None:
        # Nothing for an application already submitted (rules.fees.pr_fees: paid with it).
        submission_day = cal.date(s.value(pr.submit))
        pr_fee = round(pr_fees(v.opts.scenario, applicant, v.opts.on(submission_day), rules), 2)
    # The invitation is assumed only for a PR application the plan makes (none for one already submitted).
    invited = ready and applicant is not None and branch is not None and submitted is None
    plan = Plan(
        status=status,
        rules_version=rules.version,
        solve_ms=solve_ms,
        # A submitted application: the submission day (every requirement was met by then, as the file says).
        pr_ready_date=(submitted[1].submitted_on if submitted else cal.date(s.value(pr.day))) if ready else None,
        crs_score=_crs(s, applicant, jobs) if ready and applicant is not None and submitted is None else None,
        pr_program=program_of(branch) if ready and branch else None,
        pr_applicant=applicant if ready else None,
        permits=tuple(permits),
        jobs=tuple(jobs),
        steps=tuple(steps),
        status_gaps=tuple(gaps),
        fees_total=round(sum(f.client for f in fees.values()) / 100 + pr_fee, 2),
        fees_permits=round(sum(f.client - f.biometrics for f in fees.values()) / 100, 2),
        fees_biometrics=round(sum(f.biometrics for f in fees.values()) / 100, 2),
        fees_pr=pr_fee,
        fees_employer=round(sum(f.employer for f in fees.values()) / 100, 2),
        blockers=blockers,
        explanation=explanation(steps, rules, v.opts.plan_options.rules_as_of)
        + (_invitation(s, applicant, branch, jobs) if invited and applicant is not None and branch else ()),
        objective_values=objective_values(s),
    )
    return dataclasses.replace(plan, deadlines=deadlines(v.opts.scenario, plan, v.opts.plan_options, rules))


def _crs(s: Solved, applicant: Role, jobs: list[PlannedJob]) -> int:
    """CRS score of the PR applicant on the ready day, counting the plan's jobs held before it."""
    person, spouse, ready = _applicant_file(s, applicant, jobs)
    return crs.score(person, ready, s.vars.opts.rules, spouse=spouse).total


def _invitation(s: Solved, applicant: Role, branch: str, jobs: list[PlannedJob]) -> tuple[Finding, ...]:
    """The invitation wait the plan assumed, and the risk that the CRS does not reach recent cut-offs."""
    v = s.vars
    person, spouse, ready = _applicant_file(s, applicant, jobs)
    on = v.opts.on(ready)
    return (
        invitation.ita_wait_finding(v.opts.plan_options, ready, v.opts.rules, on),
        invitation.cutoff_finding(person, spouse, program_of(branch), ready, v.opts.rules, on),
    )


def _applicant_file(s: Solved, applicant: Role, jobs: list[PlannedJob]) -> tuple[Person, Person | None, dt.date]:
    """The PR applicant on the ready day with the plan's jobs held before it, the partner, and that day."""
    v = s.vars
    ready = v.opts.cal.date(s.value(v.prv().day))
    person = v.opts.scenario.person(applicant)
    assert person is not None
    planned = tuple(
        WorkPeriod(j.noc_code, j.start, _hours(v, j), True, end=min(j.end or ready, ready - dt.timedelta(days=1)))
        for j in jobs
        if j.person is applicant and j.offer_ref is not None and j.start < ready
    )
    partner = v.opts.partner(applicant)
    spouse = v.opts.scenario.person(partner) if partner is not None else None
    if spouse is not None and spouse.canadian_status is not None:
        spouse = None  # a Canadian partner does not accompany: the applicant scores as single (CRS.core)
    with_jobs = dataclasses.replace(person, work_history=person.work_history + planned)
    return with_jobs, spouse, ready


def _hours(v: Vars, job: PlannedJob) -> float:
    return float(next(o.hours_per_week for o in v.opts.scenario.offers if o.ref == job.offer_ref))


def _job_rules(s: Solved, job: PlannedJob) -> tuple[str, ...]:
    """A job is there for the experience it gives; one started on a pending PGWP rests on R186(w) too."""
    rules: list[str] = ["CEC.skilled_experience"]
    for n in s.vars.person_nodes(job.person):
        c = n.candidate
        if c is not None and c.work_while_pending is not None and s.value(n.present):
            day = s.vars.opts.cal.day(job.start)
            if s.value(n.apply) <= day < s.value(n.start):
                rules.append(c.work_while_pending)
    return tuple(rules)


def _jobs(s: Solved) -> list[PlannedJob]:
    v = s.vars
    cal = v.opts.cal
    out = []
    for jv in v.jobs.values():
        if not s.value(jv.present):
            continue
        job = jv.job
        end_day = s.value(jv.end)
        open_ended = job.offer_ref is not None and job.months is None
        out.append(
            PlannedJob(
                person=job.person,
                noc_code=job.noc_code,
                start=cal.date(s.value(jv.start)),
                end=None if open_ended and end_day == v.horizon - 1 else cal.date(end_day),
                offer_ref=job.offer_ref,
            )
        )
    out.sort(key=lambda j: (j.start, j.person.value, j.offer_ref or ""))
    return out


def _permit_steps(s: Solved, tail: Node, n: Node, permit: PlannedPermit) -> list[PlanStep]:
    c = n.candidate
    assert c is not None
    v = s.vars
    cal = v.opts.cal
    rule_ids = list(c.rule_ids)
    if c.filed_on is not None:
        return [_pending_step(s, tail, n, permit)]
    restore: PlanStep | None = None
    if tail.in_canada and _maintained(s, tail, n):
        rule_ids.append("STATUS.maintained")
        how = Phrase.of("how.maintained", day=cal.date(s.value(tail.end)).isoformat())
    elif tail.in_canada and c.without_status is not None:
        rule_ids.append(c.without_status)
        how = Phrase.of("how.without_status")
    elif restoring(s, n):
        rule_ids.append("STATUS.restoration")
        how = Phrase.of("how.restoration")
        restore = _restore_step(s, tail, n, permit)
    elif tail.in_canada:
        rule_ids.append("STATUS.visitor_work_permit")
        how = Phrase.of("how.visitor")
    else:
        how = Phrase.of("how.outside")
    said = Phrase.of("step.apply", name=permit.name, code=c.code, day=permit.apply_on.isoformat(), how=how)
    prior = list(c.prior_steps)
    if c.filed_with_source:
        said = Phrase.of("step.renew_with", name=permit.name, code=c.code, day=permit.apply_on.isoformat(), how=how)
    elif c.extends is not None:
        said = Phrase.of(
            "step.extend",
            name=permit.name,
            code=c.code,
            offer=c.offer_ref or "",
            day=permit.apply_on.isoformat(),
            lead=c.extension_lead,
            how=how,
        )
        if c.lmia:
            prior.append(_new_lmia_step(s, permit, c.extension_wait))
    steps = [
        *prior,
        PlanStep(
            permit.apply_on, permit.person, c.action, said.english(), c.code, tuple(dict.fromkeys(rule_ids)), said
        ),
    ]
    if restore is not None:
        steps.append(restore)
    person = v.opts.scenario.person(permit.person)
    assert person is not None
    if person.passport_expiry is not None and permit.valid_to == person.passport_expiry:
        uncapped = _uncapped_end(s, n)
        if uncapped > permit.valid_to:
            capped = Phrase.of(
                "step.passport", code=c.code, day=permit.valid_to.isoformat(), uncapped=uncapped.isoformat()
            )
            steps.append(
                PlanStep(
                    permit.apply_on, permit.person, ACTION_PASSPORT, capped.english(), c.code, ("PASSPORT.cap",), capped
                )
            )
    return steps


def _new_lmia_step(s: Solved, permit: PlannedPermit, wait: int) -> PlanStep:
    """The employer's new LMIA that an extension of an LMIA-based permit rests on (TFWP.lmia): filed `wait`
    days before the extension's application, on as_of at the earliest."""
    by = max(add_days(permit.apply_on, -wait), s.vars.opts.scenario.as_of)
    said = Phrase.of(
        "step.lmia_extension", offer=permit.offer_ref or "", day=by.isoformat(), apply=permit.apply_on.isoformat()
    )
    return PlanStep(by, permit.person, ACTION_EMPLOYER_LMIA, said.english(), permit.code, ("TFWP.lmia",), said)


def _pending_step(s: Solved, tail: Node, n: Node, permit: PlannedPermit) -> PlanStep:
    """The step of an application the client already filed: the plan keeps it, and says what holds meanwhile."""
    c = n.candidate
    assert c is not None
    rule_ids = list(c.rule_ids)
    if c.filed_outside:
        meanwhile = Phrase.of("meanwhile.filed_outside")
    elif tail.in_canada and _maintained(s, tail, n):
        rule_ids.append("STATUS.maintained")
        meanwhile = Phrase.of("meanwhile.maintained")
        if c.work_while_pending is not None:
            rule_ids.append(c.work_while_pending)
            meanwhile = Phrase.of("meanwhile.maintained_work", rule=c.work_while_pending)
    elif tail.in_canada:
        rule_ids.append("STATUS.restoration")
        meanwhile = Phrase.of("meanwhile.restoration")
    else:
        meanwhile = Phrase.of("meanwhile.outside")
    facts: dict[str, str | Phrase] = {
        "name": permit.name,
        "code": c.code,
        "day": permit.apply_on.isoformat(),
        "decided": permit.valid_from.isoformat(),
        "meanwhile": meanwhile,
    }
    said = Phrase.of("step.pending", **facts)
    keyed = True
    if c.filed_risks:
        # Planned as filed all the same: IRCC decides it, and the plan says what may make it a refusal (keyed when
        # every reason is).
        risks = [Phrase.of("rule.reason", rule=f.rule_id, reason=f.phrase or f.message) for f in c.filed_risks]
        said = Phrase.of("step.pending_at_risk", **facts, risks=all_of(risks, "each"))
        keyed = all(f.phrase is not None for f in c.filed_risks)
        rule_ids.extend(f.rule_id for f in c.filed_risks)
    rules = tuple(dict.fromkeys(rule_ids))
    return PlanStep(permit.apply_on, permit.person, c.action, said.english(), c.code, rules, said if keyed else None)


def _restore_step(s: Solved, tail: Node, n: Node, permit: PlannedPermit) -> PlanStep:
    """The restoration asked for in the same application as `permit`: its last day, its fee, no work until the
    permit is issued (STATUS.restoration, FEES.restoration)."""
    v = s.vars
    cal = v.opts.cal
    lost = cal.date(s.value(tail.end))
    on = v.opts.on(v.opts.scenario.as_of)
    days = int(v.opts.rules.param("STATUS.restoration", "days", on))
    fee = float(v.opts.rules.param("FEES.restoration", "restore_with_permit", on))
    said = Phrase.of(
        "step.restore",
        lost=lost.isoformat(),
        until=add_days(lost, days).isoformat(),
        code=permit.code,
        fee=f"{fee:.2f}",
        day=permit.valid_from.isoformat(),
    )
    return PlanStep(permit.apply_on, permit.person, ACTION_RESTORE, said.english(), permit.code, RESTORE_RULES, said)


def _uncapped_end(s: Solved, n: Node):  # type: ignore[no-untyped-def]
    c = n.candidate
    assert c is not None
    cal = s.vars.opts.cal
    start = cal.date(s.value(n.start))
    if c.months is None:
        return cal.date(cal.horizon - 1)
    return add_days(add_months(start, c.months), -1)


def _submitted_step(s: Solved) -> PlanStep:
    """The PR application the client already submitted: the plan starts from it and plans no other."""
    v = s.vars
    submitted = v.opts.submitted_pr()
    assert submitted is not None
    role, app = submitted
    aor = Phrase.of("aor.received", day=app.aor_on.isoformat()) if app.aor_on else Phrase.of("aor.pending")
    approval = s.value(v.prv().approval)
    when = (
        Phrase.of("when.approval", day=v.opts.cal.date(approval).isoformat())
        if approval < v.big
        else Phrase.of("when.none")
    )
    said = Phrase.of("step.submitted", program=app.program, day=app.submitted_on.isoformat(), aor=aor, when=when)
    return PlanStep(app.submitted_on, role, ACTION_SUBMITTED, said.english(), app.program, ("PR.processing",), said)


def _pr_steps(s: Solved, applicant: Role, branch: str) -> list[PlanStep]:
    v = s.vars
    cal = v.opts.cal
    pr = v.prv()
    ready = cal.date(s.value(pr.day))
    submit = cal.date(s.value(pr.submit))
    program = program_of(branch)
    basis = ("PNP.nomination",) if branch == PNP else ("CEC.skilled_experience", "CEC.language", "CEC.test_validity")
    profile = Phrase.of("step.profile", program=program)
    submission = Phrase.of("step.submit", program=program, days=v.opts.plan_options.ita_wait_days)
    steps = [
        PlanStep(ready, applicant, ACTION_PROFILE, profile.english(), program, basis, profile),
        PlanStep(
            submit,
            applicant,
            ACTION_SUBMIT,
            submission.english(),
            program,
            ("EE.ita_window", "PR.processing"),
            submission,
        ),
    ]
    person = v.opts.scenario.person(applicant)
    assert person is not None
    if branch != PNP:
        months = int(v.opts.rules.param("CEC.test_validity", "months", v.opts.on(ready)))
        best_now = best_clb(person.language_tests, ready, months)
        best_submit = best_clb(person.language_tests, submit, months)
        if best_submit < best_now:
            retake = Phrase.of("step.retake", day=submit.isoformat())
            steps.append(
                PlanStep(ready, applicant, ACTION_RETAKE, retake.english(), None, ("CEC.test_validity",), retake)
            )
    return steps

"""A75, the bridging open work permit for a PR applicant whose work permit runs out while PR is processed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from solver.categories.base import Asked, CategoryEligibility, Family, Fix, Issue, answer
from solver.dates import add_days, add_months
from solver.domain import Person, PlannedPermit, Role
from solver.model.constraints.pr import program_of
from solver.model.variables import Node, Vars
from solver.options.household import could_apply_for_pr
from solver.options.options import Options, open_candidate
from solver.options.records import After, Candidate
from solver.phrases import Phrase
from solver.rules import bowp, cec
from solver.rules.catalog import Category
from solver.rules.decision import Decision
from solver.rules.registry import RuleSet
from solver.rules.status import restoration_deadline, work_permit_end
from solver.validate.context import PlanContext
from solver.validate.status import restorable

# --- the eligibility query -------------------------------------------------------------------------


def _eligibility(person: Person, on: dt.date, rules: RuleSet) -> Decision:
    """A75 on `on`, for the PR application the person submitted (its program and day), else for the PR class
    they could apply under that day (CEC first, else PNP); a filed work-permit application keeps them in
    maintained status."""
    nomination = person.provincial_nomination
    filed = person.pr_application
    ended = work_permit_end(person)
    maintained = ended is not None and any(
        a.inside_canada and a.applied_on <= min(on, ended) for a in person.pending_applications
    )
    if filed is not None:
        return bowp.check(
            person, on, rules, pr_class=filed.program, pr_submitted_on=filed.submitted_on, maintained=maintained
        )
    if cec.check(person, on, rules).eligible:
        pr_class: str | None = "CEC"
    elif nomination is not None and nomination.nominated_on <= on:
        pr_class = "PNP"
    else:
        pr_class = None
    return bowp.check(person, on, rules, pr_class=pr_class, pr_submitted_on=None)


# --- the planner -----------------------------------------------------------------------------------

CODE = "A75"
_GROUNDS = ("A75.eligible_classes", "A75.completeness", "A75.status_at_application", "A75.validity")


def _candidates(opts: Options, role: Role, person: Person) -> list[Candidate]:
    """The bridging permit of a person who could apply for PR in the horizon, applied for after submission."""
    d0 = opts.scenario.as_of
    submitted = opts.submitted_pr()
    if submitted is not None and submitted[0] is not role:
        return []  # the other member's PR application is the household's: bridging is its applicant's
    if submitted is None and not could_apply_for_pr(opts, person):
        return []
    return [
        open_candidate(
            opts,
            role,
            CODE,
            FAMILY.name,
            f"{role.value}:{CODE}",
            opts.days(0, opts.cal.horizon - 1),  # from as_of, whose rules set processing, fee and length
            months=opts.int_param("A75.validity", "months", d0),
            rule_ids=_GROUNDS,
            after=After.WORK_PERMIT,
            issued_by_family=True,
            inside_only=True,
            action="APPLY_BOWP",
        )
    ]


def _constrain(v: Vars, node: Node) -> None:
    """A75: the PR applicant applies after submission, in an eligible class; issued after the R10 check."""
    m = v.model
    pr = v.prv()
    c = node.candidate
    assert c is not None
    on = v.opts.on(v.opts.scenario.as_of)
    classes = bowp.eligible_classes(on, v.opts.rules)
    completeness = bowp.completeness_days(on, v.opts.rules)
    m.add_implication(node.present, pr.applicant[c.person])
    for (role, branch), lit in pr.branches.items():
        if role is c.person and program_of(branch) not in classes:
            m.add_implication(node.present, lit.Not())
    m.add(node.apply >= pr.submit).only_enforce_if(node.present)
    submitted = v.opts.submitted_pr()
    if submitted is not None:
        # Applied for with the acknowledgement of receipt (A75.completeness: the AOR is the proof); an Express
        # Entry AOR comes on submission, so one not yet received is expected on the submission day.
        aor = submitted[1].aor_on or submitted[1].submitted_on
        m.add(node.apply >= v.opts.cal.day(aor)).only_enforce_if(node.present)
    m.add_max_equality(node.start, [node.apply + c.processing_inside, pr.submit + completeness])


# --- the independent validator ---------------------------------------------------------------------


def _issues(ctx: PlanContext, role: Role, p: PlannedPermit) -> Iterator[Issue]:
    a = p.apply_on
    submitted = ctx.pr_submission
    classes = tuple(ctx.param("A75.eligible_classes", "classes", a))
    if ctx.plan.pr_applicant is not role or submitted is None or a < submitted or ctx.plan.pr_program not in classes:
        yield "A75.eligible_classes", "only the principal applicant of a submitted CEC/PNP/... PR application"
        return
    t = ctx.timelines[role]
    i = t.index(a)
    if not 0 <= i < t.days or not t.in_canada[i]:
        yield "A75.status_at_application", "not in Canada on the application date"
    elif not t.any_work(i) and not restorable(ctx, role, a, worker=True):
        yield "A75.status_at_application", "no work permit, maintained worker status, or restorable worker status"
    filed = ctx.scenario.person(role)
    app = filed.pr_application if filed is not None else None
    if app is not None and a < (app.aor_on or app.submitted_on):
        yield "A75.completeness", f"applied before the acknowledgement of receipt ({app.aor_on or app.submitted_on})"


def _valid_from(ctx: PlanContext, processed: dt.date) -> dt.date:
    """Not before the PR application is found complete (A75.completeness, R10) after its submission."""
    submitted = ctx.pr_submission
    if submitted is None:
        return processed
    return max(processed, add_days(submitted, int(ctx.param("A75.completeness", "days_after_submission", submitted))))


def _valid_to(ctx: PlanContext, p: PlannedPermit) -> dt.date:
    return add_days(add_months(p.valid_from, int(ctx.param("A75.validity", "months", p.apply_on))), -1)


class Bowp(Family):
    name = "bowp"
    stage = 40

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        d = _eligibility(asked.person, asked.on, asked.rules)
        return [answer(category, d, asked.on if d.eligible else None)]

    def candidates(self, opts: Options, role: Role, person: Person) -> list[Candidate]:
        return _candidates(opts, role, person)

    def constrain(self, v: Vars, node: Node) -> None:
        _constrain(v, node)

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        return _issues(ctx, role, p)

    def valid_from(self, ctx: PlanContext, role: Role, p: PlannedPermit, processed: dt.date) -> dt.date:
        return _valid_from(ctx, processed)

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        return _valid_to(ctx, p)

    def plausible(self, asked: Asked, category: Category) -> bool:
        """A member who could apply for PR within the horizon (CEC on the facts alone, or a nomination)."""
        return _pr_from(asked) is not None

    def moments(self, asked: Asked, category: Category) -> tuple[dt.date, ...]:
        """The day asked and the first day the member could apply for PR."""
        first = _pr_from(asked)
        return tuple(sorted({asked.on} | ({first} if first is not None else set())))

    def smallest_fix(self, asked: Asked, category: Category, decision: CategoryEligibility) -> Fix | None:
        """Undecided until a PR application is submitted: submit it while in worker status or while worker status
        can still be restored (addendum §4 (2): STATUS.restoration days after the permit's end)."""
        if "PR application date" in decision.missing and all(f.rule_id == "A75.completeness" for f in decision.failing):
            ended = work_permit_end(asked.person)
            return Fix.said(
                Phrase.of("fix.bowp_pr_application", code=CODE),
                None if ended is None else restoration_deadline(ended, asked.rules),
            )
        return super().smallest_fix(asked, category, decision)


def _pr_from(asked: Asked) -> dt.date | None:
    """The first day in the horizon the member could apply for PR (CEC on the facts alone, or a nomination)."""
    person = asked.person
    nomination = person.provincial_nomination
    nominated = None if nomination is None else max(asked.on, nomination.nominated_on)
    cec_from = cec.first_eligible_date(person, asked.on, asked.horizon_end, asked.rules)
    return min((d for d in (nominated, cec_from) if d is not None), default=None)


FAMILY = Bowp()

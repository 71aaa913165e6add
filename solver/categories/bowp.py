"""A75, the bridging open work permit for a PR applicant whose work permit runs out while PR is processed."""

from __future__ import annotations

import datetime as dt

from solver.categories.base import Asked, CategoryEligibility, Family, answer
from solver.domain import Person, Role
from solver.model.variables import Node, Vars
from solver.options.household import could_apply_for_pr
from solver.options.options import Options, fee_cents
from solver.options.records import After, Candidate
from solver.rules import bowp, cec
from solver.rules.catalog import Category
from solver.rules.decision import Decision
from solver.rules.registry import RuleSet

# --- the eligibility query -------------------------------------------------------------------------


def _eligibility(person: Person, on: dt.date, rules: RuleSet) -> Decision:
    """A75 on `on`, for the PR class the person could apply under that day (CEC first, else PNP)."""
    nomination = person.provincial_nomination
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
    if not could_apply_for_pr(opts, person):
        return []
    return [
        Candidate(
            key=f"{role.value}:{CODE}",
            person=role,
            code=CODE,
            family=FAMILY.name,
            open=True,
            apply_days=opts.days(0, opts.cal.horizon - 1),
            processing_inside=opts.processing(CODE, True, d0),
            processing_outside=opts.processing(CODE, False, d0),
            months=opts.int_param("A75.validity", "months", d0),
            fee_cents=fee_cents(opts, CODE, d0),
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
        program = "PNP" if branch == "PNP" else "CEC"
        if role is c.person and program not in classes:
            m.add_implication(node.present, lit.Not())
    m.add(node.apply >= pr.submit).only_enforce_if(node.present)
    m.add_max_equality(node.start, [node.apply + c.processing_inside, pr.submit + completeness])


# --- the independent validator ---------------------------------------------------------------------


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


FAMILY = Bowp()

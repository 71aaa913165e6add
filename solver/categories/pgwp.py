"""C43, the post-graduation work permit: eligibility, candidates and constraints, and its validator check."""

from __future__ import annotations

import datetime as dt

from solver.categories.base import Asked, CategoryEligibility, Family, answer, refusal
from solver.domain import Education, Person, Role
from solver.options.options import Options, fee_cents
from solver.options.records import After, Candidate, DepotKind
from solver.rules import pgwp
from solver.rules.catalog import Category
from solver.rules.decision import Decision, Verdict
from solver.rules.registry import RuleSet

# --- the eligibility query -------------------------------------------------------------------------

_RANK = {Verdict.ELIGIBLE: 0, Verdict.UNDECIDED: 1, Verdict.NOT_ELIGIBLE: 2}


def _eligibility(person: Person, on: dt.date, rules: RuleSet) -> tuple[Decision, dt.date | None]:
    """The best answer over the person's Canadian programs, and the first day it is eligible (None if never)."""
    programs = [e for e in person.education if e.canadian]
    if not programs:
        return refusal(rules, "C43.institution", "no Canadian post-secondary program"), None
    pairs = [(pgwp.check(person, e, on, rules), e) for e in programs]
    best, edu = min(pairs, key=lambda p: _RANK[p[0].verdict])
    if best.verdict is Verdict.ELIGIBLE:
        return best, on
    first, _ = pgwp.application_window(edu, rules)
    if on < first and pgwp.check(person, edu, first, rules).eligible:
        return best, first
    return best, None


# --- the planner -----------------------------------------------------------------------------------

CODE = "C43"
_GROUNDS = ("C43.application_window", "C43.duration", "C43.language", "C43.study_permit_required")


def _candidates(opts: Options, role: Role, person: Person) -> list[Candidate]:
    """The PGWP of the first program whose application window has an eligible day (at most one)."""
    depot = opts.depots[role]
    if depot.kind is not DepotKind.STUDENT:
        return []
    for i, edu in enumerate(person.education):
        first = opts.cal.day(edu.completion)
        window = opts.int_param("C43.application_window", "days", edu.completion)
        days = [d for d in opts.days(first, min(first + window, depot.end)) if _ok(opts, person, edu, d)]
        if not days:
            continue
        d0 = opts.cal.date(days[0])
        return [
            Candidate(
                key=f"{role.value}:{CODE}:{i}",
                person=role,
                code=CODE,
                family=FAMILY.name,
                open=True,
                apply_days=tuple(days),
                processing_inside=opts.processing(CODE, True, d0),
                processing_outside=opts.processing(CODE, False, d0),
                months=pgwp.duration_months(edu, opts.on(d0), opts.rules),
                fee_cents=fee_cents(opts, CODE, d0),
                rule_ids=_GROUNDS,
                after=After.STUDY_PERMIT,
                work_while_pending="C43.work_while_pending",
            )
        ]
    return []


def _ok(opts: Options, person: Person, edu: Education, day: int) -> bool:
    """Eligible on `day` from `edu`, and the program grounds a PGWP of some length."""
    on = opts.on(opts.cal.date(day))
    return pgwp.check(person, edu, on, opts.rules).eligible and pgwp.duration_months(edu, on, opts.rules) > 0


# --- the independent validator ---------------------------------------------------------------------


class Pgwp(Family):
    name = "pgwp"
    stage = 10

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        d, start = _eligibility(asked.person, asked.on, asked.rules)
        return [answer(category, d, start)]

    def candidates(self, opts: Options, role: Role, person: Person) -> list[Candidate]:
        return _candidates(opts, role, person)


FAMILY = Pgwp()

"""C43, the post-graduation work permit: eligibility, candidates and constraints, and its validator check."""

from __future__ import annotations

import datetime as dt

from solver.categories.base import Asked, CategoryEligibility, Family, answer, refusal
from solver.domain import Person
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

# --- the independent validator ---------------------------------------------------------------------


class Pgwp(Family):
    name = "pgwp"
    stage = 10

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        d, start = _eligibility(asked.person, asked.on, asked.rules)
        return [answer(category, d, start)]


FAMILY = Pgwp()

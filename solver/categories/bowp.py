"""A75, the bridging open work permit for a PR applicant whose work permit runs out while PR is processed."""

from __future__ import annotations

import datetime as dt

from solver.categories.base import Asked, CategoryEligibility, Family, answer
from solver.domain import Person
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

# --- the independent validator ---------------------------------------------------------------------


class Bowp(Family):
    name = "bowp"
    stage = 40

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        d = _eligibility(asked.person, asked.on, asked.rules)
        return [answer(category, d, asked.on if d.eligible else None)]


FAMILY = Bowp()

"""Permits that rest on the partner: C42 (spouse of a student), C41 (spouse of a skilled worker), C49 (family of
an economic PR applicant) and A74 (sponsored spouse in Canada; eligibility only, not planned yet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from solver.categories.base import Asked, CategoryEligibility, Family, answer, refusal
from solver.domain import Person, Role
from solver.rules import spousal
from solver.rules.catalog import Category
from solver.rules.decision import Decision
from solver.rules.registry import RuleSet

# --- the eligibility query -------------------------------------------------------------------------

# Each code's check of the principal's situation.
_PRINCIPAL_CHECKS: dict[str, Callable[[Person, dt.date, RuleSet], Decision]] = {
    "C41": spousal.check_c41,
    "C42": spousal.check_c42,
    "C49": spousal.check_c49,
    "A74": spousal.check_a74,
}


def _eligibility(asked: Asked, code: str) -> Decision:
    """`code` for the member asked about: only the principal's accompanying spouse can hold it."""
    if asked.role is Role.PRINCIPAL or asked.scenario.spouse is None:
        return refusal(asked.rules, "C41.no_role_swap", "only the accompanying spouse of the principal can hold it")
    return _PRINCIPAL_CHECKS[code](asked.scenario.principal, asked.on, asked.rules)


# --- the planner -----------------------------------------------------------------------------------

# --- the independent validator ---------------------------------------------------------------------


class Spousal(Family):
    name = "spousal"
    stage = 50
    after_partners = True

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        d = _eligibility(asked, category.code)
        return [answer(category, d, asked.on if d.eligible else None)]


FAMILY = Spousal()

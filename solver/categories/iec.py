"""C21, International Experience Canada (Working Holiday as an open permit; the offer-based streams go through
the employer family)."""

from __future__ import annotations

from solver.categories.base import Asked, CategoryEligibility, Family, answer
from solver.rules import iec
from solver.rules.catalog import Category

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

# --- the independent validator ---------------------------------------------------------------------


class Iec(Family):
    name = "iec"
    stage = 30

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        used = sum(1 for p in asked.person.permit_history if p.code == category.code)
        d = iec.check(asked.person, asked.on, asked.rules, participations_used=used)
        return [answer(category, d, asked.on if d.eligible else None)]


FAMILY = Iec()

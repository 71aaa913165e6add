"""C21, International Experience Canada (Working Holiday as an open permit; the offer-based streams go through
the employer family)."""

from __future__ import annotations

import datetime as dt

from solver.categories.base import Asked, CategoryEligibility, Family, answer
from solver.domain import Person, Role
from solver.options.options import Options, fee_cents
from solver.options.records import Candidate
from solver.rules import iec
from solver.rules.catalog import Category
from solver.rules.registry import RuleSet

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

CODE = "C21"


def _candidates(opts: Options, role: Role, person: Person) -> list[Candidate]:
    """A Working Holiday permit, once per lifetime here (a person who held C21 gets none)."""
    if any(h.code == CODE for h in person.permit_history):
        return []
    days = opts.eligible_days(0, opts.cal.horizon - 1, person, lambda on: _months(opts.rules, person, on) > 0)
    if not days:
        return []
    d0 = opts.cal.date(days[0])
    return [
        Candidate(
            key=f"{role.value}:{CODE}",
            person=role,
            code=CODE,
            family=FAMILY.name,
            open=True,
            apply_days=tuple(days),
            processing_inside=opts.processing(CODE, True, d0),
            processing_outside=opts.processing(CODE, False, d0),
            months=_months(opts.rules, person, opts.on(d0)),
            fee_cents=fee_cents(opts, CODE, d0),
            rule_ids=("C21.partner",),
        )
    ]


def _months(rules: RuleSet, person: Person, on: dt.date) -> int:
    """Working Holiday months open to `person` on `on` (iec.check, iec.permit_months); 0 when none."""
    used = sum(1 for h in person.permit_history if h.code == CODE)
    if not iec.check(person, on, rules, participations_used=used).eligible:
        return 0
    country = iec.best_country(person, on, rules)
    if country is None:
        return 0
    return iec.permit_months(country, rules, on, participation=used + 1)


# --- the independent validator ---------------------------------------------------------------------


class Iec(Family):
    name = "iec"
    stage = 30

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        used = sum(1 for p in asked.person.permit_history if p.code == category.code)
        d = iec.check(asked.person, asked.on, asked.rules, participations_used=used)
        return [answer(category, d, asked.on if d.eligible else None)]

    def candidates(self, opts: Options, role: Role, person: Person) -> list[Candidate]:
        return _candidates(opts, role, person)


FAMILY = Iec()

"""C21, International Experience Canada (Working Holiday as an open permit; the offer-based streams go through
the employer family)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from solver.categories.base import Asked, CategoryEligibility, Family, Issue, answer
from solver.dates import add_days, add_months, age_on
from solver.domain import Person, PlannedPermit, Role
from solver.options.options import Options, open_candidate
from solver.options.records import Candidate
from solver.rules import iec
from solver.rules.catalog import Category
from solver.rules.registry import RuleSet
from solver.validate.context import PlanContext
from solver.validate.facts import optional_param

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
    return [
        open_candidate(
            opts,
            role,
            CODE,
            FAMILY.name,
            f"{role.value}:{CODE}",
            days,
            months=_months(opts.rules, person, opts.cal.date(days[0])),
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


def _arrangement(ctx: PlanContext, person: Person, a: dt.date) -> dict[str, Any] | None:
    """The IEC arrangement (C21.partner) of the person's first citizenship that has one, on `a`."""
    table = optional_param(ctx, "C21.partner", "countries", a, {})
    for country in person.citizenships:
        if country in table:
            return dict(table[country])
    return None


def _issues(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
    entry = _arrangement(ctx, person, p.apply_on)
    if entry is None:
        yield "C21.partner", f"no IEC arrangement for {', '.join(person.citizenships)}"
        return
    a = p.apply_on
    age = age_on(person.birth_date, a)
    if not int(entry["min_age"]) <= age <= int(entry["max_age"]):
        yield "C21.partner", f"age {age} outside {entry['min_age']}-{entry['max_age']}"
    used = sum(1 for h in person.permit_history if h.code == "C21") + sum(
        1 for q in ctx.permits_of(role) if q.code == "C21" and q.apply_on < a
    )
    if used >= int(entry["participations"]):
        yield "C21.partner", f"all {entry['participations']} participations used"


def _valid_to(ctx: PlanContext, person: Person, p: PlannedPermit) -> dt.date | None:
    """The Working Holiday length of the person's arrangement."""
    entry = _arrangement(ctx, person, p.apply_on)
    return add_days(add_months(p.valid_from, int(entry["months"]["WH"])), -1) if entry is not None else None


class Iec(Family):
    name = "iec"
    stage = 30

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        used = sum(1 for p in asked.person.permit_history if p.code == category.code)
        d = iec.check(asked.person, asked.on, asked.rules, participations_used=used)
        return [answer(category, d, asked.on if d.eligible else None)]

    def candidates(self, opts: Options, role: Role, person: Person) -> list[Candidate]:
        return _candidates(opts, role, person)

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        return _issues(ctx, role, person, p)

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        return _valid_to(ctx, person, p)

    def government_fees(self, ctx: PlanContext, p: PlannedPermit) -> float:
        # The participation fee stands in for the processing fee unless FEES.iec says both are paid; the
        # open working-holiday permit adds the open-work-permit holder fee (rules-2026.md section 8).
        fee = float(ctx.param("FEES.iec", "participation", p.apply_on))
        if p.open:
            fee += float(ctx.param("FEES.work_permit", "open_permit_holder", p.apply_on))
        if ctx.param("FEES.iec", "with_processing_fee", p.apply_on):
            fee += float(ctx.param("FEES.work_permit", "processing", p.apply_on))
        return fee

    def plausible(self, asked: Asked, category: Category) -> bool:
        """A citizen of an IEC partner country, whatever the age (past the limit nothing opens it: no fix)."""
        table = iec.partners(asked.on, asked.rules)
        return any(country in table for country in asked.person.citizenships)


FAMILY = Iec()

"""C21, International Experience Canada (Working Holiday as an open permit; the offer-based streams go through
the employer family)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from solver.categories.base import Family, Issue
from solver.dates import add_days, add_months, age_on
from solver.domain import Person, PlannedPermit, Role
from solver.validate.context import PlanContext
from solver.validate.facts import optional_param

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

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

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        return _issues(ctx, role, person, p)

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        return _valid_to(ctx, person, p)

    def extra_fees(self, ctx: PlanContext, p: PlannedPermit) -> float:
        return float(ctx.param("FEES.iec", "participation", p.apply_on))


FAMILY = Iec()

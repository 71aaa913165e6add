"""A visitor's work-permit application and an application with restoration, as the validator reads them.

Rules: STATUS.visitor_work_permit (a visitor applied inside Canada only while the public policy ran, to
2024-08-27; addendum §8), STATUS.r199 (the grounds a family names for applying inside anyway),
STATUS.restoration and FEES.restoration (filed in Canada without status: the restoration fee replaces the
processing fee).
"""

from __future__ import annotations

from solver.domain import Person, PlannedPermit, Role, StatusKind
from solver.rules.status import visitor_may_apply_inside
from solver.validate.context import PlanContext, category_family


def visitor_applies_outside(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> bool:
    """True when `p` is the first application of a visitor in Canada, filed when the visitor policy no longer
    applies, for a category whose family names no R199 ground: it is processed outside Canada and maintains
    no status (a later application is a permit holder's, whom R199 lets apply inside)."""
    status = person.status
    if not person.in_canada or status is None or status.kind is not StatusKind.VISITOR:
        return False
    if ctx.permits_of(role)[0] != p or visitor_may_apply_inside(ctx.on(p.apply_on), ctx.rules):
        return False
    family = category_family(p.code)
    return family is None or family.r199_ground(ctx, role, p) is None


def with_restoration(ctx: PlanContext, role: Role, p: PlannedPermit) -> bool:
    """True when `p` asks for restoration (STATUS.restoration): filed in Canada on a day without status, under a
    category that does not let it be filed without status (the R197 PGWP restores nothing)."""
    t = ctx.timelines[role]
    if not t.on(t.in_canada, p.apply_on) or t.on(t.status, p.apply_on):
        return False
    family = category_family(p.code)
    return family is None or not family.files_without_status(ctx, role, p)

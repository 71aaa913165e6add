"""The dates and fee a planned permit must carry, and every way one permit breaks the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from solver.categories import family_of
from solver.categories.base import Issue
from solver.dates import add_days
from solver.domain import Person, PlannedPermit, Role
from solver.rules.catalog import open_codes
from solver.validate.context import PlanContext, Violation, category_family
from solver.validate.fees import biometrics_fee, client_fee, employer_fee
from solver.validate.pending import decided_on, filing_of
from solver.validate.status import processing_days, restorable
from solver.validate.visitors import visitor_applies_outside

# --- what each category's family says of a permit ----------------------------------------------------


def eligibility_issues(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
    """Every eligibility rule `p` breaks on its application day, per its category's family (UnknownCategory for
    a code no catalog entry names)."""
    return family_of(p.code).issues(ctx, role, person, p)


def expected_valid_from(ctx: PlanContext, role: Role, p: PlannedPermit) -> dt.date:
    """apply_on plus the category's processing days (inside Canada when in Canada on apply_on), then whatever
    wait the category adds (the LMIA for TFWP, A75's completeness check)."""
    t = ctx.timelines[role]
    app = filing_of(ctx, role, p)
    if app is not None:
        # Filed before as_of: processing as on the filing day, from where it was filed; decided today at the earliest.
        days = processing_days(ctx, p.code, app.inside_canada, ctx.on(p.apply_on), role)
        return family_of(p.code).valid_from(ctx, role, p, decided_on(ctx, app, days))
    person = ctx.scenario.person(role)
    outside = person is not None and visitor_applies_outside(ctx, role, person, p)
    inside = t.on(t.in_canada, p.apply_on) and not outside
    processed = add_days(p.apply_on, processing_days(ctx, p.code, inside, ctx.on(p.apply_on), role))
    return family_of(p.code).valid_from(ctx, role, p, processed)


def expected_valid_to(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
    """The last valid day per the category's duration rule, capped at the passport."""
    end = family_of(p.code).valid_to(ctx, role, person, p)
    if end is not None and person.passport_expiry is not None:
        end = min(end, person.passport_expiry)
    return end


def _permit_issues(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Violation]:
    def v(rule_id: str, message: str, day: dt.date | None = p.apply_on) -> Violation:
        return Violation(rule_id, role, day, f"{p.code}: {message}")

    s = ctx.scenario
    if p.offer_ref is not None and not any(j.offer_ref == p.offer_ref and j.person is role for j in ctx.plan.jobs):
        yield v("EMPLOYER.offer", f"an employer-specific permit without a job from offer {p.offer_ref}")
    filing = filing_of(ctx, role, p)
    if filing is None and not s.as_of <= p.apply_on < ctx.horizon_end:
        yield v("PLAN.horizon", f"applied {p.apply_on} outside [{s.as_of}, {ctx.horizon_end})")
        return
    family = category_family(p.code)
    if family is None:
        yield v("PLAN.category", "no catalog category has this code")
        return
    if p.open != (p.code in open_codes()):
        yield v("PLAN.category", f"open={p.open} is wrong for this category")
    if p.open == (p.offer_ref is not None):
        yield v("PLAN.category", "an employer-specific permit names its offer; an open one names none")
    t = ctx.timelines[role]
    a = t.index(p.apply_on)
    lapsed = t.in_canada[a] and not t.status[a] and not restorable(ctx, role, p.apply_on)
    if filing is None and lapsed and not family.files_without_status(ctx, role, p):
        yield v("STATUS.restoration", "applied in Canada without status, after the restoration window")
    vf = expected_valid_from(ctx, role, p)
    if p.valid_from != vf and visitor_applies_outside(ctx, role, person, p):
        yield v(
            "STATUS.visitor_work_permit",
            f"a visitor applied inside Canada (valid_from {p.valid_from}) without an R199 ground after the visitor"
            f" policy ended: only processing outside Canada is open (valid_from {vf})",
        )
    elif p.valid_from != vf:
        yield v("PROCESSING.inside_canada", f"valid_from {p.valid_from}, processing gives {vf}", p.valid_from)
    vt = expected_valid_to(ctx, role, person, p)
    if person.passport_expiry is not None and person.passport_expiry < p.valid_from:
        yield v("PASSPORT.cap", f"the passport expires {person.passport_expiry}, before the permit starts")
    elif vt is None or p.valid_to != vt:
        yield v(
            "PASSPORT.cap" if vt == person.passport_expiry else "PLAN.duration", f"valid_to {p.valid_to}, expected {vt}"
        )
    if p.valid_to < p.valid_from:
        yield v("PLAN.duration", f"valid_to {p.valid_to} before valid_from {p.valid_from}")
    # What was filed is decided by IRCC, not by the plan: its eligibility is a risk, not a flaw of the plan.
    for rule_id, message in family.issues(ctx, role, person, p) if filing is None else ():
        yield v(rule_id, message)
    fee = client_fee(ctx, role, p)
    if abs(p.fee - fee) > 0.005:
        yield v("FEES.work_permit", f"fee {p.fee}, expected {fee}")
    bio = biometrics_fee(ctx, role, p)
    if abs(p.biometrics_fee - bio) > 0.005:
        yield v("FEES.work_permit", f"biometrics fee {p.biometrics_fee}, expected {bio}")
    employer = employer_fee(ctx, p)
    if abs(p.employer_fee - employer) > 0.005:
        yield v("FEES.employer_compliance", f"employer fee {p.employer_fee}, expected {employer}")

"""The dates and fee a planned permit must carry, and every way one permit breaks the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from solver.categories import employer
from solver.dates import add_days, add_months
from solver.domain import Person, PlannedPermit, Role
from solver.validate.context import OPEN_CODES, PlanContext, Violation
from solver.validate.eligibility import (
    _ELIGIBILITY,
    LMIA_CODE,
    _covering_work_permit_end,
    _employer,
    _iec_entry,
    pgwp_months,
)
from solver.validate.status import _restorable, current_program, processing_days

# --- the dates a permit must carry ----------------------------------------------------------------


def expected_valid_from(ctx: PlanContext, role: Role, p: PlannedPermit) -> dt.date:
    """apply_on plus the category's processing days (inside Canada when in Canada on apply_on); A75 waits for R10."""
    t = ctx.timelines[role]
    inside = t.on(t.in_canada, p.apply_on)
    on = ctx.on(p.apply_on)
    start = add_days(p.apply_on, processing_days(ctx.rules, p.code, inside, on))
    offer = ctx.offer(p.offer_ref)
    if offer is not None and p.code == LMIA_CODE and not offer.lmia_approved:
        start = add_days(start, int(ctx.param("TFWP.lmia", "processing_days", p.apply_on)))
    submitted = ctx.pr_submission
    if p.code == "A75" and submitted is not None:
        ready = add_days(submitted, int(ctx.param("A75.completeness", "days_after_submission", submitted)))
        start = max(start, ready)
    return start


def expected_valid_to(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
    """The last valid day per the category's duration rule, capped at the passport and the offer's end."""
    a, vf = p.apply_on, p.valid_from
    end: dt.date | None
    if p.code == "C43":
        edu = current_program(person, a)
        end = add_days(add_months(vf, pgwp_months(ctx, edu, a)), -1) if edu is not None else None
    elif p.code in ("C41", "C49"):
        anchor = Role.PRINCIPAL if p.code == "C41" else ctx.plan.pr_applicant
        end = _covering_work_permit_end(ctx, anchor, a) if anchor is not None else None
    elif p.code == "C42":
        status = ctx.scenario.principal.status
        end = status.valid_to if status is not None else None
    elif p.code == "A75":
        end = add_days(add_months(vf, int(ctx.param("A75.validity", "months", a))), -1)
    elif p.code == "C21":
        entry = _iec_entry(ctx, person, a)
        end = add_days(add_months(vf, int(entry["months"]["WH"])), -1) if entry is not None else None
    else:
        end = _employer_end(ctx, p)
    if end is not None and person.passport_expiry is not None:
        end = min(end, person.passport_expiry)
    return end


def _employer_end(ctx: PlanContext, p: PlannedPermit) -> dt.date | None:
    offer = ctx.offer(p.offer_ref)
    if offer is None:
        return None
    # The category's first-grant length is a rule value (employer.permit_months), not plan semantics.
    months = employer.permit_months(offer, ctx.on(p.apply_on), ctx.rules)
    end = add_days(add_months(p.valid_from, months), -1)
    job = next((j for j in ctx.plan.jobs if j.offer_ref == offer.ref), None)
    if job is not None and job.end is not None:
        end = min(end, job.end)
    return end


def permit_fee(ctx: PlanContext, role: Role, p: PlannedPermit) -> float:
    """What the application costs (FEES.*): processing, open-permit holder fee, biometrics on the person's
    first planned permit, the employer's compliance or LMIA fee, and the IEC participation fee."""
    a = p.apply_on
    fee = float(ctx.param("FEES.work_permit", "processing", a))
    if p.open:
        fee += float(ctx.param("FEES.work_permit", "open_permit_holder", a))
    if ctx.permits_of(role)[0] == p:
        fee += float(ctx.param("FEES.work_permit", "biometrics", a))
    if p.code == "C21":
        fee += float(ctx.param("FEES.iec", "participation", a))
    elif p.code == LMIA_CODE:
        fee += float(ctx.param("TFWP.lmia", "employer_fee", a))
    elif not p.open:
        fee += float(ctx.param("FEES.employer_compliance", "amount", a))
    return fee


def _permit_issues(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Violation]:
    def v(rule_id: str, message: str, day: dt.date | None = p.apply_on) -> Violation:
        return Violation(rule_id, role, day, f"{p.code}: {message}")

    s = ctx.scenario
    if p.offer_ref is not None and not any(j.offer_ref == p.offer_ref and j.person is role for j in ctx.plan.jobs):
        yield v("EMPLOYER.offer", f"an employer-specific permit without a job from offer {p.offer_ref}")
    if not s.as_of <= p.apply_on < ctx.horizon_end:
        yield v("PLAN.horizon", f"applied {p.apply_on} outside [{s.as_of}, {ctx.horizon_end})")
        return
    if p.open != (p.code in OPEN_CODES):
        yield v("PLAN.category", f"open={p.open} is wrong for this category")
    if p.open == (p.offer_ref is not None):
        yield v("PLAN.category", "an employer-specific permit names its offer; an open one names none")
    t = ctx.timelines[role]
    a = t.index(p.apply_on)
    if t.in_canada[a] and not t.status[a] and not _restorable(ctx, role, p.apply_on):
        yield v("STATUS.restoration", "applied in Canada without status, after the restoration window")
    vf = expected_valid_from(ctx, role, p)
    if p.valid_from != vf:
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
    check = _ELIGIBILITY.get(p.code, _employer)
    for rule_id, message in check(ctx, role, person, p):
        yield v(rule_id, message)
    fee = permit_fee(ctx, role, p)
    if abs(p.fee - fee) > 0.005:
        yield v("FEES.work_permit", f"fee {p.fee}, expected {fee}")

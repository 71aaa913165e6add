"""Every fee of a plan recomputed from the rules, apart from the planner: each permit's client fee
(biometrics when due), its employer fee, the PR fees, and the split of the total.

Biometrics serve FEES.work_permit.biometrics_validity_years from the day they were given
(Person.biometrics_given_on) or from the plan's own application that paid them; an application filed while
they serve pays none. PR fees (FEES.pr) are paid on the PR submission: processing and RPRF for the applicant
and a partner who is not a Canadian citizen or PR, the dependent-child fee per child; none when a PR
application was already submitted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from solver.dates import add_months
from solver.domain import PlannedPermit, Role
from solver.validate.context import PlanContext, Violation, category_family
from solver.validate.pending import filing_of
from solver.validate.visitors import with_restoration


@dataclass(frozen=True)
class PlanFees:
    """The fees a plan must carry: the client's total and its parts, and the employer's."""

    total: float
    permits: float
    biometrics: float
    pr: float
    employer: float


def _biometrics_days(ctx: PlanContext, role: Role) -> list[tuple[dt.date, str]]:
    """(apply_on, code) of each of `role`'s new permits that pays biometrics (a filing pending on as_of gave
    them, and paid, before the plan: it starts their validity when none served, and pays nothing here)."""
    person = ctx.scenario.person(role)
    assert person is not None

    def until(given: dt.date) -> dt.date:
        return add_months(given, 12 * int(ctx.param("FEES.work_permit", "biometrics_validity_years", given)))

    serves_until = until(person.biometrics_given_on) if person.biometrics_given_on is not None else None
    for app in sorted(person.pending_applications, key=lambda a: a.applied_on):
        if serves_until is None or app.applied_on >= serves_until:
            serves_until = until(app.applied_on)
    out: list[tuple[dt.date, str]] = []
    for p in ctx.permits_of(role):
        if filing_of(ctx, role, p) is not None:
            continue
        if serves_until is None or p.apply_on >= serves_until:
            out.append((p.apply_on, p.code))
            serves_until = until(p.apply_on)
    return out


def biometrics_fee(ctx: PlanContext, role: Role, p: PlannedPermit) -> float:
    """FEES.work_permit.biometrics when `p` is filed on a day no biometrics serve, else 0."""
    if (p.apply_on, p.code) in _biometrics_days(ctx, role):
        return float(ctx.param("FEES.work_permit", "biometrics", p.apply_on))
    return 0.0


def client_fee(ctx: PlanContext, role: Role, p: PlannedPermit) -> float:
    """What the client pays the government for `p`: its family's government fees plus biometrics when due
    (nothing for an application filed and paid before as_of)."""
    if filing_of(ctx, role, p) is not None:
        return 0.0
    family = category_family(p.code)
    # An unknown code is a PLAN.category violation (_permit_issues); it has no fees of its own.
    own = family.government_fees(ctx, p) if family is not None else 0.0
    if with_restoration(ctx, role, p):
        # FEES.restoration: restoring status with a new work permit replaces the processing fee (it includes it).
        own += float(ctx.param("FEES.restoration", "restore_with_permit", p.apply_on))
        own -= float(ctx.param("FEES.work_permit", "processing", p.apply_on))
    return own + biometrics_fee(ctx, role, p)


def employer_fee(ctx: PlanContext, p: PlannedPermit) -> float:
    """What the employer pays for `p` (compliance or LMIA fee), never the client's; nothing for an
    application filed before as_of (paid then)."""
    if filing_of(ctx, p.person, p) is not None:
        return 0.0
    family = category_family(p.code)
    return family.employer_fees(ctx, p) if family is not None else 0.0


def pr_fee(ctx: PlanContext) -> float:
    """FEES.pr of the plan's PR application on its submission day (ready day plus options.ita_wait_days)."""
    plan, s = ctx.plan, ctx.scenario
    if plan.pr_ready_date is None or plan.pr_applicant is None:
        return 0.0
    applicant = s.person(plan.pr_applicant)
    if applicant is None or applicant.pr_application is not None:
        return 0.0
    on = plan.pr_ready_date + dt.timedelta(days=ctx.options.ita_wait_days)
    partner = s.spouse if plan.pr_applicant is Role.PRINCIPAL else s.principal
    adults = 2 if partner is not None and partner.canadian_status is None else 1
    adult = float(ctx.param("FEES.pr", "processing", on)) + float(ctx.param("FEES.pr", "rprf", on))
    return round(adults * adult + len(s.children) * float(ctx.param("FEES.pr", "dependent_child", on)), 2)


def plan_fees(ctx: PlanContext) -> PlanFees:
    """The fees `ctx.plan` must carry."""
    permits = biometrics = employer = 0.0
    for p in ctx.plan.permits:
        bio = biometrics_fee(ctx, p.person, p)
        biometrics += bio
        permits += client_fee(ctx, p.person, p) - bio
        employer += employer_fee(ctx, p)
    pr = pr_fee(ctx)
    return PlanFees(
        round(permits + biometrics + pr, 2), round(permits, 2), round(biometrics, 2), pr, round(employer, 2)
    )


def fee_issues(ctx: PlanContext) -> list[Violation]:
    """Each fee of the plan that differs from the recomputed one (the per-permit ones: permits.py)."""
    want = plan_fees(ctx)
    plan = ctx.plan
    have = {
        "fees_total": plan.fees_total,
        "fees_permits": plan.fees_permits,
        "fees_biometrics": plan.fees_biometrics,
        "fees_pr": plan.fees_pr,
        "fees_employer": plan.fees_employer,
    }
    expected = {
        "fees_total": want.total,
        "fees_permits": want.permits,
        "fees_biometrics": want.biometrics,
        "fees_pr": want.pr,
        "fees_employer": want.employer,
    }
    return [
        Violation(
            "FEES.pr" if name == "fees_pr" else "FEES.work_permit",
            None,
            None,
            f"{name} {have[name]}, expected {expected[name]}",
        )
        for name in have
        if abs(have[name] - expected[name]) > 0.005
    ]

"""Permits that rest on the partner: C42 (spouse of a student), C41 (spouse of a skilled worker), C49 (family of
an economic PR applicant) and A74 (sponsored spouse in Canada; eligibility only, not planned yet)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from solver import noc
from solver.categories.base import Family, Issue
from solver.dates import add_months
from solver.domain import Credential, InstitutionKind, Person, PlannedPermit, Role
from solver.validate.context import PlanContext
from solver.validate.facts import covering_work_permit_end, job_on, optional_param
from solver.validate.status import current_program, program_months, study_permit_end

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

# --- the independent validator ---------------------------------------------------------------------


def _c41_issues(ctx: PlanContext, role: Role, p: PlannedPermit) -> Iterator[Issue]:
    a = p.apply_on
    if role is not Role.SPOUSE:
        yield "C41.principal_occupation", "only the principal's spouse may hold C41"
        return
    job = job_on(ctx, Role.PRINCIPAL, a)
    if job is None:
        yield "C41.principal_employed", "the principal holds no job on the spouse's application date"
    else:
        max_teer = int(ctx.param("C41.principal_occupation", "max_teer", a))
        prefixes = tuple(optional_param(ctx, "C41.principal_occupation", "listed_prefixes", a, ()))
        codes = tuple(optional_param(ctx, "C41.principal_occupation", "listed_codes", a, ()))
        code = job.noc_code
        if not (noc.teer(code) <= max_teer or code[:2] in prefixes or code in codes):
            yield "C41.principal_occupation", f"the principal's occupation {code} does not qualify"
    months = int(ctx.param("C41.principal_validity", "months", a))
    end = covering_work_permit_end(ctx, Role.PRINCIPAL, a)
    if end is None or end < add_months(a, months):
        yield "C41.principal_validity", f"the principal's work permit ends {end}, less than {months} months after {a}"


def _c42_issues(ctx: PlanContext, role: Role, p: PlannedPermit) -> Iterator[Issue]:
    a = p.apply_on
    principal = ctx.scenario.principal
    if role is not Role.SPOUSE:
        yield "C42.principal_program", "only the principal's spouse may hold C42"
        return
    end = study_permit_end(ctx, principal)
    edu = current_program(principal, a)
    if end is None or edu is None or a > end or a > edu.completion:
        yield "C42.principal_program", "the principal is not a student with a valid study permit on that date"
        return
    if not edu.full_time:
        yield "C42.principal_status", "the principal does not study full time"
    rule = "C42.principal_program"
    university = edu.institution is InstitutionKind.UNIVERSITY
    graduate_ok = university or not optional_param(ctx, rule, "graduate_requires_university", a, False)
    master_min = int(optional_param(ctx, rule, "master_min_months", a, 0))
    ok = (
        bool(optional_param(ctx, rule, "any_program", a, False))
        or (edu.credential is Credential.MASTER and graduate_ok and program_months(edu) >= master_min)
        or (
            edu.credential is Credential.DOCTORAL
            and graduate_ok
            and bool(optional_param(ctx, rule, "doctoral", a, True))
        )
        or (
            edu.credential is Credential.PROFESSIONAL_DEGREE
            and university
            and bool(optional_param(ctx, rule, "professional_degree", a, True))
        )
    )
    if not ok:
        yield rule, f"the principal's {edu.credential.value} of {program_months(edu)} months does not qualify"
    if optional_param(ctx, rule, "requires_pgwp_eligible", a, False) and not edu.pgwp_eligible_dli:
        yield rule, "the principal's program is not PGWP-eligible"


def _c49_issues(ctx: PlanContext, role: Role, p: PlannedPermit) -> Iterator[Issue]:
    a = p.apply_on
    applicant = ctx.plan.pr_applicant
    submitted = ctx.pr_submission
    if applicant is None or applicant is role or submitted is None or a < submitted:
        yield "C49.principal_pr_applicant", "the partner has not yet submitted an economic PR application"
        return
    if covering_work_permit_end(ctx, applicant, a) is None:
        yield "C49.principal_pr_applicant", "the PR applicant holds no valid work permit on that date"


# The codes a plan may hold, each with its check of the partner's situation.
_CHECKS: dict[str, Callable[[PlanContext, Role, PlannedPermit], Iterator[Issue]]] = {
    "C41": _c41_issues,
    "C42": _c42_issues,
    "C49": _c49_issues,
}


def _issues(ctx: PlanContext, role: Role, p: PlannedPermit) -> Iterator[Issue]:
    check = _CHECKS.get(p.code)
    if check is None:
        yield "PLAN.category", f"{p.code} is answered by the eligibility query only; a plan does not hold it"
        return
    yield from check(ctx, role, p)


def _valid_to(ctx: PlanContext, p: PlannedPermit) -> dt.date | None:
    """The end of the partner's permit the spouse's permit matches."""
    if p.code == "C41":
        return covering_work_permit_end(ctx, Role.PRINCIPAL, p.apply_on)
    if p.code == "C49":
        applicant = ctx.plan.pr_applicant
        return covering_work_permit_end(ctx, applicant, p.apply_on) if applicant is not None else None
    if p.code == "C42":
        status = ctx.scenario.principal.status
        return status.valid_to if status is not None else None
    return None  # A74: not planned (_issues says so)


class Spousal(Family):
    name = "spousal"
    stage = 50
    after_partners = True

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        return _issues(ctx, role, p)

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        return _valid_to(ctx, p)


FAMILY = Spousal()

"""Eligibility of each planned permit, one function per category (open and employer-specific)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from solver import noc
from solver.dates import add_days, add_months, age_on, whole_months_between
from solver.domain import (
    Credential,
    Education,
    InstitutionKind,
    Offer,
    Person,
    PlannedJob,
    PlannedPermit,
    Role,
    StatusKind,
)
from solver.validate.context import PlanContext
from solver.validate.status import _restorable, current_program, program_months, study_permit_end

# --- eligibility, one function per category --------------------------------------------------------

_Issue = tuple[str, str]


def _opt(ctx: PlanContext, rule_id: str, name: str, trigger: dt.date, default: Any) -> Any:
    """A parameter that an older version of a rule may lack: `default` when it is absent or not in force."""
    rule = ctx.rules.rules.get(rule_id)
    version = rule.at(ctx.on(trigger)) if rule is not None else None
    if version is None or name not in version.params:
        return default
    return version.params[name]


def _in_force(ctx: PlanContext, rule_id: str, trigger: dt.date) -> bool:
    return rule_id in ctx.rules and ctx.rules.in_force(rule_id, ctx.on(trigger))


def language_ok(person: Person, on: dt.date, min_clb: int, max_age_months: int) -> bool:
    """True when a test taken on or before `on`, under `max_age_months` old on `on`, has every ability >= min_clb."""
    return any(
        t.taken <= on < add_months(t.taken, max_age_months) and t.lowest >= min_clb for t in person.language_tests
    )


def pgwp_months(ctx: PlanContext, edu: Education, apply_on: dt.date) -> int:
    """The PGWP's length before the passport cap (C43.duration, C43.masters_duration)."""
    length = program_months(edu)
    if edu.credential is Credential.MASTER and _in_force(ctx, "C43.masters_duration", apply_on):
        months = int(ctx.param("C43.masters_duration", "months", apply_on))
    elif length >= int(ctx.param("C43.duration", "long_program_months", apply_on)):
        months = int(ctx.param("C43.duration", "long_duration_months", apply_on))
    else:
        months = length
    return min(months, int(ctx.param("C43.duration", "max_months", apply_on)))


def _pgwp_clb(ctx: PlanContext, edu: Education, a: dt.date) -> int:
    if edu.institution is InstitutionKind.UNIVERSITY:
        return int(ctx.param("C43.language", "university_clb", a))
    if edu.credential.is_degree:
        return int(ctx.param("C43.language", "college_degree_clb", a))
    return int(ctx.param("C43.language", "other_clb", a))


def _pgwp(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
    a = p.apply_on
    edu = current_program(person, a)
    if edu is None:
        yield "C43.institution", "no Canadian program to graduate from"
        return
    if _opt(ctx, "C43.institution", "requires_pgwp_eligible_dli", a, True) and not edu.pgwp_eligible_dli:
        yield "C43.institution", "the school is not a PGWP-eligible DLI"
    if program_months(edu) < int(ctx.param("C43.min_program_length", "months", a)):
        yield "C43.min_program_length", f"the program lasted {program_months(edu)} months"
    if not edu.full_time:
        yield "C43.full_time", "the program was not full time"
    last = add_days(edu.completion, int(ctx.param("C43.application_window", "days", a)))
    if not edu.completion <= a <= last:
        yield "C43.application_window", f"applied {a} outside {edu.completion}..{last}"
    held = [h for h in person.permit_history if h.code == "C43"]
    planned = [q for q in ctx.permits_of(role) if q.code == "C43"]
    if held or (person.status is not None and person.status.permit_code == "C43") or len(planned) > 1:
        yield "C43.once_per_lifetime", "a PGWP was already held or is planned twice"
    if _in_force(ctx, "C43.language", a):
        clb = _pgwp_clb(ctx, edu, a)
        if not language_ok(person, a, clb, int(ctx.param("C43.language", "test_max_age_months", a))):
            yield "C43.language", f"no valid language test with every ability >= CLB {clb}"
    fos_trigger = edu.study_permit_applied_on or edu.start
    fos_applies = _in_force(ctx, "C43.field_of_study", fos_trigger) and not edu.credential.is_degree
    if fos_applies and not edu.field_of_study_eligible:
        yield "C43.field_of_study", "the field of study is not on the eligible list"
    t = ctx.timelines[role]
    study_end = study_permit_end(ctx, person)
    if t.on(t.in_canada, a) and (study_end is None or a > study_end):
        yield "C43.study_permit_required", "applied in Canada without a valid study permit"


def _covering_work_permit_end(ctx: PlanContext, role: Role, on: dt.date) -> dt.date | None:
    """The latest valid_to of a work permit (planned, or held on as_of) that `role` holds on `on`."""
    ends = [q.valid_to for q in ctx.permits_of(role) if q.valid_from <= on <= q.valid_to]
    person = ctx.scenario.person(role)
    status = person.status if person is not None else None
    if status is not None and status.kind is StatusKind.WORKER and ctx.scenario.as_of <= on <= status.valid_to:
        ends.append(status.valid_to)
    return max(ends, default=None)


def _job_on(ctx: PlanContext, role: Role, on: dt.date) -> PlannedJob | None:
    for job in ctx.jobs_of(role):
        end = job.end or add_days(ctx.horizon_end, -1)
        if job.start <= on <= end:
            return job
    return None


def _c41(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
    a = p.apply_on
    if role is not Role.SPOUSE:
        yield "C41.principal_occupation", "only the principal's spouse may hold C41"
        return
    job = _job_on(ctx, Role.PRINCIPAL, a)
    if job is None:
        yield "C41.principal_employed", "the principal holds no job on the spouse's application date"
    else:
        max_teer = int(ctx.param("C41.principal_occupation", "max_teer", a))
        prefixes = tuple(_opt(ctx, "C41.principal_occupation", "listed_prefixes", a, ()))
        codes = tuple(_opt(ctx, "C41.principal_occupation", "listed_codes", a, ()))
        code = job.noc_code
        if not (noc.teer(code) <= max_teer or code[:2] in prefixes or code in codes):
            yield "C41.principal_occupation", f"the principal's occupation {code} does not qualify"
    months = int(ctx.param("C41.principal_validity", "months", a))
    end = _covering_work_permit_end(ctx, Role.PRINCIPAL, a)
    if end is None or end < add_months(a, months):
        yield "C41.principal_validity", f"the principal's work permit ends {end}, less than {months} months after {a}"


def _c42(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
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
    graduate_ok = university or not _opt(ctx, rule, "graduate_requires_university", a, False)
    master_min = int(_opt(ctx, rule, "master_min_months", a, 0))
    ok = (
        bool(_opt(ctx, rule, "any_program", a, False))
        or (edu.credential is Credential.MASTER and graduate_ok and program_months(edu) >= master_min)
        or (edu.credential is Credential.DOCTORAL and graduate_ok and bool(_opt(ctx, rule, "doctoral", a, True)))
        or (
            edu.credential is Credential.PROFESSIONAL_DEGREE
            and university
            and bool(_opt(ctx, rule, "professional_degree", a, True))
        )
    )
    if not ok:
        yield rule, f"the principal's {edu.credential.value} of {program_months(edu)} months does not qualify"
    if _opt(ctx, rule, "requires_pgwp_eligible", a, False) and not edu.pgwp_eligible_dli:
        yield rule, "the principal's program is not PGWP-eligible"


def _c49(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
    a = p.apply_on
    applicant = ctx.plan.pr_applicant
    submitted = ctx.pr_submission
    if applicant is None or applicant is role or submitted is None or a < submitted:
        yield "C49.principal_pr_applicant", "the partner has not yet submitted an economic PR application"
        return
    if _covering_work_permit_end(ctx, applicant, a) is None:
        yield "C49.principal_pr_applicant", "the PR applicant holds no valid work permit on that date"


def _a75(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
    a = p.apply_on
    submitted = ctx.pr_submission
    classes = tuple(ctx.param("A75.eligible_classes", "classes", a))
    if ctx.plan.pr_applicant is not role or submitted is None or a < submitted or ctx.plan.pr_program not in classes:
        yield "A75.eligible_classes", "only the principal applicant of a submitted CEC/PNP/... PR application"
        return
    t = ctx.timelines[role]
    i = t.index(a)
    if not 0 <= i < t.days or not t.in_canada[i]:
        yield "A75.status_at_application", "not in Canada on the application date"
    elif not t.any_work(i) and not _restorable(ctx, role, a, worker=True):
        yield "A75.status_at_application", "no work permit, maintained worker status, or restorable worker status"


def _iec(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
    entry = _iec_entry(ctx, person, p.apply_on)
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


def _iec_entry(ctx: PlanContext, person: Person, a: dt.date) -> dict[str, Any] | None:
    table = _opt(ctx, "C21.partner", "countries", a, {})
    for country in person.citizenships:
        if country in table:
            return dict(table[country])
    return None


def _employer(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
    a = p.apply_on
    offer = ctx.offer(p.offer_ref)
    if offer is None or offer.holder is not role:
        yield "EMPLOYER.offer", f"no offer {p.offer_ref!r} held by {role.value}"
        return
    if p.code != (offer.lmia_exempt_code or LMIA_CODE):
        yield "EMPLOYER.offer", f"offer {offer.ref} gives code {offer.lmia_exempt_code or LMIA_CODE}, not {p.code}"
    if p.code in ("T36", "T37", "T38"):
        countries = tuple(ctx.param("T36.citizenship", "countries", a))
        if not set(person.citizenships) & set(countries):
            yield "T36.citizenship", "CUSMA professionals and transferees must be US or Mexican citizens"
    if p.code == "T36" and offer.noc_code not in tuple(ctx.param("T36.profession", "noc_codes", a)):
        yield "T36.profession", f"{offer.noc_code} is not a CUSMA profession"
    elif p.code == "C16":
        yield from _c16(ctx, person, offer, a)
    elif p.code == "T13":
        nomination = person.provincial_nomination
        if nomination is None or nomination.nominated_on > a or nomination.province != offer.province:
            yield "T13.nomination", f"no nomination by {offer.province} on {a}"
    elif p.code == "C18" and offer.province not in tuple(ctx.param("C18.endorsement", "provinces", a)):
        yield "C18.endorsement", f"{offer.province} is not an Atlantic province"
    elif p.code in ("T43", "T47") and not set(person.citizenships) & set(ctx.param("T43.ceta", "countries", a)):
        yield "T43.ceta", "CETA professionals must be EU citizens"
    elif p.code in ("C61", "C62", "C63", "T37", "T38"):
        yield from _ict(ctx, role, person, offer, p)


def _ict(ctx: PlanContext, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[_Issue]:
    a = p.apply_on
    max_teer = int(ctx.param(f"{p.code}.occupation", "max_teer", a))
    if noc.teer(offer.noc_code) > max_teer:
        yield f"{p.code}.occupation", f"{offer.noc_code} is above TEER {max_teer}"
    # ICT.total: months already spent on intra-company transfers, held or planned before this one.
    codes = set(ctx.param("ICT.total", "codes", a))
    spans = [(h.valid_from, h.valid_to) for h in person.permit_history if h.code in codes]
    spans += [(q.valid_from, q.valid_to) for q in ctx.permits_of(role) if q.code in codes and q.apply_on < a]
    used = sum(whole_months_between(lo, add_days(hi, 1)) for lo, hi in spans)
    total = min(
        int(ctx.param("ICT.total", "total_months", a)), int(ctx.param(f"{p.code}.occupation", "total_months", a))
    )
    if used >= total:
        yield "ICT.total", f"{used} of {total} months of intra-company transfer already used"


def _c16(ctx: PlanContext, person: Person, offer: Offer, a: dt.date) -> Iterator[_Issue]:
    nclc = int(ctx.param("C16.french", "nclc", a))
    tests = person.language_tests
    if not any(t.test.is_french and t.taken <= a and min(t.speaking, t.listening) >= nclc for t in tests):
        yield "C16.french", f"no French test with speaking and listening >= NCLC {nclc}"
    if noc.teer(offer.noc_code) > int(ctx.param("C16.french", "max_teer", a)):
        yield "C16.french", f"{offer.noc_code} is above the TEERs Francophone Mobility covers"
    if offer.noc_code in tuple(ctx.param("C16.french", "excluded_codes", a)):
        yield "C16.french", f"{offer.noc_code} is excluded (primary agriculture)"
    if offer.province in tuple(ctx.param("C16.french", "excluded_provinces", a)):
        yield "C16.french", "the job must be outside Quebec"


LMIA_CODE = "TFWP"


_ELIGIBILITY = {"C43": _pgwp, "C41": _c41, "C42": _c42, "C49": _c49, "A75": _a75, "C21": _iec}

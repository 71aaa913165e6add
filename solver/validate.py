"""Checks any plan against the rules without the solver, and recomputes its objective.

This module reads docs/plan-semantics.md on its own: it never imports the CP-SAT model or the planner, so a
bug in one is not copied into the other. Rule values come from the registry (docs/rule-ids.md), read on the
date each rule's trigger names, or on `options.rules_as_of` for a what-if.

A Violation cites a rule id of docs/rule-ids.md, or one of the plan's own ids: PLAN.horizon, PLAN.category,
PLAN.duration, PLAN.person, PLAN.pr, PLAN.status, PLAN.objective (the plan contradicts plan-semantics),
JOB.dates, JOB.offer, JOB.one_at_a_time, JOB.start_window, JOB.student, EMPLOYER.offer, STATUS.gap (a hidden
or phantom gap) and STATUS.work_authorized (a job day without authorization for that employer).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from solver import noc
from solver.dates import add_days, add_months, age_on, whole_months_between
from solver.domain import (
    Credential,
    Education,
    InstitutionKind,
    ObjectiveTerm,
    Offer,
    Person,
    Plan,
    PlannedJob,
    PlannedPermit,
    PlanOptions,
    PlanStatus,
    Role,
    Scenario,
    StatusGap,
    StatusKind,
    WorkPeriod,
)
from solver.rules import employer
from solver.rules.registry import RuleSet, load_rules

OPEN_CODES = frozenset({"C43", "C41", "C42", "C49", "A75", "C21"})
SPOUSAL_CODES = frozenset({"C41", "C42", "C49"})
PR_PROGRAMS = frozenset({"CEC", "PNP"})


@dataclass(frozen=True)
class Violation:
    """One way a plan breaks a rule: the rule id, whose plan, the date it happens and what is wrong."""

    rule_id: str
    person: Role | None
    date: dt.date | None
    message: str


# --- one person's days ---------------------------------------------------------------------------


@dataclass
class Timeline:
    """Per-day facts of one person over [as_of, H): in Canada, in status, and which work is authorized."""

    start: dt.date
    days: int
    in_canada: bytearray
    status: bytearray
    open_work: bytearray
    # Employer-specific authorization per offer ref; None is the employer of the ongoing work-history job.
    specific: dict[str | None, bytearray] = field(default_factory=dict)
    entry: dt.date | None = None

    def index(self, day: dt.date) -> int:
        return (day - self.start).days

    def mark(self, arr: bytearray, first: dt.date, last: dt.date) -> None:
        """Sets `arr` on every day of [first, last] inside the horizon."""
        lo, hi = max(0, self.index(first)), min(self.days, self.index(last) + 1)
        if hi > lo:
            arr[lo:hi] = b"\x01" * (hi - lo)

    def spec(self, ref: str | None) -> bytearray:
        if ref not in self.specific:
            self.specific[ref] = bytearray(self.days)
        return self.specific[ref]

    def on(self, arr: bytearray, day: dt.date) -> bool:
        i = self.index(day)
        return 0 <= i < self.days and bool(arr[i])

    def authorized(self, i: int, ref: str | None) -> bool:
        """Work-authorized on day index `i` for the job of offer `ref` (None: the ongoing history job)."""
        return bool(self.open_work[i]) or (ref in self.specific and bool(self.specific[ref][i]))

    def any_work(self, i: int) -> bool:
        return bool(self.open_work[i]) or any(arr[i] for arr in self.specific.values())


# --- the context shared by the checks ------------------------------------------------------------


@dataclass
class _Ctx:
    scenario: Scenario
    plan: Plan
    options: PlanOptions
    rules: RuleSet
    horizon_end: dt.date
    timelines: dict[Role, Timeline] = field(default_factory=dict)

    def on(self, trigger: dt.date) -> dt.date:
        """The date whose rules apply to something triggered on `trigger`."""
        return self.options.rules_as_of or trigger

    def param(self, rule_id: str, name: str, trigger: dt.date) -> Any:
        return self.rules.param(rule_id, name, self.on(trigger))

    def permits_of(self, role: Role) -> list[PlannedPermit]:
        return sorted((p for p in self.plan.permits if p.person is role), key=lambda p: (p.apply_on, p.code))

    def jobs_of(self, role: Role) -> list[PlannedJob]:
        return sorted((j for j in self.plan.jobs if j.person is role), key=lambda j: j.start)

    def offer(self, ref: str | None) -> Offer | None:
        return next((o for o in self.scenario.offers if o.ref == ref), None)

    @property
    def pr_submission(self) -> dt.date | None:
        if self.plan.pr_ready_date is None:
            return None
        return add_days(self.plan.pr_ready_date, self.options.ita_wait_days)

    @property
    def pr_approval(self) -> dt.date | None:
        submitted = self.pr_submission
        if submitted is None or self.plan.pr_program not in PR_PROGRAMS:
            return None
        name = "cec_months" if self.plan.pr_program == "CEC" else "pnp_ee_months"
        return add_months(submitted, int(self.param("PR.processing", name, submitted)))


def current_program(person: Person, on: dt.date) -> Education | None:
    """The Canadian program a person studies in or finished last by `on` (latest completion)."""
    programs = [e for e in person.education if e.canadian and e.start <= on]
    return max(programs, key=lambda e: e.completion, default=None)


def program_months(edu: Education) -> int:
    """The program's length in months: the declared length, else whole months from start to completion."""
    return edu.length_months if edu.length_months is not None else whole_months_between(edu.start, edu.completion)


def study_program(person: Person) -> Education | None:
    """The program a study permit held on as_of is for: the latest Canadian completion (it may start later)."""
    return max((e for e in person.education if e.canadian), key=lambda e: e.completion, default=None)


def study_permit_end(ctx: _Ctx, person: Person) -> dt.date | None:
    """Last day of a study permit held on as_of: its expiry, or completion + STATUS.study_permit_end days."""
    status = person.status
    if status is None or status.kind is not StatusKind.STUDENT:
        return None
    edu = study_program(person)
    if edu is None:
        return status.valid_to
    days = int(ctx.param("STATUS.study_permit_end", "days_after_completion", edu.completion))
    return min(status.valid_to, add_days(edu.completion, days))


def processing_days(rules: RuleSet, code: str, inside: bool, on: dt.date) -> int:
    """Processing days of category `code` for an application filed on `on` (PROCESSING.*)."""
    rule_id = "PROCESSING.inside_canada" if inside else "PROCESSING.outside_canada"
    days = rules.param(rule_id, "days", on)
    if isinstance(days, dict):
        return int(days[code] if code in days else days["default"])
    return int(days)


def _build_timeline(ctx: _Ctx, role: Role, person: Person) -> Timeline:
    s = ctx.scenario
    n = (ctx.horizon_end - s.as_of).days
    t = Timeline(s.as_of, n, bytearray(n), bytearray(n), bytearray(n))
    permits = ctx.permits_of(role)
    t.entry = s.as_of if person.in_canada else min((p.valid_from for p in permits), default=None)
    if t.entry is not None:
        t.mark(t.in_canada, t.entry, add_days(ctx.horizon_end, -1))
    status = person.status
    if person.in_canada and status is not None and status.kind is not StatusKind.NONE:
        end = study_permit_end(ctx, person) or status.valid_to
        t.mark(t.status, s.as_of, end)
        if status.kind is StatusKind.WORKER:
            t.mark(t.spec(None) if status.employer_specific else t.open_work, s.as_of, end)
    for p in permits:
        t.mark(t.status, p.valid_from, p.valid_to)
        t.mark(t.open_work if p.open else t.spec(p.offer_ref), p.valid_from, p.valid_to)
    approval = ctx.pr_approval
    if approval is not None:
        last = add_days(ctx.horizon_end, -1)
        t.mark(t.status, approval, last)
        t.mark(t.open_work, approval, last)
    study_end = study_permit_end(ctx, person)
    for p in permits:
        # Maintained status: filed in status, in Canada -> status (and the conditions held then) until decision.
        a = t.index(p.apply_on)
        if not 0 <= a < n or not t.status[a]:
            continue
        last = add_days(p.valid_from, -1)
        t.mark(t.status, p.apply_on, last)
        if p.code == "C43" and study_end is not None and p.apply_on <= study_end:
            t.mark(t.open_work, p.apply_on, last)  # C43.work_while_pending (R186(w))
        if t.open_work[a]:
            t.mark(t.open_work, p.apply_on, last)
        for arr in list(t.specific.values()):
            if arr[a]:
                t.mark(arr, p.apply_on, last)
    if not person.in_canada:
        # Someone who came from abroad is in Canada while they hold status, and leaves when it ends.
        t.in_canada[:] = t.status
    return t


def status_gaps(ctx: _Ctx, role: Role) -> list[StatusGap]:
    """Maximal runs of days in Canada without status (end inclusive)."""
    t = ctx.timelines[role]
    out: list[StatusGap] = []
    i = 0
    while i < t.days:
        if t.in_canada[i] and not t.status[i]:
            j = i
            while j + 1 < t.days and t.in_canada[j + 1] and not t.status[j + 1]:
                j += 1
            out.append(StatusGap(role, add_days(t.start, i), add_days(t.start, j), work_authorized=False))
            i = j + 1
        else:
            i += 1
    return out


# --- eligibility, one function per category --------------------------------------------------------

_Issue = tuple[str, str]


def _opt(ctx: _Ctx, rule_id: str, name: str, trigger: dt.date, default: Any) -> Any:
    """A parameter that an older version of a rule may lack: `default` when it is absent or not in force."""
    rule = ctx.rules.rules.get(rule_id)
    version = rule.at(ctx.on(trigger)) if rule is not None else None
    if version is None or name not in version.params:
        return default
    return version.params[name]


def _in_force(ctx: _Ctx, rule_id: str, trigger: dt.date) -> bool:
    return rule_id in ctx.rules and ctx.rules.in_force(rule_id, ctx.on(trigger))


def language_ok(person: Person, on: dt.date, min_clb: int, max_age_months: int) -> bool:
    """True when a test taken on or before `on`, under `max_age_months` old on `on`, has every ability >= min_clb."""
    return any(
        t.taken <= on < add_months(t.taken, max_age_months) and t.lowest >= min_clb for t in person.language_tests
    )


def pgwp_months(ctx: _Ctx, edu: Education, apply_on: dt.date) -> int:
    """The PGWP's length before the passport cap (C43.duration, C43.masters_duration)."""
    length = program_months(edu)
    if edu.credential is Credential.MASTER and _in_force(ctx, "C43.masters_duration", apply_on):
        months = int(ctx.param("C43.masters_duration", "months", apply_on))
    elif length >= int(ctx.param("C43.duration", "long_program_months", apply_on)):
        months = int(ctx.param("C43.duration", "long_duration_months", apply_on))
    else:
        months = length
    return min(months, int(ctx.param("C43.duration", "max_months", apply_on)))


def _pgwp_clb(ctx: _Ctx, edu: Education, a: dt.date) -> int:
    if edu.institution is InstitutionKind.UNIVERSITY:
        return int(ctx.param("C43.language", "university_clb", a))
    if edu.credential.is_degree:
        return int(ctx.param("C43.language", "college_degree_clb", a))
    return int(ctx.param("C43.language", "other_clb", a))


def _pgwp(ctx: _Ctx, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
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


def _covering_work_permit_end(ctx: _Ctx, role: Role, on: dt.date) -> dt.date | None:
    """The latest valid_to of a work permit (planned, or held on as_of) that `role` holds on `on`."""
    ends = [q.valid_to for q in ctx.permits_of(role) if q.valid_from <= on <= q.valid_to]
    person = ctx.scenario.person(role)
    status = person.status if person is not None else None
    if status is not None and status.kind is StatusKind.WORKER and ctx.scenario.as_of <= on <= status.valid_to:
        ends.append(status.valid_to)
    return max(ends, default=None)


def _job_on(ctx: _Ctx, role: Role, on: dt.date) -> PlannedJob | None:
    for job in ctx.jobs_of(role):
        end = job.end or add_days(ctx.horizon_end, -1)
        if job.start <= on <= end:
            return job
    return None


def _c41(ctx: _Ctx, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
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


def _c42(ctx: _Ctx, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
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


def _c49(ctx: _Ctx, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
    a = p.apply_on
    applicant = ctx.plan.pr_applicant
    submitted = ctx.pr_submission
    if applicant is None or applicant is role or submitted is None or a < submitted:
        yield "C49.principal_pr_applicant", "the partner has not yet submitted an economic PR application"
        return
    if _covering_work_permit_end(ctx, applicant, a) is None:
        yield "C49.principal_pr_applicant", "the PR applicant holds no valid work permit on that date"


def _a75(ctx: _Ctx, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
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


def _restorable(ctx: _Ctx, role: Role, on: dt.date, *, worker: bool = False) -> bool:
    """Without status on `on`, within STATUS.restoration days of losing it (`worker`: a worker's status)."""
    t = ctx.timelines[role]
    i = t.index(on)
    if t.status[i]:
        return False
    j = i
    while j > 0 and not t.status[j - 1]:
        j -= 1
    if j == 0:
        return False  # no status since as_of: when it was lost is not known here
    if worker and not t.any_work(j - 1):
        return False
    return on <= add_days(add_days(t.start, j - 1), int(ctx.param("STATUS.restoration", "days", on)))


def _iec(ctx: _Ctx, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
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


def _iec_entry(ctx: _Ctx, person: Person, a: dt.date) -> dict[str, Any] | None:
    table = _opt(ctx, "C21.partner", "countries", a, {})
    for country in person.citizenships:
        if country in table:
            return dict(table[country])
    return None


def _employer(ctx: _Ctx, role: Role, person: Person, p: PlannedPermit) -> Iterator[_Issue]:
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


def _ict(ctx: _Ctx, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[_Issue]:
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


def _c16(ctx: _Ctx, person: Person, offer: Offer, a: dt.date) -> Iterator[_Issue]:
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


# --- the dates a permit must carry ----------------------------------------------------------------


def expected_valid_from(ctx: _Ctx, role: Role, p: PlannedPermit) -> dt.date:
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


def expected_valid_to(ctx: _Ctx, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
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


def _employer_end(ctx: _Ctx, p: PlannedPermit) -> dt.date | None:
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


def permit_fee(ctx: _Ctx, role: Role, p: PlannedPermit) -> float:
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


def _permit_issues(ctx: _Ctx, role: Role, person: Person, p: PlannedPermit) -> Iterator[Violation]:
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


# --- jobs ------------------------------------------------------------------------------------------


def _ongoing(person: Person, as_of: dt.date) -> list[WorkPeriod]:
    """Work-history jobs in Canada that run on past as_of (end null or later)."""
    return [w for w in person.work_history if w.in_canada and (w.end is None or w.end >= as_of)]


def _history_entry(person: Person, job: PlannedJob, as_of: dt.date) -> WorkPeriod | None:
    return next((w for w in _ongoing(person, as_of) if w.noc_code == job.noc_code), None)


def job_end(ctx: _Ctx, job: PlannedJob) -> dt.date:
    """The job's last day, with an open end meaning the horizon's last day."""
    return job.end if job.end is not None else add_days(ctx.horizon_end, -1)


def _job_issues(ctx: _Ctx, role: Role, person: Person) -> Iterator[Violation]:
    s, t = ctx.scenario, ctx.timelines[role]
    last_day = add_days(ctx.horizon_end, -1)
    previous: PlannedJob | None = None
    study_end_edu = study_program(person) if person.status and person.status.kind is StatusKind.STUDENT else None
    for job in ctx.jobs_of(role):
        end = job_end(ctx, job)

        def v(rule_id: str, message: str, day: dt.date = job.start, job: PlannedJob = job) -> Violation:
            return Violation(rule_id, role, day, f"job {job.offer_ref or job.noc_code}: {message}")

        if end < job.start:
            yield v("JOB.dates", f"ends {end} before it starts")
            continue
        if previous is not None and job_end(ctx, previous) >= job.start:
            yield v("JOB.one_at_a_time", f"overlaps job {previous.offer_ref or previous.noc_code}")
        previous = job
        if job.offer_ref is not None:
            offer = ctx.offer(job.offer_ref)
            if offer is None or offer.holder is not role or offer.noc_code != job.noc_code:
                yield v("JOB.offer", "no such offer for this person and occupation")
                continue
            if job.start < offer.earliest_start or (offer.latest_start is not None and job.start > offer.latest_start):
                yield v("JOB.start_window", f"starts outside [{offer.earliest_start}, {offer.latest_start}]")
            want = add_days(add_months(job.start, offer.months), -1) if offer.months is not None else last_day
            if end != want:
                yield v("JOB.dates", f"ends {end}, the offer gives {want}")
            if sum(1 for j in ctx.plan.jobs if j.offer_ref == job.offer_ref) > 1:
                yield v("JOB.offer", "the offer is taken twice")
        else:
            entry = _history_entry(person, job, s.as_of)
            if entry is None or job.start != s.as_of or (entry.end is not None and end > entry.end):
                yield v("JOB.offer", "not an ongoing job of the work history starting on as_of")
        if study_end_edu is not None and job.start < study_end_edu.completion:
            yield v("JOB.student", f"a student holds no planned job before completing on {study_end_edu.completion}")
        lo, hi = max(0, t.index(job.start)), min(t.days, t.index(end) + 1)
        for i in range(lo, hi):
            if not t.authorized(i, job.offer_ref):
                yield v(
                    "STATUS.work_authorized", "worked without authorization for this employer", add_days(s.as_of, i)
                )
                break


# --- the PR date -----------------------------------------------------------------------------------


# Weekly hours are counted in hundredths so that sums stay exact integers (37.5 h -> 3750).
_SCALE = 100


@dataclass
class _Hours:
    """Prefix sums of counted weekly hours (capped, in hundredths) per day from `first`: hours = sum / 700."""

    first: dt.date
    total: list[int]
    teer23: list[int]


def _cec_hours(ctx: _Ctx, role: Role, person: Person) -> _Hours:
    s = ctx.scenario
    first = add_months(s.as_of, -int(ctx.param("CEC.skilled_experience", "lookback_months", s.as_of)))
    n = (ctx.horizon_end - first).days
    all_h = [0] * n
    t23 = [0] * n
    max_teer = int(ctx.param("CEC.skilled_experience", "max_teer", s.as_of))
    cap = round(_SCALE * float(ctx.param("CEC.hours_cap", "max_hours_per_week", s.as_of)))

    def add(code: str, hours: float, lo: dt.date, hi: dt.date, ok: Sequence[bool] | None = None) -> None:
        teer = noc.teer(code)
        if teer > max_teer:
            return
        h = round(_SCALE * hours)
        for i in range(max(0, (lo - first).days), min(n, (hi - first).days + 1)):
            if ok is None or ok[i]:
                all_h[i] += h
                if teer >= 2:
                    t23[i] += h

    for w in person.work_history:
        if w.in_canada and w.authorized and not w.self_employed and not w.while_full_time_student:
            add(w.noc_code, w.hours_per_week, w.start, min(w.end or s.as_of, add_days(s.as_of, -1)))
    t = ctx.timelines[role]
    offset = (s.as_of - first).days
    for job in ctx.jobs_of(role):
        offer = ctx.offer(job.offer_ref)
        entry = _history_entry(person, job, s.as_of) if offer is None else None
        if offer is not None:
            hours = offer.hours_per_week
        elif entry is not None and not entry.self_employed and not entry.while_full_time_student:
            hours = entry.hours_per_week
        else:
            continue
        ok = [False] * offset + [t.authorized(i, job.offer_ref) for i in range(t.days)]
        add(job.noc_code, hours, max(job.start, s.as_of), job_end(ctx, job), ok)
    prefix_all, prefix_23 = [0], [0]
    for a, b in zip(all_h, t23, strict=True):
        prefix_all.append(prefix_all[-1] + min(a, cap))
        prefix_23.append(prefix_23[-1] + min(b, cap))
    return _Hours(first, prefix_all, prefix_23)


def meets_program(ctx: _Ctx, role: Role, program: str, day: dt.date, hours: _Hours | None) -> bool:
    """True when `role` meets `program` (CEC or PNP) on `day` (docs/plan-semantics.md, Canadian Experience Class)."""
    person = ctx.scenario.person(role)
    if person is None:
        return False
    if program == "PNP":
        nomination = person.provincial_nomination
        return nomination is not None and nomination.nominated_on <= day
    if program != "CEC" or hours is None:
        return False
    lo = add_months(day, -int(ctx.param("CEC.skilled_experience", "lookback_months", day)))
    i, j = (lo - hours.first).days, (day - hours.first).days
    need = round(7 * _SCALE * float(ctx.param("CEC.skilled_experience", "hours", day)))
    total = hours.total[j] - hours.total[max(i, 0)]
    if total < need:
        return False
    validity = int(ctx.param("CEC.test_validity", "months", day))
    if language_ok(person, day, int(ctx.param("CEC.language", "clb_teer_0_1", day)), validity):
        return True
    teer23 = hours.teer23[j] - hours.teer23[max(i, 0)]
    return teer23 >= need and language_ok(person, day, int(ctx.param("CEC.language", "clb_teer_2_3", day)), validity)


def first_ready_day(ctx: _Ctx, role: Role, program: str) -> dt.date | None:
    """The first day in [as_of, H) on which `role` meets `program` under this plan's jobs and permits."""
    person = ctx.scenario.person(role)
    if person is None:
        return None
    hours = _cec_hours(ctx, role, person) if program == "CEC" else None
    day = ctx.scenario.as_of
    if hours is not None:
        # No window can hold the hours before the running total first does: start there (a shortcut only).
        need = round(7 * _SCALE * float(ctx.param("CEC.skilled_experience", "hours", day)))
        if _constant(ctx, "CEC.skilled_experience", day):
            first = next((i for i, total in enumerate(hours.total) if total >= need), None)
            if first is None:
                return None
            day = max(day, add_days(hours.first, first - 1))
    while day < ctx.horizon_end:
        if meets_program(ctx, role, program, day, hours):
            return day
        day = add_days(day, 1)
    return None


def _constant(ctx: _Ctx, rule_id: str, start: dt.date) -> bool:
    """True when `rule_id` has the same version from `start` through the horizon (or rules_as_of is set)."""
    if ctx.options.rules_as_of is not None:
        return True
    return not any(start < b < ctx.horizon_end for b in ctx.rules.rule(rule_id).breakpoints)


def _pr_issues(ctx: _Ctx) -> Iterator[Violation]:
    plan, ready = ctx.plan, ctx.plan.pr_ready_date
    if ready is None:
        if plan.pr_program is not None or plan.pr_applicant is not None:
            yield Violation("PLAN.pr", None, None, "a PR program or applicant without a PR-ready date")
        return
    role, program = plan.pr_applicant, plan.pr_program
    if role is None or ctx.scenario.person(role) is None or program not in PR_PROGRAMS:
        yield Violation("PLAN.pr", role, ready, f"PR-ready date without a valid applicant/program ({role}, {program})")
        return
    rule = "CEC.skilled_experience" if program == "CEC" else "PNP.nomination"
    first = first_ready_day(ctx, role, program)
    if first != ready:
        yield Violation(rule, role, ready, f"{program} is first met on {first}, the plan says {ready}")


# --- the whole plan --------------------------------------------------------------------------------


def _context(scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None) -> _Ctx:
    ctx = _Ctx(scenario, plan, options, rules or load_rules(), add_months(scenario.as_of, scenario.horizon_months))
    for role, person in scenario.members:
        ctx.timelines[role] = _build_timeline(ctx, role, person)
    return ctx


def validate(
    scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None
) -> tuple[Violation, ...]:
    """Every way `plan` breaks the rules or docs/plan-semantics.md for `scenario`; empty when it is valid."""
    return _validate(_context(scenario, plan, options, rules))


def validate_and_score(
    scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None
) -> tuple[tuple[Violation, ...], tuple[int, ...]]:
    """validate() and the objective vector in `options.objective` order, from one reading of the plan."""
    ctx = _context(scenario, plan, options, rules)
    values = _objective(ctx)
    return _validate(ctx), tuple(values[term.value] for term in options.objective)


def _validate(ctx: _Ctx) -> tuple[Violation, ...]:
    scenario, plan = ctx.scenario, ctx.plan
    out: list[Violation] = []
    roles = {role for role, _ in scenario.members}
    people = [p.person for p in plan.permits] + [j.person for j in plan.jobs] + [g.person for g in plan.status_gaps]
    for who in people:
        if who not in roles:
            out.append(Violation("PLAN.person", who, None, f"{who.value} is not in the household"))
    if out:
        return tuple(out)
    if plan.status is PlanStatus.NO_SOLUTION:
        # The plan without applications or jobs is always valid (its gaps are facts, PR_READY is H + 1),
        # so a valid household always has a plan: NO_SOLUTION is a planner failure.
        message = "NO_SOLUTION, but the plan without applications is always valid"
        return (Violation("PLAN.status", None, None, message),)
    for role, person in scenario.members:
        for p in ctx.permits_of(role):
            out.extend(_permit_issues(ctx, role, person, p))
        out.extend(_job_issues(ctx, role, person))
        want = status_gaps(ctx, role)
        have = sorted((g for g in plan.status_gaps if g.person is role), key=lambda g: g.start)
        for gap in want:
            if gap not in have:
                out.append(Violation("STATUS.gap", role, gap.start, f"hidden gap {gap.start}..{gap.end}"))
        for gap in have:
            if gap not in want:
                out.append(Violation("STATUS.gap", role, gap.start, f"phantom gap {gap.start}..{gap.end}"))
    out.extend(_pr_issues(ctx))
    fees = sum(permit_fee(ctx, p.person, p) for p in plan.permits)
    if abs(plan.fees_total - fees) > 0.005:
        out.append(Violation("FEES.work_permit", None, None, f"fees_total {plan.fees_total}, expected {fees}"))
    if plan.objective_values:
        want_obj = _objective(ctx)
        for key, value in plan.objective_values.items():
            if want_obj.get(key) != value:
                out.append(Violation("PLAN.objective", None, None, f"{key} = {value}, recomputed {want_obj.get(key)}"))
    return tuple(out)


def _objective(ctx: _Ctx) -> dict[str, int]:
    s, plan = ctx.scenario, ctx.plan
    horizon_days = (ctx.horizon_end - s.as_of).days
    ready = plan.pr_ready_date
    no_status = sum(sum(1 for i in range(t.days) if t.in_canada[i] and not t.status[i]) for t in ctx.timelines.values())
    no_work = sum(sum(1 for i in range(t.days) if not t.any_work(i)) for t in ctx.timelines.values())
    cost = math.ceil(round(sum(permit_fee(ctx, p.person, p) for p in plan.permits), 2))
    return {
        ObjectiveTerm.PR_READY.value: (ready - s.as_of).days if ready is not None else horizon_days + 1,
        ObjectiveTerm.STATUS_CONTINUITY.value: no_status,
        ObjectiveTerm.WORK_CONTINUITY.value: no_work,
        ObjectiveTerm.COST.value: cost,
        ObjectiveTerm.FEWEST_APPLICATIONS.value: len(plan.permits),
    }


def objective(scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None) -> dict[str, int]:
    """Every objective term of `plan`, recomputed from its permits, jobs and dates (docs/plan-semantics.md)."""
    return _objective(_context(scenario, plan, options, rules))


def objective_vector(
    scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None
) -> tuple[int, ...]:
    """The objective terms in `options.objective` order: compare two plans lexicographically."""
    values = objective(scenario, plan, options, rules)
    return tuple(values[term.value] for term in options.objective)


def check_plan(scenario: Scenario, plan: Plan, options: PlanOptions, rules: RuleSet | None = None) -> None:
    """Raises AssertionError listing every violation of `plan` (for tests)."""
    violations = validate(scenario, plan, options, rules)
    if violations:
        lines = [f"  {v.rule_id} {v.person.value if v.person else '-'} {v.date}: {v.message}" for v in violations]
        raise AssertionError(f"{len(violations)} violation(s):\n" + "\n".join(lines))


def complete_plan(
    scenario: Scenario,
    options: PlanOptions,
    permits: Sequence[PlannedPermit],
    jobs: Sequence[PlannedJob],
    pr: tuple[Role, str] | None,
    rules: RuleSet | None = None,
) -> Plan:
    """A plan of `permits` and `jobs` with everything that follows from them filled in: the first PR-ready
    date of applicant and program `pr`, status gaps, fees and objective values (for tests and brute force)."""
    ruleset = rules or load_rules()
    draft = Plan(PlanStatus.FEASIBLE, ruleset.version, 0.0, permits=tuple(permits), jobs=tuple(jobs))
    ctx = _context(scenario, draft, options, ruleset)
    priced = tuple(dataclasses.replace(p, fee=permit_fee(ctx, p.person, p)) for p in permits)
    ready = first_ready_day(ctx, pr[0], pr[1]) if pr is not None else None
    plan = Plan(
        PlanStatus.FEASIBLE,
        ruleset.version,
        0.0,
        pr_ready_date=ready,
        pr_program=pr[1] if ready is not None and pr is not None else None,
        pr_applicant=pr[0] if ready is not None and pr is not None else None,
        permits=priced,
        jobs=tuple(jobs),
    )
    ctx = _context(scenario, plan, options, ruleset)
    gaps = tuple(g for role, _ in scenario.members for g in status_gaps(ctx, role))
    plan = dataclasses.replace(plan, status_gaps=gaps, fees_total=sum(p.fee for p in priced))
    return dataclasses.replace(plan, objective_values=_objective(ctx))

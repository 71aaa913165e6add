"""C43, the post-graduation work permit: eligibility, candidates and constraints, and its validator check."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from solver.categories.base import Asked, CategoryEligibility, Family, Fix, Issue, answer, refusal
from solver.dates import add_days, add_months
from solver.domain import Credential, Education, InstitutionKind, PendingApplication, Person, PlannedPermit, Role
from solver.options.options import Options, filed, open_candidate
from solver.options.records import After, Candidate, DepotKind
from solver.phrases import Phrase
from solver.rules import pgwp
from solver.rules.catalog import Category
from solver.rules.decision import Decision, Verdict
from solver.rules.registry import RuleSet
from solver.validate.context import PlanContext
from solver.validate.facts import in_force, language_ok, optional_param
from solver.validate.status import current_program, processing_days, program_months, study_permit_end

# --- the eligibility query -------------------------------------------------------------------------

_RANK = {Verdict.ELIGIBLE: 0, Verdict.UNDECIDED: 1, Verdict.NOT_ELIGIBLE: 2}


def _eligibility(person: Person, on: dt.date, rules: RuleSet) -> tuple[Decision, dt.date | None]:
    """The best answer over the person's Canadian programs, and the first day it is eligible (None if never)."""
    programs = [e for e in person.education if e.canadian]
    if not programs:
        return refusal(rules, "C43.institution", Phrase.of("reason.no_canadian_program")), None
    pairs = [(pgwp.check(person, e, on, rules), e) for e in programs]
    best, edu = min(pairs, key=lambda p: _RANK[p[0].verdict])
    if best.verdict is Verdict.ELIGIBLE:
        return best, on
    first, _ = pgwp.application_window(edu, rules)
    if on < first and pgwp.check(person, edu, first, rules).eligible:
        return best, first
    return best, None


def _moments(asked: Asked) -> tuple[dt.date, ...]:
    """The first day of each Canadian program's application window not yet past (as_of when it has passed)."""
    out = {asked.on}
    for edu in asked.person.education:
        if not edu.canadian:
            continue
        first, _ = pgwp.application_window(edu, asked.rules)
        if asked.on < first <= asked.horizon_end:
            out.add(first)
    return tuple(sorted(out))


def _language_fix(asked: Asked) -> Fix | None:
    """The CLB the language rule alone stands between a program and a PGWP with, and the window's last day."""
    for edu in asked.person.education:
        if not edu.canadian:
            continue
        d = pgwp.check(asked.person, edu, asked.on, asked.rules)
        if d.verdict is not Verdict.NOT_ELIGIBLE or {f.rule_id for f in d.failing} != {"C43.language"}:
            continue
        need = pgwp.required_clb(edu, asked.on, asked.rules)
        months = int(asked.rules.param("C43.language", "test_max_age_months", asked.on))
        _, last = pgwp.application_window(edu, asked.rules)
        said = Phrase.of("fix.pgwp_language", clb=need, months=months, day=last.isoformat(), code=CODE)
        return Fix.said(said, last)
    return None


def _study_permit_fix(asked: Asked) -> Fix | None:
    """Addendum §6, option 2: when only the study-permit rule closes a program's PGWP, a new study permit restores
    status (it needs a letter of acceptance, which the file does not hold) and the PGWP is filed with it."""
    for edu in asked.person.education:
        if not edu.canadian:
            continue
        d = pgwp.check(asked.person, edu, asked.on, asked.rules)
        if d.verdict is Verdict.NOT_ELIGIBLE and {f.rule_id for f in d.failing} == {"C43.study_permit_required"}:
            _, last = pgwp.application_window(edu, asked.rules)
            return Fix.said(Phrase.of("fix.pgwp_study_permit", code=CODE, day=last.isoformat()), last)
    return None


# --- the planner -----------------------------------------------------------------------------------

CODE = "C43"
_GROUNDS = ("C43.application_window", "C43.duration", "C43.language", "C43.study_permit_required")


def _candidates(opts: Options, role: Role, person: Person) -> list[Candidate]:
    """The PGWP of the first program whose application window has an eligible day (at most one).

    In Canada with the study permit still valid: the ordinary application (C43.work_while_pending). When the
    window has no such day (the study permit ended first, addendum §6), the R197 application: filed from inside
    Canada without status, processed as from outside, no work until issued (C43.study_permit_required).
    """
    depot = opts.depots[role]
    if depot.kind is not DepotKind.STUDENT:
        return []
    for i, edu in enumerate(person.education):
        first = opts.cal.day(edu.completion)
        window = opts.int_param("C43.application_window", "days", edu.completion)
        days = [d for d in opts.days(first, min(first + window, depot.end)) if _ok(opts, person, edu, d)]
        if days:
            on = opts.cal.date(days[0])
            return [
                open_candidate(
                    opts,
                    role,
                    CODE,
                    FAMILY.name,
                    f"{role.value}:{CODE}:{i}",
                    days,
                    months=pgwp.duration_months(edu, on, opts.rules, person.education),
                    rule_ids=_GROUNDS,
                    after=After.STUDY_PERMIT,
                    work_while_pending="C43.work_while_pending",
                )
            ]
        late = [d for d in opts.days(max(first, depot.end + 1), first + window) if _ok(opts, person, edu, d)]
        if late:
            return [_r197_candidate(opts, role, person, edu, i, late)]
    return []


def _r197_candidate(opts: Options, role: Role, person: Person, edu: Education, i: int, days: list[int]) -> Candidate:
    """The R197 PGWP (addendum §6): the study permit has ended, so the in-Canada route is closed; the graduate
    stays in Canada without status (no restoration is filed: the application is processed as from outside under
    R197) and may not work until it is issued (C43.study_permit_required, r197_work_allowed = false)."""
    d0 = opts.cal.date(days[0])
    outside = opts.processing(CODE, False, d0, role)
    base = open_candidate(
        opts,
        role,
        CODE,
        FAMILY.name,
        f"{role.value}:{CODE}:r197:{i}",
        days,
        months=pgwp.duration_months(edu, d0, opts.rules, person.education),
        rule_ids=_GROUNDS,
        after=After.STUDY_PERMIT,
        without_status="C43.study_permit_required",
    )
    return dataclasses.replace(base, processing_inside=outside, processing_outside=outside)


def _pending(opts: Options, role: Role, person: Person, app: PendingApplication) -> Candidate | None:
    """A PGWP already filed: its length from the program completed last by the filing day (C43.duration as on
    that day); work while pending (C43.work_while_pending, R186(w)) only when filed in Canada while the study
    permit was valid, which `filed` reads from the filing and the status held."""
    edu = current_program(person, app.applied_on)
    if edu is None:
        return None
    day = opts.cal.day(app.applied_on)
    candidate = open_candidate(
        opts,
        role,
        CODE,
        FAMILY.name,
        f"{role.value}:{CODE}:pending",
        (day,),
        months=max(pgwp.duration_months(edu, app.applied_on, opts.rules, person.education), 1),
        rule_ids=_GROUNDS,
        work_while_pending="C43.work_while_pending",
    )
    return filed(opts, candidate, app)


def _ok(opts: Options, person: Person, edu: Education, day: int) -> bool:
    """Eligible on `day` from `edu`, and the program grounds a PGWP of some length (the facts read on `day`, the
    rules through opts.rules: pinned to rules_as_of when set)."""
    on = opts.cal.date(day)
    return pgwp.check(person, edu, on, opts.rules).eligible and pgwp.duration_months(edu, on, opts.rules) > 0


# --- the independent validator ---------------------------------------------------------------------


def _expected_months(ctx: PlanContext, person: Person, edu: Education, apply_on: dt.date) -> int:
    """The PGWP's length before the passport cap (C43.duration, C43.masters_duration, C43.combined_programs)."""
    own = program_months(edu)
    length = own
    if in_force(ctx, "C43.combined_programs", apply_on):
        least = int(ctx.param("C43.combined_programs", "min_program_months", apply_on))
        others = [
            program_months(o)
            for o in person.education
            if o is not edu
            and o.canadian
            and o.pgwp_eligible_dli
            and o.credential is not Credential.SECONDARY
            and o.completion <= edu.completion
            and program_months(o) >= least
        ]
        if own >= least and others:
            length = own + max(others)
    if edu.credential is Credential.MASTER and in_force(ctx, "C43.masters_duration", apply_on):
        months = int(ctx.param("C43.masters_duration", "months", apply_on))
    elif length >= int(ctx.param("C43.duration", "long_program_months", apply_on)):
        months = int(ctx.param("C43.duration", "long_duration_months", apply_on))
    else:
        months = length
    cap = int(ctx.param("C43.duration", "max_months", apply_on))
    if length != own:
        cap = min(cap, int(ctx.param("C43.combined_programs", "max_months", apply_on)))
    return min(months, cap)


def _required_clb(ctx: PlanContext, edu: Education, a: dt.date) -> int:
    if edu.institution is InstitutionKind.UNIVERSITY:
        return int(ctx.param("C43.language", "university_clb", a))
    if edu.credential.is_degree:
        return int(ctx.param("C43.language", "college_degree_clb", a))
    return int(ctx.param("C43.language", "other_clb", a))


def _issues(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
    a = p.apply_on
    edu = current_program(person, a)
    if edu is None:
        yield "C43.institution", "no Canadian program to graduate from"
        return
    if optional_param(ctx, "C43.institution", "requires_pgwp_eligible_dli", a, True) and not edu.pgwp_eligible_dli:
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
    if in_force(ctx, "C43.language", a):
        clb = _required_clb(ctx, edu, a)
        if not language_ok(person, a, clb, int(ctx.param("C43.language", "test_max_age_months", a))):
            yield "C43.language", f"no valid language test with every ability >= CLB {clb}"
    fos_trigger = edu.study_permit_applied_on or edu.start
    fos_applies = in_force(ctx, "C43.field_of_study", fos_trigger) and not edu.credential.is_degree
    if fos_applies and not edu.field_of_study_eligible:
        yield "C43.field_of_study", "the field of study is not on the eligible list"
    t = ctx.timelines[role]
    study_end = study_permit_end(ctx, person)
    if t.on(t.in_canada, a) and (study_end is None or a > study_end):
        # After the study permit ended, only the R197 route is open from inside Canada: a study permit held in
        # the look-back before applying (addendum §6), processed as from outside (_valid_from).
        lookback = int(ctx.param("C43.study_permit_required", "outside_lookback_days", a))
        if study_end is None or a > add_days(study_end, lookback):
            yield "C43.study_permit_required", f"applied in Canada, no study permit valid in the {lookback} days before"


def _valid_to(ctx: PlanContext, person: Person, p: PlannedPermit) -> dt.date | None:
    edu = current_program(person, p.apply_on)
    if edu is None:
        return None
    return add_days(add_months(p.valid_from, _expected_months(ctx, person, edu, p.apply_on)), -1)


def _r197(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> bool:
    """Filed from inside Canada after the study permit ended: the R197 application (C43.study_permit_required)."""
    t = ctx.timelines[role]
    study_end = study_permit_end(ctx, person)
    return t.on(t.in_canada, p.apply_on) and study_end is not None and p.apply_on > study_end


def _valid_from(ctx: PlanContext, role: Role, p: PlannedPermit, processed: dt.date) -> dt.date:
    """An R197 PGWP is processed as from outside Canada (PROCESSING.outside_canada), though filed inside."""
    person = ctx.scenario.person(role)
    if person is None or not _r197(ctx, role, person, p):
        return processed
    return add_days(p.apply_on, processing_days(ctx, p.code, False, ctx.on(p.apply_on), role))


def _works_while_pending(ctx: PlanContext, person: Person, p: PlannedPermit) -> bool:
    # C43.work_while_pending (R186(w)): filed before the study permit ends, the graduate may work full time.
    study_end = study_permit_end(ctx, person)
    return study_end is not None and p.apply_on <= study_end


class Pgwp(Family):
    name = "pgwp"
    stage = 10

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        d, start = _eligibility(asked.person, asked.on, asked.rules)
        return [answer(category, d, start)]

    def candidates(self, opts: Options, role: Role, person: Person) -> list[Candidate]:
        return _candidates(opts, role, person)

    def pending(self, opts: Options, role: Role, person: Person, app: PendingApplication) -> Candidate | None:
        return _pending(opts, role, person, app)

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        return _issues(ctx, role, person, p)

    def valid_from(self, ctx: PlanContext, role: Role, p: PlannedPermit, processed: dt.date) -> dt.date:
        return _valid_from(ctx, role, p, processed)

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        return _valid_to(ctx, person, p)

    def files_without_status(self, ctx: PlanContext, role: Role, p: PlannedPermit) -> bool:
        person = ctx.scenario.person(role)
        return person is not None and _r197(ctx, role, person, p)

    def works_while_pending(self, ctx: PlanContext, person: Person, p: PlannedPermit) -> bool:
        return _works_while_pending(ctx, person, p)

    def plausible(self, asked: Asked, category: Category) -> bool:
        return any(e.canadian for e in asked.person.education)

    def moments(self, asked: Asked, category: Category) -> tuple[dt.date, ...]:
        return _moments(asked)

    def smallest_fix(self, asked: Asked, category: Category, decision: CategoryEligibility) -> Fix | None:
        if decision.verdict is Verdict.NOT_ELIGIBLE:
            return _language_fix(asked) or _study_permit_fix(asked)
        return super().smallest_fix(asked, category, decision)


FAMILY = Pgwp()

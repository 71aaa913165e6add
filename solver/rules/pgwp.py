"""Post-Graduation Work Permit (C43): eligibility on an application date, window, length."""

from __future__ import annotations

import datetime as dt

from solver import dates
from solver.domain import Credential, Education, InstitutionKind, Person, Status, StatusKind
from solver.phrases import Phrase
from solver.rules.catalog import codes_checking, current_code
from solver.rules.decision import Checks, Decision
from solver.rules.language import best_clb
from solver.rules.registry import RuleSet
from solver.rules.status import permit_end


def program_months(edu: Education) -> int:
    """The program's length in months: the stated length, else whole months from start to completion."""
    if edu.length_months is not None:
        return edu.length_months
    return dates.whole_months_between(edu.start, edu.completion)


def application_window(edu: Education, rules: RuleSet) -> tuple[dt.date, dt.date]:
    """First and last day to apply: completion, and completion plus C43.application_window days."""
    days = int(rules.param("C43.application_window", "days", edu.completion))
    return edu.completion, dates.add_days(edu.completion, days)


def study_permit_end(edu: Education, status: Status | None, rules: RuleSet) -> dt.date | None:
    """Last valid day of the study permit: its expiry or completion + 90 days (R222), whichever is first."""
    if status is None or status.kind is not StatusKind.STUDENT:
        return None
    days = int(rules.param("STATUS.study_permit_end", "days_after_completion", edu.completion))
    return min(status.valid_to, dates.add_days(edu.completion, days))


def stacked_months(edu: Education, apply_on: dt.date, rules: RuleSet, programs: tuple[Education, ...] = ()) -> int:
    """The program length the PGWP's duration reads: `edu`'s, or with C43.combined_programs in force, `edu`'s
    plus the longest other eligible program of at least its minimum length completed no later than `edu`
    (rules-2026 §2: two eligible programs, each of 8 months or more, may combine their lengths)."""
    length = program_months(edu)
    r = "C43.combined_programs"
    if not rules.in_force(r, apply_on):
        return length
    least = int(rules.param(r, "min_program_months", apply_on))
    others = [
        program_months(o)
        for o in programs
        if o is not edu and eligible_program(o, rules) and o.completion <= edu.completion and program_months(o) >= least
    ]
    if length < least or not others or int(rules.param(r, "max_programs", apply_on)) < 2:
        return length
    return length + max(others)


def duration_months(edu: Education, apply_on: dt.date, rules: RuleSet, programs: tuple[Education, ...] = ()) -> int:
    """PGWP length in months before the passport cap (0 when the program is too short); `programs`, the
    person's education, lets a second eligible program add its length (C43.combined_programs)."""
    if not edu.canadian:
        return 0
    length = program_months(edu)
    p = "C43.duration"
    if length < int(rules.param(p, "min_program_months", apply_on)):
        return 0
    length = stacked_months(edu, apply_on, rules, programs)
    months = length
    if length >= int(rules.param(p, "long_program_months", apply_on)):
        months = int(rules.param(p, "long_duration_months", apply_on))
    m = "C43.masters_duration"
    if (
        edu.credential is Credential.MASTER
        and rules.in_force(m, apply_on)
        and program_months(edu) >= int(rules.param(m, "min_program_months", apply_on))
    ):
        months = int(rules.param(m, "months", apply_on))
    cap = int(rules.param(p, "max_months", apply_on))
    if length != program_months(edu):
        cap = min(cap, int(rules.param("C43.combined_programs", "max_months", apply_on)))
    return min(months, cap)


def permit_valid_to(
    edu: Education, apply_on: dt.date, valid_from: dt.date, passport_expiry: dt.date | None, rules: RuleSet
) -> dt.date | None:
    """Last valid day of a PGWP issued on `valid_from`, capped at the passport (None when no PGWP length)."""
    months = duration_months(edu, apply_on, rules)
    if months == 0:
        return None
    return permit_end(valid_from, months, passport_expiry)


def required_clb(edu: Education, apply_on: dt.date, rules: RuleSet) -> int:
    """CLB/NCLC needed in all four abilities on `apply_on` (0 when C43.language is not in force)."""
    rule = "C43.language"
    if not rules.in_force(rule, apply_on):
        return 0
    if edu.institution is InstitutionKind.UNIVERSITY:
        return int(rules.param(rule, "university_clb", apply_on))
    if edu.credential.is_degree:
        return int(rules.param(rule, "college_degree_clb", apply_on))
    return int(rules.param(rule, "other_clb", apply_on))


def already_held(person: Person) -> bool:
    """True when permit history or the current status shows a PGWP (C43.once_per_lifetime)."""
    codes = [p.code for p in person.permit_history]
    if person.status is not None and person.status.permit_code is not None:
        codes.append(person.status.permit_code)
    # The permits the rule counts are the categories the catalog checks under it, so no code is written here.
    once = set(codes_checking("C43.once_per_lifetime"))
    return any(once.intersection(current_code(c)) for c in codes)


def work_while_pending(person: Person, edu: Education, apply_on: dt.date, rules: RuleSet) -> bool:
    """R186(w): applied in Canada after completion while the study permit was still valid."""
    end = study_permit_end(edu, person.status, rules)
    return person.in_canada and end is not None and edu.completion <= apply_on <= end


def eligible_program(edu: Education, rules: RuleSet) -> bool:
    """A Canadian post-secondary program at a PGWP-eligible DLI, long enough to ground a PGWP."""
    return (
        edu.canadian
        and edu.pgwp_eligible_dli
        and edu.credential is not Credential.SECONDARY
        and program_months(edu) >= int(rules.param("C43.min_program_length", "months", edu.completion))
    )


def eligible_education(person: Person, rules: RuleSet) -> tuple[Education, ...]:
    """Canadian programs at a PGWP-eligible DLI long enough to ground a PGWP."""
    return tuple(e for e in person.education if eligible_program(e, rules))


def _language(c: Checks, person: Person, edu: Education, apply_on: dt.date) -> None:
    need = required_clb(edu, apply_on, c.rules)
    if need == 0:
        c.ok("C43.language", Phrase.of("met.no_language_requirement"))
        return
    max_age = int(c.rules.param("C43.language", "test_max_age_months", apply_on))
    best = best_clb(person.language_tests, apply_on, max_age)
    if best == 0 and not person.language_tests:
        c.unknown_fact("C43.language", Phrase.of("reason.clb_no_test", clb=need), "language test")
    else:
        c.check(
            best >= need,
            "C43.language",
            Phrase.of("met.pgwp_clb", best=best, months=max_age, clb=need),
            Phrase.of("reason.clb_short", clb=need, months=max_age, best=best),
        )


def _field_of_study(c: Checks, edu: Education, apply_on: dt.date) -> None:
    rule = "C43.field_of_study"
    if edu.credential.is_degree or not c.rules.in_force(rule, apply_on):
        c.ok(rule, Phrase.of("met.field_not_applicable"))
        return
    applied = edu.study_permit_applied_on
    if applied is None:
        if edu.start < c.rules.rule(rule).effective:
            c.ok(rule, Phrase.of("met.study_permit_taken_before"))
        else:
            c.unknown_fact(
                rule,
                Phrase.of("reason.field_of_study_unknown"),
                "study permit application date",
            )
        return
    if not c.rules.in_force(rule, applied):
        c.ok(rule, Phrase.of("met.study_permit_applied", day=applied.isoformat()))
        return
    c.check(
        edu.field_of_study_eligible,
        rule,
        Phrase.of("met.field_listed"),
        Phrase.of("reason.field_not_listed"),
    )


def _status(c: Checks, person: Person, edu: Education, apply_on: dt.date) -> None:
    rule = "C43.study_permit_required"
    end = study_permit_end(edu, person.status, c.rules)
    lookback = int(c.rules.param(rule, "outside_lookback_days", apply_on))
    if end is None:
        c.unknown_fact(rule, Phrase.of("reason.study_permit_unknown"), "study permit end")
        return
    if person.in_canada and apply_on <= end:
        c.ok(rule, Phrase.of("met.study_permit_valid", day=end.isoformat()))
        if apply_on >= edu.completion:
            c.note("C43.work_while_pending", Phrase.of("note.work_while_pending"))
        return
    if (
        c.check(
            dates.add_days(end, lookback) >= apply_on,
            rule,
            Phrase.of("met.study_permit_lookback", days=lookback, day=end.isoformat()),
            Phrase.of("reason.no_study_permit", days=lookback, day=end.isoformat()),
        )
        and person.in_canada
    ):
        c.note(rule, Phrase.of("note.r197"))


def check(person: Person, edu: Education, apply_on: dt.date, rules: RuleSet) -> Decision:
    """Whether `person` can apply for a PGWP on `apply_on` on the strength of `edu`."""
    c = Checks(rules)
    c.check(
        edu.canadian and edu.pgwp_eligible_dli and edu.credential is not Credential.SECONDARY,
        "C43.institution",
        Phrase.of("met.eligible_dli"),
        Phrase.of("reason.not_eligible_dli"),
    )
    need = int(rules.param("C43.min_program_length", "months", apply_on))
    length = program_months(edu)
    short = Phrase.of("reason.program_too_short", months=length, need=need)
    c.check(length >= need, "C43.min_program_length", Phrase.of("met.program_length", months=length, need=need), short)
    c.check(edu.full_time, "C43.full_time", Phrase.of("met.full_time"), Phrase.of("reason.not_full_time"))
    first, last = application_window(edu, rules)
    c.check(
        first <= apply_on <= last,
        "C43.application_window",
        Phrase.of("met.in_window", first=first.isoformat(), last=last.isoformat()),
        Phrase.of("reason.outside_window", first=first.isoformat(), last=last.isoformat()),
    )
    c.check(
        not already_held(person),
        "C43.once_per_lifetime",
        Phrase.of("met.no_earlier_pgwp"),
        Phrase.of("reason.pgwp_held"),
    )
    _language(c, person, edu, apply_on)
    _field_of_study(c, edu, apply_on)
    _status(c, person, edu, apply_on)
    return c.decision()

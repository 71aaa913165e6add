"""Family open work permits: C41 (spouse of a worker), C42 (of a student), C49 (of a PR applicant), A74, and the
family codes answered but not planned: C47 (spouse of a TEER 4/5 worker), C46 and C48 (dependent children).

Each check takes the principal's facts at the spouse's application date `on`, the trigger of every rule here.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from solver import dates, noc
from solver.domain import Credential, Education, InstitutionKind, Person, StatusKind
from solver.phrases import Phrase
from solver.rules import pgwp
from solver.rules.decision import Checks, Decision
from solver.rules.registry import RuleSet
from solver.rules.status import holds_work_permit, work_permit_end


def c41_occupation_ok(noc_code: str, on: dt.date, rules: RuleSet) -> bool:
    """True when a principal working in `noc_code` qualifies the spouse for C41 on `on`."""
    if not noc.is_valid(noc_code):
        return False
    rule = "C41.principal_occupation"
    if noc.teer(noc_code) <= int(rules.param(rule, "max_teer", on)):
        return True
    if noc.teer(noc_code) > 3:
        return False
    prefixes: list[str] = rules.param(rule, "listed_prefixes", on)
    codes: list[str] = rules.param(rule, "listed_codes", on)
    return noc_code[:2] in prefixes or noc_code in codes


def c41_min_months_left(on: dt.date, rules: RuleSet) -> int:
    """Months the principal's permit must still have after the spouse applies on `on`."""
    return int(rules.param("C41.principal_validity", "months", on))


def c42_program_ok(edu: Education, on: dt.date, rules: RuleSet) -> bool:
    """True when the student principal's program qualifies the spouse for C42 on `on`."""
    rule = "C42.principal_program"
    if not edu.canadian or edu.credential is Credential.SECONDARY:
        return False
    if bool(rules.param(rule, "requires_pgwp_eligible", on)) and not pgwp.eligible_program(edu, rules):
        return False
    if bool(rules.param(rule, "any_program", on)):
        return True
    university = edu.institution is InstitutionKind.UNIVERSITY
    if edu.credential is Credential.DOCTORAL:
        return bool(rules.param(rule, "doctoral", on)) and (
            university or not rules.param(rule, "graduate_requires_university", on)
        )
    if edu.credential is Credential.MASTER:
        if bool(rules.param(rule, "graduate_requires_university", on)) and not university:
            return False
        return pgwp.program_months(edu) >= int(rules.param(rule, "master_min_months", on))
    if edu.credential is Credential.PROFESSIONAL_DEGREE:
        return bool(rules.param(rule, "professional_degree", on)) and university
    return False


def principal_job(principal: Person, on: dt.date) -> str | None:
    """NOC code of the principal's job in Canada ongoing on `on`, from the work history."""
    for period in principal.work_history:
        if period.in_canada and period.start <= on and (period.end is None or on <= period.end):
            return period.noc_code
    return None


def current_program(principal: Person, on: dt.date) -> Education | None:
    """The Canadian program the principal is enrolled in on `on` (started or about to start, not completed)."""
    programs = [e for e in principal.education if e.canadian and on <= e.completion]
    return min(programs, key=lambda e: e.start) if programs else None


def _not_in_force(c: Checks, rule_id: str, on: dt.date) -> bool:
    if c.rules.in_force(rule_id, on):
        return False
    c.fail(rule_id, Phrase.of("reason.not_in_force", day=on.isoformat()))
    return True


def check_c41(
    principal: Person,
    on: dt.date,
    rules: RuleSet,
    *,
    principal_noc: str | None = None,
    principal_permit_to: dt.date | None = None,
    principal_permit_open: bool | None = None,
    pgwp_pending: bool = False,
) -> Decision:
    """C41 for a spouse applying on `on`; the principal's job, permit end and kind default to their facts."""
    c = Checks(rules)
    job = principal_noc if principal_noc is not None else principal_job(principal, on)
    permit_to = principal_permit_to
    if permit_to is None and holds_work_permit(principal, on):
        permit_to = work_permit_end(principal)
    is_open = principal_permit_open
    if is_open is None and principal.status is not None and principal.status.kind is StatusKind.WORKER:
        is_open = not principal.status.employer_specific
    occ = "C41.principal_occupation"
    if job is None:
        c.unknown_fact(occ, Phrase.of("reason.occupation_decides"), "principal's occupation")
    else:
        c.check(
            c41_occupation_ok(job, on, rules),
            occ,
            Phrase.of("met.occupation_listed", noc=job),
            Phrase.of("reason.occupation_not_listed", noc=job),
        )
    months = c41_min_months_left(on, rules)
    if pgwp_pending:
        c.fail("C41.principal_employed", Phrase.of("reason.principal_pgwp_pending"))
    elif permit_to is None:
        c.unknown_fact(
            "C41.principal_validity", Phrase.of("reason.months_needed", months=months), "principal's work permit end"
        )
    else:
        c.check(
            dates.months_left(on, permit_to, months),
            "C41.principal_validity",
            Phrase.of("met.months_left", day=permit_to.isoformat(), months=months),
            Phrase.of("reason.months_short", day=permit_to.isoformat(), months=months),
        )
    if is_open and job is None:
        c.unknown_fact("C41.principal_employed", Phrase.of("reason.must_be_employed"), "principal's employment")
    elif is_open and job is not None:
        c.ok("C41.principal_employed", Phrase.of("met.principal_employed", noc=job))
    return c.decision()


def check_c42(principal: Person, on: dt.date, rules: RuleSet, *, edu: Education | None = None) -> Decision:
    """C42 for a spouse applying on `on`: the principal studies full time in Canada in a qualifying program."""
    c = Checks(rules)
    program = edu if edu is not None else current_program(principal, on)
    st = principal.status
    holds = st is not None and st.kind is StatusKind.STUDENT and on <= st.valid_to
    c.check(
        holds and principal.in_canada,
        "C42.principal_status",
        Phrase.of("met.principal_study_permit"),
        Phrase.of("reason.no_valid_study_permit"),
    )
    if program is None:
        c.fail("C42.principal_program", Phrase.of("reason.not_enrolled"))
        return c.decision()
    part_time = Phrase.of("reason.part_time")
    c.check(program.full_time, "C42.principal_status", Phrase.of("met.principal_full_time"), part_time)
    c.check(
        c42_program_ok(program, on, rules),
        "C42.principal_program",
        Phrase.of(
            "met.program_qualifying",
            credential=Phrase.of(f"credential.{program.credential.value.lower()}"),
            months=pgwp.program_months(program),
        ),
        Phrase.of(
            "reason.program_not_qualifying",
            credential=Phrase.of(f"credential.{program.credential.value.lower()}"),
            months=pgwp.program_months(program),
        ),
    )
    return c.decision()


def check_c49(
    principal: Person,
    on: dt.date,
    rules: RuleSet,
    *,
    pr_submitted_on: dt.date | None = None,
    principal_authorized: bool | None = None,
) -> Decision:
    """C49 for a family member applying on `on`: the principal is an economic PR applicant or nominee, with a permit."""
    c = Checks(rules)
    rule = "C49.principal_pr_applicant"
    if _not_in_force(c, rule, on):
        return c.decision()
    nomination = principal.provincial_nomination
    nominated = nomination is not None and nomination.nominated_on <= on
    applied = pr_submitted_on is not None and pr_submitted_on <= on
    c.check(
        applied or nominated,
        rule,
        Phrase.of("met.principal_pr_pending") if applied else Phrase.of("met.principal_nominated"),
        Phrase.of("reason.not_moving_to_pr"),
    )
    authorized = principal_authorized if principal_authorized is not None else holds_work_permit(principal, on)
    c.check(authorized, rule, Phrase.of("met.principal_work_permit"), Phrase.of("reason.no_work_permit"))
    return c.decision()


# How A74.sponsored_spouse's sponsor_statuses name a Canadian partner's status.
_SPONSOR_STATUS = {"CITIZEN": "CITIZEN", "PERMANENT_RESIDENT": "PR"}
# The PR program of a spousal sponsorship (SCLPC or family class), as a submitted PR application names it.
SPOUSAL_PROGRAM = "SPOUSAL"


def sponsor_ok(sponsor: Person, on: dt.date, rules: RuleSet) -> bool:
    """Whether `sponsor` is a Canadian partner of a status that may sponsor for A74 (A74.sponsored_spouse)."""
    status = sponsor.canadian_status
    if status is None or not rules.in_force("A74.sponsored_spouse", on):
        return False
    return _SPONSOR_STATUS[status.value] in rules.param("A74.sponsored_spouse", "sponsor_statuses", on)


def check_a74_sponsored(sponsored: Person, sponsor: Person, on: dt.date, rules: RuleSet) -> Decision:
    """A74 for `sponsored`, partner of the Canadian `sponsor`: sponsored in a spousal PR application already
    submitted (a complete one, R10) and in Canada (A74.sponsored_spouse; not at a port of entry)."""
    c = Checks(rules)
    rule = "A74.sponsored_spouse"
    if _not_in_force(c, rule, on):
        return c.decision()
    status = sponsor.canadian_status
    c.check(
        sponsor_ok(sponsor, on, rules),
        rule,
        Phrase.of(
            "met.sponsored_by",
            status=Phrase.of(f"status.{status.value.lower()}" if status else "status.foreign_national"),
        ),
        Phrase.of("reason.partner_not_canadian"),
    )
    app = sponsored.pr_application
    c.check(
        app is not None and app.program == SPOUSAL_PROGRAM and app.submitted_on <= on,
        rule,
        Phrase.of("met.in_sponsorship"),
        Phrase.of("reason.no_sponsorship_by", day=on.isoformat()),
    )
    c.check(sponsored.in_canada, rule, Phrase.of("met.in_canada"), Phrase.of("reason.a74_not_in_canada"))
    return c.decision()


def check_a74(principal: Person, on: dt.date, rules: RuleSet) -> Decision:
    """A74 needs a citizen or PR sponsor: a household of two foreign nationals never qualifies."""
    c = Checks(rules)
    rule = "A74.sponsored_spouse"
    if not _not_in_force(c, rule, on):
        c.fail(rule, Phrase.of("reason.not_sponsoring"))
    return c.decision()


def _family_scope(c: Checks, principal: Person, member: Person, on: dt.date, held_code: str) -> None:
    """C47.scope: from 2025-01-21 only families of workers moving to PR who have not filed a PR application yet,
    and in-Canada renewals matching the principal's permit (addendum §1, C47 vs C48)."""
    rule = "C47.scope"
    if not c.rules.in_force(rule, on) or not bool(c.rules.param(rule, "limited", on)):
        c.ok(rule, Phrase.of("met.scope_before_limit"))
        return
    st = member.status
    if principal.pr_application is not None:
        c.fail(rule, Phrase.of("reason.family_route_c49"))
    elif st is not None and st.permit_code == held_code and member.in_canada:
        c.ok(rule, Phrase.of("met.renewal", code=held_code))
    elif principal.provincial_nomination is not None and principal.provincial_nomination.nominated_on <= on:
        c.ok(rule, Phrase.of("met.nominee_moving_to_pr"))
    else:
        c.unknown_fact(
            rule,
            Phrase.of("reason.family_scope"),
            "whether the principal is moving to PR",
        )


def check_c47(principal: Person, spouse: Person, on: dt.date, rules: RuleSet) -> Decision:
    """C47 for the spouse applying on `on`: the principal works in TEER 4/5 and the family is in C47.scope."""
    c = Checks(rules)
    occ = "C47.principal_occupation"
    if _not_in_force(c, occ, on):
        return c.decision()
    job = principal_job(principal, on)
    teers = [int(t) for t in cast(list[int], rules.param(occ, "teers", on))]
    if job is None or not noc.is_valid(job):
        c.unknown_fact(occ, Phrase.of("reason.occupation_decides"), "principal's occupation")
    else:
        c.check(
            noc.teer(job) in teers,
            occ,
            Phrase.of("met.teer_of", noc=job, teer=noc.teer(job)),
            Phrase.of("reason.teer_not_low", noc=job, teer=noc.teer(job)),
        )
    _family_scope(c, principal, spouse, on, "C47")
    return c.decision()


def check_child_code(rule_id: str, on: dt.date, rules: RuleSet) -> Decision:
    """C46/C48 are a dependent child's codes: the household's members (principal, spouse) never hold them, and
    children are not planned (eligibility answers and closed routes only)."""
    c = Checks(rules)
    if not _not_in_force(c, rule_id, on):
        c.fail(rule_id, Phrase.of("reason.child_only"))
    return c.decision()

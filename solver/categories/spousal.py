"""Permits that rest on the partner: C42 (spouse of a student), C41 (spouse of a skilled worker), C49 (family of
an economic PR applicant), A74 (the sponsored partner of a Canadian); answered for eligibility and closed routes
but not planned: C47 (spouse of a TEER 4/5 worker, from 2025-01-21 only for families moving to PR and matching
renewals) and the dependent children's C46 and C48 (children are not members the planner plans for)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from solver import noc
from solver.categories import family_named
from solver.categories.base import Asked, CategoryEligibility, Family, Fix, Issue, answer, refusal
from solver.categories.offers import extended
from solver.dates import add_months
from solver.domain import Credential, Education, InstitutionKind, Person, PlannedPermit, Role, Scenario, StatusKind
from solver.model.constraints.permits import passport_day
from solver.model.tables import add_function
from solver.model.variables import Node, Vars
from solver.options.household import could_apply_for_pr
from solver.options.options import Options, open_candidate
from solver.options.records import ACTION_EXTEND, Candidate, DepotKind, Validity
from solver.phrases import Phrase
from solver.rules import spousal
from solver.rules.catalog import Category
from solver.rules.decision import Decision
from solver.rules.registry import RuleSet
from solver.validate.context import PlanContext
from solver.validate.facts import covering_work_permit_end, job_on, optional_param
from solver.validate.status import current_program, program_months, restorable, study_permit_end

C41, C42, C47, C49, A74 = "C41", "C42", "C47", "C49", "A74"
# The rule each partner-based code rests on (what a Canadian partner, who holds no permit, cannot give).
_RESTS_ON = {
    C41: "C41.principal_validity",
    C42: "C42.principal_program",
    C47: "C47.principal_occupation",
    C49: "C49.principal_pr_applicant",
}
# PR programs of the family class: their applicant's partner has no C49 (C49.principal_pr_applicant: economic).
_FAMILY_CLASS = frozenset({"SPOUSAL"})
# A spouse of a work or study permit holder (or of a PR applicant who holds one) may apply inside Canada even as
# a visitor once the visitor policy ended (STATUS.visitor_work_permit; addendum §8): R199 lets family members.
R199 = "STATUS.r199"

# --- the eligibility query -------------------------------------------------------------------------

# Each code's check of the principal's situation.
_PRINCIPAL_CHECKS: dict[str, Callable[[Person, dt.date, RuleSet], Decision]] = {
    "C41": spousal.check_c41,
    "C42": spousal.check_c42,
    "C49": spousal.check_c49,
    A74: spousal.check_a74,
}


# The codes of a dependent child (C46, C48): answered, never planned (children are not members planned for).
_CHILD_RULES = {"C46": "C46.dependent_child", "C48": "C48.dependent_child"}


def _canadian_partner(scenario: Scenario, role: Role) -> Person | None:
    """The other member when they are Canadian (a citizen or permanent resident), else None."""
    other = scenario.person(Role.SPOUSE if role is Role.PRINCIPAL else Role.PRINCIPAL)
    return other if other is not None and other.canadian_status is not None else None


def _eligibility(asked: Asked, code: str) -> Decision:
    """`code` for the member asked about: only the principal's accompanying spouse can hold it, except A74,
    which is the sponsored partner's of a Canadian, whichever member that is (C46, C48: a child's only)."""
    if code in _CHILD_RULES:
        return spousal.check_child_code(_CHILD_RULES[code], asked.on, asked.rules)
    sponsor = _canadian_partner(asked.scenario, asked.role)
    if code == A74 and sponsor is not None:
        return spousal.check_a74_sponsored(asked.person, sponsor, asked.on, asked.rules)
    if sponsor is not None:
        return refusal(asked.rules, _RESTS_ON[code], Phrase.of("reason.partner_canadian"))
    if asked.role is Role.PRINCIPAL or asked.scenario.spouse is None:
        return refusal(asked.rules, "C41.no_role_swap", Phrase.of("reason.spouse_only"))
    if code == C47:
        return spousal.check_c47(asked.scenario.principal, asked.person, asked.on, asked.rules)
    return _PRINCIPAL_CHECKS[code](asked.scenario.principal, asked.on, asked.rules)


# --- the planner -----------------------------------------------------------------------------------


def _worker_source(c: Candidate) -> bool:
    """C41 rests on a work permit of the principal's own, not one issued after a PR submission (a bridging one)."""
    return _own(c) and not c.issued_by_family


def _own(c: Candidate) -> bool:
    """C49 rests on any work permit of the PR applicant's own (not one resting on their partner's in turn)."""
    return not family_named(c.family).after_partners


def _candidates(opts: Options, role: Role, person: Person) -> list[Candidate]:
    partner = opts.partner(role)
    if partner is None:
        return []
    p_person = opts.scenario.person(partner)
    assert p_person is not None
    out: list[Candidate] = []
    if p_person.canadian_status is not None:
        # C41, C42 and C49 rest on the partner's permit; a Canadian partner sponsors instead (A74).
        return _sponsored_partner(opts, role, partner, p_person, person)
    if role is Role.SPOUSE:
        # C41 and C42 are for the principal's spouse (the principal is who first held a permit).
        out.extend(_spouse_of_student(opts, role, partner, p_person))
        out.extend(_spouse_of_worker(opts, role, partner))
    out.extend(_spouse_of_pr_applicant(opts, role, partner))
    return out


def _sponsored_partner(opts: Options, role: Role, partner: Role, sponsor: Person, person: Person) -> list[Candidate]:
    """A74 for the partner of a Canadian sponsor, once the spousal sponsorship PR application is submitted (from
    its AOR, or its submission while none is recorded), applied for in Canada while in status, on maintained
    status or within restoration (the chain's rules); valid, as far as the brief says, to the plan's end."""
    submitted = opts.submitted_pr()
    depot = opts.depots[role]
    if submitted is None or submitted[0] is not role or submitted[1].program != spousal.SPOUSAL_PROGRAM:
        return []
    if not depot.in_canada:
        return []
    app = submitted[1]
    first = max(0, opts.cal.day(app.aor_on or app.submitted_on))
    days = opts.eligible_days(
        first, opts.cal.horizon - 1, person, lambda on: spousal.sponsor_ok(sponsor, on, opts.rules)
    )
    if not days:
        return []
    return [
        open_candidate(
            opts,
            role,
            A74,
            FAMILY.name,
            f"{role.value}:{A74}",
            days,
            months=None,
            rule_ids=("A74.sponsored_spouse",),
            inside_only=True,
            # The public policy is for the sponsored partner in Canada, visitors included (R199's family ground).
            r199=R199,
        )
    ]


def _candidate(opts: Options, role: Role, code: str, key: str, days: tuple[int, ...], **kw: Any) -> Candidate:
    """A spousal permit: it runs to the partner's permit it rests on, and its variants exclude each other."""
    return open_candidate(
        opts,
        role,
        code,
        FAMILY.name,
        key,
        days,
        months=None,
        validity=Validity.FAMILY,
        exclusive_variants=True,
        r199=R199,
        **kw,
    )


def _spouse_of_student(opts: Options, role: Role, partner: Role, p_person: Person) -> list[Candidate]:
    """C42 for the first Canadian program of the principal with an eligible day while they study."""
    depot = opts.depots[partner]
    if depot.kind is not DepotKind.STUDENT or p_person.status is None:
        return []
    for i, edu in enumerate(p_person.education):
        if not edu.canadian:
            continue
        first = max(0, opts.cal.day(edu.start))
        last = min(depot.end, opts.cal.day(edu.completion))
        ok = functools.partial(_c42_program_ok, opts.rules, edu)
        days = opts.eligible_days(first, last, p_person, ok)
        if days:
            return [
                _candidate(
                    opts,
                    role,
                    C42,
                    f"{role.value}:{C42}:{i}",
                    days,
                    rule_ids=("C42.principal_program",),
                    source=f"{partner.value}:depot",
                    fixed_end=opts.cal.day(p_person.status.valid_to),
                )
            ]
    return []


def _c42_program_ok(rules: RuleSet, edu: Education, on: dt.date) -> bool:
    return spousal.c42_program_ok(edu, on, rules)


def _c41_occupation_ok(rules: RuleSet, noc_code: str, on: dt.date) -> bool:
    return spousal.c41_occupation_ok(noc_code, on, rules)


def _work_sources(
    opts: Options, partner: Role, grounds: Callable[[Candidate], bool]
) -> list[tuple[str, bool, str | None]]:
    """(node key, open, offer ref) of each work permit `partner` may hold: their status on as_of, their candidates."""
    sources: list[tuple[str, bool, str | None]] = []
    depot = opts.depots[partner]
    if depot.kind is DepotKind.CANADIAN:
        return []  # C41 and C49 rest on a partner's work permit; a Canadian partner holds none
    if depot.works:
        sources.append((f"{partner.value}:depot", depot.kind is DepotKind.WORKER_OPEN, None))
    for c in opts.candidates:
        if c.person is partner and grounds(c):
            sources.append((c.key, c.open, c.offer_ref))
    return sources


def _spouse_of_worker(opts: Options, role: Role, partner: Role) -> list[Candidate]:
    """C41 variants: one per (principal's work permit, principal's job) that could support it; and for the
    principal's extension, a renewal of the variant resting on the permit it extends (filed with the extension, to
    match it: the in-Canada renewal of C41.principal_occupation's note)."""
    out: list[Candidate] = []
    depot = opts.depots[partner]
    extended = {c.key: c.extends for c in opts.candidates if c.person is partner and c.extends is not None}
    for source, is_open, offer_ref in _work_sources(opts, partner, _worker_source):
        if source.endswith(":depot") and depot.kind is DepotKind.WORKER_SPECIFIC:
            jobs = [j for j in opts.jobs if j.person is partner and j.offer_ref is None]
        else:
            jobs = [j for j in opts.jobs if j.person is partner and (is_open or j.offer_ref == offer_ref)]
        for job in jobs:
            ok = functools.partial(_c41_occupation_ok, opts.rules, job.noc_code)
            days = opts.eligible_days(0, opts.cal.horizon - 1, None, ok)
            if not days:
                continue
            months = opts.param_series("C41.principal_validity", "months", days[0], days[-1])
            refs = tuple(opts.shift_months_each(days[0], months))
            variant = _candidate(
                opts,
                role,
                C41,
                f"{role.value}:{C41}:{source}:{job.key}",
                days,
                rule_ids=("C41.principal_occupation", "C41.principal_validity", "C41.principal_employed"),
                source=source,
                source_job=job.key,
                validity_ref_months=refs,
            )
            out.append(variant)
            first = extended.get(source)
            if first is not None:
                out.append(_renewal(variant, f"{role.value}:{C41}:{first}:{job.key}"))
    return out


def _renewal(variant: Candidate, renews: str) -> Candidate:
    """`variant` (resting on the principal's extension) as the renewal of the spouse's C41 `renews`, which rests
    on the permit that extension extends with the same job."""
    return replace(variant, key=f"{variant.key}:renewal", extends=renews, filed_with_source=True, action=ACTION_EXTEND)


def _spouse_of_pr_applicant(opts: Options, role: Role, partner: Role) -> list[Candidate]:
    """C49 variants: one per work permit of the PR applicant (the partner) it may run to."""
    days = opts.days(0, opts.cal.horizon - 1)
    if not days or not opts.rules.in_force("C49.principal_pr_applicant", opts.on(opts.cal.date(days[-1]))):
        return []
    applicant = opts.scenario.person(partner)
    submitted = opts.submitted_pr()
    if submitted is not None:
        # The PR application already submitted decides: the partner's, and an economic one (not the family
        # class: a sponsored spouse uses A74).
        if submitted[0] is not partner or submitted[1].program in _FAMILY_CLASS:
            return []
    elif applicant is None or not could_apply_for_pr(opts, applicant):
        return []
    return [
        _candidate(
            opts,
            role,
            C49,
            f"{role.value}:{C49}:{source}",
            days,
            rule_ids=("C49.principal_pr_applicant",),
            source=source,
        )
        for source, _open, _ref in _work_sources(opts, partner, _own)
    ]


def _held_on_apply(v: Vars, node: Node, source: Node) -> None:
    """The source permit is issued and still valid on the spouse's application day; the spouse's runs to its end."""
    m = v.model
    x = node.present
    m.add_implication(x, source.present)
    if not source.is_depot:
        m.add(node.apply >= source.start).only_enforce_if(x)
    m.add(node.apply <= source.end).only_enforce_if(x)
    assert node.candidate is not None
    m.add_min_equality(node.end, [source.end, passport_day(v, node.candidate)])
    # The source is the partner's work permit with the latest valid_to among those held on the apply day.
    for other in v.person_nodes(source.person):
        if other is source or not other.works:
            continue
        tag = f"{node.key}|{other.key}"
        before = m.new_bool_var(f"not_yet_held[{tag}]")
        after = m.new_bool_var(f"no_longer_held[{tag}]")
        later = m.new_bool_var(f"source_runs_longer[{tag}]")
        m.add(node.apply <= other.start - 1).only_enforce_if(before)
        m.add(node.apply >= other.end + 1).only_enforce_if(after)
        m.add(source.end >= other.end).only_enforce_if(later)
        m.add_bool_or([before, after, later]).only_enforce_if([x, other.present])


def _filed_with(v: Vars, node: Node, source: Node) -> None:
    """A renewal filed with the partner's extension (`source`), on its day, and running to its end; it follows the
    spouse's permit it renews (status.arc_allowed)."""
    m = v.model
    assert node.candidate is not None and node.candidate.extends is not None
    m.add_implication(node.present, source.present)
    m.add_implication(node.present, v.nodes[node.candidate.extends].present)
    m.add(node.apply == source.apply).only_enforce_if(node.present)
    m.add_min_equality(node.end, [source.end, passport_day(v, node.candidate)])


def _constrain(v: Vars, node: Node) -> None:
    """Links a spousal permit to the partner's permit or study permit it rests on.

    Rules: C41.principal_occupation (in the candidate's days), C41.principal_validity (the principal's permit has
    the months left on the spouse's application day), C41.principal_employed (the principal holds the job on
    that day), C42.principal_program (in the candidate's days; runs to the study permit's valid_to),
    C49.principal_pr_applicant (the partner is the PR applicant and has submitted), PASSPORT.cap.
    """
    m = v.model
    c = node.candidate
    assert c is not None
    if c.code == C42:
        assert c.fixed_end is not None
        m.add(node.end == min(c.fixed_end, passport_day(v, c)))
    elif c.code == C41:
        assert c.source is not None and c.source_job is not None
        source = v.nodes[c.source]
        if c.filed_with_source:
            _filed_with(v, node, source)
        else:
            _held_on_apply(v, node, source)
        needed = m.new_int_var(0, v.big, f"c41_validity_needed[{node.key}]")
        add_function(m, node.apply, c.apply_days[0], list(c.validity_ref_months), needed, f"c41_validity[{node.key}]")
        m.add(source.end >= needed).only_enforce_if([node.present, v.group("C41.principal_validity")])
        job = v.jobs[c.source_job]
        m.add_implication(node.present, job.present)
        # A filing before as_of: the principal's job then is the file's fact (the plan's jobs start at as_of).
        on = max(c.apply_days[0], 0) if c.filed_on is not None else node.apply
        m.add(job.start <= on).only_enforce_if(node.present)
        m.add(job.end >= on).only_enforce_if(node.present)
    elif c.code == C49:
        assert c.source is not None
        source = v.nodes[c.source]
        _held_on_apply(v, node, source)
        pr = v.prv()
        m.add_implication(node.present, pr.applicant[source.person])
        m.add(node.apply >= pr.submit).only_enforce_if(node.present)


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
    end = _principal_end(ctx, p)
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
    if ctx.plan.pr_program in _FAMILY_CLASS:
        yield "C49.principal_pr_applicant", f"a {ctx.plan.pr_program} application is not an economic-class one"
        return
    if covering_work_permit_end(ctx, applicant, a) is None:
        yield "C49.principal_pr_applicant", "the PR applicant holds no valid work permit on that date"


def _a74_issues(ctx: PlanContext, role: Role, p: PlannedPermit) -> Iterator[Issue]:
    """A74.sponsored_spouse: a Canadian sponsor, a spousal PR application of the planned partner submitted by
    the application day (its AOR when recorded), and in Canada with status, maintained status or restorable."""
    a = p.apply_on
    person = ctx.scenario.person(role)
    sponsor = _canadian_partner(ctx.scenario, role)
    assert person is not None
    if sponsor is None or not spousal.sponsor_ok(sponsor, a, ctx.rules):
        yield "A74.sponsored_spouse", "the partner is not a Canadian citizen or permanent resident sponsor"
        return
    app = person.pr_application
    if app is None or app.program != spousal.SPOUSAL_PROGRAM or a < (app.aor_on or app.submitted_on):
        yield "A74.sponsored_spouse", "no spousal sponsorship PR application submitted (with its AOR) by then"
        return
    t = ctx.timelines[role]
    i = t.index(a)
    if not 0 <= i < t.days or not t.in_canada[i]:
        yield "A74.sponsored_spouse", "not in Canada on the application day"
    elif not t.status[i] and not restorable(ctx, role, a):
        yield "A74.sponsored_spouse", "no status, maintained status or restorable status on the application day"


# The codes a plan may hold, each with its check of the partner's situation.
_CHECKS: dict[str, Callable[[PlanContext, Role, PlannedPermit], Iterator[Issue]]] = {
    "C41": _c41_issues,
    "C42": _c42_issues,
    "C49": _c49_issues,
    A74: _a74_issues,
}


def _issues(ctx: PlanContext, role: Role, p: PlannedPermit) -> Iterator[Issue]:
    check = _CHECKS.get(p.code)
    if check is None:
        yield "PLAN.category", f"{p.code} is answered by the eligibility query only; a plan does not hold it"
        return
    yield from check(ctx, role, p)


def _principal_end(ctx: PlanContext, p: PlannedPermit) -> dt.date | None:
    """The end of the principal's work permit a C41 matches: the one held on its application day, or, for a
    renewal (filed while the spouse holds a C41, on the day the principal applies to extend their permit), the
    principal's extension."""
    holds = any(q.code == C41 and q.apply_on < p.apply_on <= q.valid_to for q in ctx.permits_of(Role.SPOUSE))
    for q in ctx.permits_of(Role.PRINCIPAL):
        if holds and q.apply_on == p.apply_on and extended(ctx, Role.PRINCIPAL, q) is not None:
            return q.valid_to
    return covering_work_permit_end(ctx, Role.PRINCIPAL, p.apply_on)


def _valid_to(ctx: PlanContext, p: PlannedPermit) -> dt.date | None:
    """The end of the partner's permit the spouse's permit matches."""
    if p.code == "C41":
        return _principal_end(ctx, p)
    if p.code == "C49":
        applicant = ctx.plan.pr_applicant
        return covering_work_permit_end(ctx, applicant, p.apply_on) if applicant is not None else None
    if p.code == "C42":
        status = ctx.scenario.principal.status
        return status.valid_to if status is not None else None
    # A74: to the plan's end (the brief gives no length), capped at the passport by the caller. C46, C47 and C48
    # are never planned (_issues says so).
    return dt.date.fromordinal(ctx.horizon_end.toordinal() - 1)


class Spousal(Family):
    name = "spousal"
    stage = 50
    after_partners = True

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        d = _eligibility(asked, category.code)
        return [answer(category, d, asked.on if d.eligible else None)]

    def candidates(self, opts: Options, role: Role, person: Person) -> list[Candidate]:
        return _candidates(opts, role, person)

    def constrain(self, v: Vars, node: Node) -> None:
        _constrain(v, node)

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        return _issues(ctx, role, p)

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        return _valid_to(ctx, p)

    def r199_ground(self, ctx: PlanContext, role: Role, p: PlannedPermit) -> str | None:
        """A spouse of a permit holder (or of a PR applicant) may apply inside Canada even as a visitor (R199)."""
        return R199

    def plausible(self, asked: Asked, category: Category) -> bool:
        return _plausible(asked, category.code)

    def moments(self, asked: Asked, category: Category) -> tuple[dt.date, ...]:
        return _moments(asked, category.code)

    def planned(self, category: Category) -> bool:
        return category.code in _CHECKS

    def smallest_fix(self, asked: Asked, category: Category, decision: CategoryEligibility) -> Fix | None:
        """A74 for the partner of a Canadian: the spousal sponsorship PR application, filed while in status."""
        sponsor = _canadian_partner(asked.scenario, asked.role)
        app = asked.person.pr_application
        if category.code == A74 and sponsor is not None and (app is None or app.program != spousal.SPOUSAL_PROGRAM):
            status = asked.person.status
            return Fix.said(
                Phrase.of("fix.spousal_sponsorship", code=A74),
                status.valid_to if status is not None and status.valid_to >= asked.on else None,
            )
        return super().smallest_fix(asked, category, decision)


def _plausible(asked: Asked, code: str) -> bool:
    """The principal's spouse, with a principal in the situation the code rests on: studying in Canada (C42),
    working or about to (C41), a PR applicant on file or a nominee (C49); A74 is considered for every spouse (it
    needs a citizen or PR sponsor)."""
    if code == A74 and _canadian_partner(asked.scenario, asked.role) is not None:
        return asked.person.canadian_status is None  # the sponsored partner of a Canadian, whichever role
    if asked.role is not Role.SPOUSE or asked.scenario.spouse is None:
        return False
    principal = asked.scenario.principal
    status = principal.status
    if code == C42:
        studies = status is not None and status.kind is StatusKind.STUDENT
        return studies or any(e.canadian and e.completion >= asked.on for e in principal.education)
    if code == C41:
        works = status is not None and status.kind is StatusKind.WORKER
        return works or any(o.holder is Role.PRINCIPAL for o in asked.scenario.offers)
    if code == C49:
        # A principal with an economic PR application on file or a provincial nomination (C49.principal_pr_applicant).
        app = principal.pr_application
        return principal.provincial_nomination is not None or (app is not None and app.program not in _FAMILY_CLASS)
    if code == C47:
        # A TEER 4/5 principal, working on as_of or holding an offer (C47.principal_occupation).
        job = spousal.principal_job(principal, asked.on)
        nocs = [job] if job is not None else []
        nocs += [o.noc_code for o in asked.scenario.offers if o.holder is Role.PRINCIPAL]
        return any(noc.is_valid(n) and noc.teer(n) >= 4 for n in nocs)
    return code == A74


def _moments(asked: Asked, code: str) -> tuple[dt.date, ...]:
    """The day asked and, for C41, the start of each of the principal's offers (within the horizon)."""
    out = {asked.on}
    if code == C41:
        out |= {
            max(asked.on, o.earliest_start)
            for o in asked.scenario.offers
            if o.holder is Role.PRINCIPAL and o.earliest_start <= asked.horizon_end
        }
    return tuple(sorted(out))


FAMILY = Spousal()

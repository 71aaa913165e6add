"""What every offer-based family shares: a permit resting on one job offer, its rules chosen by the offer's code.

An offer-based family (`employer.py`, `ceta_ict.py`) is an `OfferFamily` whose `codes` table holds one `CodeRules`
per code: the conditions on the person and the offer, the first permit's length, and the validator's check. What
follows from resting on an offer is the same for all of them and lives here: one eligibility answer per offer,
one candidate per offer whose job the plan may take, the permit tied to that job, and the validator's dates.

This module is shared, not a family: the registry skips it (it defines no FAMILY).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from solver import dates, noc
from solver.categories import UnknownCategory, family_of
from solver.categories.base import Asked, CategoryEligibility, Family, Issue, answer, refusal
from solver.domain import Offer, PendingApplication, Person, PlannedPermit, PlanStep, Role
from solver.model.variables import JobVars, Node, Vars
from solver.options.options import Options, employer_fee_cents, fee_cents, filed
from solver.options.records import (
    ACTION_EMPLOYER_LMIA,
    ACTION_EXTEND,
    ACTION_LMIA_DECISION,
    Candidate,
    Validity,
)
from solver.phrases import Phrase
from solver.rules.catalog import TFWP_CODE, Category, current_code
from solver.rules.decision import Checks, Decision
from solver.rules.registry import RuleSet
from solver.validate.context import PlanContext

# --- one code's rules --------------------------------------------------------------------------------

# Records one code's conditions on an offer, in order: (checks, person, offer, code, apply_on).
Conditions = Callable[[Checks, Person, Offer, str, dt.date], None]
# One code's decision on an offer: (person, offer, code, apply_on, rules).
Check = Callable[[Person, Offer, str, dt.date, RuleSet], Decision]
# The longest first permit a code allows for an offer on a date, before the offer's own length (None: no limit).
Length = Callable[[Offer, dt.date, RuleSet], int | None]
# The validator's own check of one condition of a planned permit: (context, role, person, offer, permit).
IssueCheck = Callable[[PlanContext, Role, Person, Offer, PlannedPermit], Iterator[Issue]]
# The months an extension of the offer's permit runs (OFFER.extension), applied for on a date, after `first` months
# of permits already counted against the code's total: (person, offer, first, on, rules); None when nothing is left.
Extension = Callable[[Person, Offer, int, dt.date, RuleSet], int | None]


@dataclass(frozen=True)
class CodeRules:
    """What one offer-based code checks, how long its first permit may run, what the validator checks, and how
    long an extension for the same job runs (`extension`; None: the code is extended case by case, not planned)."""

    check: Check
    length: Length | None = None
    issues: tuple[IssueCheck, ...] = ()
    extension: Extension | None = None
    # A new LMIA for an extension (TFWP): the employer files it first (TFWP.lmia).
    new_lmia: bool = False


def recorded(*conditions: Conditions) -> Check:
    """A check that records `conditions` in order and answers their decision."""

    def check(person: Person, offer: Offer, code: str, apply_on: dt.date, rules: RuleSet) -> Decision:
        c = Checks(rules)
        for condition in conditions:
            condition(c, person, offer, code, apply_on)
        return c.decision()

    return check


def param_length(rule: str, name: str) -> Length:
    """A length read from one rule parameter."""

    def length(offer: Offer, on: dt.date, rules: RuleSet) -> int | None:
        return int(rules.param(rule, name, on))

    return length


def param_extension(rule: str, name: str) -> Extension:
    """An extension whose length is one rule parameter, whatever came before it."""

    def months(person: Person, offer: Offer, first: int, on: dt.date, rules: RuleSet) -> int | None:
        return int(rules.param(rule, name, on))

    return months


def citizenship(rule: str) -> Conditions:
    """A citizenship of one of the countries `rule` lists."""

    def conditions(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
        countries: list[str] = c.rules.param(rule, "countries", on)
        ok = any(country in countries for country in person.citizenships)
        needs = Phrase.of("reason.citizenship", countries=", ".join(countries))
        c.check(ok, rule, Phrase.of("met.citizenship"), needs)

    return conditions


def citizenship_issues(rule: str, message: str) -> IssueCheck:
    """The validator's check that the person holds a citizenship `rule` lists."""

    def issues(ctx: PlanContext, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[Issue]:
        if not set(person.citizenships) & set(ctx.param(rule, "countries", p.apply_on)):
            yield rule, message

    return issues


def intra_company(rule: str) -> Conditions:
    """An intra-company transfer under `rule`: the occupation's TEER and the ICT months left (ICT.total)."""

    def conditions(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
        max_teer = int(c.rules.param(rule, "max_teer", on))
        teer = noc.teer(offer.noc_code)
        above = Phrase.of("reason.teer_above", teer=teer, max=max_teer, code=code)
        c.check(teer <= max_teer, rule, Phrase.of("met.teer_fits", teer=teer, code=code), above)
        used = ict_months_held(person, on, c.rules)
        total = ict_total(rule, on, c.rules)
        c.check(
            used < total,
            "ICT.total",
            Phrase.of("met.ict_months", used=used, total=total),
            Phrase.of("reason.ict_exhausted", used=used, total=total),
        )
        c.note(rule, Phrase.of("note.ict_experience"))

    return conditions


def ict_months_held(person: Person, on: dt.date, rules: RuleSet) -> int:
    """The whole months of intra-company transfer in `person`'s permit history (ICT.total's codes)."""
    codes = set(rules.param("ICT.total", "codes", on))
    spans = [(p.valid_from, p.valid_to) for p in person.permit_history if p.code in codes]
    return sum(dates.whole_months_between(lo, dates.add_days(hi, 1)) for lo, hi in spans)


def ict_total(rule: str, on: dt.date, rules: RuleSet) -> int:
    """The months of intra-company transfer `rule`'s code allows in all (its own total within ICT.total)."""
    return min(int(rules.param("ICT.total", "total_months", on)), int(rules.param(rule, "total_months", on)))


def ict_renewal(rule: str) -> Extension:
    """A renewal of `rule`'s renewal_months, within the code's total and ICT.total after the history and `first`."""

    def months(person: Person, offer: Offer, first: int, on: dt.date, rules: RuleSet) -> int | None:
        left = ict_total(rule, on, rules) - ict_months_held(person, on, rules) - first
        return min(int(rules.param(rule, "renewal_months", on)), left) if left > 0 else None

    return months


def intra_company_issues(rule: str) -> IssueCheck:
    """The validator's check of an intra-company transfer: TEER, and ICT months held or planned before it."""

    def issues(ctx: PlanContext, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[Issue]:
        a = p.apply_on
        max_teer = int(ctx.param(rule, "max_teer", a))
        if noc.teer(offer.noc_code) > max_teer:
            yield rule, f"{offer.noc_code} is above TEER {max_teer}"
        codes = set(ctx.param("ICT.total", "codes", a))
        spans = [(h.valid_from, h.valid_to) for h in person.permit_history if h.code in codes]
        spans += [(q.valid_from, q.valid_to) for q in ctx.permits_of(role) if q.code in codes and q.apply_on < a]
        used = sum(dates.whole_months_between(lo, dates.add_days(hi, 1)) for lo, hi in spans)
        total = min(int(ctx.param("ICT.total", "total_months", a)), int(ctx.param(rule, "total_months", a)))
        if used >= total:
            yield "ICT.total", f"{used} of {total} months of intra-company transfer already used"

    return issues


def intra_company_rules(
    rule: str, *first: Conditions, issues: tuple[IssueCheck, ...] = (), renewed: bool = False
) -> CodeRules:
    """An intra-company transfer code: `first` conditions, then TEER and ICT months; its first-permit length; its
    renewals when `renewed` (the rule's renewal_months)."""
    return CodeRules(
        recorded(*first, intra_company(rule)),
        param_length(rule, "first_permit_months"),
        (*issues, intra_company_issues(rule)),
        ict_renewal(rule) if renewed else None,
    )


# --- any offer, whatever its family ------------------------------------------------------------------


def offer_code(offer: Offer) -> str:
    """The offer's current category code: its exemption code (an unambiguous alias is mapped), else TFWP."""
    if offer.lmia_exempt_code is None:
        return TFWP_CODE
    found = current_code(offer.lmia_exempt_code)
    return found[0] if len(found) == 1 else offer.lmia_exempt_code


def code_rules(code: str) -> CodeRules | None:
    """The rules of an offer-based code (None for a code no offer-based family holds)."""
    try:
        family = family_of(code)
    except UnknownCategory:
        return None
    return family.codes.get(code) if isinstance(family, OfferFamily) else None


def check_offer(person: Person, offer: Offer, apply_on: dt.date, rules: RuleSet) -> Decision:
    """Whether `person` can get the employer-specific permit the offer's code names, applying on `apply_on`."""
    code = offer_code(offer)
    if not noc.is_valid(offer.noc_code):
        return refusal(rules, "CEC.skilled_experience", Phrase.of("reason.offer_noc_invalid", noc=repr(offer.noc_code)))
    found = code_rules(code)
    if found is None:
        return refusal(rules, "OFFER.duration", Phrase.of("reason.not_offer_code", code=code))
    return found.check(person, offer, code, apply_on, rules)


def permit_months(offer: Offer, on: dt.date, rules: RuleSet) -> int:
    """Longest first permit for the offer's code on `on`, no longer than the offer (when it has a length)."""
    found = code_rules(offer_code(offer))
    length = found.length if found is not None else None
    limit = length(offer, on, rules) if length is not None else None
    if offer.months is not None:
        return offer.months if limit is None else min(offer.months, limit)
    return limit if limit is not None else int(rules.param("OFFER.duration", "default_months", on))


# --- the family ----------------------------------------------------------------------------------------


class OfferFamily(Family):
    """A family of codes whose permits each rest on one job offer (`codes`: one entry per code)."""

    codes: ClassVar[Mapping[str, CodeRules]]

    # --- the eligibility query --------------------------------------------------------------------

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        out: list[CategoryEligibility] = []
        for offer in asked.scenario.offers:
            if offer.holder is asked.role and offer_code(offer) == category.code:
                d = check_offer(asked.person, offer, asked.on, asked.rules)
                out.append(answer(category, d, asked.on if d.eligible else None, offer.ref))
        return out or [answer(category, self.without_offer(asked, category.code), None)]

    def without_offer(self, asked: Asked, code: str) -> Decision:
        """The answer for a code the member holds no offer under."""
        return refusal(asked.rules, "EMPLOYER.offer", Phrase.of("reason.no_offer_under", code=code))

    def plausible(self, asked: Asked, category: Category) -> bool:
        """The member holds an offer under the code."""
        return any(o.holder is asked.role and offer_code(o) == category.code for o in asked.scenario.offers)

    def moments(self, asked: Asked, category: Category) -> tuple[dt.date, ...]:
        """The day asked and each such offer's earliest start (within the horizon)."""
        starts = {
            max(asked.on, o.earliest_start)
            for o in asked.scenario.offers
            if o.holder is asked.role and offer_code(o) == category.code and o.earliest_start <= asked.horizon_end
        }
        return tuple(sorted(starts | {asked.on}))

    # --- the planner ------------------------------------------------------------------------------

    def candidates(self, opts: Options, role: Role, person: Person) -> list[Candidate]:
        """One permit per offer of this family's codes `person` holds whose job is in the plan's jobs."""
        out: list[Candidate] = []
        for offer in opts.scenario.offers:
            mine = offer_code(offer) in self.codes
            if offer.holder is role and mine and any(j.offer_ref == offer.ref for j in opts.jobs):
                out.extend(self._offer_candidates(opts, role, person, offer))
        return out

    def pending(self, opts: Options, role: Role, person: Person, app: PendingApplication) -> Candidate | None:
        """The permit filed for the offer `app.offer_ref`, as filed: whether the rules would grant it today is a
        risk the plan reports (solver.options.filings), not a reason to drop a filing; it needs the offer's job."""
        offer = next((o for o in opts.scenario.offers if o.ref == app.offer_ref and o.holder is role), None)
        if offer is None or not any(j.offer_ref == offer.ref and j.person is role for j in opts.jobs):
            return None
        built = self._offer_candidates(opts, role, person, offer, filed_day=opts.cal.day(app.applied_on))
        return filed(opts, built[0], app) if built else None

    def _offer_candidates(
        self, opts: Options, role: Role, person: Person, offer: Offer, filed_day: int | None = None
    ) -> list[Candidate]:
        as_of = opts.scenario.as_of
        last = opts.cal.horizon - 1 if offer.latest_start is None else opts.cal.day(offer.latest_start)
        code = offer_code(offer)
        lmia = offer.lmia_exempt_code is None
        prior: tuple[PlanStep, ...] = ()
        if filed_day is not None:
            days = [filed_day]
        elif lmia:
            # Two steps (TFWP.lmia): the employer's LMIA, then the worker's application once it is positive; no
            # application (so no maintained status) rests on an LMIA still pending.
            positive = lmia_positive_on(offer, as_of, opts.rules)
            # Any day from the positive LMIA: a job already held on an open permit may go on under it, so the
            # offer's latest start does not bound the application.
            days = list(opts.days(max(0, opts.cal.day(positive)), opts.cal.horizon - 1))
            prior = lmia_steps(offer, role, as_of, positive, code)
        else:
            days = list(
                opts.eligible_days(0, last, person, lambda on: check_offer(person, offer, on, opts.rules).eligible)
            )
        if not days:
            return []
        d0 = opts.cal.date(days[0])
        first = Candidate(
            key=f"{role.value}:{code}:{offer.ref}",
            person=role,
            code=code,
            family=self.name,
            open=False,
            apply_days=tuple(days),
            processing_inside=opts.processing(code, True, d0, role),
            processing_outside=opts.processing(code, False, d0, role),
            months=permit_months(offer, d0, opts.rules),
            fee_cents=fee_cents(opts, code, d0),
            employer_fee_cents=employer_fee_cents(opts, code, d0),
            rule_ids=_grounds(opts.rules, person, offer, d0),
            offer_ref=offer.ref,
            lmia=lmia,
            validity=Validity.JOB,
            prior_steps=prior,
        )
        # A filing of the client file is not extended by the plan (its decision comes first; left for later).
        extension = None if filed_day is not None else self._extension(opts, role, person, offer, first)
        return [first] if extension is None else [first, extension]

    def _extension(self, opts: Options, role: Role, person: Person, offer: Offer, first: Candidate) -> Candidate | None:
        """`first` extended once for the same job (OFFER.extension), when its code has extensions (a job may outlast
        its first permit even when the offer is no longer than it: the permit may start before the job). Filed in
        Canada `lead_days` before `first` ends, processed there, for the code's extension months (capped by the
        job, as `first`); a TFWP extension waits for a new LMIA filed on as_of at the earliest."""
        code_rules = self.codes.get(first.code)
        if code_rules is None or code_rules.extension is None or first.months is None:
            return None
        # Never of use: filed after the horizon, or for a job that cannot outlast the first permit.
        earliest_from = first.apply_days[0] + min(first.processing_inside, first.processing_outside)
        earliest_end = earliest_from + 28 * first.months
        lead = int(opts.rules.param("OFFER.extension", "lead_days", opts.scenario.as_of))
        if earliest_end - lead >= opts.cal.horizon:
            return None
        if offer.months is not None:
            # A job that ends before the permit can, or one no longer than the permit that starts by its first day
            # (_extends), ends within it.
            latest = offer.latest_start
            if latest is not None and opts.cal.day(latest) + 31 * offer.months <= earliest_end:
                return None
            if offer.months <= first.months and earliest_from >= opts.cal.day(offer.earliest_start):
                return None
        d0 = opts.cal.date(max(first.apply_days[0], 0))
        months = code_rules.extension(person, offer, first.months, d0, opts.rules)
        if not months:
            return None
        as_of = opts.scenario.as_of
        wait = int(opts.rules.param("TFWP.lmia", "processing_days", as_of)) if code_rules.new_lmia else 0
        if wait >= opts.cal.horizon:
            return None
        processing = opts.processing(first.code, True, d0, role)
        return replace(
            first,
            key=f"{first.key}:extension",
            apply_days=tuple(range(wait, opts.cal.horizon)),
            processing_inside=processing,
            processing_outside=processing,
            months=months,
            rule_ids=(*first.rule_ids, "OFFER.extension"),
            inside_only=True,
            action=ACTION_EXTEND,
            prior_steps=(),
            filed_on=None,
            filed_outside=False,
            filed_risks=(),
            extends=first.key,
            extension_lead=lead,
            extension_wait=wait,
        )

    def constrain(self, v: Vars, node: Node) -> None:
        """The permit needs the job from its offer, and runs no later than that job; an extension follows the permit
        it extends (`_extends`)."""
        m = v.model
        for jv in v.jobs.values():
            job = jv.job
            if job.person is not node.person or job.offer_ref != node.offer_ref:
                continue
            m.add_implication(node.present, jv.present)
            if node.candidate is not None and node.candidate.extends is not None:
                _extends(v, node, jv)
            if node.candidate is not None and node.candidate.filed_on is not None:
                # The filing was made for this job: it starts by the decision (or the offer's first day, if later).
                by = m.new_int_var(0, v.big, f"filed_job_by[{node.key}]")
                m.add_max_equality(by, [node.start, min(job.start_days)])
                m.add(jv.start <= by)
            assert node.uncapped_end is not None
            if job.months is None:
                # An open-ended job runs to the plan's end (and caps nothing) or ends with this permit.
                ends = m.new_bool_var(f"job_ends_with[{node.key}]")
                m.add_implication(ends, node.present)
                m.add(jv.end == node.uncapped_end).only_enforce_if(ends)
                m.add(node.end == node.uncapped_end)
                jv.ended_by.append(ends)
            else:
                m.add_min_equality(node.end, [node.uncapped_end, jv.end])

    # --- the independent validator ----------------------------------------------------------------

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        offer = ctx.offer(p.offer_ref)
        if offer is None or offer.holder is not role:
            yield "EMPLOYER.offer", f"no offer {p.offer_ref!r} held by {role.value}"
            return
        if p.code != offer_code(offer):  # a pre-2022 code names its one successor
            yield "EMPLOYER.offer", f"offer {offer.ref} gives code {offer_code(offer)}, not {p.code}"
        rules = self.codes.get(p.code)
        for check in rules.issues if rules is not None else ():
            yield from check(ctx, role, person, offer, p)
        if extended(ctx, role, p) is not None:
            yield from _extension_issues(ctx, rules, person, offer, p)

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        """The category's first grant (permit_months), or an extension's months (OFFER.extension), no later than the
        end of the offer's planned job."""
        offer = ctx.offer(p.offer_ref)
        if offer is None:
            return None
        # The category's first-grant length is a rule value (permit_months), not plan semantics.
        months: int | None = permit_months(offer, p.apply_on, ctx.rules)
        if extended(ctx, role, p) is not None:
            months = _extension_months(ctx, self.codes.get(p.code), role, person, offer, p)
            if months is None:
                return None
        assert months is not None
        end = dates.add_days(dates.add_months(p.valid_from, months), -1)
        job = next((j for j in ctx.plan.jobs if j.offer_ref == offer.ref), None)
        if job is not None and job.end is not None:
            end = min(end, job.end)
        return end


def extended(ctx: PlanContext, role: Role, p: PlannedPermit) -> PlannedPermit | None:
    """The permit `p` extends (OFFER.extension): `role`'s earlier permit for the same offer, valid on the day `p`
    is applied for; None when `p` is a first grant."""
    if p.offer_ref is None:
        return None
    return next(
        (
            q
            for q in ctx.permits_of(role)
            if q.offer_ref == p.offer_ref and q.apply_on < p.apply_on and q.valid_from <= p.apply_on <= q.valid_to
        ),
        None,
    )


def _extension_months(
    ctx: PlanContext, rules: CodeRules | None, role: Role, person: Person, offer: Offer, p: PlannedPermit
) -> int | None:
    """The months of the extension `p` (None: its code has none, or nothing is left of its total), after the
    whole months of the permits for the same offer before it."""
    if rules is None or rules.extension is None:
        return None
    before = sum(
        dates.whole_months_between(q.valid_from, dates.add_days(q.valid_to, 1))
        for q in ctx.permits_of(role)
        if q.offer_ref == p.offer_ref and q.apply_on < p.apply_on
    )
    return rules.extension(person, offer, before, p.apply_on, ctx.rules)


def _extension_issues(
    ctx: PlanContext, rules: CodeRules | None, person: Person, offer: Offer, p: PlannedPermit
) -> Iterator[Issue]:
    """What an extension must meet (OFFER.extension): a code extended for the same job, months left of its total,
    and a new LMIA (TFWP.lmia) filed on as_of at the earliest and positive by the application."""
    if rules is None or rules.extension is None:
        yield "OFFER.extension", f"{p.code} is extended case by case, not planned"
        return
    if _extension_months(ctx, rules, p.person, person, offer, p) is None:
        yield "OFFER.extension", f"no months of {p.code} are left for an extension"
    if rules.new_lmia:
        days = int(ctx.rules.param("TFWP.lmia", "processing_days", ctx.scenario.as_of))
        positive = dates.add_days(ctx.scenario.as_of, days)
        if p.apply_on < positive:
            yield "TFWP.lmia", f"extension applied on {p.apply_on} before a new LMIA can be positive on {positive}"


def _extends(v: Vars, node: Node, jv: JobVars) -> None:
    """OFFER.extension: applied for `extension_lead` days before the extended permit's last day (so in status:
    STATUS.maintained keeps status and work until the decision; status.arc_allowed lets it follow only that
    permit), processed in Canada, for a job that goes on at least until it is issued. The planner extends only a
    job that started as soon as the first permit and the offer allowed (a job put off to make a permit last
    longer is no plan a consultant signs)."""
    c = node.candidate
    assert c is not None and c.extends is not None
    m = v.model
    first = v.nodes[c.extends]
    m.add_implication(node.present, first.present)
    m.add(node.apply == first.end - c.extension_lead).only_enforce_if(node.present)
    m.add(node.start == node.apply + c.processing_inside).only_enforce_if(node.present)
    m.add(jv.end >= node.start).only_enforce_if(node.present)
    started_by = m.new_int_var(0, v.big, f"extended_job_started_by[{node.key}]")
    m.add_max_equality(started_by, [first.start, min(jv.job.start_days)])
    m.add(jv.start <= started_by).only_enforce_if(node.present)


def lmia_positive_on(offer: Offer, as_of: dt.date, rules: RuleSet) -> dt.date:
    """The day the offer's LMIA is positive: as_of when it already is; else its filing day (the offer's
    lmia_applied_on, or as_of when the employer has not filed yet) plus TFWP.lmia processing_days read then."""
    if offer.lmia_approved:
        return as_of
    filed = offer.lmia_applied_on or as_of
    return dates.add_days(filed, int(rules.param("TFWP.lmia", "processing_days", filed)))


def lmia_steps(offer: Offer, role: Role, as_of: dt.date, positive: dt.date, code: str) -> tuple[PlanStep, ...]:
    """The employer's side of an LMIA-based permit: filing the LMIA (when not filed yet) and its decision."""
    if offer.lmia_approved:
        return ()
    out: list[PlanStep] = []
    if offer.lmia_applied_on is None:
        applies = Phrase.of("step.lmia_apply", offer=offer.ref, day=as_of.isoformat())
        out.append(PlanStep(as_of, role, ACTION_EMPLOYER_LMIA, applies.english(), code, ("TFWP.lmia",), applies))
    filed = offer.lmia_applied_on or as_of
    decided = Phrase.of("step.lmia_decision", offer=offer.ref, filed=filed.isoformat(), day=positive.isoformat())
    out.append(
        PlanStep(max(positive, as_of), role, ACTION_LMIA_DECISION, decided.english(), code, ("TFWP.lmia",), decided)
    )
    return tuple(out)


def _grounds(rules: RuleSet, person: Person, offer: Offer, on: dt.date) -> tuple[str, ...]:
    """The rule ids check_offer cites for the offer on `on` (the permit's grounds)."""
    cited = check_offer(person, offer, on, rules).rule_ids
    return tuple(r for r in cited if r in rules) or (("TFWP.lmia",) if offer.lmia_exempt_code is None else ())

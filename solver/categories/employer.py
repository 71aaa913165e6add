"""Offer-based permits: the employer-specific IMP codes (ICT, CUSMA, CETA, Francophone Mobility, PNP, ...) and
the LMIA-based TFWP permit. Each code's own check and first-permit length are one entry of a table here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from solver import dates, noc
from solver.categories.base import Asked, CategoryEligibility, Family, Issue, answer, refusal
from solver.domain import Offer, Person, PlannedPermit, Role
from solver.model.variables import Node, Vars
from solver.options.options import Options, fee_cents
from solver.options.records import Candidate, Validity
from solver.rules import iec
from solver.rules.catalog import TFWP_CODE, Category, current_code
from solver.rules.decision import Checks, Decision
from solver.rules.language import best_abilities
from solver.rules.registry import RuleSet
from solver.validate.context import PlanContext

# --- the rules of each code (used by all three parts) --------------------------------------------

# Records one code's conditions on an offer, in order: (checks, person, offer, code, apply_on).
_Conditions = Callable[[Checks, Person, Offer, str, dt.date], None]
# One code's decision on an offer: (person, offer, code, apply_on, rules).
_Check = Callable[[Person, Offer, str, dt.date, RuleSet], Decision]
# The longest first permit a code allows for an offer on a date, before the offer's own length (None: no limit).
_Length = Callable[[Offer, dt.date, RuleSet], int | None]


@dataclass(frozen=True)
class _CodeRules:
    """What one offer-based code checks, and how long its first permit may run."""

    check: _Check
    length: _Length | None = None


def _recorded(*conditions: _Conditions) -> _Check:
    """A check that records `conditions` in order and answers their decision."""

    def check(person: Person, offer: Offer, code: str, apply_on: dt.date, rules: RuleSet) -> Decision:
        c = Checks(rules)
        for condition in conditions:
            condition(c, person, offer, code, apply_on)
        return c.decision()

    return check


def _param_length(rule: str, name: str) -> _Length:
    """A length read from one rule parameter."""

    def length(offer: Offer, on: dt.date, rules: RuleSet) -> int | None:
        return int(rules.param(rule, name, on))

    return length


def _lmia(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    if offer.lmia_approved:
        c.ok("TFWP.lmia", "positive LMIA")
    else:
        # The LMIA is the employer's application: the worker qualifies once it is positive (plan-semantics
        # adds its processing days before the permit can start).
        days = int(c.rules.param("TFWP.lmia", "processing_days", on))
        c.ok("TFWP.lmia", f"employer must first obtain a positive LMIA (about {days} days)")


def _lmia_length(offer: Offer, on: dt.date, rules: RuleSet) -> int | None:
    if not noc.is_valid(offer.noc_code):
        return None
    name = "low_wage_months" if noc.teer(offer.noc_code) >= 4 else "high_wage_months"
    return int(rules.param("TFWP.duration", name, on))


def _discretionary(rule: str, fact: str) -> _Conditions:
    """An officer's decision on evidence (`fact`) under `rule`."""

    def conditions(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
        c.unknown_fact(rule, "an officer decides it on evidence", fact)

    return conditions


def _ict(rule: str) -> _Conditions:
    """An intra-company transfer under `rule`: the occupation's TEER and the ICT months left."""

    def conditions(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
        max_teer = int(c.rules.param(rule, "max_teer", on))
        teer = noc.teer(offer.noc_code)
        c.check(teer <= max_teer, rule, f"TEER {teer} fits {code}", f"TEER {teer} is above {max_teer} for {code}")
        cap_codes = set(c.rules.param("ICT.total", "codes", on))
        used = sum(
            dates.whole_months_between(p.valid_from, dates.add_days(p.valid_to, 1))
            for p in person.permit_history
            if p.code in cap_codes
        )
        total = min(int(c.rules.param("ICT.total", "total_months", on)), int(c.rules.param(rule, "total_months", on)))
        c.check(
            used < total, "ICT.total", f"{used} of {total} ICT months used", f"ICT time exhausted ({used} of {total})"
        )
        c.note(rule, "needs one year of full-time work for the company in the last 3 years (a document)")

    return conditions


def _c16(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    rule = "C16.french"
    nclc = int(c.rules.param(rule, "nclc", on))
    best = best_abilities(person.language_tests, on, int(c.rules.param(rule, "test_max_age_months", on)), french=True)
    if best is None:
        c.unknown_fact(rule, f"needs French speaking and listening at NCLC {nclc}", "French test results")
    else:
        level = min(best[0], best[3])
        c.check(
            level >= nclc, rule, f"French NCLC {level} >= {nclc}", f"French speaking/listening NCLC {level} < {nclc}"
        )
    c.check(
        offer.province not in c.rules.param(rule, "excluded_provinces", on),
        rule,
        f"job in {offer.province}, outside Quebec",
        "job in Quebec",
    )
    teer_ok = noc.teer(offer.noc_code) <= int(c.rules.param(rule, "max_teer", on))
    excluded = offer.noc_code in c.rules.param(rule, "excluded_codes", on)
    c.check(
        teer_ok and not excluded, rule, "occupation eligible", "occupation not eligible (TEER or primary agriculture)"
    )


def _c18(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    provinces = c.rules.param("C18.endorsement", "provinces", on)
    c.check(offer.province in provinces, "C18.endorsement", "Atlantic province", "not an Atlantic province")
    c.unknown_fact("C18.endorsement", "needs a provincial endorsement", "provincial endorsement")


def _t13(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    nom = person.provincial_nomination
    if nom is None or nom.nominated_on > on:
        c.fail("T13.nomination", "no provincial nomination by the application date")
    else:
        c.check(
            nom.province == offer.province,
            "T13.nomination",
            f"nominated by {nom.province}, offer in {offer.province}",
            f"nominated by {nom.province} but the offer is in {offer.province}",
        )


def _citizenship(rule: str) -> _Conditions:
    """A citizenship of one of the countries `rule` lists."""

    def conditions(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
        countries: list[str] = c.rules.param(rule, "countries", on)
        ok = any(country in countries for country in person.citizenships)
        c.check(ok, rule, "citizenship qualifies", f"needs citizenship of {', '.join(countries)}")

    return conditions


_CUSMA = _citizenship("T36.citizenship")


def _t36_profession(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    if offer.noc_code in c.rules.param("T36.profession", "noc_codes", on):
        c.ok("T36.profession", f"NOC {offer.noc_code} maps to a CUSMA profession")
    else:
        c.unknown_fact("T36.profession", f"NOC {offer.noc_code} not in our CUSMA list", "CUSMA profession")


def _young_professionals(person: Person, offer: Offer, code: str, apply_on: dt.date, rules: RuleSet) -> Decision:
    return iec.check(person, apply_on, rules, stream="YP")


def _ict_rules(rule: str, *first: _Conditions) -> _CodeRules:
    return _CodeRules(_recorded(*first, _ict(rule)), _param_length(rule, "first_permit_months"))


_CETA = _CodeRules(_recorded(_citizenship("T43.ceta")), _param_length("T43.ceta", "max_months"))

# Each offer-based code: adding one is one entry. A code not here cannot ground an offer.
_CODES: dict[str, _CodeRules] = {
    TFWP_CODE: _CodeRules(_recorded(_lmia), _lmia_length),
    "C10": _CodeRules(_recorded(_discretionary("C10.significant_benefit", "significant benefit assessment"))),
    "C11": _CodeRules(
        _recorded(_discretionary("C11.entrepreneur", "business plan and significant benefit assessment"))
    ),
    "C16": _CodeRules(_recorded(_c16)),
    "C18": _CodeRules(_recorded(_c18), _param_length("C18.endorsement", "max_months")),
    "C20": _CodeRules(_recorded(_discretionary("C20.reciprocal", "reciprocal arrangement"))),
    "C21": _CodeRules(_young_professionals),
    "C50": _CodeRules(_recorded(_discretionary("C50.religious", "religious organization and duties"))),
    "C51": _CodeRules(_recorded(_discretionary("C51.charitable", "charitable organization and duties"))),
    "C61": _ict_rules("C61.occupation"),
    "C62": _ict_rules("C62.occupation"),
    "C63": _ict_rules("C63.occupation"),
    "T13": _CodeRules(_recorded(_t13)),
    "T34": _CodeRules(_recorded(_CUSMA, _discretionary("T34.trader", "substantial trade with the US or Mexico"))),
    "T35": _CodeRules(_recorded(_CUSMA, _discretionary("T34.trader", "substantial investment"))),
    "T36": _CodeRules(_recorded(_CUSMA, _t36_profession), _param_length("T36.duration", "first_permit_months")),
    "T37": _ict_rules("T37.occupation", _CUSMA),
    "T38": _ict_rules("T38.occupation", _CUSMA),
    "T43": _CETA,
    "T47": _CETA,
}


def offer_code(offer: Offer) -> str:
    """The offer's current category code: its exemption code (an unambiguous alias is mapped), else TFWP."""
    if offer.lmia_exempt_code is None:
        return TFWP_CODE
    found = current_code(offer.lmia_exempt_code)
    return found[0] if len(found) == 1 else offer.lmia_exempt_code


def check_offer(person: Person, offer: Offer, apply_on: dt.date, rules: RuleSet) -> Decision:
    """Whether `person` can get the employer-specific permit the offer's code names, applying on `apply_on`."""
    code = offer_code(offer)
    c = Checks(rules)
    if not noc.is_valid(offer.noc_code):
        c.fail("CEC.skilled_experience", f"offer NOC {offer.noc_code!r} is not a NOC 2021 code")
        return c.decision()
    code_rules = _CODES.get(code)
    if code_rules is None:
        c.fail("OFFER.duration", f"{code} is not an employer-specific category an offer can ground")
        return c.decision()
    return code_rules.check(person, offer, code, apply_on, rules)


def permit_months(offer: Offer, on: dt.date, rules: RuleSet) -> int:
    """Longest first permit for the offer's code on `on`, no longer than the offer (when it has a length)."""
    code_rules = _CODES.get(offer_code(offer))
    length = code_rules.length if code_rules is not None else None
    limit = length(offer, on, rules) if length is not None else None
    if offer.months is not None:
        return offer.months if limit is None else min(offer.months, limit)
    return limit if limit is not None else int(rules.param("OFFER.duration", "default_months", on))


# --- the eligibility query -------------------------------------------------------------------------

# Codes an officer may grant without a job offer, on business evidence: the rule that decides it, and whether the
# applicant must be a US or Mexican citizen (the CUSMA codes).
_WITHOUT_OFFER = {"C11": ("C11.entrepreneur", False), "T34": ("T34.trader", True), "T35": ("T34.trader", True)}


def _without_offer(asked: Asked, code: str) -> Decision:
    """The answer for a code the member has no offer under: an officer's call on evidence, or no."""
    if code not in _WITHOUT_OFFER:
        return refusal(asked.rules, "EMPLOYER.offer", f"no job offer under {code}")
    c = Checks(asked.rules)
    rule, cusma = _WITHOUT_OFFER[code]
    if cusma:
        countries = asked.rules.param("T36.citizenship", "countries", asked.on)
        c.check(
            any(x in countries for x in asked.person.citizenships),
            "T36.citizenship",
            "US or Mexican citizen",
            "needs US or Mexican citizenship",
        )
    c.unknown_fact(rule, "an officer decides it on evidence", "business evidence")
    return c.decision()


# --- the planner -----------------------------------------------------------------------------------


def _candidates(opts: Options, role: Role, person: Person) -> list[Candidate]:
    """One permit per offer `person` holds whose job is in the plan's jobs, in the offers' order."""
    out: list[Candidate] = []
    for offer in opts.scenario.offers:
        if offer.holder is role and any(j.offer_ref == offer.ref for j in opts.jobs):
            out.extend(_offer_candidates(opts, role, person, offer))
    return out


def _offer_candidates(opts: Options, role: Role, person: Person, offer: Offer) -> list[Candidate]:
    as_of = opts.scenario.as_of
    last = opts.cal.horizon - 1 if offer.latest_start is None else opts.cal.day(offer.latest_start)
    code = offer_code(offer)
    lmia = offer.lmia_exempt_code is None
    if lmia:
        days = list(opts.days(0, last))
    else:
        days = list(opts.eligible_days(0, last, person, lambda on: check_offer(person, offer, on, opts.rules).eligible))
    if not days:
        return []
    d0 = opts.cal.date(days[0])
    wait = 0 if not lmia or offer.lmia_approved else opts.int_param("TFWP.lmia", "processing_days", as_of)
    return [
        Candidate(
            key=f"{role.value}:{code}:{offer.ref}",
            person=role,
            code=code,
            family=FAMILY.name,
            open=False,
            apply_days=tuple(days),
            processing_inside=wait + opts.processing(code, True, d0),
            processing_outside=wait + opts.processing(code, False, d0),
            months=permit_months(offer, opts.on(d0), opts.rules),
            fee_cents=fee_cents(opts, code, d0),
            rule_ids=_grounds(opts.rules, person, offer, opts.on(d0)),
            offer_ref=offer.ref,
            lmia=lmia,
            validity=Validity.JOB,
        )
    ]


def _grounds(rules: RuleSet, person: Person, offer: Offer, on: dt.date) -> tuple[str, ...]:
    """The rule ids check_offer cites for the offer on `on` (the permit's grounds)."""
    cited = check_offer(person, offer, on, rules).rule_ids
    return tuple(r for r in cited if r in rules) or (("TFWP.lmia",) if offer.lmia_exempt_code is None else ())


def _constrain(v: Vars, node: Node) -> None:
    """The permit needs the job from its offer, and runs no later than that job."""
    m = v.model
    for jv in v.jobs.values():
        job = jv.job
        if job.person is not node.person or job.offer_ref != node.offer_ref:
            continue
        m.add_implication(node.present, jv.present)
        assert node.uncapped_end is not None
        if job.months is None:
            m.add(node.end == node.uncapped_end)  # an open-ended job caps nothing
        else:
            m.add_min_equality(node.end, [node.uncapped_end, jv.end])


# --- the independent validator ---------------------------------------------------------------------


def _issues(ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
    a = p.apply_on
    offer = ctx.offer(p.offer_ref)
    if offer is None or offer.holder is not role:
        yield "EMPLOYER.offer", f"no offer {p.offer_ref!r} held by {role.value}"
        return
    if p.code != (offer.lmia_exempt_code or TFWP_CODE):
        yield "EMPLOYER.offer", f"offer {offer.ref} gives code {offer.lmia_exempt_code or TFWP_CODE}, not {p.code}"
    if p.code in ("T36", "T37", "T38"):
        countries = tuple(ctx.param("T36.citizenship", "countries", a))
        if not set(person.citizenships) & set(countries):
            yield "T36.citizenship", "CUSMA professionals and transferees must be US or Mexican citizens"
    if p.code == "T36" and offer.noc_code not in tuple(ctx.param("T36.profession", "noc_codes", a)):
        yield "T36.profession", f"{offer.noc_code} is not a CUSMA profession"
    elif p.code == "C16":
        yield from _c16_issues(ctx, person, offer, a)
    elif p.code == "T13":
        nomination = person.provincial_nomination
        if nomination is None or nomination.nominated_on > a or nomination.province != offer.province:
            yield "T13.nomination", f"no nomination by {offer.province} on {a}"
    elif p.code == "C18" and offer.province not in tuple(ctx.param("C18.endorsement", "provinces", a)):
        yield "C18.endorsement", f"{offer.province} is not an Atlantic province"
    elif p.code in ("T43", "T47") and not set(person.citizenships) & set(ctx.param("T43.ceta", "countries", a)):
        yield "T43.ceta", "CETA professionals must be EU citizens"
    elif p.code in ("C61", "C62", "C63", "T37", "T38"):
        yield from _ict_issues(ctx, role, person, offer, p)


def _ict_issues(ctx: PlanContext, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[Issue]:
    a = p.apply_on
    max_teer = int(ctx.param(f"{p.code}.occupation", "max_teer", a))
    if noc.teer(offer.noc_code) > max_teer:
        yield f"{p.code}.occupation", f"{offer.noc_code} is above TEER {max_teer}"
    # ICT.total: months already spent on intra-company transfers, held or planned before this one.
    codes = set(ctx.param("ICT.total", "codes", a))
    spans = [(h.valid_from, h.valid_to) for h in person.permit_history if h.code in codes]
    spans += [(q.valid_from, q.valid_to) for q in ctx.permits_of(role) if q.code in codes and q.apply_on < a]
    used = sum(dates.whole_months_between(lo, dates.add_days(hi, 1)) for lo, hi in spans)
    total = min(
        int(ctx.param("ICT.total", "total_months", a)), int(ctx.param(f"{p.code}.occupation", "total_months", a))
    )
    if used >= total:
        yield "ICT.total", f"{used} of {total} months of intra-company transfer already used"


def _c16_issues(ctx: PlanContext, person: Person, offer: Offer, a: dt.date) -> Iterator[Issue]:
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


def _valid_from(ctx: PlanContext, p: PlannedPermit, processed: dt.date) -> dt.date:
    """A TFWP permit without a positive LMIA waits for the employer's LMIA first (TFWP.lmia)."""
    offer = ctx.offer(p.offer_ref)
    if offer is not None and p.code == TFWP_CODE and not offer.lmia_approved:
        return dates.add_days(processed, int(ctx.param("TFWP.lmia", "processing_days", p.apply_on)))
    return processed


def _valid_to(ctx: PlanContext, p: PlannedPermit) -> dt.date | None:
    """The category's first grant (permit_months), no later than the end of the offer's planned job."""
    offer = ctx.offer(p.offer_ref)
    if offer is None:
        return None
    # The category's first-grant length is a rule value (permit_months), not plan semantics.
    months = permit_months(offer, ctx.on(p.apply_on), ctx.rules)
    end = dates.add_days(dates.add_months(p.valid_from, months), -1)
    job = next((j for j in ctx.plan.jobs if j.offer_ref == offer.ref), None)
    if job is not None and job.end is not None:
        end = min(end, job.end)
    return end


class Employer(Family):
    name = "employer"
    stage = 20

    def eligibility(self, asked: Asked, category: Category) -> list[CategoryEligibility]:
        out: list[CategoryEligibility] = []
        for offer in asked.scenario.offers:
            if offer.holder is asked.role and offer_code(offer) == category.code:
                d = check_offer(asked.person, offer, asked.on, asked.rules)
                out.append(answer(category, d, asked.on if d.eligible else None, offer.ref))
        return out or [answer(category, _without_offer(asked, category.code), None)]

    def candidates(self, opts: Options, role: Role, person: Person) -> list[Candidate]:
        return _candidates(opts, role, person)

    def constrain(self, v: Vars, node: Node) -> None:
        _constrain(v, node)

    def issues(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> Iterator[Issue]:
        return _issues(ctx, role, person, p)

    def valid_from(self, ctx: PlanContext, role: Role, p: PlannedPermit, processed: dt.date) -> dt.date:
        return _valid_from(ctx, p, processed)

    def valid_to(self, ctx: PlanContext, role: Role, person: Person, p: PlannedPermit) -> dt.date | None:
        return _valid_to(ctx, p)

    def extra_fees(self, ctx: PlanContext, p: PlannedPermit) -> float:
        # TFWP's employer pays the LMIA fee instead of the compliance fee (TFWP.lmia).
        if p.code == TFWP_CODE:
            return float(ctx.param("TFWP.lmia", "employer_fee", p.apply_on))
        return super().extra_fees(ctx, p)

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


FAMILY = Employer()

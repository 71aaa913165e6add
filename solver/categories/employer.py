"""Offer-based permits: the employer-specific IMP codes (ICT, CUSMA, CETA professionals, Francophone Mobility,
PNP, ...) and the LMIA-based TFWP permit. Each code is one entry of `_CODES`: its conditions, its first permit's
length and the validator's check. What resting on an offer means is shared (`solver/categories/offers.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from solver import dates, noc
from solver.categories.base import Asked, Issue, refusal
from solver.categories.offers import (
    CodeRules,
    Conditions,
    IssueCheck,
    OfferFamily,
    check_offer,
    citizenship,
    citizenship_issues,
    intra_company_rules,
    offer_code,
    param_extension,
    param_length,
    permit_months,
    recorded,
)
from solver.domain import Offer, Person, PlannedPermit, Role
from solver.phrases import Phrase
from solver.rules import iec
from solver.rules.catalog import TFWP_CODE
from solver.rules.decision import Checks, Decision
from solver.rules.language import best_abilities
from solver.rules.registry import RuleSet
from solver.validate.context import PlanContext

# Any offer's code, decision and first-permit length, as this family's tests and the brute force read them.
__all__ = ["FAMILY", "check_offer", "offer_code", "permit_months"]

# --- the rules of each code (used by all three parts) --------------------------------------------


def _lmia(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    if offer.lmia_approved:
        c.ok("TFWP.lmia", Phrase.of("met.lmia"))
    else:
        # The LMIA is the employer's application: the worker applies once it is positive (the planner and the
        # validator hold the application to that day; a pending LMIA maintains no status).
        days = int(c.rules.param("TFWP.lmia", "processing_days", on))
        filed = (
            Phrase.of("lmia.filed", day=offer.lmia_applied_on.isoformat())
            if offer.lmia_applied_on
            else Phrase.of("lmia.not_filed")
        )
        c.ok("TFWP.lmia", Phrase.of("met.lmia_first", filed=filed, days=days))


def _lmia_length(offer: Offer, on: dt.date, rules: RuleSet) -> int | None:
    """TFWP.duration, read on its trigger, the LMIA's application day when known (the low-wage 1-year cap
    applies to LMIAs applied for from 2024-09-26), else on the day asked."""
    return _lmia_months(offer, offer.lmia_applied_on or on, rules)


def _lmia_months(offer: Offer, on: dt.date, rules: RuleSet) -> int | None:
    """TFWP.duration read on `on` for the offer's wage stream (TEER 4/5 stands for low wage; None: no valid NOC)."""
    if not noc.is_valid(offer.noc_code):
        return None
    name = "low_wage_months" if noc.teer(offer.noc_code) >= 4 else "high_wage_months"
    return int(rules.param("TFWP.duration", name, on))


def _lmia_extension(person: Person, offer: Offer, first: int, on: dt.date, rules: RuleSet) -> int | None:
    """An extension on a new LMIA (OFFER.extension): TFWP.duration read on its day, as for a first permit."""
    return _lmia_months(offer, on, rules)


def _lmia_issues(ctx: PlanContext, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[Issue]:
    """The worker applies only once the employer's LMIA is positive (TFWP.lmia): already positive, or filed (on
    the offer's lmia_applied_on, else on as_of at the earliest) plus the LMIA processing days."""
    if offer.lmia_approved:
        return
    filed = offer.lmia_applied_on or ctx.scenario.as_of
    positive = dates.add_days(filed, int(ctx.rules.param("TFWP.lmia", "processing_days", filed)))
    if p.apply_on < positive:
        yield "TFWP.lmia", f"applied on {p.apply_on} before the LMIA (filed {filed}) can be positive on {positive}"


def _discretionary(rule: str, fact: str) -> Conditions:
    """An officer's decision on evidence (`fact`) under `rule`."""

    def conditions(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
        c.unknown_fact(rule, Phrase.of("reason.officer_decides"), fact)

    return conditions


def _c16(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    rule = "C16.french"
    nclc = int(c.rules.param(rule, "nclc", on))
    best = best_abilities(person.language_tests, on, int(c.rules.param(rule, "test_max_age_months", on)), french=True)
    if best is None:
        c.unknown_fact(rule, Phrase.of("reason.french_needed", nclc=nclc), "French test results")
    else:
        level = min(best[0], best[3])
        c.check(
            level >= nclc,
            rule,
            Phrase.of("met.french", level=level, nclc=nclc),
            Phrase.of("reason.french_short", level=level, nclc=nclc),
        )
    c.check(
        offer.province not in c.rules.param(rule, "excluded_provinces", on),
        rule,
        Phrase.of("met.outside_quebec", province=offer.province),
        Phrase.of("reason.job_in_quebec"),
    )
    teer_ok = noc.teer(offer.noc_code) <= int(c.rules.param(rule, "max_teer", on))
    excluded = offer.noc_code in c.rules.param(rule, "excluded_codes", on)
    c.check(
        teer_ok and not excluded,
        rule,
        Phrase.of("met.occupation_eligible"),
        Phrase.of("reason.occupation_not_eligible"),
    )


def _c16_issues(ctx: PlanContext, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[Issue]:
    a = p.apply_on
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


def _c18(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    provinces = c.rules.param("C18.endorsement", "provinces", on)
    c.check(offer.province in provinces, "C18.endorsement", Phrase.of("met.atlantic"), Phrase.of("reason.not_atlantic"))
    c.unknown_fact("C18.endorsement", Phrase.of("reason.needs_endorsement"), "provincial endorsement")


def _c18_issues(ctx: PlanContext, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[Issue]:
    if offer.province not in tuple(ctx.param("C18.endorsement", "provinces", p.apply_on)):
        yield "C18.endorsement", f"{offer.province} is not an Atlantic province"


def _t13(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    nom = person.provincial_nomination
    if nom is None or nom.nominated_on > on:
        c.fail("T13.nomination", Phrase.of("reason.no_nomination_by_then"))
    else:
        c.check(
            nom.province == offer.province,
            "T13.nomination",
            Phrase.of("met.nominated_for_offer", nominated=nom.province, province=offer.province),
            Phrase.of("reason.nominated_elsewhere", nominated=nom.province, province=offer.province),
        )


def _t13_issues(ctx: PlanContext, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[Issue]:
    nomination = person.provincial_nomination
    a = p.apply_on
    if nomination is None or nomination.nominated_on > a or nomination.province != offer.province:
        yield "T13.nomination", f"no nomination by {offer.province} on {a}"


def _t36_profession(c: Checks, person: Person, offer: Offer, code: str, on: dt.date) -> None:
    if offer.noc_code in c.rules.param("T36.profession", "noc_codes", on):
        c.ok("T36.profession", Phrase.of("met.cusma_profession", noc=offer.noc_code))
    else:
        c.unknown_fact("T36.profession", Phrase.of("reason.not_cusma_listed", noc=offer.noc_code), "CUSMA profession")


def _t36_issues(ctx: PlanContext, role: Role, person: Person, offer: Offer, p: PlannedPermit) -> Iterator[Issue]:
    if offer.noc_code not in tuple(ctx.param("T36.profession", "noc_codes", p.apply_on)):
        yield "T36.profession", f"{offer.noc_code} is not a CUSMA profession"


def _young_professionals(person: Person, offer: Offer, code: str, apply_on: dt.date, rules: RuleSet) -> Decision:
    return iec.check(person, apply_on, rules, stream="YP")


_CUSMA = citizenship("T36.citizenship")
_CUSMA_ISSUES: IssueCheck = citizenship_issues(
    "T36.citizenship", "CUSMA professionals and transferees must be US or Mexican citizens"
)
_CETA = CodeRules(
    recorded(citizenship("T43.ceta")),
    param_length("T43.ceta", "max_months"),
    (citizenship_issues("T43.ceta", "CETA professionals must be EU citizens"),),
)

# Each offer-based code of this family: adding one is one entry.
_CODES: dict[str, CodeRules] = {
    TFWP_CODE: CodeRules(recorded(_lmia), _lmia_length, (_lmia_issues,), _lmia_extension, new_lmia=True),
    "C10": CodeRules(recorded(_discretionary("C10.significant_benefit", "significant benefit assessment"))),
    "C11": CodeRules(recorded(_discretionary("C11.entrepreneur", "business plan and significant benefit assessment"))),
    "C16": CodeRules(recorded(_c16), issues=(_c16_issues,)),
    "C18": CodeRules(recorded(_c18), param_length("C18.endorsement", "max_months"), (_c18_issues,)),
    "C20": CodeRules(recorded(_discretionary("C20.reciprocal", "reciprocal arrangement"))),
    "C21": CodeRules(_young_professionals),
    "C44": CodeRules(recorded(_discretionary("C44.postdoc", "post-doctoral fellowship"))),
    "C52": CodeRules(recorded(_discretionary("C52.academic_award", "academic award for research"))),
    "C50": CodeRules(recorded(_discretionary("C50.religious", "religious organization and duties"))),
    "C51": CodeRules(recorded(_discretionary("C51.charitable", "charitable organization and duties"))),
    "C61": intra_company_rules("C61.occupation"),
    "C62": intra_company_rules("C62.occupation", renewed=True),
    "C63": intra_company_rules("C63.occupation", renewed=True),
    "T13": CodeRules(recorded(_t13), issues=(_t13_issues,)),
    "T34": CodeRules(recorded(_CUSMA, _discretionary("T34.trader", "substantial trade with the US or Mexico"))),
    "T35": CodeRules(recorded(_CUSMA, _discretionary("T34.trader", "substantial investment"))),
    "T36": CodeRules(
        recorded(_CUSMA, _t36_profession),
        param_length("T36.duration", "first_permit_months"),
        (_CUSMA_ISSUES, _t36_issues),
        param_extension("T36.duration", "extension_months"),
    ),
    "T37": intra_company_rules("T37.occupation", _CUSMA, issues=(_CUSMA_ISSUES,)),
    "T38": intra_company_rules("T38.occupation", _CUSMA, issues=(_CUSMA_ISSUES,)),
    "T43": _CETA,
    "T47": _CETA,
}

# --- the eligibility query -------------------------------------------------------------------------

# Codes an officer may grant without a job offer, on business evidence: the rule that decides it, and whether the
# applicant must be a US or Mexican citizen (the CUSMA codes).
_WITHOUT_OFFER = {"C11": ("C11.entrepreneur", False), "T34": ("T34.trader", True), "T35": ("T34.trader", True)}


def _without_offer(asked: Asked, code: str) -> Decision:
    """The answer for a code the member has no offer under: an officer's call on evidence, or no."""
    if code not in _WITHOUT_OFFER:
        return refusal(asked.rules, "EMPLOYER.offer", Phrase.of("reason.no_offer_under", code=code))
    c = Checks(asked.rules)
    rule, cusma = _WITHOUT_OFFER[code]
    if cusma:
        countries = asked.rules.param("T36.citizenship", "countries", asked.on)
        c.check(
            any(x in countries for x in asked.person.citizenships),
            "T36.citizenship",
            Phrase.of("met.us_mx"),
            Phrase.of("reason.needs_us_mx"),
        )
    c.unknown_fact(rule, Phrase.of("reason.officer_decides"), "business evidence")
    return c.decision()


# --- the independent validator ---------------------------------------------------------------------


class Employer(OfferFamily):
    name = "employer"
    stage = 20
    codes = _CODES

    def without_offer(self, asked: Asked, code: str) -> Decision:
        return _without_offer(asked, code)

    def employer_fees(self, ctx: PlanContext, p: PlannedPermit) -> float:
        # TFWP's employer pays the LMIA fee instead of the compliance fee (TFWP.lmia).
        if p.code == TFWP_CODE:
            return float(ctx.param("TFWP.lmia", "employer_fee", p.apply_on))
        return super().employer_fees(ctx, p)


FAMILY = Employer()

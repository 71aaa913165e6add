"""Eligibility at a date: for one household member, every permit category and PR route, with reasons.

Each answer is a verdict with reasons citing rule ids, the facts that would decide an undecided answer, and
`eligible_from`: the first date the facts alone make it eligible (for example CEC from 2027-06-30).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from solver import dates
from solver.categories import employer
from solver.domain import Finding, Person, Role, Scenario
from solver.rules import bowp, catalog, cec, iec, pgwp, spousal
from solver.rules.decision import Checks, Decision, Verdict
from solver.rules.registry import RuleSet

_RANK = {Verdict.ELIGIBLE: 0, Verdict.UNDECIDED: 1, Verdict.NOT_ELIGIBLE: 2}
_SPOUSAL = ("C41", "C42", "C49", "A74")
_NO_OFFER_DISCRETIONARY = {"C11": "C11.entrepreneur", "T34": "T34.trader", "T35": "T34.trader"}


@dataclass(frozen=True)
class CategoryEligibility:
    code: str
    name: str
    kind: str  # "PERMIT" or "PR"
    verdict: Verdict
    reasons: tuple[Finding, ...]
    missing: tuple[str, ...] = ()
    eligible_from: dt.date | None = None
    offer_ref: str | None = None


def _fail(rules: RuleSet, rule_id: str, message: str) -> Decision:
    c = Checks(rules)
    c.fail(rule_id, message)
    return c.decision()


def _pgwp(person: Person, on: dt.date, rules: RuleSet) -> tuple[Decision, dt.date | None]:
    programs = [e for e in person.education if e.canadian]
    if not programs:
        return _fail(rules, "C43.institution", "no Canadian post-secondary program"), None
    pairs = [(pgwp.check(person, e, on, rules), e) for e in programs]
    best, edu = min(pairs, key=lambda p: _RANK[p[0].verdict])
    if best.verdict is Verdict.ELIGIBLE:
        return best, on
    first, _ = pgwp.application_window(edu, rules)
    if on < first and pgwp.check(person, edu, first, rules).eligible:
        return best, first
    return best, None


def _spousal(scenario: Scenario, role: Role, code: str, on: dt.date, rules: RuleSet) -> Decision:
    if role is Role.PRINCIPAL or scenario.spouse is None:
        return _fail(rules, "C41.no_role_swap", "only the accompanying spouse of the principal can hold it")
    principal = scenario.principal
    checks: dict[str, Callable[[], Decision]] = {
        "C41": lambda: spousal.check_c41(principal, on, rules),
        "C42": lambda: spousal.check_c42(principal, on, rules),
        "C49": lambda: spousal.check_c49(principal, on, rules),
        "A74": lambda: spousal.check_a74(principal, on, rules),
    }
    return checks[code]()


def _bowp(person: Person, on: dt.date, rules: RuleSet) -> Decision:
    nomination = person.provincial_nomination
    if cec.check(person, on, rules).eligible:
        pr_class: str | None = "CEC"
    elif nomination is not None and nomination.nominated_on <= on:
        pr_class = "PNP"
    else:
        pr_class = None
    return bowp.check(person, on, rules, pr_class=pr_class, pr_submitted_on=None)


def _offers(
    scenario: Scenario, role: Role, code: str, person: Person, on: dt.date, rules: RuleSet
) -> list[CategoryEligibility]:
    cat = catalog.category(code, on, rules)
    out: list[CategoryEligibility] = []
    for offer in scenario.offers:
        if offer.holder is role and employer.offer_code(offer) == code:
            d = employer.check_offer(person, offer, on, rules)
            out.append(_answer(cat, d, on if d.eligible else None, offer.ref))
    if out:
        return out
    if code in _NO_OFFER_DISCRETIONARY:
        c = Checks(rules)
        if code != "C11":
            countries = rules.param("T36.citizenship", "countries", on)
            c.check(
                any(x in countries for x in person.citizenships),
                "T36.citizenship",
                "US or Mexican citizen",
                "needs US or Mexican citizenship",
            )
        c.unknown_fact(_NO_OFFER_DISCRETIONARY[code], "an officer decides it on evidence", "business evidence")
        return [_answer(cat, c.decision(), None)]
    return [_answer(cat, _fail(rules, "EMPLOYER.offer", f"no job offer under {code}"), None)]


def _answer(
    cat: catalog.Category, d: Decision, eligible_from: dt.date | None, ref: str | None = None
) -> CategoryEligibility:
    return CategoryEligibility(cat.code, cat.name, "PERMIT", d.verdict, d.reasons, d.missing, eligible_from, ref)


def _pr_routes(person: Person, on: dt.date, horizon_end: dt.date, rules: RuleSet) -> list[CategoryEligibility]:
    d = cec.check(person, on, rules)
    cec_from = on if d.eligible else cec.first_eligible_date(person, on, horizon_end, rules)
    out = [CategoryEligibility("CEC", "Canadian Experience Class", "PR", d.verdict, d.reasons, d.missing, cec_from)]
    c = Checks(rules)
    nom = person.provincial_nomination
    if nom is None:
        c.fail("PNP.nomination", "no provincial nomination")
    else:
        c.check(nom.nominated_on <= on, "PNP.nomination", f"nominated by {nom.province}", "nomination not yet issued")
    pnp = c.decision()
    pnp_from = on if pnp.eligible else (nom.nominated_on if nom is not None else None)
    out.append(CategoryEligibility("PNP", "Provincial Nominee Program", "PR", pnp.verdict, pnp.reasons, (), pnp_from))
    return out


def evaluate(scenario: Scenario, role: Role, on: dt.date, rules: RuleSet) -> tuple[CategoryEligibility, ...]:
    """Every category and PR route for the member in `role` on `on` (empty when there is no such member)."""
    person = scenario.person(role)
    if person is None:
        return ()
    horizon_end = dates.add_months(scenario.as_of, scenario.horizon_months)
    out: list[CategoryEligibility] = []
    for cat in catalog.categories(on, rules):
        if cat.code == "C43":
            d, start = _pgwp(person, on, rules)
            out.append(_answer(cat, d, start))
        elif cat.code in _SPOUSAL:
            d = _spousal(scenario, role, cat.code, on, rules)
            out.append(_answer(cat, d, on if d.eligible else None))
        elif cat.code == "A75":
            d = _bowp(person, on, rules)
            out.append(_answer(cat, d, on if d.eligible else None))
        elif cat.code == "C21":
            used = sum(1 for p in person.permit_history if p.code == "C21")
            d = iec.check(person, on, rules, participations_used=used)
            out.append(_answer(cat, d, on if d.eligible else None))
        elif cat.employer_specific:
            out.extend(_offers(scenario, role, cat.code, person, on, rules))
        else:
            raise ValueError(_unknown(cat.code, on, rules))
    out.extend(_pr_routes(person, on, horizon_end, rules))
    return tuple(out)


def _unknown(code: str, on: dt.date, rules: RuleSet) -> str:
    """The error for an open category this module has no check for (an employer-specific one goes by its offers)."""
    employer_codes = [c.code for c in catalog.categories(on, rules) if c.employer_specific]
    known = ", ".join(["C43", *_SPOUSAL, "A75", "C21", *employer_codes])
    return f"no eligibility check for the open permit category {code!r}; known codes: {known}"

"""The planner's single doorway to the rule functions of `solver/rules` and the permit catalog.

Candidate building asks these questions day by day; every answer comes from the rules engine, so no rule
value lives in model code.
"""

from __future__ import annotations

import datetime as dt
import math

from solver.categories import employer
from solver.domain import Education, Offer, Person
from solver.rules import bowp, catalog, iec, pgwp, spousal
from solver.rules.registry import RuleSet


def pgwp_ok(rules: RuleSet, person: Person, edu: Education, on: dt.date) -> bool:
    """pgwp.check: eligible for a PGWP on `on` from `edu` (and the program grounds a PGWP of some length)."""
    return pgwp.check(person, edu, on, rules).eligible and pgwp.duration_months(edu, on, rules) > 0


def pgwp_months(rules: RuleSet, edu: Education, on: dt.date) -> int:
    """pgwp.duration_months."""
    return pgwp.duration_months(edu, on, rules)


def offer_code(offer: Offer) -> str:
    """The category an offer grounds: its LMIA-exempt code, or TFWP (LMIA-based)."""
    return employer.offer_code(offer)


def offer_ok(rules: RuleSet, person: Person, offer: Offer, on: dt.date) -> bool:
    """employer.check_offer: the offer's category is open to `person` on `on`."""
    return employer.check_offer(person, offer, on, rules).eligible


def offer_rule_ids(rules: RuleSet, person: Person, offer: Offer, on: dt.date) -> tuple[str, ...]:
    """The rule ids employer.check_offer cites for the offer on `on` (the permit's grounds)."""
    cited = employer.check_offer(person, offer, on, rules).rule_ids
    return tuple(r for r in cited if r in rules) or (("TFWP.lmia",) if offer.lmia_exempt_code is None else ())


def offer_months(rules: RuleSet, offer: Offer, on: dt.date) -> int:
    """employer.permit_months: the first permit's months for the offer."""
    return employer.permit_months(offer, on, rules)


def iec_months(rules: RuleSet, person: Person, on: dt.date) -> int:
    """iec.check + iec.permit_months: Working Holiday months open to `person` on `on` (0 when none)."""
    used = sum(1 for h in person.permit_history if h.code == "C21")
    if not iec.check(person, on, rules, participations_used=used).eligible:
        return 0
    country = iec.best_country(person, on, rules)
    if country is None:
        return 0
    return iec.permit_months(country, rules, on, participation=used + 1)


def c42_ok(rules: RuleSet, edu: Education, on: dt.date) -> bool:
    """spousal.c42_program_ok."""
    return spousal.c42_program_ok(edu, on, rules)


def c42_on(rules: RuleSet, edu: Education, on: dt.date) -> bool:
    """c42_ok with the date last (for partial application)."""
    return c42_ok(rules, edu, on)


def c41_occupation_ok(rules: RuleSet, noc_code: str, on: dt.date) -> bool:
    """spousal.c41_occupation_ok."""
    return spousal.c41_occupation_ok(noc_code, on, rules)


def bowp_classes(rules: RuleSet, on: dt.date) -> frozenset[str]:
    """bowp.eligible_classes."""
    return bowp.eligible_classes(on, rules)


def bowp_completeness_days(rules: RuleSet, on: dt.date) -> int:
    """bowp.completeness_days."""
    return bowp.completeness_days(on, rules)


def processing_days(rules: RuleSet, code: str, on: dt.date, inside: bool) -> int:
    """catalog.processing_days (PROCESSING.*)."""
    return catalog.processing_days(code, on, rules, inside=inside)


def fee_cents(rules: RuleSet, code: str, on: dt.date) -> int:
    """Worker and employer fees of one application in cents, biometrics excluded (catalog.fee_for)."""
    dollars = catalog.fee_for(code, on, rules, first_biometrics=False) + catalog.employer_fee_for(code, on, rules)
    return math.ceil(round(dollars * 100, 6))


def biometrics_cents(rules: RuleSet, code: str, on: dt.date) -> int:
    """The biometrics fee in cents, paid with a person's first planned permit."""
    with_bio = catalog.fee_for(code, on, rules, first_biometrics=True)
    without = catalog.fee_for(code, on, rules, first_biometrics=False)
    return math.ceil(round((with_bio - without) * 100, 6))


def name(rules: RuleSet, code: str, on: dt.date) -> str:
    """The catalog name of a category."""
    return catalog.category(code, on, rules).name


def is_open(rules: RuleSet, code: str, on: dt.date) -> bool:
    return catalog.category(code, on, rules).open

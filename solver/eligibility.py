"""Eligibility at a date: for one household member, every permit category and PR route, with reasons.

Each answer is a verdict with reasons citing rule ids, the facts that would decide an undecided answer, and
`eligible_from`: the first date the facts alone make it eligible (for example CEC from 2027-06-30).
"""

from __future__ import annotations

import datetime as dt

from solver import dates
from solver.categories import family_of
from solver.categories.base import Asked, CategoryEligibility
from solver.domain import Person, Role, Scenario
from solver.phrases import Phrase
from solver.rules import catalog, cec
from solver.rules.decision import Checks
from solver.rules.registry import RuleSet


def _pr_routes(person: Person, on: dt.date, horizon_end: dt.date, rules: RuleSet) -> list[CategoryEligibility]:
    d = cec.check(person, on, rules)
    cec_from = on if d.eligible else cec.first_eligible_date(person, on, horizon_end, rules)
    out = [CategoryEligibility("CEC", "Canadian Experience Class", "PR", d.verdict, d.reasons, d.missing, cec_from)]
    c = Checks(rules)
    nom = person.provincial_nomination
    if nom is None:
        c.fail("PNP.nomination", Phrase.of("reason.no_nomination"))
    else:
        not_yet = Phrase.of("reason.nomination_not_yet")
        c.check(nom.nominated_on <= on, "PNP.nomination", Phrase.of("met.nominated", province=nom.province), not_yet)
    pnp = c.decision()
    pnp_from = on if pnp.eligible else (nom.nominated_on if nom is not None else None)
    out.append(CategoryEligibility("PNP", "Provincial Nominee Program", "PR", pnp.verdict, pnp.reasons, (), pnp_from))
    return out


def evaluate(scenario: Scenario, role: Role, on: dt.date, rules: RuleSet) -> tuple[CategoryEligibility, ...]:
    """Every category and PR route for the member in `role` on `on` (empty when there is no such member).

    Each category is answered by its family (`solver.categories`); a code no family owns is UnknownCategory.
    """
    person = scenario.person(role)
    if person is None:
        return ()
    horizon_end = dates.add_months(scenario.as_of, scenario.horizon_months)
    asked = Asked(scenario, role, person, on, rules, horizon_end)
    out: list[CategoryEligibility] = []
    for cat in catalog.categories(on, rules):
        out.extend(family_of(cat.code).eligibility(asked, cat))
    out.extend(_pr_routes(person, on, horizon_end, rules))
    return tuple(out)


__all__ = ["CategoryEligibility", "evaluate"]

"""The client's fees the planner charges beyond each permit's own: biometrics when due, and the PR fees.

Biometrics are given once and serve `FEES.work_permit.biometrics_validity_years` (10) years: an application
filed while they are valid pays nothing for them (rules-2026.md section 8; the IRCC fee list's 85 per person).
The PR fees are FEES.pr: processing and the right of PR fee for the applicant and an accompanying spouse, the
dependent-child fee for each child. The validator (`solver/validate/fees.py`) recomputes both on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from solver import dates
from solver.domain import Person, Role, Scenario
from solver.rules.registry import RuleSet


def biometrics_valid_until(given_on: dt.date, rules: RuleSet) -> dt.date:
    """The first day biometrics given on `given_on` no longer serve (FEES.work_permit, exclusive)."""
    years = int(rules.param("FEES.work_permit", "biometrics_validity_years", given_on))
    return dates.add_years(given_on, years)


def biometrics_given(person: Person, rules: RuleSet) -> dt.date | None:
    """The day the biometrics that serve on as_of were given: Person.biometrics_given_on, or a later
    application pending on as_of that was filed when those no longer served (it gave new ones, paid with it)."""
    given = person.biometrics_given_on
    for app in sorted(person.pending_applications, key=lambda a: a.applied_on):
        if given is None or app.applied_on >= biometrics_valid_until(given, rules):
            given = app.applied_on
    return given


def biometrics_charged(person: Person, apply_days: Iterable[dt.date], rules: RuleSet) -> set[dt.date]:
    """The days of the plan's new applications (of one person, in any order) that pay biometrics: the first
    one filed when none given before serve (`biometrics_given`); they then serve the validity years from it."""
    given = biometrics_given(person, rules)
    valid_until = biometrics_valid_until(given, rules) if given is not None else None
    charged: set[dt.date] = set()
    for day in sorted(apply_days):
        if valid_until is None or day >= valid_until:
            charged.add(day)
            valid_until = biometrics_valid_until(day, rules)
    return charged


def accompanying_spouse(scenario: Scenario, applicant: Role) -> Person | None:
    """The PR applicant's partner who comes on the application: a household member who is not already a
    Canadian citizen or permanent resident."""
    partner = scenario.spouse if applicant is Role.PRINCIPAL else scenario.principal
    if partner is None or partner.canadian_status is not None:
        return None
    return partner


def pr_fees(scenario: Scenario, applicant: Role, on: dt.date, rules: RuleSet) -> float:
    """FEES.pr of an economic-class PR application filed on `on` by `applicant`: 0 when an application is
    already submitted (its fees were paid with it)."""
    person = scenario.person(applicant)
    if person is None or person.pr_application is not None:
        return 0.0
    adults = 1 + (1 if accompanying_spouse(scenario, applicant) is not None else 0)
    per_adult = float(rules.param("FEES.pr", "processing", on)) + float(rules.param("FEES.pr", "rprf", on))
    return adults * per_adult + len(scenario.children) * float(rules.param("FEES.pr", "dependent_child", on))

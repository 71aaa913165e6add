"""The applications of the client file pending on as_of, as candidates fixed to their filing.

Each is built by its category's family (`Family.pending`), so this module never asks which category a filing
is; it adds what the family's eligibility query says the rules would refuse it for on its filing day: a risk
the plan reports with the failing rule, since a filed application is a fact the plan starts from, never a
decision it remakes (issue 12).
"""

from __future__ import annotations

import dataclasses

from solver.categories import UnknownCategory, family_of
from solver.categories.base import Asked
from solver.dates import add_months
from solver.domain import Finding, PendingApplication, Person, Role
from solver.options.options import Options
from solver.options.records import Candidate
from solver.rules import catalog
from solver.rules.decision import Verdict


def filed_candidates(opts: Options, role: Role, person: Person, *, after_partners: bool) -> list[Candidate]:
    """The candidates of `person`'s pending applications whose family rests on the partner's permits or not
    (`after_partners`), in the order filed (none for a Canadian partner)."""
    if person.canadian_status is not None:
        return []
    out: list[Candidate] = []
    for app in sorted(person.pending_applications, key=lambda a: a.applied_on):
        try:
            family = family_of(app.code)
        except UnknownCategory:
            continue  # a code no catalog entry names: the scenario's field check refuses it, not the planner
        if family.after_partners is not after_partners:
            continue
        c = family.pending(opts, role, person, app)
        if c is not None:
            out.append(dataclasses.replace(c, filed_risks=_risks(opts, role, person, app)))
    return out


def _risks(opts: Options, role: Role, person: Person, app: PendingApplication) -> tuple[Finding, ...]:
    """The failing rules of the filing on its day, per its family's eligibility query (empty when eligible)."""
    on = app.applied_on  # the facts on the filing day; opts.rules read as on rules_as_of when set
    try:
        category = catalog.category(app.code, on, opts.rules)
    except ValueError:
        return ()
    s = opts.scenario
    asked = Asked(s, role, person, on, opts.rules, add_months(s.as_of, s.horizon_months))
    answers = [a for a in family_of(app.code).eligibility(asked, category) if a.offer_ref in (None, app.offer_ref)]
    refused = [a for a in answers if a.verdict is Verdict.NOT_ELIGIBLE]
    return refused[0].failing if refused and len(refused) == len(answers) else ()

"""The documents each planned application needs, and those the client file shows will expire too early.

The list comes from the catalog (`solver/data/catalog.toml`: the common documents, the employer's for an
offer-based IMP code, and the category's own). Three of them expire, and the file says when:

- the passport: `Person.passport_expiry`;
- the language test: `CEC.test_validity` months from the day of the test the person would submit (the best one
  valid on the application day, as the rules read it);
- the immigration medical exam: `MEDICAL.validity` months from `Person.medical_exam_on`, when the file has it.

A document is flagged when it expires before the decision the plan expects: the day the permit starts (the
planned permit's `valid_from`), since an officer reads it on that day. A document the file says nothing about
has no expiry (`expires_on` None) and is never flagged: the file, not the planner, is the place to add it.
Pure: the plan, the scenario and the rules in, a tuple per step out; nothing here names a category code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from solver.dates import add_days, add_months
from solver.domain import LanguageTest, Person, Plan, PlannedPermit, PlanStep, Scenario
from solver.rules.catalog import category
from solver.rules.registry import RuleSet

# The steps that file an application for a permit of the step's `code`.
APPLICATION_ACTIONS: Final = frozenset({"APPLY_PERMIT", "APPLY_BOWP", "RESTORE_STATUS", "EXTEND_PERMIT"})


@dataclass(frozen=True)
class StepDocument:
    """One document an application needs: when the file shows it expires, and whether that is too early."""

    name: str
    expires_on: dt.date | None = None
    expires_before_decision: bool = False


# What a catalog document starts with, for the three whose expiry the client file records.
PASSPORT: Final = "Valid passport"
LANGUAGE: Final = ("Language test results", "French test results")
MEDICAL: Final = "Immigration medical exam"


def step_documents(scenario: Scenario, plan: Plan, rules: RuleSet) -> tuple[tuple[StepDocument, ...], ...]:
    """For each step of `plan` (same order), the documents it needs; () for a step that files nothing."""
    return tuple(_for_step(scenario, plan, step, rules) for step in plan.steps)


def _for_step(scenario: Scenario, plan: Plan, step: PlanStep, rules: RuleSet) -> tuple[StepDocument, ...]:
    if step.action not in APPLICATION_ACTIONS or step.code is None:
        return ()
    person = scenario.person(step.person)
    permit = _permit_of(plan, step)
    if person is None or permit is None:
        return ()
    try:
        names = category(step.code, step.date, rules).documents
    except KeyError:  # a code the catalog of that day does not hold: nothing to list
        return ()
    return tuple(_document(name, person, step.date, permit.valid_from, rules) for name in names)


def _permit_of(plan: Plan, step: PlanStep) -> PlannedPermit | None:
    """The planned permit the step applies for: same person and code, applied for on the step's day."""
    return next(
        (p for p in plan.permits if p.person is step.person and p.code == step.code and p.apply_on == step.date),
        None,
    )


def _document(name: str, person: Person, filed_on: dt.date, decision: dt.date, rules: RuleSet) -> StepDocument:
    expiry = _expiry(name, person, filed_on, rules)
    return StepDocument(name, expiry, expiry is not None and expiry < decision)


def _expiry(name: str, person: Person, filed_on: dt.date, rules: RuleSet) -> dt.date | None:
    """The last valid day of the document `name` as the file records it, or None when it does not expire or is
    not recorded."""
    readers: tuple[tuple[Callable[[str], bool], Callable[[], dt.date | None]], ...] = (
        (lambda n: n.startswith(PASSPORT), lambda: person.passport_expiry),
        (lambda n: n.startswith(LANGUAGE), lambda: _test_expiry(person.language_tests, filed_on, rules)),
        (lambda n: n.startswith(MEDICAL), lambda: _medical_expiry(person, filed_on, rules)),
    )
    return next((read() for matches, read in readers if matches(name)), None)


def _test_expiry(tests: tuple[LanguageTest, ...], filed_on: dt.date, rules: RuleSet) -> dt.date | None:
    """The last valid day of the test the application would carry: the best one valid on the filing day."""
    months = int(rules.param("CEC.test_validity", "months", filed_on))
    valid = [t for t in tests if t.taken <= filed_on < add_months(t.taken, months)]
    best = max(valid, key=lambda t: (t.lowest, t.taken), default=None)
    return None if best is None else add_days(add_months(best.taken, months), -1)


def _medical_expiry(person: Person, filed_on: dt.date, rules: RuleSet) -> dt.date | None:
    """The last valid day of the immigration medical exam (MEDICAL.validity months), when the file has one."""
    if person.medical_exam_on is None:
        return None
    months = int(rules.param("MEDICAL.validity", "months", filed_on))
    return add_days(add_months(person.medical_exam_on, months), -1)

"""solver/documents.py: the catalog's documents for each planned application, and the passport or language test
the client file shows expiring before the expected decision (the permit's start)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from solver.documents import LANGUAGE, MEDICAL, PASSPORT, StepDocument, step_documents
from solver.domain import Plan, PlannedPermit, PlanStatus, PlanStep, Role, Scenario
from solver.rules.catalog import category
from solver.rules.registry import load_rules
from tests.solver.planner_cases import AS_OF, graduate, language_result

RULES = load_rules()
APPLY = dt.date(2026, 12, 1)
DECISION = dt.date(2027, 3, 1)


def _plan() -> Plan:
    """A hand-written plan: a PGWP applied for on APPLY, decided (valid from) on DECISION, then a job."""
    permit = PlannedPermit(
        Role.PRINCIPAL, "C43", "Post-graduation work permit", True, APPLY, DECISION, dt.date(2030, 2, 28), 255.0
    )
    steps = (
        PlanStep(APPLY, Role.PRINCIPAL, "APPLY_PERMIT", "apply for the PGWP", "C43", ("C43.application_window",)),
        PlanStep(DECISION, Role.PRINCIPAL, "START_JOB", "start the job", None, ("CEC.skilled_experience",)),
    )
    return Plan(PlanStatus.OPTIMAL, "test", 0.0, permits=(permit,), steps=steps)


def _documents(passport: dt.date, test_taken: dt.date) -> tuple[tuple[StepDocument, ...], ...]:
    person = dataclasses.replace(graduate(passport=passport), language_tests=(language_result(8, test_taken),))
    return step_documents(Scenario(as_of=AS_OF, principal=person), _plan(), RULES)


def test_an_application_lists_the_catalogs_documents_and_a_job_lists_none() -> None:
    apply, job = _documents(dt.date(2035, 1, 1), dt.date(2026, 6, 1))
    assert [d.name for d in apply] == list(category("C43", APPLY, RULES).documents)
    assert job == ()


def test_documents_valid_through_the_decision_are_not_flagged() -> None:
    apply, _ = _documents(dt.date(2035, 1, 1), dt.date(2026, 6, 1))
    dated = {d.name.split(" (")[0]: (d.expires_on, d.expires_before_decision) for d in apply if d.expires_on}
    assert dated == {
        "Valid passport": (dt.date(2035, 1, 1), False),
        # CEC.test_validity: 24 months from the test, the last valid day the day before.
        "Language test results under 2 years old": (dt.date(2028, 5, 31), False),
    }


def test_a_passport_and_a_test_expiring_before_the_decision_are_flagged() -> None:
    apply, _ = _documents(dt.date(2027, 1, 15), dt.date(2025, 2, 1))
    flagged = {d.name.split(" (")[0]: d.expires_on for d in apply if d.expires_before_decision}
    assert flagged == {
        "Valid passport": dt.date(2027, 1, 15),
        "Language test results under 2 years old": dt.date(2027, 1, 31),
    }


def test_a_document_the_file_says_nothing_about_has_no_expiry() -> None:
    apply, _ = _documents(dt.date(2035, 1, 1), dt.date(2026, 6, 1))
    medical = next(d for d in apply if d.name.startswith("Immigration medical exam"))
    assert medical == StepDocument(medical.name, None, False)


def test_the_expiring_documents_are_named_in_the_catalog() -> None:
    """The prefixes documents.py reads expiries by name catalog documents (a renamed document fails here)."""
    names = category("C43", APPLY, RULES).documents
    assert any(n.startswith(PASSPORT) for n in names)
    assert any(n.startswith(LANGUAGE) for n in names)
    assert any(n.startswith(MEDICAL) for n in names)


def test_a_medical_exam_on_file_expires_after_medical_validity_months() -> None:
    scenario = Scenario(as_of=AS_OF, principal=dataclasses.replace(graduate(), medical_exam_on=dt.date(2026, 2, 15)))
    apply, _ = step_documents(scenario, _plan(), RULES)
    medical = next(d for d in apply if d.name.startswith(MEDICAL))
    # MEDICAL.validity: 12 months, so the last valid day is 2027-02-14, before the decision on 2027-03-01.
    assert (medical.expires_on, medical.expires_before_decision) == (dt.date(2027, 2, 14), True)

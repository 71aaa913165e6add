"""The client handout (api/present/handout.py): the PDF of a golden household, read back with pypdf, holds the
household, the day it was prepared, the rules version, every deadline, the fees (the client's and the
employer's), the steps with their rules and sources, and the documents; in French, French words with accents."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

from pypdf import PdfReader

from api.present.handout import handout_pdf
from api.present.words import Words
from solver.rules.registry import load_rules
from tests.api.present_cases import BOTH_WORKING, EMPLOYER_SPECIFIC, golden

PREPARED = dt.date(2026, 12, 3)


def text_of(pdf: bytes) -> str:
    """The PDF's text, runs of white space as one space (pypdf breaks lines where the layout did)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_handout_holds_the_deadlines_fees_rules_and_who_it_is_for() -> None:
    scenario, plan = golden(BOTH_WORKING)
    pdf = handout_pdf(plan, scenario, lang="en", prepared_on=PREPARED, household="Okafor & Bello")
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf)
    words = Words.of("en")
    assert "Immigration plan for Okafor & Bello" in text
    assert "Prepared on Dec 3, 2026" in text
    assert f"Rules version {plan.rules_version}" in text
    for deadline in plan.deadlines:
        assert f"{words.date(deadline.date)} · {words.role(deadline.person)}: {words.deadline_kind(deadline)}" in text
    assert f"Total for the client: {words.money(plan.fees_total)}" in text
    assert f"Total for the employer: {words.money(plan.fees_employer)}" in text
    for label, amount in (("Work permits", plan.fees_permits), ("Biometrics", plan.fees_biometrics)):
        assert f"{label}: {words.money(amount)}" in text
    assert plan.fees_total == 3730.0 and "$3,730.00" in text


def test_steps_carry_their_rules_with_sources_and_applications_their_documents() -> None:
    scenario, plan = golden(BOTH_WORKING)
    text = text_of(handout_pdf(plan, scenario, lang="en", prepared_on=PREPARED))
    rules = load_rules()
    assert "Apply for the Post-graduation work permit (C43)" in text
    assert "Create the Express Entry profile (CEC)" in text
    assert "Rule STATUS.maintained: " + rules.source("STATUS.maintained") in text
    assert "Documents to gather:" in text
    assert "Valid passport (the permit cannot run past its expiry) (valid to Jan 1, 2035)" in text


def test_a_document_expiring_before_the_decision_is_flagged_as_a_risk() -> None:
    scenario, plan = golden(BOTH_WORKING)
    short = dataclasses.replace(scenario.principal, passport_expiry=dt.date(2027, 3, 1))
    text = text_of(handout_pdf(plan, dataclasses.replace(scenario, principal=short), lang="en", prepared_on=PREPARED))
    assert "(expires on Mar 1, 2027, before the expected decision: renew it)" in text
    assert "Principal applicant: Valid passport (the permit cannot run past its expiry) expires on Mar 1, 2027" in text


def test_the_employers_fees_are_apart_from_the_clients() -> None:
    scenario, plan = golden(EMPLOYER_SPECIFIC)
    words = Words.of("en")
    text = text_of(handout_pdf(plan, scenario, lang="en", prepared_on=PREPARED))
    permit = plan.permits[0]
    assert plan.fees_employer > 0
    assert f"Total for the employer: {words.money(plan.fees_employer)}" in text
    assert f"client {words.money(permit.fee)}, employer {words.money(permit.employer_fee)}" in text


def test_the_french_handout_is_in_french_with_its_accents() -> None:
    scenario, plan = golden(BOTH_WORKING)
    text = text_of(handout_pdf(plan, scenario, lang="fr", prepared_on=PREPARED, household="Famille Gagné"))
    assert "Plan d'immigration de Famille Gagné" in text
    assert "Préparé le 3 déc. 2026" in text
    assert "Dates limites" in text and "Étapes" in text
    assert "Demande avant la fin du statut" in text
    assert "Total pour le client : 3 730,00 $" in text

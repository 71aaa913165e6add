"""Eligibility's reasons in French: the conditions that hold, the notes beside a verdict and the refusals of an offer
that cannot be read are keyed (solver/phrases.py), their English is what it was before they were keyed, and each is
worded in French with no English left (api/present/sentences.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.present.sentences import say
from solver import dates
from solver.categories.offers import check_offer
from solver.domain import Role
from solver.eligibility import evaluate
from solver.phrases import TEMPLATES, Phrase
from solver.rules.registry import load_rules
from solver.scenario_json import parse_document
from tests.api.test_present_sentences import GOLDENS, english_left
from tests.solver.rules_people import D, offer, person

RULES = load_rules()


def _french(phrase: Phrase) -> str:
    french = say(phrase, phrase.english(), "fr")
    assert french != phrase.english(), phrase.key
    assert english_left(french) == [], french
    return french


# Each new key with arguments, and the English the solver wrote before the key, as its f-string made it.
CASES: list[tuple[Phrase, str]] = [
    (Phrase.of("reason.offer_noc_invalid", noc=repr("9999")), "offer NOC '9999' is not a NOC 2021 code"),
    (
        Phrase.of("reason.not_offer_code", code="C43"),
        "C43 is not an employer-specific category an offer can ground",
    ),
    (Phrase.of("met.citizenship"), "citizenship qualifies"),
    (Phrase.of("met.teer_fits", teer=2, code="T44"), "TEER 2 fits T44"),
    (Phrase.of("met.ict_months", used=12, total=36), "12 of 36 ICT months used"),
    (Phrase.of("met.lmia"), "positive LMIA"),
    (
        Phrase.of("met.lmia_first", filed=Phrase.of("lmia.filed", day="2026-03-01"), days=120),
        "employer must first obtain a positive LMIA (filed 2026-03-01; about 120 days)",
    ),
    (
        Phrase.of("met.lmia_first", filed=Phrase.of("lmia.not_filed"), days=120),
        "employer must first obtain a positive LMIA (not filed yet; about 120 days)",
    ),
    (Phrase.of("met.french", level=7, nclc=5), "French NCLC 7 >= 5"),
    (Phrase.of("met.outside_quebec", province="ON"), "job in ON, outside Quebec"),
    (Phrase.of("met.occupation_eligible"), "occupation eligible"),
    (Phrase.of("met.atlantic"), "Atlantic province"),
    (Phrase.of("met.nominated_for_offer", nominated="BC", province="BC"), "nominated by BC, offer in BC"),
    (Phrase.of("met.cusma_profession", noc="21231"), "NOC 21231 maps to a CUSMA profession"),
    (Phrase.of("met.us_mx"), "US or Mexican citizen"),
    (Phrase.of("met.nominated", province="MB"), "nominated by MB"),
    (Phrase.of("met.class_eligible", program="CEC"), "CEC is an eligible class"),
    (Phrase.of("met.pr_submitted", day="2026-05-01"), "PR application submitted 2026-05-01"),
    (
        Phrase.of("met.bowp_status"),
        "in Canada with a valid work permit, maintained status or eligibility to restore",
    ),
    (Phrase.of("met.cec_hours", hours="1560", need="1560"), "1560 counted hours in TEER 0-3 (need 1560)"),
    (Phrase.of("met.cec_clb", best=9, clb=7), "CLB 9 on a valid test meets CLB 7"),
    (Phrase.of("met.iec_age", age=25, min=18, max=35, country="FR"), "age 25 within 18-35 (FR)"),
    (Phrase.of("met.iec_participations", used=0, count=2, country="FR"), "0 of 2 participations used (FR)"),
    (
        Phrase.of("met.iec", country="FR", age=25, stream="WH", months=24),
        "FR citizen aged 25: WH for 24 months",
    ),
    (
        Phrase.of("met.no_language_requirement"),
        "no language requirement for PGWPs applied for before 2024-11-01",
    ),
    (
        Phrase.of("met.pgwp_clb", best=8, months=24, clb=7),
        "CLB 8 on a test under 24 months old meets CLB 7",
    ),
    (
        Phrase.of("met.field_not_applicable"),
        "field of study does not apply (degree program or PGWP applied for before 2024-11-01)",
    ),
    (
        Phrase.of("met.study_permit_taken_before"),
        "study permit taken as applied for before 2024-11-01 (program started earlier)",
    ),
    (
        Phrase.of("met.study_permit_applied", day="2024-08-01"),
        "study permit applied for on 2024-08-01, before 2024-11-01",
    ),
    (Phrase.of("met.field_listed"), "field of study is on IRCC's list"),
    (
        Phrase.of("met.study_permit_valid", day="2027-02-18"),
        "study permit valid to 2027-02-18: in-Canada application",
    ),
    (
        Phrase.of("met.study_permit_lookback", days=180, day="2026-09-30"),
        "study permit valid within the 180 days before applying (ended 2026-09-30)",
    ),
    (Phrase.of("met.eligible_dli"), "Canadian post-secondary program at a PGWP-eligible DLI"),
    (Phrase.of("met.program_length", months=24, need=8), "24 months >= 8"),
    (Phrase.of("met.full_time"), "studied full time"),
    (
        Phrase.of("met.in_window", first="2026-05-01", last="2026-10-28"),
        "within the window 2026-05-01 to 2026-10-28",
    ),
    (Phrase.of("met.no_earlier_pgwp"), "no earlier PGWP"),
    (
        Phrase.of("met.occupation_listed", noc="21231"),
        "principal works in NOC 21231, an eligible occupation",
    ),
    (
        Phrase.of("met.months_left", day="2028-01-31", months=16),
        "principal's permit valid to 2028-01-31: 16+ months left",
    ),
    (Phrase.of("met.principal_employed", noc="21231"), "open-permit principal employed in NOC 21231"),
    (
        Phrase.of("met.principal_study_permit"),
        "principal holds a valid study permit and lives in Canada",
    ),
    (Phrase.of("met.principal_full_time"), "principal studies full time"),
    (
        Phrase.of("met.program_qualifying", credential=Phrase.of("credential.advanced_diploma"), months=36),
        "advanced_diploma program (36 months) qualifies",
    ),
    (Phrase.of("met.principal_pr_pending"), "principal has a pending economic PR application"),
    (Phrase.of("met.principal_nominated"), "principal holds a provincial nomination"),
    (Phrase.of("met.principal_work_permit"), "principal holds a work permit"),
    (
        Phrase.of("met.sponsored_by", status=Phrase.of("status.citizen")),
        "sponsored by a partner who is a citizen",
    ),
    (
        Phrase.of("met.sponsored_by", status=Phrase.of("status.permanent_resident")),
        "sponsored by a partner who is a permanent resident",
    ),
    (
        Phrase.of("met.sponsored_by", status=Phrase.of("status.foreign_national")),
        "sponsored by a partner who is a foreign national",
    ),
    (
        Phrase.of("met.in_sponsorship"),
        "included in a spousal sponsorship PR application submitted",
    ),
    (Phrase.of("met.in_canada"), "in Canada"),
    (Phrase.of("met.scope_before_limit"), "open to new applications before 2025-01-21"),
    (Phrase.of("met.renewal", code="C47"), "in-Canada renewal of a C47 matching the principal's permit"),
    (
        Phrase.of("met.nominee_moving_to_pr"),
        "the principal, nominated by a province, is moving to PR and has not filed yet",
    ),
    (Phrase.of("met.teer_of", noc="65200", teer=5), "principal works in NOC 65200, TEER 5"),
    (
        Phrase.of("note.ict_experience"),
        "needs one year of full-time work for the company in the last 3 years (a document)",
    ),
    (
        Phrase.of("note.completeness_check", day="2026-07-15"),
        "issued after the R10 completeness check (about 2026-07-15)",
    ),
    (
        Phrase.of("note.old_four_months", months=4),
        "risk only: permit ends more than 4 months later (old rule)",
    ),
    (
        Phrase.of("note.cec_exclusions"),
        "self-employment, full-time-student and unauthorized work and work abroad not counted",
    ),
    (
        Phrase.of("note.iec_invitation"),
        "after an invitation: 10 days to accept, then 20 days to apply",
    ),
    (
        Phrase.of("note.work_while_pending"),
        "may work full time while the application is pending (R186(w))",
    ),
    (
        Phrase.of("note.r197"),
        "study permit expired: R197 application from inside Canada with no right to work",
    ),
]


def _keys(phrase: Phrase) -> set[str]:
    return {phrase.key} | {k for a in phrase.args if a.phrase is not None for k in _keys(a.phrase)}


def test_every_new_key_has_a_case() -> None:
    new = {k for k in TEMPLATES if k.split(".")[0] in {"met", "note", "lmia", "status"}}
    new |= {"reason.offer_noc_invalid", "reason.not_offer_code"}
    assert len(new) == 64
    assert new - {k for phrase, _ in CASES for k in _keys(phrase)} == set()


@pytest.mark.parametrize(("phrase", "english"), CASES, ids=[p.key for p, _ in CASES])
def test_the_english_is_unchanged_and_the_french_has_no_english_left(phrase: Phrase, english: str) -> None:
    assert phrase.english() == english
    _french(phrase)


def test_the_refusals_of_an_offer_that_cannot_be_read_are_keyed_and_worded_in_french() -> None:
    on = D("2026-06-01")
    bad_noc = check_offer(person(), offer("T36", noc="9999"), on, RULES)
    [reason] = bad_noc.reasons
    assert (reason.rule_id, reason.message) == ("CEC.skilled_experience", "offer NOC '9999' is not a NOC 2021 code")
    assert reason.phrase is not None
    assert _french(reason.phrase) == "le code CNP '9999' de l'offre n'est pas un code de la CNP 2021"
    not_offer = check_offer(person(), offer("C43"), on, RULES)
    [reason] = not_offer.reasons
    assert reason.message == "C43 is not an employer-specific category an offer can ground"
    assert reason.phrase is not None
    assert _french(reason.phrase).startswith("C43 n'est pas une catégorie de permis lié à un employeur")


@pytest.mark.parametrize("path", GOLDENS, ids=[p.stem for p in GOLDENS])
def test_every_eligibility_reason_of_a_golden_household_is_keyed_and_worded_in_french(path: Path) -> None:
    doc = json.loads(path.read_text())
    parsed = parse_document({"scenario": doc["scenario"], "options": doc.get("options", {})})
    assert isinstance(parsed, tuple), parsed
    scenario, _ = parsed
    for role in Role:
        for months in range(0, scenario.horizon_months, 6):
            for answer in evaluate(scenario, role, dates.add_months(scenario.as_of, months), RULES):
                for reason in answer.reasons:
                    assert reason.phrase is not None, reason.message
                    assert reason.phrase.english() == reason.message
                    assert english_left(say(reason.phrase, reason.message, "fr")) == [], reason.message

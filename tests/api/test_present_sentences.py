"""The solver's sentences in French (api/present/sentences.py, gettext domain `explain`): every key of the solver's
template table has a French translation with the same placeholders, and a golden household's French handout and
CLI timeline carry its steps, deadlines, blockers and invitation notes in French, with no English sentence left."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from api.plan_command import print_timeline
from api.present.handout import handout_pdf
from api.present.sentences import say
from db.plan_json import from_plain, to_plain
from solver.domain import Plan
from solver.phrases import TEMPLATES, Phrase
from tests.api.present_cases import BOTH_WORKING, GOLDEN, golden
from tests.api.test_present_handout import PREPARED, text_of

CATALOG = Path(__file__).parents[2] / "api" / "locale" / "fr" / "LC_MESSAGES" / "explain.po"
# The golden households that plan (an invalid scenario has no plan).
GOLDENS = [p for p in sorted(GOLDEN.glob("*.json")) if "InvalidScenario" not in p.read_text()]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Every sentence of its plan is keyed: its steps, deadlines, blockers and invitation notes (18 keys).
CUTOFF_REACHED = "g81-crs-above-a-cutoff"
# No valid language test, and a restoration with no permit to restore with.
NO_VALID_TEST = "g31-language-test-expires"
# A PGWP closed by the language rule alone: its fix, in the blocker of a restoration with no permit.
LANGUAGE_FIX = "g08-university-certificate-clb6"
# An application already filed and kept, at risk of refusal (T36 without US or Mexican citizenship).
AT_RISK = "g59-pending-t36-refusable-kept-with-risk"
# The words of a template between its placeholders that are English prose (rule ids and field names aside).
ENGLISH = sorted(
    {
        part.strip(" ,;:()")
        for template in TEMPLATES.values()
        for part in PLACEHOLDER.split(template)[::2]
        if len(part.strip(" ,;:()").split()) >= 3
    }
)


def catalog() -> dict[str, str]:
    with CATALOG.open("rb") as po:
        return {str(m.id): str(m.string) for m in read_po(po, locale="fr_CA") if m.id}


def english_left(text: str) -> list[str]:
    """The English template words found in `text`."""
    return [words for words in ENGLISH if words in text]


def keyed(plan: Plan) -> list[tuple[Phrase, str]]:
    """Each sentence of `plan` the solver keyed, with its English."""
    said = [(s.phrase, s.detail) for s in plan.steps] + [(d.phrase, d.message) for d in plan.deadlines]
    said += [(f.phrase, f.message) for f in (*plan.blockers, *plan.explanation)]
    return [(phrase, english) for phrase, english in said if phrase is not None]


def test_every_key_has_a_french_translation_with_the_same_placeholders() -> None:
    french = catalog()
    assert len(TEMPLATES) == 266
    assert sorted(set(TEMPLATES.values()) - french.keys()) == []
    for key, template in TEMPLATES.items():
        assert french[template].strip(), key
        assert sorted(PLACEHOLDER.findall(french[template])) == sorted(PLACEHOLDER.findall(template)), key


def test_the_catalog_holds_no_sentence_the_solver_no_longer_writes() -> None:
    assert sorted(catalog().keys() - set(TEMPLATES.values())) == []


def test_a_sentence_is_worded_with_its_arguments() -> None:
    how = Phrase.of("how.maintained", day="2027-02-18")
    said = Phrase.of("step.apply", name="Post-graduation work permit", code="C43", day="2026-12-01", how=how)
    assert say(said, said.english(), "fr-CA") == (
        "présenter une demande de permis de travail postdiplôme (C43) le 2026-12-01 "
        "(au plus tard le 2027-02-18 pour conserver le statut)"
    )
    fee = Phrase.of("step.restore", lost="2027-01-31", until="2027-04-30", code="C43", fee="1229.00", day="2027-06-01")
    assert "les frais de rétablissement de 1\u00a0229,00 $ remplacent" in say(fee, fee.english(), "fr")


def test_english_or_an_unkeyed_sentence_is_the_solvers_own_text() -> None:
    said = Phrase.of("step.job", offer="p-job", noc="21231")
    assert say(said, "the solver's text", "en") == "the solver's text"
    assert say(said, "the solver's text", None) == "the solver's text"
    assert say(None, "the solver's text", "fr") == "the solver's text"
    # A plan stored by a later release may hold a key this version lacks.
    assert say(Phrase("step.later", ()), "the solver's text", "fr") == "the solver's text"


def test_the_plans_english_is_its_phrases_and_a_stored_plan_keeps_them() -> None:
    _, plan = golden(CUTOFF_REACHED)
    said = keyed(plan)
    assert len(said) == len(plan.steps) + len(plan.deadlines) + len(plan.blockers) + len(plan.explanation)
    assert all(phrase.english() == english for phrase, english in said)
    stored = from_plain(to_plain(plan), Plan)
    assert stored == plan
    assert keyed(stored) == said


@pytest.mark.parametrize("path", GOLDENS, ids=[p.stem for p in GOLDENS])
def test_every_sentence_of_a_golden_plan_is_keyed_and_worded_in_french(path: Path) -> None:
    _, plan = golden(path.stem)
    said = [(s.phrase, s.detail) for s in plan.steps] + [(d.phrase, d.message) for d in plan.deadlines]
    said += [(f.phrase, f.message) for f in (*plan.blockers, *plan.explanation)]
    said += [(f.phrase, f.message) for route in plan.closed_routes for f in route.reasons]
    said += [(route.fix_phrase, route.fix) for route in plan.closed_routes if route.fix is not None]
    assert [english for phrase, english in said if phrase is None] == []
    for phrase, english in said:
        assert phrase is not None and phrase.english() == english
        french = say(phrase, english, "fr")
        assert english_left(french) == [], french


def test_the_french_handout_has_the_plans_sentences_in_french() -> None:
    texts: dict[str, str] = {}
    for name in (CUTOFF_REACHED, NO_VALID_TEST, LANGUAGE_FIX, AT_RISK, BOTH_WORKING):
        scenario, plan = golden(name)
        text = text_of(handout_pdf(plan, scenario, lang="fr", prepared_on=PREPARED))
        # The handout shows the steps, the deadlines and the blockers (the explanation only as a risk).
        shown = keyed(dataclasses.replace(plan, explanation=()))
        assert shown
        for phrase, english in shown:
            assert re.sub(r"\s+", " ", say(phrase, english, "fr")) in text, english
        assert english_left(text) == [], name
        texts[name] = text
    assert (
        "un test de langue valide au niveau NCLC 7 (résultat détenu à cette date : aucun test valide)"
        in (texts[NO_VALID_TEST])
    )
    assert "aucun permis de travail ne permet de rétablir le statut" in texts[NO_VALID_TEST]
    assert "C43 : un résultat de NCLC 7 dans les quatre habiletés (test de moins de 24 mois)" in texts[LANGUAGE_FIX]
    assert "risque de refus (T36.citizenship : exige la citoyenneté de l'un de ces pays : US, MX)" in texts[AT_RISK]
    assert "EE.cutoff: risque : le score SCG de 351 au 2028-01-03 est inférieur" in texts[BOTH_WORKING]
    assert "Leviers : une désignation provinciale +585 -> 936, ce qui l'atteint (CRS.additional)" in texts[BOTH_WORKING]


def test_the_english_handout_keeps_the_solvers_english() -> None:
    scenario, plan = golden(CUTOFF_REACHED)
    text = text_of(handout_pdf(plan, scenario, lang="en", prepared_on=PREPARED))
    for step in plan.steps:
        assert step.detail in text
    assert english_left(text)


def test_the_french_cli_timeline_has_the_plans_sentences_in_french() -> None:
    _, plan = golden(CUTOFF_REACHED)
    out = io.StringIO()
    print_timeline(plan, out, "fr")
    text = out.getvalue()
    # The timeline shows the steps, the deadlines, the blockers and the invitation's notes of the explanation.
    invitation = tuple(f for f in plan.explanation if f.rule_id in ("EE.ita_wait", "EE.cutoff"))
    for phrase, english in keyed(dataclasses.replace(plan, explanation=invitation)):
        assert say(phrase, english, "fr") in text, english
    assert english_left(text) == []
    assert "obstacle [CEC.skilled_experience] : l'admissibilité à la résidence permanente dépend de" in text


def test_a_pin_and_why_it_cannot_hold_in_french() -> None:
    _, plan = golden("pin2-pgwp-after-its-window")
    out = io.StringIO()
    print_timeline(plan, out, "fr")
    text = out.getvalue()
    pin = "le demandeur principal présente une demande de C43 du 2028-01-05 au terme de l'horizon"
    assert f"pins[0] : {pin} : NON RESPECTÉ (voir les obstacles)" in text
    assert f"obstacle [C43.application_window] : pins[0] ({pin}) ne peut pas être respecté : la demande de C43" in text
    assert english_left(text) == []

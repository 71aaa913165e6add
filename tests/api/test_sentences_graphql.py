"""The plan's sentences over GraphQL in the reader's language: `lang` on PlanStep.detail, Deadline.message and
Finding.message, the firm's language when it is null, English when the firm has none (as before the argument)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from api.keys import Role
from tests.api.conftest import Service
from tests.api.test_present_sentences import CUTOFF_REACHED, LANGUAGE_FIX, english_left

GOLDENS = Path(__file__).parents[1] / "fixtures" / "golden"
SENTENCES = """
fragment Said on Finding { en: message(lang: "en") read: message(lang: $lang) default: message }
query Sentences($s: ScenarioInput!, $lang: String) {
  planScenario(scenario: $s) {
    ... on Plan {
      steps { en: detail(lang: "en") read: detail(lang: $lang) default: detail }
      deadlines { en: message(lang: "en") read: message(lang: $lang) default: message }
      blockers { ...Said }
      explanation { ...Said }
    }
  }
}"""


async def sentences(service: Service, key: str, lang: str | None) -> list[dict[str, str]]:
    """Every step's, deadline's, blocker's and explanation's sentence: in English, in `lang`, and with no `lang`."""
    scenario = json.loads((GOLDENS / f"{CUTOFF_REACHED}.json").read_text())["scenario"]
    plan: dict[str, Any] = (await service.data(SENTENCES, key, {"s": scenario, "lang": lang}))["planScenario"]
    found = [said for part in ("steps", "deadlines", "blockers", "explanation") for said in plan[part]]
    assert len(found) > 10
    return found


async def test_lang_fr_words_every_sentence_in_french(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    for lang in ("fr", "fr-CA"):
        said = await sentences(service, key, lang)
        assert all(s["read"] != s["en"] for s in said)
        assert english_left(" ".join(s["read"] for s in said)) == []
        assert all(s["default"] == s["en"] for s in said)
    reading = " ".join(s["read"] for s in said)
    assert "présenter une demande de permis de travail postdiplôme (C43) le " in reading
    assert "l'invitation du " in reading and "exige une demande de résidence permanente complète" in reading


async def test_english_or_another_language_is_the_solvers_english(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    for lang in ("en", "de"):
        said = await sentences(service, key, lang)
        assert all(s["read"] == s["en"] == s["default"] for s in said)
    assert english_left(" ".join(s["en"] for s in said))


async def test_without_lang_the_firms_language_is_the_readers(service: Service) -> None:
    tenant = await service.tenant()
    admin = await service.key(tenant, Role.ADMIN)
    await service.data("mutation { setFirmLanguage(language: FR) { __typename } }", admin)
    said = await sentences(service, admin, "en")
    assert all(s["read"] == s["en"] != s["default"] for s in said)
    assert english_left(" ".join(s["default"] for s in said)) == []


async def test_a_closed_routes_fix_and_reasons_in_french(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    scenario = json.loads((GOLDENS / f"{LANGUAGE_FIX}.json").read_text())["scenario"]
    query = """query($s: ScenarioInput!) { planScenario(scenario: $s) { ... on Plan {
      closedRoutes { code en: fix(lang: "en") fr: fix(lang: "fr") reasons { message(lang: "fr") } } } } }"""
    routes = (await service.data(query, key, {"s": scenario}))["planScenario"]["closedRoutes"]
    pgwp = next(r for r in routes if r["code"] == "C43")
    assert pgwp["en"].startswith("a CLB 7 result in all four abilities (a test under 24 months old) before applying by")
    assert pgwp["fr"].startswith("un résultat de NCLC 7 dans les quatre habiletés (test de moins de 24 mois) avant")
    assert all(r["fr"] is None for r in routes if r["en"] is None)
    assert pgwp["reasons"] == [
        {
            "message": "exige le NCLC 7 dans les quatre habiletés à un test de moins de 24 mois; le meilleur résultat "
            "valide est 6"
        }
    ]

"""Eligibility at a date for scenario files fed as they are (contract JSON, no translation)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.domain import Role, Scenario
from solver.eligibility import CategoryEligibility, evaluate
from solver.rules import catalog
from solver.rules.decision import Verdict
from solver.rules.registry import load_rules
from solver.scenario_json import parse_document
from tests.solver.rules_people import D, job, lang, person, worker

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULES = load_rules()
E, N, U = Verdict.ELIGIBLE, Verdict.NOT_ELIGIBLE, Verdict.UNDECIDED


def _scenario(name: str) -> Scenario:
    folder = "scenarios" if name.startswith("p") else "golden"
    parsed = parse_document(json.loads((FIXTURES / folder / f"{name}.json").read_text()))
    assert isinstance(parsed, tuple), parsed
    return parsed[0]


def _answer(answers: tuple[CategoryEligibility, ...], code: str) -> CategoryEligibility:
    (found,) = [a for a in answers if a.code == code]
    return found


@pytest.mark.parametrize(
    ("name", "role", "on", "code", "verdict", "eligible_from", "reason"),
    [
        (
            "p01-bachelor-pgwp-cec",
            Role.PRINCIPAL,
            None,
            "C43",
            E,
            "2026-12-01",
            "bachelor's graduate inside the window",
        ),
        (
            "p01-bachelor-pgwp-cec",
            Role.PRINCIPAL,
            "2026-11-01",
            "C43",
            N,
            "2026-11-20",
            "before completion: from completion",
        ),
        ("p01-bachelor-pgwp-cec", Role.PRINCIPAL, None, "CEC", N, None, "no Canadian work on the facts"),
        ("p02-spouse-of-master-student", Role.SPOUSE, None, "C42", E, "2026-09-14", "20-month master's"),
        ("p02-spouse-of-master-student", Role.PRINCIPAL, None, "C42", N, None, "the student cannot hold C42 herself"),
        ("p03-ict-specialized-knowledge", Role.PRINCIPAL, None, "C63", E, "2026-10-05", "ICT offer coded C63"),
        ("p03-ict-specialized-knowledge", Role.SPOUSE, None, "C41", U, None, "principal's occupation not yet known"),
        ("p04-teer2-bowp", Role.PRINCIPAL, None, "CEC", E, "2026-11-02", "TEER 2, CLB 6, 1,560 h already"),
        ("p04-teer2-bowp", Role.PRINCIPAL, None, "A75", U, None, "needs the PR application submitted"),
        ("g11-c41-teer1-principal", Role.SPOUSE, None, "C41", E, "2026-12-01", "TEER 1 principal, 16+ months"),
        ("g12-teer4-principal-no-c41", Role.SPOUSE, None, "C41", N, None, "TEER 4 principal after 2025-01-21"),
        ("g14-masters-12-months-no-c42", Role.SPOUSE, None, "C42", N, None, "12-month master's after 2025-01-21"),
        ("g18-iec-japan-over-30", Role.PRINCIPAL, None, "C21", N, None, "Japanese citizen aged 31"),
        ("g24-pnp-t13", Role.PRINCIPAL, None, "T13", E, "2026-12-01", "nominee with an offer in Ontario"),
        ("g24-pnp-t13", Role.PRINCIPAL, None, "PNP", E, "2026-12-01", "nominated"),
    ],
)
def test_scenario_answers(
    name: str, role: Role, on: str | None, code: str, verdict: Verdict, eligible_from: str | None, reason: str
) -> None:
    scenario = _scenario(name)
    day = scenario.as_of if on is None else D(on)
    answer = _answer(evaluate(scenario, role, day, RULES), code)
    assert answer.verdict is verdict, (reason, answer.reasons)
    assert answer.eligible_from == (None if eligible_from is None else D(eligible_from)), reason


def test_reasons_cite_rules_with_sources() -> None:
    scenario = _scenario("p04-teer2-bowp")
    for answer in evaluate(scenario, Role.PRINCIPAL, scenario.as_of, RULES):
        assert answer.reasons, answer.code
        for reason in answer.reasons:
            assert reason.rule_id in RULES
            assert reason.source == RULES.source(reason.rule_id)


def test_undecided_answers_name_missing_facts() -> None:
    scenario = _scenario("p04-teer2-bowp")
    a75 = _answer(evaluate(scenario, Role.PRINCIPAL, scenario.as_of, RULES), "A75")
    assert a75.missing == ("PR application date",)


def test_cec_is_time_aware_on_the_facts() -> None:
    worker = person(work=(job("21231", "2026-06-30"),), tests=(lang(8, "2026-05-01"),))
    scenario = Scenario(as_of=D("2026-07-01"), principal=worker, horizon_months=36)
    cec = _answer(evaluate(scenario, Role.PRINCIPAL, scenario.as_of, RULES), "CEC")
    assert cec.verdict is N
    assert cec.eligible_from == D("2027-06-29")


def test_no_spouse_means_no_answers() -> None:
    scenario = _scenario("p01-bachelor-pgwp-cec")
    assert evaluate(scenario, Role.SPOUSE, scenario.as_of, RULES) == ()


def test_spousal_rule_change_flips_the_answer() -> None:
    principal = person(status=worker("2027-06-30", employer_specific=True), work=(job("12100", "2024-01-08"),))
    household = Scenario(as_of=D("2025-01-01"), principal=principal, spouse=person(in_canada=False))
    before = _answer(evaluate(household, Role.SPOUSE, D("2025-01-20"), RULES), "C41")
    after = _answer(evaluate(household, Role.SPOUSE, D("2025-01-21"), RULES), "C41")
    assert (before.verdict, after.verdict) == (E, N)
    assert after.reasons[0].rule_id == "C41.principal_occupation"
    g14 = _scenario("g14-masters-12-months-no-c42")
    c42_before = _answer(evaluate(g14, Role.SPOUSE, D("2025-01-20"), RULES), "C42")
    c42_after = _answer(evaluate(g14, Role.SPOUSE, D("2025-01-21"), RULES), "C42")
    assert (c42_before.verdict, c42_after.verdict) == (E, N)


SCENARIO_FILES = sorted(p.stem for p in (FIXTURES / "golden").glob("g*.json"))


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(SCENARIO_FILES), on=st.dates(min_value=D("2018-01-01"), max_value=D("2031-12-31")))
def test_any_date_gives_answers_not_exceptions(name: str, on: dt.date) -> None:
    scenario = _scenario(name)
    for role, _ in scenario.members:
        answers = evaluate(scenario, role, on, RULES)
        assert {a.code for a in answers} >= {"C43", "A75", "CEC", "PNP"}
        for a in answers:
            assert a.verdict is E or a.eligible_from is None or a.eligible_from > on
            assert bool(a.missing) == (a.verdict is U), a


def test_an_unknown_open_category_is_an_error_not_an_employer_one(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = _scenario("p01-bachelor-pgwp-cec")
    real = catalog.categories
    monkeypatch.setattr(
        catalog, "categories", lambda on, rules: (*real(on, rules), dataclasses.replace(real(on, rules)[0], code="C99"))
    )
    with pytest.raises(ValueError, match=r"'C99'.*known codes: C43, C41, C42, C49, A74, A75, C21, C10"):
        evaluate(scenario, Role.PRINCIPAL, scenario.as_of, RULES)

"""The CETA intra-company transferee family (T44, T41, T42): eligibility, planning and the validator."""

from __future__ import annotations

import dataclasses
import datetime as dt

from solver.categories.offers import check_offer, permit_months
from solver.domain import PlanOptions, Role
from solver.eligibility import evaluate
from solver.options import build_options
from solver.rules import catalog
from solver.rules.decision import Verdict
from solver.rules.registry import load_rules
from solver.validate import validate
from tests.solver.planner_cases import abroad, codes, household, offer, solve

RULES = load_rules()
ON = dt.date(2026, 12, 1)


def test_the_catalog_serves_the_split_codes_from_their_first_date() -> None:
    before = {c.code for c in catalog.categories(dt.date(2025, 2, 2), RULES)}
    after = {c.code for c in catalog.categories(dt.date(2025, 2, 3), RULES)}
    assert "T44" in before and not {"T41", "T42"} & before
    assert {"T44", "T41", "T42"} <= after


def test_an_eu_executive_with_a_t44_offer_is_eligible_citing_each_rule() -> None:
    d = check_offer(dataclasses.replace(abroad(), citizenships=("FR",)), offer(noc="00012", code="T44"), ON, RULES)
    assert d.verdict is Verdict.ELIGIBLE
    assert {"T44.citizenship", "T44.occupation", "ICT.total"} <= set(d.rule_ids)


def test_a_non_eu_citizen_is_refused_under_t44_citizenship() -> None:
    d = check_offer(abroad(), offer(noc="00012", code="T44"), ON, RULES)
    assert d.verdict is Verdict.NOT_ELIGIBLE
    (message,) = [r.message for r in d.reasons if r.rule_id == "T44.citizenship"]
    assert message.startswith("needs citizenship of AT, BE, BG")


def test_t44_is_for_executives_and_managers_only() -> None:
    d = check_offer(dataclasses.replace(abroad(), citizenships=("DE",)), offer(noc="22310", code="T44"), ON, RULES)
    assert d.verdict is Verdict.NOT_ELIGIBLE
    assert "TEER 2 is above 1 for T44" in [r.message for r in d.reasons if r.rule_id == "T44.occupation"]


def test_first_permit_lengths_three_years_and_one_for_a_trainee() -> None:
    assert permit_months(offer(code="T41", months=None), ON, RULES) == 36
    assert permit_months(offer(code="T42", months=None), ON, RULES) == 12
    assert permit_months(offer(code="T42", months=6), ON, RULES) == 6


def test_the_eligibility_query_answers_each_code_one_per_offer() -> None:
    scenario = household(dataclasses.replace(abroad(), citizenships=("IT",)), offers=(offer(noc="21231", code="T41"),))
    answers = {a.code: a for a in evaluate(scenario, Role.PRINCIPAL, ON, RULES)}
    assert answers["T41"].verdict is Verdict.ELIGIBLE and answers["T41"].offer_ref == "acme"
    assert answers["T44"].verdict is Verdict.NOT_ELIGIBLE  # no offer under T44
    assert answers["T42"].verdict is Verdict.NOT_ELIGIBLE


def test_an_eu_specialist_abroad_is_planned_a_t41_permit_that_passes_the_validator() -> None:
    scenario = household(
        dataclasses.replace(abroad(), citizenships=("IT",)), offers=(offer(noc="21231", code="T41"),), months=36
    )
    plan = solve(scenario)  # asserts the independent validator finds nothing
    assert "T41" in codes(plan, Role.PRINCIPAL)  # after a Working Holiday (C21) while the offer waits
    (permit,) = [p for p in plan.permits if p.code == "T41"]
    assert permit.offer_ref == "acme" and not permit.open
    assert "T44.citizenship" in next(s.rule_ids for s in plan.steps if s.code == "T41")


def test_the_validator_refuses_the_same_plan_for_a_non_eu_citizen() -> None:
    scenario = household(
        dataclasses.replace(abroad(), citizenships=("IT",)), offers=(offer(noc="21231", code="T41"),), months=36
    )
    plan = solve(scenario)
    moved = dataclasses.replace(scenario, principal=abroad())
    assert "T44.citizenship" in {v.rule_id for v in validate(moved, plan, PlanOptions(time_limit_ms=5000))}


def test_a_non_eu_citizen_with_a_t41_offer_gets_no_t41_permit() -> None:
    plan = solve(household(abroad(), offers=(offer(noc="21231", code="T41"),), months=36))
    assert "T41" not in codes(plan)


def test_a_t44_transferee_grounds_the_spouses_c41_like_any_own_work_permit() -> None:
    principal = dataclasses.replace(abroad(), citizenships=("FR",))
    scenario = household(principal, spouse=abroad(), offers=(offer(noc="00012", code="T44"),), months=36)
    opts = build_options(scenario, PlanOptions(), RULES)
    (t44,) = [c for c in opts.candidates if c.code == "T44"]
    assert any(c.code == "C41" and c.source == t44.key for c in opts.candidates)

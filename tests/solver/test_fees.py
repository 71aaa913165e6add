"""Fees (rules-2026.md section 8): biometrics only when due, PR fees, the employer's fees apart from the
client's total; the planner and the independent validator agree, and the validator refuses a wrong split."""

from __future__ import annotations

import dataclasses
from typing import Any

from solver.categories import family_of
from solver.domain import CanadianStatus, Child, Plan, PlanOptions, PrApplication, Role, Scenario
from solver.rules.fees import biometrics_charged, pr_fees
from solver.rules.registry import load_rules
from solver.solve import plan
from solver.validate import check_plan, plan_context, validate
from tests.solver.factories import D, abroad, graduate, offer, permit

RULES = load_rules()
OPTIONS = PlanOptions()
P, S = Role.PRINCIPAL, Role.SPOUSE


def _graduate_plan(**changes: Any) -> tuple[Scenario, Plan]:
    scenario = Scenario(
        as_of=D("2026-12-01"), principal=graduate(**changes), offers=(offer("acme", "21231", "2027-01-04"),)
    )
    return scenario, plan(scenario, OPTIONS)


def test_biometrics_given_within_ten_years_are_not_charged_again() -> None:
    scenario, result = _graduate_plan(biometrics_given_on=D("2023-11-20"))
    check_plan(scenario, result, OPTIONS)
    pgwp = result.permits[0]
    assert (pgwp.code, pgwp.fee, pgwp.biometrics_fee) == ("C43", 255.0, 0.0)
    # The validator recomputes them on its own: charging 85 anyway is refused.
    wrong = dataclasses.replace(
        result,
        permits=(dataclasses.replace(pgwp, fee=340.0, biometrics_fee=85.0),),
    )
    assert "FEES.work_permit" in {v.rule_id for v in validate(scenario, wrong, OPTIONS)}


def test_biometrics_given_over_ten_years_ago_are_charged() -> None:
    scenario, result = _graduate_plan(biometrics_given_on=D("2015-11-20"))
    check_plan(scenario, result, OPTIONS)
    assert result.permits[0].fee == 340.0


def test_biometrics_serve_ten_years_from_the_application_that_paid_them() -> None:
    person = graduate(biometrics_given_on=D("2017-01-01"))
    days = [D("2026-12-01"), D("2027-02-01"), D("2036-01-01"), D("2037-03-01")]
    # Valid to 2026-12-31: the second application pays, and serves to 2037-01-31.
    assert biometrics_charged(person, days, RULES) == {D("2027-02-01"), D("2037-03-01")}
    assert biometrics_charged(graduate(), days[:2], RULES) == {D("2026-12-01")}


def test_pr_fees_for_applicant_accompanying_spouse_and_children() -> None:
    child = Child(D("2023-02-01"), ("NG",), True)
    family = Scenario(as_of=D("2026-12-01"), principal=graduate(), spouse=abroad(), children=(child, child))
    assert pr_fees(family, P, D("2028-02-02"), RULES) == 2 * (950 + 575) + 2 * 260
    canadian = dataclasses.replace(family, spouse=abroad(canadian_status=CanadianStatus.CITIZEN), children=())
    assert pr_fees(canadian, P, D("2028-02-02"), RULES) == 950 + 575
    submitted = dataclasses.replace(family, principal=graduate(pr_application=PrApplication("CEC", D("2026-10-01"))))
    assert pr_fees(submitted, P, D("2028-02-02"), RULES) == 0.0


def test_the_employer_fee_is_never_in_the_clients_total() -> None:
    scenario, result = _graduate_plan()
    good = dataclasses.replace(result, fees_employer=0.0)
    check_plan(scenario, good, OPTIONS)
    assert good.fees_total == good.fees_permits + good.fees_biometrics + good.fees_pr == 255 + 85 + 1525
    folded = dataclasses.replace(good, fees_total=good.fees_total + 230)
    assert "FEES.work_permit" in {v.rule_id for v in validate(scenario, folded, OPTIONS)}


def test_the_catalog_exemption_from_the_compliance_fee_holds_in_the_validator() -> None:
    # C11 (significant benefit, self-employed) names no employer who pays (catalog employer_fee_exempt).
    scenario = Scenario(as_of=D("2026-12-01"), principal=abroad())
    c11 = permit("C11", "2026-12-01", "2027-02-01", "2028-02-01", offer_ref=None, open=False)
    c63 = permit("C63", "2026-12-01", "2027-02-01", "2028-02-01", offer_ref="x")
    ctx = plan_context(scenario, dataclasses.replace(plan(scenario, OPTIONS), permits=(c11,)), OPTIONS, RULES)
    assert family_of("C11").employer_fees(ctx, c11) == 0.0
    assert family_of("C63").employer_fees(ctx, c63) == 230.0

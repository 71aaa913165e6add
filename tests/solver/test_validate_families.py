"""The validator reaches each category through its family: every family's checks run on a plan of its own, and
a code no catalog entry names is a PLAN.category violation."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from solver.categories import UnknownCategory, family_of
from solver.domain import HeldPermit, Plan, PlanOptions, Role, Scenario
from solver.rules import catalog
from solver.validate import check_plan, complete_plan, eligibility_issues, plan_context, validate
from tests.solver.factories import D, abroad, graduate, ielts, job, offer, permit, worker

OPTIONS = PlanOptions()
P, S = Role.PRINCIPAL, Role.SPOUSE


@dataclasses.dataclass(frozen=True)
class Case:
    """A valid plan holding a permit `code` of the family, and a household and plan that break `rule`."""

    scenario: Scenario
    plan: Plan
    broken: tuple[Scenario, Plan]
    rule: str
    code: str


def _pgwp() -> Case:
    scenario = Scenario(as_of=D("2026-12-01"), principal=graduate(), horizon_months=60)
    # Inside Canada: 190 days; a 50-month program gives 36 months.
    plan = complete_plan(scenario, OPTIONS, (permit("C43", "2026-12-01", "2027-06-09", "2030-06-08"),), (), None)
    held = graduate(permit_history=(HeldPermit("C43", D("2020-01-01"), D("2021-01-01")),))
    return Case(scenario, plan, (dataclasses.replace(scenario, principal=held), plan), "C43.once_per_lifetime", "C43")


def _ict_scenario(**changes: Any) -> Scenario:
    principal = abroad(language_tests=(ielts(9, "2026-05-01"),))
    scenario = Scenario(
        as_of=D("2026-10-05"),
        principal=principal,
        offers=(offer("ict", "21211", "2027-01-11", months=36, lmia_exempt_code="C63"),),
        horizon_months=48,
    )
    return dataclasses.replace(scenario, **changes)


# Outside Canada: 60 days; filed 2026-11-12 -> from 2027-01-11, 36 months to the job's end 2030-01-10.
ICT_PERMIT = permit("C63", "2026-11-12", "2027-01-11", "2030-01-10", offer_ref="ict")
ICT_JOB = job("21211", "2027-01-11", "2030-01-10", ref="ict")


def _employer() -> Case:
    scenario = _ict_scenario()
    plan = complete_plan(scenario, OPTIONS, (ICT_PERMIT,), (ICT_JOB,), (P, "CEC"))
    held = (HeldPermit("C63", D("2021-01-11"), D("2026-01-10")),)  # 60 months of C63: the C63 total
    broken = _ict_scenario(principal=dataclasses.replace(scenario.principal, permit_history=held))
    return Case(scenario, plan, (broken, plan), "ICT.total", "C63")


def _spousal() -> Case:
    scenario = _ict_scenario(spouse=abroad())
    # From abroad: 60 days; the spouse's permit ends with the principal's.
    c41 = permit("C41", "2027-02-01", "2027-04-02", "2030-01-10", person=S)
    plan = complete_plan(scenario, OPTIONS, (ICT_PERMIT, c41), (ICT_JOB,), (P, "CEC"))
    # The day before the principal's job starts.
    early = permit("C41", "2027-01-10", "2027-03-11", "2030-01-10", person=S)
    unemployed = complete_plan(scenario, OPTIONS, (ICT_PERMIT, early), (ICT_JOB,), (P, "CEC"))
    return Case(scenario, plan, (scenario, unemployed), "C41.principal_employed", "C41")


def _bowp() -> Case:
    scenario = Scenario(as_of=D("2026-11-02"), principal=worker(valid_to="2027-03-31"), horizon_months=36)
    # CEC is met on as_of; PR submitted 2026-12-02; A75 takes 120 days inside Canada, R10 30 days.
    a75 = permit("A75", "2026-12-02", "2027-04-01", "2029-03-31")
    plan = complete_plan(scenario, OPTIONS, (a75,), (job("22310", "2026-11-02", None),), (P, "CEC"))
    # The day before the PR submission.
    early = permit("A75", "2026-12-01", "2027-03-31", "2029-03-30")
    before = complete_plan(scenario, OPTIONS, (early,), (job("22310", "2026-11-02", None),), (P, "CEC"))
    return Case(scenario, plan, (scenario, before), "A75.eligible_classes", "A75")


def _iec() -> Case:
    scenario = Scenario(as_of=D("2026-10-05"), principal=abroad("FR", birth_date=D("1998-05-05")), horizon_months=36)
    # From abroad: 56 days; the French Working Holiday lasts 24 months.
    plan = complete_plan(scenario, OPTIONS, (permit("C21", "2026-10-05", "2026-11-30", "2028-11-29"),), (), None)
    too_old = dataclasses.replace(scenario, principal=abroad("FR", birth_date=D("1990-05-05")))
    return Case(scenario, plan, (too_old, plan), "C21.partner", "C21")


CASES = {"pgwp": _pgwp, "spousal": _spousal, "bowp": _bowp, "iec": _iec, "employer": _employer}


def test_every_catalog_family_has_a_case_here_or_its_own_test_file() -> None:
    # A family added after these (docs/architecture.md, "How to add a category") brings its own test file.
    own = {name for name in catalog.family_names() if (Path(__file__).parent / f"test_category_{name}.py").exists()}
    assert set(CASES) <= set(catalog.family_names())
    assert sorted(set(catalog.family_names()) - set(CASES) - own) == []


@pytest.mark.parametrize("family", sorted(CASES))
def test_each_family_checks_the_permits_of_its_codes(family: str) -> None:
    case = CASES[family]()
    assert family_of(case.code).name == family
    check_plan(case.scenario, case.plan, OPTIONS)
    assert case.rule in {v.rule_id for v in validate(*case.broken, OPTIONS)}


def test_the_family_adds_its_own_fees() -> None:
    # The IEC participation fee (FEES.iec) instead of processing, the open-permit holder fee and biometrics.
    assert _iec().plan.permits[0].fee == 184.75 + 100 + 85
    # An employer-specific permit: processing and biometrics; the compliance fee is the employer's.
    employer = _employer().plan.permits[0]
    assert (employer.fee, employer.employer_fee) == (155 + 85, 230)


def test_a_code_no_catalog_entry_names_is_a_category_violation() -> None:
    scenario = Scenario(as_of=D("2026-10-05"), principal=abroad(), horizon_months=36)
    c99 = permit("C99", "2026-10-05", "2026-12-04", "2027-12-03")
    plan = complete_plan(scenario, OPTIONS, (c99,), (), None)
    assert [(v.rule_id, v.message) for v in validate(scenario, plan, OPTIONS)] == [
        ("PLAN.category", "C99: no catalog category has this code")
    ]
    with pytest.raises(UnknownCategory):
        list(eligibility_issues(plan_context(scenario, plan, OPTIONS, None), P, scenario.principal, c99))

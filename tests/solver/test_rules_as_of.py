"""What-if plans (`PlanOptions.rules_as_of`): the rules of one date applied to every step, the facts read on each
step's own day.

A person's age, tests, completion or nomination are facts of the day a step happens, whatever rules the step is
judged by: the planner and the validator both ask the rules through a set pinned to rules_as_of
(`RuleSet.pinned`) with the step's day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from loadtests.generate import scenario as generated
from solver.domain import Finding, HeldPermit, Person, PlanOptions, Scenario
from solver.options import build_options
from solver.rules import catalog
from solver.rules.decision import cited
from solver.rules.registry import load_rules
from solver.solve import plan as solve
from solver.validate import check_plan, validate
from tests.solver.factories import D, abroad, permit
from tests.solver.planner_cases import solve as solve_valid

RULES = load_rules()
WHAT_IF_DATES = ("2024-08-28", "2024-11-01", "2025-01-21", "2025-03-11")


# --- the pinned rules ------------------------------------------------------------------------------


def test_a_pinned_rule_answers_its_version_of_the_pinned_date_on_any_date() -> None:
    # Japan: one Working Holiday participation until 2025-03-31, two from 2025-04-01 (C21.partner).
    pinned = RULES.pinned(D("2025-01-21"))
    for on in ("2020-01-01", "2025-04-01", "2030-01-01"):
        assert pinned.param("C21.partner", "countries", D(on))["JP"]["participations"] == 1
    assert RULES.param("C21.partner", "countries", D("2025-04-01"))["JP"]["participations"] == 2
    assert pinned.rule("C21.partner").breakpoints == ()
    assert pinned.version == RULES.version
    assert RULES.pinned(None) is RULES


def test_a_pinned_rule_has_always_applied_or_never_does() -> None:
    # C43.field_of_study took effect on 2024-11-01: pinned later it has always applied, pinned before never.
    assert RULES.pinned(D("2025-01-21")).rule("C43.field_of_study").effective == dt.date.min
    assert RULES.pinned(D("2024-08-28")).rule("C43.field_of_study").effective == dt.date.max
    assert not RULES.pinned(D("2024-08-28")).in_force("C43.field_of_study", D("2026-01-01"))


def test_a_pinned_finding_cites_the_version_of_the_pinned_date() -> None:
    pinned = RULES.pinned(D("2025-01-21"))
    finding = cited(pinned, Finding("C21.partner", "age"), D("2026-06-01"))
    assert finding.effective == RULES.rule("C21.partner").at(D("2025-01-21")).effective  # type: ignore[union-attr]


def test_the_catalog_under_pinned_rules_is_the_catalog_of_the_pinned_date() -> None:
    # T41 (CETA intra-company transferee) exists from 2025-02-03.
    assert "T41" in {c.code for c in catalog.categories(D("2026-01-01"), RULES)}
    assert "T41" not in {c.code for c in catalog.categories(D("2026-01-01"), RULES.pinned(D("2025-01-21")))}
    with pytest.raises(ValueError, match="2025-01-21"):
        catalog.category("T41", D("2026-01-01"), RULES.pinned(D("2025-01-21")))


# --- a person whose age crosses a bound between rules_as_of and the application day -----------------

# France: Working Holiday from 18 to 35 (C21.partner), in every version.
FRENCH = abroad("FR", birth_date=D("1989-06-01"))  # 35 on 2025-01-21, 36 from 2025-06-01


def _c21_days(scenario: Scenario, options: PlanOptions) -> list[dt.date]:
    opts = build_options(scenario, options, RULES)
    return [opts.cal.date(d) for c in opts.candidates if c.code == "C21" for d in c.apply_days]


def _household(as_of: str, person: Person) -> Scenario:
    return Scenario(as_of=D(as_of), principal=person, horizon_months=24)


def test_no_working_holiday_for_a_person_too_old_on_the_application_day_though_young_enough_on_rules_as_of() -> None:
    scenario = _household("2026-01-05", FRENCH)  # 36 on every application day
    what_if = PlanOptions(time_limit_ms=5000, rules_as_of=D("2025-01-21"))  # 35 then
    assert _c21_days(scenario, what_if) == []
    assert "C21" not in {p.code for p in solve_valid(scenario, what_if).permits}


def test_a_working_holiday_until_the_birthday_for_a_person_too_old_only_on_rules_as_of() -> None:
    scenario = _household("2025-01-06", FRENCH)  # 35 until 2025-05-31
    what_if = PlanOptions(time_limit_ms=5000, rules_as_of=D("2025-08-01"))  # 36 then
    days = _c21_days(scenario, what_if)
    assert days and days[0] == D("2025-01-06") and days[-1] == D("2025-05-31")
    solve_valid(scenario, what_if)


def test_the_validator_reads_the_age_on_the_application_day_under_rules_as_of() -> None:
    scenario = _household("2025-01-06", FRENCH)
    what_if = PlanOptions(rules_as_of=D("2025-01-21"))
    late = dataclasses.replace(
        solve(scenario, what_if), permits=(permit("C21", "2025-06-02", "2025-07-28", "2027-07-27"),)
    )
    refused = {(v.rule_id, v.message) for v in validate(scenario, late, what_if)}
    assert ("C21.partner", "C21: age 36 outside 18-35") in refused


# --- seeded households under several what-if dates --------------------------------------------------


@pytest.mark.parametrize("rules_as_of", WHAT_IF_DATES)
def test_every_generated_household_planned_under_rules_as_of_passes_the_validator(rules_as_of: str) -> None:
    # Seed 16's first 40 households hold four whose Working Holiday the planner used to grant on rules_as_of's age.
    rng = random.Random(16)
    options = PlanOptions(time_limit_ms=5000, rules_as_of=D(rules_as_of))
    for _ in range(40):
        scenario = generated(rng, horizon_months=24, offers=rng.randint(0, 1))
        check_plan(scenario, solve(scenario, options), options)


def test_closed_routes_of_a_what_if_plan_are_read_under_its_rules() -> None:
    # Japan allows a second Working Holiday from 2025-04-01 only: under the rules of 2025-01-21 the route is closed.
    held = (HeldPermit("C21", D("2023-01-10"), D("2024-01-09")),)
    scenario = _household("2026-01-05", abroad("JP", birth_date=D("2000-01-01"), permit_history=held))
    routes = solve_valid(scenario, PlanOptions(time_limit_ms=5000)).closed_routes
    assert any(r.code == "C21" and r.open for r in routes)
    what_if = solve_valid(scenario, PlanOptions(time_limit_ms=5000, rules_as_of=D("2025-01-21"))).closed_routes
    c21 = next(r for r in what_if if r.code == "C21")
    assert not c21.open and [f.rule_id for f in c21.reasons] == ["C21.partner"]
    assert "participations used" in c21.reasons[0].message

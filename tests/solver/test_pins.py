"""Pins: each kind held and shown with the step it fixed, a pin the rules refuse explained, the validator
holding a plan to its pins, the field checks, and brute-force agreement on small pinned households."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from solver.domain import InvalidScenario, Pin, PinKind, PinOutcome, Plan, PlanOptions, PlanStatus, Role, Scenario
from solver.scenario_json import parse_scenario, to_json
from solver.solve import plan as plan_for
from solver.validate import check_plan, objective_vector, validate
from tests.solver.bruteforce import optimum
from tests.solver.planner_cases import codes, graduate, household, offer, solve
from tests.solver.test_bruteforce import OPTIONS as BRUTE_OPTIONS
from tests.solver.test_bruteforce import at_basis, small_case
from tests.solver.test_time_limit import LIMIT, FakeClock, Run
from tests.solver.test_time_limit import OPTIONS as TIME_OPTIONS

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"


def couple() -> Scenario:
    """g27: both partners graduated with PGWPs; the spouse's job starts first, so the spouse leads PR."""
    parsed = parse_scenario(json.loads((GOLDEN / "g27-both-partners-working.json").read_text())["scenario"])
    assert not isinstance(parsed, InvalidScenario)
    return parsed[0]


def pinned(scenario: Scenario, *pins: Pin) -> Plan:
    return solve(dataclasses.replace(scenario, pins=pins))


def two_offers() -> Scenario:
    """A graduate with offer `a` from 2027-01-04 and offer `b` from 2027-03-01: the plan takes `a`."""
    a = offer("a", start=dt.date(2027, 1, 4))
    b = offer("b", noc="21232", start=dt.date(2027, 3, 1))
    return household(graduate(), offers=(a, b), months=36)


# --- each kind, held ---------------------------------------------------------------------------------------------


def test_an_apply_pin_fixes_the_application_day_and_shows_its_step() -> None:
    assert [p.apply_on for p in solve(two_offers()).permits] == [dt.date(2026, 12, 1)]
    day = dt.date(2027, 1, 15)
    pin = Pin(PinKind.APPLY, Role.PRINCIPAL, code="C43", apply_from=day, apply_to=day)
    p = pinned(two_offers(), pin)
    assert [(x.code, x.apply_on) for x in p.permits] == [("C43", day)]
    assert p.pins == (PinOutcome(pin, True, day, "APPLY_PERMIT", "C43"),)


def test_a_take_offer_pin_takes_the_offer_the_plan_left() -> None:
    assert [j.offer_ref for j in solve(two_offers()).jobs] == ["a"]
    pin = Pin(PinKind.TAKE_OFFER, Role.PRINCIPAL, offer_ref="b")
    p = pinned(two_offers(), pin)
    assert [j.offer_ref for j in p.jobs] == ["b"]
    assert p.pins == (PinOutcome(pin, True, dt.date(2027, 3, 1), "START_JOB", None),)


def test_a_lead_pr_pin_makes_the_other_partner_the_applicant() -> None:
    assert solve(couple()).pr_applicant is Role.SPOUSE
    pin = Pin(PinKind.LEAD_PR, Role.PRINCIPAL, program="CEC")
    p = pinned(couple(), pin)
    assert (p.pr_applicant, p.pr_program, p.pr_ready_date) == (Role.PRINCIPAL, "CEC", dt.date(2028, 2, 28))
    assert p.pins == (PinOutcome(pin, True, dt.date(2028, 2, 28), "CREATE_EE_PROFILE", "CEC"),)


def test_an_exclude_pin_keeps_the_category_out_and_fixes_no_step() -> None:
    assert "C43" in codes(solve(couple()), Role.PRINCIPAL)
    pin = Pin(PinKind.EXCLUDE, Role.PRINCIPAL, code="C43")
    p = pinned(couple(), pin)
    assert "C43" not in codes(p, Role.PRINCIPAL)
    assert p.pins == (PinOutcome(pin, True),)


# --- pins that cannot hold ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pin", "rule_id", "words"),
    [
        pytest.param(
            Pin(PinKind.APPLY, Role.PRINCIPAL, code="C43", apply_from=dt.date(2028, 1, 5)),
            "C43.application_window",
            "C43 may be applied for from 2026-12-01 to 2027-02-18 only",
            id="after the window",
        ),
        pytest.param(
            Pin(PinKind.APPLY, Role.PRINCIPAL, code="C21"),
            "C21.partner",
            "no citizenship (NG) is an IEC partner",
            id="ineligible category",
        ),
        pytest.param(
            Pin(PinKind.LEAD_PR, Role.PRINCIPAL, program="PNP"),
            "PNP.nomination",
            "no provincial nomination",
            id="program without its condition",
        ),
    ],
)
def test_a_pin_that_cannot_hold_names_itself_and_the_rule(pin: Pin, rule_id: str, words: str) -> None:
    p = pinned(couple(), pin)
    (outcome,) = p.pins
    assert not outcome.held and outcome.reason is not None
    assert outcome.reason.rule_id == rule_id
    assert outcome.reason.message.startswith(f"pins[0] ({pin.person.value.lower()} ")
    assert words in outcome.reason.message
    assert outcome.reason.source is not None
    assert outcome.reason in p.blockers
    # The plan is the one without the pin.
    unpinned = solve(couple())
    assert (p.pr_ready_date, p.permits, p.jobs) == (unpinned.pr_ready_date, unpinned.permits, unpinned.jobs)


def test_of_two_pins_only_the_one_that_cannot_hold_is_dropped() -> None:
    held = Pin(PinKind.LEAD_PR, Role.PRINCIPAL)
    refused = Pin(PinKind.APPLY, Role.SPOUSE, code="C43", apply_from=dt.date(2027, 6, 1))
    p = pinned(couple(), held, refused)
    assert [o.held for o in p.pins] == [True, False]
    assert p.pr_applicant is Role.PRINCIPAL
    assert p.pins[1].reason is not None and p.pins[1].reason.message.startswith("pins[1] (spouse applies for C43")


# --- the validator -----------------------------------------------------------------------------------------------


def test_the_validator_refuses_a_pin_shown_held_that_the_plan_breaks() -> None:
    scenario = dataclasses.replace(two_offers(), pins=(Pin(PinKind.TAKE_OFFER, Role.PRINCIPAL, offer_ref="b"),))
    plain = plan_for(two_offers(), PlanOptions(time_limit_ms=5000))
    claimed = dataclasses.replace(plain, pins=(PinOutcome(scenario.pins[0], True),))
    assert [(v.rule_id, v.message) for v in validate(scenario, claimed, PlanOptions())] == [
        ("PLAN.pins", "pins[0] is shown held but no job of offer b is held")
    ]


def test_the_validator_wants_a_blocker_for_a_pin_not_held_and_an_outcome_for_each_pin() -> None:
    pin = Pin(PinKind.EXCLUDE, Role.PRINCIPAL, code="C43")
    scenario = dataclasses.replace(two_offers(), pins=(pin,))
    plain = plan_for(two_offers(), PlanOptions(time_limit_ms=5000))
    unexplained = dataclasses.replace(plain, pins=(PinOutcome(pin, False),))
    assert [v.message for v in validate(scenario, unexplained, PlanOptions())] == [
        "pins[0] is not held and no blocker says why"
    ]
    # With no outcomes the plan is held to every pin (as brute force's plans are): this one applies for C43.
    assert [v.message for v in validate(scenario, plain, PlanOptions())] == [
        "pins[0] is shown held but C43 is applied for on 2026-12-01"
    ]
    both = dataclasses.replace(plain, pins=(PinOutcome(pin, True), PinOutcome(pin, True)))
    assert [v.message for v in validate(scenario, both, PlanOptions())] == [
        "the plan shows 2 pin outcome(s) for the 1 pin(s)"
    ]


# --- the field checks --------------------------------------------------------------------------------------------


def scenario_json(*pins: dict[str, Any], spouse: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = to_json(two_offers(), drop_none=True)
    if not spouse:
        doc.pop("spouse", None)
    doc["pins"] = list(pins)
    return doc


def errors(doc: dict[str, Any]) -> list[tuple[str, str]]:
    parsed = parse_scenario(doc)
    assert isinstance(parsed, InvalidScenario)
    return [(e.path, e.message) for e in parsed.errors]


def test_the_scenario_file_reads_pins() -> None:
    doc = scenario_json(
        {"kind": "APPLY", "person": "PRINCIPAL", "code": "C43", "applyFrom": "2027-01-15", "applyTo": "2027-01-20"},
        {"kind": "TAKE_OFFER", "person": "PRINCIPAL", "offerRef": "b"},
    )
    parsed = parse_scenario(doc)
    assert not isinstance(parsed, InvalidScenario)
    assert parsed[0].pins == (
        Pin(PinKind.APPLY, Role.PRINCIPAL, "C43", dt.date(2027, 1, 15), dt.date(2027, 1, 20)),
        Pin(PinKind.TAKE_OFFER, Role.PRINCIPAL, offer_ref="b"),
    )


def test_pin_field_errors_name_the_path_and_what_is_allowed() -> None:
    doc = scenario_json(
        {"kind": "APPLY", "person": "SPOUSE", "code": "C43"},
        {"kind": "APPLY", "person": "PRINCIPAL", "code": "Z99"},
        {"kind": "TAKE_OFFER", "person": "PRINCIPAL", "offerRef": "nope"},
        {"kind": "APPLY", "person": "PRINCIPAL", "code": "C43", "applyFrom": "2031-01-01"},
        {"kind": "LEAD_PR", "person": "PRINCIPAL", "code": "C43", "program": "FSW"},
        {"kind": "EXCLUDE", "person": "PRINCIPAL"},
        {"kind": "APPLY", "person": "PRINCIPAL", "code": "C43", "applyFrom": "2027-02-01", "applyTo": "2027-01-01"},
    )
    got = errors(doc)
    paths = [path for path, _ in got]
    assert paths == [
        "pins[0].person",
        "pins[1].code",
        "pins[2].offerRef",
        "pins[3].applyFrom",
        "pins[4].code",
        "pins[4].program",
        "pins[5].code",
        "pins[6].applyTo",
    ]
    messages = dict(got)
    assert messages["pins[0].person"].startswith("the household has no spouse")
    assert "'Z99' is not a permit category of the catalog; allowed:" in messages["pins[1].code"]
    assert messages["pins[2].offerRef"] == "no offer has ref 'nope'; the offers' refs: 'a', 'b'"
    assert messages["pins[3].applyFrom"] == "2031-01-01 is outside the plan's horizon, 2026-12-01 (asOf) to 2029-11-30"
    assert messages["pins[4].code"] == "is not read by a LEAD_PR pin, which reads program"
    assert messages["pins[4].program"] == "'FSW' is not a program the planner plans; allowed: CEC, PNP"
    assert messages["pins[5].code"] == "is required for a EXCLUDE pin"
    assert messages["pins[6].applyTo"] == "applyTo 2027-01-01 is before applyFrom 2027-02-01"


def test_a_pin_of_an_unknown_shape_is_refused_as_graphql_would() -> None:
    doc = scenario_json({"kind": "PIN", "person": "PRINCIPAL", "colour": "red"})
    assert errors(doc) == [
        (
            "pins[0].colour",
            "is not a field of PinInput; allowed: kind, person, code, applyFrom, applyTo, offerRef, program",
        ),
        ("pins[0].kind", "'PIN' is not one of APPLY, TAKE_OFFER, LEAD_PR, EXCLUDE"),
    ]


def test_pins_that_contradict_each_other_are_refused_naming_both() -> None:
    doc = scenario_json(
        {"kind": "APPLY", "person": "PRINCIPAL", "code": "C43"},
        {"kind": "EXCLUDE", "person": "PRINCIPAL", "code": "C43"},
    )
    assert errors(doc) == [("pins[1]", "PRINCIPAL cannot both apply for and exclude C43 (pins[0])")]


def test_a_pin_for_someone_elses_offer_is_refused() -> None:
    doc = scenario_json({"kind": "TAKE_OFFER", "person": "SPOUSE", "offerRef": "a"}, spouse=True)
    doc["spouse"] = doc["principal"]
    assert errors(doc) == [
        ("pins[0].offerRef", "offer 'a' is held by PRINCIPAL; a member takes only their own"),
    ]


# --- brute force -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 3])
def test_a_pinned_optimum_equals_brute_force(seed: int) -> None:
    plain = small_case(seed, 1)
    used = codes(plan_for(plain, BRUTE_OPTIONS, grid_days=60))
    assert used, "the case must apply for a permit the pin can exclude"
    pin = Pin(PinKind.EXCLUDE, Role.PRINCIPAL, code=used[0])
    scenario = dataclasses.replace(plain, pins=(pin,))
    p = plan_for(scenario, BRUTE_OPTIONS, grid_days=60)
    assert p.status is PlanStatus.OPTIMAL
    assert p.pins == (PinOutcome(pin, True),)
    assert pin.code not in codes(p)
    check_plan(scenario, p, BRUTE_OPTIONS)
    # Compared at the figure the plan was made at (a plan made at the slow figure is that figure's optimum).
    best = optimum(scenario, at_basis(scenario, p), 60)
    assert objective_vector(scenario, p, BRUTE_OPTIONS) == best.vector


def test_with_no_plan_found_in_time_no_pin_is_held_and_each_says_so() -> None:
    pin = Pin(PinKind.LEAD_PR, Role.PRINCIPAL)
    run = Run(FakeClock(), moves={"model": LIMIT})
    result = plan_for(dataclasses.replace(couple(), pins=(pin,)), TIME_OPTIONS, clock=run.clock, trace=run)
    assert result.status is PlanStatus.NO_SOLUTION
    (outcome,) = result.pins
    assert not outcome.held and outcome.reason is not None
    assert outcome.reason.rule_id == "PLAN.pins"
    assert outcome.reason.message == (
        "pins[0] (principal leads PR) cannot hold: no plan holding it was found within the time limit; try a longer"
        " timeLimitMs or without the pin"
    )
    assert result.blockers == (outcome.reason,)

"""Contract JSON <-> domain: scenario files in (with field errors by contract path), Plan JSON out."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from solver.domain import (
    DEFAULT_OBJECTIVE,
    FieldError,
    InvalidScenario,
    ObjectiveTerm,
    Plan,
    PlannedPermit,
    PlanOptions,
    PlanStatus,
    Role,
    StatusKind,
)
from solver.scenario_json import parse_document, parse_scenario, plan_to_json, read_options

SCENARIOS = Path(__file__).parent.parent / "fixtures" / "scenarios"

MINIMAL = {
    "asOf": "2026-12-01",
    "principal": {"birthDate": "1995-01-01", "citizenships": ["NG"], "inCanada": False},
}


def test_minimal_scenario_takes_the_contract_defaults() -> None:
    parsed = parse_scenario(MINIMAL)
    assert not isinstance(parsed, InvalidScenario)
    scenario, options = parsed
    assert scenario.horizon_months == 60
    assert scenario.offers == ()
    assert scenario.principal.status is None
    assert options == PlanOptions()


def test_file_with_scenario_and_options_reads_both() -> None:
    doc = json.loads((SCENARIOS / "p04-teer2-bowp.json").read_text())
    doc["options"] = {"timeLimitMs": 500, "objective": ["COST", "PR_READY"], "rulesAsOf": "2026-01-01"}
    parsed = parse_document(doc)
    assert not isinstance(parsed, InvalidScenario)
    scenario, options = parsed
    assert scenario.principal.status is not None and scenario.principal.status.kind is StatusKind.WORKER
    assert options == PlanOptions(
        time_limit_ms=500, objective=(ObjectiveTerm.COST, ObjectiveTerm.PR_READY), rules_as_of=dt.date(2026, 1, 1)
    )


def test_type_and_shape_errors_are_named_by_contract_path() -> None:
    bad = {
        "asOf": "yesterday",
        "principal": {"birthDate": "1995-01-01", "citizenships": "NG", "inCanada": "yes"},
        "offers": [{"ref": "a", "holder": "BOSS", "nocCode": 21231, "province": "ON", "hoursPerWeek": "40"}],
    }
    parsed = parse_scenario(bad, {"objective": ["FASTEST"]})
    assert isinstance(parsed, InvalidScenario)
    assert [e.path for e in parsed.errors] == [
        "asOf",
        "principal.citizenships",
        "principal.inCanada",
        "offers[0].holder",
        "offers[0].nocCode",
        "offers[0].hoursPerWeek",
        "offers[0].earliestStart",
        "options.objective[0]",
    ]


def test_impossible_facts_come_back_from_validate_scenario() -> None:
    doc = json.loads((SCENARIOS / "p05-invalid-input.json").read_text())
    parsed = parse_document(doc)
    assert parsed == InvalidScenario(
        (
            FieldError("principal.birthDate", "2030-01-01 is not before asOf 2026-12-01"),
            FieldError("offers[0].hoursPerWeek", "-5 hours per week is outside (0, 80]"),
        )
    )


def test_default_objective_when_options_name_none() -> None:
    parsed = parse_scenario(MINIMAL, {"objective": None, "itaWaitDays": 45})
    assert not isinstance(parsed, InvalidScenario)
    assert parsed[1].objective == DEFAULT_OBJECTIVE
    assert parsed[1].ita_wait_days == 45


def test_plan_json_has_exactly_the_operation_fields() -> None:
    permit = PlannedPermit(
        Role.SPOUSE,
        "C42",
        "Spouse of a student",
        True,
        dt.date(2026, 9, 14),
        dt.date(2026, 11, 13),
        dt.date(2028, 9, 30),
        340.0,
    )
    out = plan_to_json(Plan(status=PlanStatus.OPTIMAL, rules_version="v1", solve_ms=12.5, permits=(permit,)))
    assert out == {
        "__typename": "Plan",
        "status": "OPTIMAL",
        "prReadyDate": None,
        "prProgram": None,
        "prApplicant": None,
        "crsScore": None,
        "permits": [
            {
                "person": "SPOUSE",
                "code": "C42",
                "name": "Spouse of a student",
                "open": True,
                "applyOn": "2026-09-14",
                "validFrom": "2026-11-13",
                "validTo": "2028-09-30",
                "offerRef": None,
                "fee": 340.0,
            }
        ],
        "jobs": [],
        "steps": [],
        "statusGaps": [],
        "fees": {"total": 0.0},
        "blockers": [],
        "explanation": [],
        "rulesVersion": "v1",
        "solveMs": 12.5,
    }


def test_plan_options_are_checked_by_one_function_with_each_path_s_message() -> None:
    # A scenario file and planScenario cite the time limit; the stored-plan mutations never did (kept as is).
    terms = [ObjectiveTerm.COST, ObjectiveTerm.COST]
    options, errors = read_options(0, -1, None, terms)
    assert options == PlanOptions(objective=(ObjectiveTerm.COST, ObjectiveTerm.COST))
    assert errors == [
        FieldError("options.timeLimitMs", "0 must be a positive number of milliseconds"),
        FieldError("options.itaWaitDays", "-1 must not be negative"),
        FieldError("options.objective", "each objective term may appear once"),
    ]
    _, errors = read_options(0, None, None, [], cite_time_limit=False)
    assert errors == [FieldError("options.timeLimitMs", "must be a positive number of milliseconds")]
    parsed = parse_scenario(MINIMAL, {"timeLimitMs": 0})
    assert isinstance(parsed, InvalidScenario)
    assert FieldError("options.timeLimitMs", "0 must be a positive number of milliseconds") in parsed.errors

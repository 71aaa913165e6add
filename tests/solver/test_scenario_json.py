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
                "biometricsFee": 0.0,
                "employerFee": 0.0,
            }
        ],
        "jobs": [],
        "steps": [],
        "statusGaps": [],
        "fees": {"total": 0.0, "permits": 0.0, "biometrics": 0.0, "pr": 0.0, "employer": 0.0},
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


FULL = {
    "asOf": "2026-12-01",
    "horizonMonths": 48,
    "principal": {
        "birthDate": "1995-01-01",
        "citizenships": ["NG"],
        "inCanada": True,
        "status": {"kind": "WORKER", "validTo": "2027-06-30", "permitCode": "C43", "employerSpecific": False},
        "education": [
            {
                "credential": "MASTER",
                "institution": "UNIVERSITY",
                "canadian": True,
                "start": "2023-09-01",
                "completion": "2025-05-31",
                "pgwpEligibleDli": True,
            }
        ],
        "workHistory": [{"nocCode": "21231", "start": "2025-07-01", "hoursPerWeek": 40, "inCanada": True}],
        "provincialNomination": {"province": "ON", "nominatedOn": "2026-10-01", "employerRestricted": False},
    },
    "offers": [
        {
            "ref": "acme",
            "holder": "PRINCIPAL",
            "nocCode": "21231",
            "province": "ON",
            "hoursPerWeek": 40,
            "earliestStart": "2027-01-04",
        }
    ],
}


_LEFT_OUT = object()


def _with(changes: dict[str, object]) -> dict[str, object]:
    """FULL with each `a.b[0].c` path set to its value (left out for `_LEFT_OUT`)."""
    doc = json.loads(json.dumps(FULL))
    for path, value in changes.items():
        *parents, last = path.replace("[", ".").replace("]", "").split(".")
        node = doc
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is _LEFT_OUT:
            node.pop(last, None)
        else:
            node[last] = value
    return doc  # type: ignore[no-any-return]


def test_a_null_where_the_contract_has_a_default_is_an_error_naming_it() -> None:
    doc = _with(
        {
            "horizonMonths": None,
            "principal.education[0].pgwpEligibleDli": None,
            "principal.education[0].fieldOfStudyEligible": None,
            "principal.education[0].fullTime": None,
            "principal.status.employerSpecific": None,
            "principal.workHistory[0].selfEmployed": None,
            "principal.workHistory[0].whileFullTimeStudent": None,
            "principal.workHistory[0].authorized": None,
            "principal.provincialNomination.employerRestricted": None,
            "principal.languageTests": None,
            "principal.permitHistory": None,
            "offers[0].lmiaApproved": None,
        }
    )
    parsed = parse_document({"scenario": doc, "options": {"timeLimitMs": None, "itaWaitDays": None}})
    assert isinstance(parsed, InvalidScenario)
    assert sorted(parsed.errors, key=lambda e: e.path) == [
        FieldError(path, f"must not be null; omit it to use the default ({default})")
        for path, default in sorted(
            [
                ("horizonMonths", "60"),
                ("principal.education[0].pgwpEligibleDli", "false"),
                ("principal.education[0].fieldOfStudyEligible", "true"),
                ("principal.education[0].fullTime", "true"),
                ("principal.status.employerSpecific", "false"),
                ("principal.workHistory[0].selfEmployed", "false"),
                ("principal.workHistory[0].whileFullTimeStudent", "false"),
                ("principal.workHistory[0].authorized", "true"),
                ("principal.provincialNomination.employerRestricted", "false"),
                ("principal.languageTests", "[]"),
                ("principal.permitHistory", "[]"),
                ("offers[0].lmiaApproved", "false"),
                ("options.timeLimitMs", "2000"),
                ("options.itaWaitDays", "30"),
            ]
        )
    ]


def test_a_null_optional_field_is_accepted_as_if_left_out() -> None:
    optional = [
        "spouse",
        "principal.passportExpiry",
        "principal.status.permitCode",
        "principal.education[0].lengthMonths",
        "principal.education[0].studyPermitAppliedOn",
        "principal.workHistory[0].end",
        "offers[0].latestStart",
        "offers[0].months",
        "offers[0].lmiaExemptCode",
    ]
    left_out = parse_scenario(_with(dict.fromkeys(optional, _LEFT_OUT)))
    nulls = parse_document(
        {"scenario": _with(dict.fromkeys(optional)), "options": {"rulesAsOf": None, "objective": None}}
    )
    assert not isinstance(left_out, InvalidScenario)
    assert nulls == left_out


def test_a_noc_code_that_is_no_unit_group_is_refused_in_work_and_offers() -> None:
    parsed = parse_scenario(_with({"principal.workHistory[0].nocCode": "21999", "offers[0].nocCode": "00018"}))
    assert isinstance(parsed, InvalidScenario)
    assert [(e.path, e.message.split(";")[0]) for e in parsed.errors] == [
        ("principal.workHistory[0].nocCode", "'21999' is not a NOC 2021 unit group"),
        ("offers[0].nocCode", "'00018' is not a NOC 2021 unit group"),
    ]


def test_an_exemption_code_the_catalog_does_not_know_is_refused() -> None:
    parsed = parse_scenario(_with({"offers[0].lmiaExemptCode": "Z99", "principal.status.permitCode": "Z99"}))
    assert isinstance(parsed, InvalidScenario)
    assert [(e.path, e.message.split(";")[0]) for e in parsed.errors] == [
        ("principal.status.permitCode", "'Z99' is not a permit category code"),
        ("offers[0].lmiaExemptCode", "'Z99' is not a permit category code"),
    ]


def test_an_unknown_field_is_refused_as_graphql_refuses_it() -> None:
    # A file and a request with the same mistake get the same answer: GraphQL refuses an unknown input field, so
    # the file reader does too, naming the field and the allowed ones (it does not plan without the fact).
    doc = {
        **MINIMAL,
        "principal": {"birthDate": "1995-01-01", "citizenships": ["NG"], "inCanada": False, "pendingApplication": []},
        "offers": [
            {
                "ref": "a",
                "holder": "PRINCIPAL",
                "nocCode": "21231",
                "province": "ON",
                "hoursPerWeek": 40,
                "earliestStart": "2027-01-04",
                "hourlyWage": 31.5,
            }
        ],
    }
    result = parse_document({"scenario": doc, "options": {"timeLimit": 5}})
    assert isinstance(result, InvalidScenario)
    assert [e.path for e in result.errors] == [
        "principal.pendingApplication",
        "offers[0].hourlyWage",
        "options.timeLimit",
    ]
    assert result.errors[1].message.startswith("is not a field of OfferInput; allowed: ref, holder, nocCode")

"""The typed siblings of the schema's free strings, `Money`, and the typed scenario of `eligibility` and `crs`.

Each enum is held to the list the solver or the rules keep (a value the solver adds fails here, not in a
client); each typed sibling answers what its string field answers; the typed scenario answers what the JSON one
does, and is checked the same way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import strawberry

from schema.enums import (
    DrawType,
    EligibilityKind,
    PermitProgram,
    Province,
    PrProgram,
    RuleConfidence,
    StepAction,
    kind_of,
)
from schema.money import Money
from schema.planning import Plan
from schema.rules import DRAW_TYPES, RulesQuery
from solver.categories import offers
from solver.domain import PlanOptions, Scenario
from solver.fields import PROVINCES
from solver.model import decode
from solver.options import records
from solver.rules import catalog
from solver.rules.registry import CONFIDENCE_LEVELS, load_rules
from solver.solve import plan
from tests.conftest import Gql
from tests.schema.records import CREATE_HOUSEHOLD, household_input
from tests.solver.factories import D, abroad, ielts, offer

SCHEMA = strawberry.Schema(query=RulesQuery)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _run(query: str, **variables: Any) -> dict[str, Any]:
    result = SCHEMA.execute_sync(query, variable_values=variables)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def _errors(query: str, **variables: Any) -> list[str]:
    result = SCHEMA.execute_sync(query, variable_values=variables)
    assert result.errors is not None
    return [e.message for e in result.errors]


def _scenario(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((FIXTURES / "scenarios" / f"{name}.json").read_text())
    return doc["scenario"]  # type: ignore[no-any-return]


def _values(cls: type[Any]) -> set[str]:
    return {str(member.value) for member in cls}


# --- each enum is the solver's or the rules' list ---------------------------------------------------


def test_province_is_the_list_the_contract_strings_are_checked_against() -> None:
    assert _values(Province) == set(PROVINCES)


def test_pr_program_is_every_program_the_rules_know() -> None:
    rule = load_rules().rules["PR.programs"]
    assert _values(PrProgram) == {p for v in rule.versions for p in v.params["programs"]}


def test_step_action_is_every_action_the_planner_writes() -> None:
    written = {
        value
        for module in (decode, records, offers)
        for name, value in vars(module).items()
        if name.startswith("ACTION_") and isinstance(value, str)
    }
    assert _values(StepAction) == written | {"APPLY_BOWP"}  # A75's candidates name their action in bowp.py


def test_the_other_closed_sets() -> None:
    assert _values(RuleConfidence) == set(CONFIDENCE_LEVELS)
    assert _values(DrawType) == set(DRAW_TYPES)
    assert _values(EligibilityKind) == {"PERMIT", "PR"}
    assert _values(PermitProgram) == {c.program for c in catalog.categories(D("2026-06-01"), load_rules())}


def test_a_value_this_version_does_not_know_is_null_not_an_error() -> None:
    assert kind_of(PrProgram, "CEC") is PrProgram.CEC
    assert kind_of(PrProgram, "EXPRESS") is None
    assert kind_of(PrProgram, None) is None


# --- Money ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dollars", "amount", "cents"),
    [(155.0, "155.00", 15500), (246.25, "246.25", 24625), (0.1 + 0.2, "0.30", 30), (0.0, "0.00", 0)],
    ids=["whole", "quarters", "float tail", "zero"],
)
def test_money_is_exact(dollars: float, amount: str, cents: int) -> None:
    assert Money.cad(dollars) == Money(amount=amount, cents=cents, currency=Money.cad(0).currency)
    assert Money.cad(dollars).currency.name == "CAD"


def test_a_plans_money_fields_and_step_kinds_answer_what_the_strings_do() -> None:
    scenario = Scenario(
        as_of=D("2026-10-05"),
        principal=abroad(language_tests=(ielts(9, "2026-08-01"),)),
        offers=(offer("hq", "00012", "2027-01-11", months=36, lmia_exempt_code="C62"),),
        horizon_months=48,
    )
    served = Plan.of(plan(scenario, PlanOptions()))
    fees = served.fees
    assert [m.amount for m in (fees.total_money(), fees.permits_money(), fees.biometrics_money())] == [
        "1765.00",
        "155.00",
        "85.00",
    ]
    assert (fees.pr_money().cents, fees.employer_money().cents) == (152500, 23000)
    [c62] = served.permits
    assert (c62.fee_money().amount, c62.biometrics_fee_money().amount, c62.employer_fee_money().amount) == (
        "240.00",
        "85.00",
        "230.00",
    )
    assert served.pr_program is not None and served.pr_program_kind() is PrProgram(served.pr_program)
    assert [s.action_kind() for s in served.steps] == [StepAction(s.action) for s in served.steps]
    assert all(d.step_action_kind() == kind_of(StepAction, d.step_action) for d in served.deadlines)


def test_a_categorys_program_and_fees_typed() -> None:
    data = _run(
        """{ permitCategory(code: "C43", asOf: "2026-06-01") { program programKind processingFee
            processingFeeMoney { amount cents currency } openPermitHolderFeeMoney { amount } } }"""
    )["permitCategory"]
    assert data == {
        "program": "IMP",
        "programKind": "IMP",
        "processingFee": 155.0,
        "processingFeeMoney": {"amount": "155.00", "cents": 15500, "currency": "CAD"},
        "openPermitHolderFeeMoney": {"amount": "100.00"},
    }


def test_rule_confidence_is_an_enum_with_the_same_values() -> None:
    rows = _run('{ rules(program: "C43") { id confidence } }')["rules"]
    assert rows and {r["confidence"] for r in rows} <= {"H", "M", "L"}


# --- the typed scenario of eligibility and crs ------------------------------------------------------

ELIGIBILITY_TYPED = """query($s: ScenarioInput!) { eligibility(scenarioInput: $s, person: SPOUSE) {
    code kind verdict eligibleFrom missing reasons { ruleId source } } }"""
ELIGIBILITY_JSON = """query($s: JSON!) { eligibility(scenario: $s, person: SPOUSE) {
    code kind verdict eligibleFrom missing reasons { ruleId source } } }"""


def test_eligibility_takes_a_typed_scenario_and_answers_as_the_json_one() -> None:
    facts = _scenario("p02-spouse-of-master-student")
    typed = _run(ELIGIBILITY_TYPED, s=facts)["eligibility"]
    assert typed == _run(ELIGIBILITY_JSON, s=facts)["eligibility"]
    rows = {r["code"]: r for r in typed}
    assert (rows["C42"]["verdict"], rows["C42"]["eligibleFrom"], rows["CEC"]["kind"]) == (
        "ELIGIBLE",
        "2026-09-14",
        "PR",
    )


def test_crs_takes_a_typed_scenario_and_a_draw_enum() -> None:
    facts = _scenario("p04-teer2-bowp")
    fields = "total latestCutoff { date type score }"
    typed = _run(f"query($s: ScenarioInput!) {{ crs(scenarioInput: $s, draw: CEC) {{ {fields} }} }}", s=facts)
    assert typed == _run(f'query($s: JSON!) {{ crs(scenario: $s, drawType: "CEC") {{ {fields} }} }}', s=facts)
    assert typed["crs"] == {"total": 175, "latestCutoff": {"date": "2026-01-07", "type": "CEC", "score": 511}}


def test_the_typed_scenario_is_checked_as_plan_scenarios_is() -> None:
    facts = _scenario("p04-teer2-bowp")
    facts["principal"]["citizenships"] = ["XX"]
    [message] = _errors("query($s: ScenarioInput!) { crs(scenarioInput: $s) { total } }", s=facts)
    assert message.startswith("scenarioInput.principal.citizenships[0]: 'XX' is not an ISO 3166-1")


def test_one_scenario_and_one_draw_type() -> None:
    facts = _scenario("p04-teer2-bowp")
    both = "query($s: ScenarioInput!, $j: JSON!) { eligibility(scenarioInput: $s, scenario: $j) { code } }"
    assert _errors(both, s=facts, j=facts) == [
        "give exactly one of scenarioInput and scenario (deprecated, the same facts as JSON)"
    ]
    assert _errors("{ eligibility { code } }") == [
        "give exactly one of scenarioInput and scenario (deprecated, the same facts as JSON)"
    ]
    clash = 'query($s: ScenarioInput!) { crs(scenarioInput: $s, draw: PNP, drawType: "STEM") { total } }'
    assert _errors(clash, s=facts) == ["drawType 'STEM' and draw PNP disagree; give draw alone"]


def test_the_json_scenario_and_draw_type_are_deprecated_not_gone() -> None:
    crs = SCHEMA._schema.query_type.fields["crs"]  # type: ignore[union-attr]
    assert crs.args["scenario"].deprecation_reason is not None
    assert crs.args["drawType"].deprecation_reason is not None
    assert str(crs.args["scenarioInput"].type) == "ScenarioInput"
    eligibility = SCHEMA._schema.query_type.fields["eligibility"]  # type: ignore[union-attr]
    assert eligibility.args["scenario"].deprecation_reason is not None


# --- through the served schema, on a stored household --------------------------------------------------

STORED_OFFER = """query($id: ID!) { household(id: $id) { ... on Household {
    offers { province provinceCode hourlyWage hourlyWageMoney { amount cents currency } } } } }"""


async def test_a_stored_offers_province_and_wage_typed(gql: Gql) -> None:
    created = await gql(CREATE_HOUSEHOLD, {"input": household_input()})
    household_id = created["createHousehold"]["household"]["id"]
    data = await gql(STORED_OFFER, {"id": household_id})
    assert data["household"]["offers"] == [
        {
            "province": "ON",
            "provinceCode": "ON",
            "hourlyWage": 48.0,
            "hourlyWageMoney": {"amount": "48.00", "cents": 4800, "currency": "CAD"},
        }
    ]


async def test_the_served_schema_answers_a_typed_scenario(gql: Gql) -> None:
    data = await gql(
        "query($s: ScenarioInput!) { eligibility(scenarioInput: $s) { code kind } crs(scenarioInput: $s, draw: CEC) "
        "{ total } }",
        {"s": _scenario("p04-teer2-bowp")},
    )
    assert data["crs"] == {"total": 175}
    assert {"code": "CEC", "kind": "PR"} in data["eligibility"]


async def test_an_audit_entrys_action_typed(gql: Gql) -> None:
    await gql(CREATE_HOUSEHOLD, {"input": household_input()})
    data = await gql("{ auditLog(first: 50) { edges { node { action actionKind recordType } } } }")
    pairs = {(e["node"]["action"], e["node"]["actionKind"]) for e in data["auditLog"]["edges"]}
    assert pairs == {("create", "CREATE")}

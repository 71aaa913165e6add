"""The GraphQL `Fees` and `PlannedPermit` carry the split: the client's total and its parts, the employer's."""

from __future__ import annotations

from schema.planning import Fees, Plan
from solver.domain import PlanOptions, Scenario
from solver.solve import plan
from tests.solver.factories import D, abroad, ielts, offer


def test_plan_fees_split_into_the_clients_and_the_employers() -> None:
    scenario = Scenario(
        as_of=D("2026-10-05"),
        principal=abroad(language_tests=(ielts(9, "2026-08-01"),)),
        offers=(offer("hq", "00012", "2027-01-11", months=36, lmia_exempt_code="C62"),),
        horizon_months=48,
    )
    served = Plan.of(plan(scenario, PlanOptions()))
    assert served.fees == Fees(total=1765.0, permits=155.0, biometrics=85.0, pr=1525.0, employer=230.0)
    [c62] = served.permits
    assert (c62.code, c62.fee, c62.biometrics_fee, c62.employer_fee) == ("C62", 240.0, 85.0, 230.0)

"""The plan cache key: equal requests hash equal, any fact, option or rules change hashes differently."""

from __future__ import annotations

import dataclasses
import datetime as dt

from solver.domain import ObjectiveTerm, Offer, Person, PlanOptions, Role, Scenario
from solver.fingerprint import plan_key

PERSON = Person(birth_date=dt.date(1995, 1, 1), citizenships=("IN",), in_canada=True)
OFFER = Offer(
    ref="a", holder=Role.PRINCIPAL, noc_code="21231", province="ON", hours_per_week=40.0,
    earliest_start=dt.date(2027, 1, 1),
)  # fmt: skip
SCENARIO = Scenario(as_of=dt.date(2026, 12, 1), principal=PERSON, offers=(OFFER,))


def test_equal_requests_have_equal_keys() -> None:
    again = Scenario(as_of=dt.date(2026, 12, 1), principal=dataclasses.replace(PERSON), offers=(OFFER,))
    assert plan_key(SCENARIO, PlanOptions(), "v1") == plan_key(again, PlanOptions(), "v1")


def test_whole_floats_and_ints_hash_alike() -> None:
    forty = dataclasses.replace(OFFER, hours_per_week=40)
    assert plan_key(SCENARIO, PlanOptions(), "v1") == plan_key(
        dataclasses.replace(SCENARIO, offers=(forty,)), PlanOptions(), "v1"
    )


def test_the_time_limit_does_not_change_the_key() -> None:
    assert plan_key(SCENARIO, PlanOptions(time_limit_ms=50), "v1") == plan_key(SCENARIO, PlanOptions(), "v1")


def test_facts_options_and_rules_change_the_key() -> None:
    base = plan_key(SCENARIO, PlanOptions(), "v1")
    changed = [
        plan_key(dataclasses.replace(SCENARIO, horizon_months=48), PlanOptions(), "v1"),
        plan_key(
            dataclasses.replace(SCENARIO, offers=(dataclasses.replace(OFFER, hours_per_week=39.5),)),
            PlanOptions(),
            "v1",
        ),
        plan_key(SCENARIO, PlanOptions(objective=(ObjectiveTerm.COST,)), "v1"),
        plan_key(SCENARIO, PlanOptions(rules_as_of=dt.date(2025, 1, 1)), "v1"),
        plan_key(SCENARIO, PlanOptions(), "v2"),
    ]
    assert base not in changed
    assert len(set(changed)) == len(changed)

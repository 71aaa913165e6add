"""Restoration as a planned step and visitors' applications: the planner plans them, the validator refuses a plan
that breaks them (STATUS.restoration, FEES.restoration, STATUS.visitor_work_permit, STATUS.r199)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from solver.domain import InvalidScenario, Plan, PlannedJob, PlanOptions, Scenario
from solver.model.constraints.visitors import policy_last_day
from solver.options import build_options
from solver.rules.registry import load_rules
from solver.rules.status import visitor_may_apply_inside
from solver.scenario_json import parse_scenario
from solver.solve import plan as solve
from solver.validate import check_plan, validate

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
D = dt.date.fromisoformat


def planned(name: str) -> tuple[Scenario, PlanOptions, Plan]:
    """A golden household, planned and passed through the validator."""
    doc = json.loads((GOLDEN / f"{name}.json").read_text())
    parsed = parse_scenario(doc["scenario"], doc.get("options"))
    assert not isinstance(parsed, InvalidScenario)
    scenario, options = parsed
    options = dataclasses.replace(options, time_limit_ms=max(options.time_limit_ms, 20_000))
    plan = solve(scenario, options)
    check_plan(scenario, plan, options)
    return scenario, options, plan


def violated(scenario: Scenario, plan: Plan, options: PlanOptions) -> set[str]:
    return {v.rule_id for v in validate(scenario, plan, options)}


def test_the_visitor_policy_is_a_dated_parameter() -> None:
    rules = load_rules()
    assert visitor_may_apply_inside(D("2024-08-27"), rules)
    assert not visitor_may_apply_inside(D("2024-08-28"), rules)
    assert not visitor_may_apply_inside(D("2020-08-23"), rules)


def test_a_visitor_may_apply_inside_only_on_days_the_policy_ran() -> None:
    scenario, options, _ = planned("g65-visitor-lmia-offer-outside")
    rules = load_rules()
    assert policy_last_day(build_options(scenario, options, rules)) == -1
    what_if = dataclasses.replace(options, rules_as_of=D("2024-06-01"))
    opts = build_options(scenario, what_if, rules)
    assert policy_last_day(opts) == opts.cal.horizon - 1


def test_a_restoring_application_pays_the_restoration_fee() -> None:
    scenario, options, plan = planned("g60-pgwp-ended-restore-with-t36")
    (permit,) = plan.permits
    # The client's fee: restoration with the permit and biometrics; the compliance fee is the employer's.
    assert (permit.fee, permit.employer_fee) == (401.25 + 85, 230)
    plain = dataclasses.replace(permit, fee=155 + 85)
    broken = dataclasses.replace(plan, permits=(plain,), fees_total=plain.fee, fees_permits=155)
    assert "FEES.work_permit" in violated(scenario, broken, options)


def test_no_work_while_restoring() -> None:
    scenario, options, plan = planned("g60-pgwp-ended-restore-with-t36")
    (permit,) = plan.permits
    early = tuple(
        dataclasses.replace(j, start=permit.apply_on) if j.offer_ref == permit.offer_ref else j for j in plan.jobs
    )
    assert all(isinstance(j, PlannedJob) for j in early)
    broken = dataclasses.replace(plan, jobs=early)
    assert "STATUS.work_authorized" in violated(scenario, broken, options)


def test_restoration_closes_after_its_days() -> None:
    scenario, options, plan = planned("g60-pgwp-ended-restore-with-t36")
    (permit,) = plan.permits
    late_apply = D("2027-01-31")  # the day after the 90 days from 2026-11-01
    shift = (late_apply - permit.apply_on).days
    late = dataclasses.replace(
        permit,
        apply_on=late_apply,
        valid_from=permit.valid_from + dt.timedelta(days=shift),
        valid_to=permit.valid_to + dt.timedelta(days=shift),
    )
    jobs = tuple(dataclasses.replace(j, start=late.valid_from) if j.offer_ref else j for j in plan.jobs)
    broken = dataclasses.replace(plan, permits=(late,), jobs=jobs)
    assert "STATUS.restoration" in violated(scenario, broken, options)


def test_a_visitor_may_not_apply_inside_without_an_r199_ground() -> None:
    scenario, options, plan = planned("g65-visitor-lmia-offer-outside")
    (permit,) = plan.permits
    assert any("STATUS.visitor_work_permit" in s.rule_ids for s in plan.steps)
    assert not any(d.rule_id == "STATUS.maintained" for d in plan.deadlines)
    what_if = dataclasses.replace(options, rules_as_of=D("2024-06-01"))
    _, _, old = planned("g67-visitor-what-if-2024-policy")
    (inside,) = old.permits
    # The 2024 plan's inside application, judged by today's rules: refused as a visitor's in-Canada application.
    assert "STATUS.visitor_work_permit" in violated(scenario, old, options)
    assert violated(scenario, old, what_if) == set()
    assert inside.valid_from > permit.valid_from  # inside processing is longer than outside processing here


def test_a_visitor_spouse_applies_inside_on_an_r199_ground() -> None:
    _, _, plan = planned("g66-visitor-spouse-c41-inside")
    (c41,) = [p for p in plan.permits if p.code == "C41"]
    assert any(s.code == "C41" and "STATUS.maintained" in s.rule_ids for s in plan.steps)
    assert c41.apply_on <= D("2027-02-28")

"""OFFER.extension: an employer-specific permit extended once for the same job, filed in Canada lead_days before
it ends (maintained status), for the months its code allows; the validator's own reading of an extension."""

from __future__ import annotations

import dataclasses
import datetime as dt

from solver.dates import add_days, add_months
from solver.domain import HeldPermit, Plan, PlanOptions, Role, Scenario
from solver.options import build_options
from solver.rules.registry import load_rules
from solver.solve import extensions_left_out
from solver.validate import validate
from tests.solver.planner_cases import abroad, household, offer, solve

OPTIONS = PlanOptions(time_limit_ms=5000)


def _ict(months: int | None = None, history: tuple[HeldPermit, ...] = ()) -> tuple[Plan, Scenario]:
    principal = dataclasses.replace(abroad(clb=4), permit_history=history)
    scenario = household(principal, offers=(offer("ict", noc="21211", months=months, code="C63"),), months=72)
    return solve(scenario, OPTIONS), scenario


def test_an_open_ended_transfer_is_renewed_for_renewal_months_filed_lead_days_before_the_end() -> None:
    plan, _ = _ict()
    first, renewal = [p for p in plan.permits if p.code == "C63"]
    assert renewal.apply_on == add_days(first.valid_to, -30)
    assert first.valid_from < renewal.apply_on <= first.valid_to
    # C63.occupation: 36 months first, renewals of 24, 60 in total.
    assert renewal.valid_to == add_days(add_months(renewal.valid_from, 24), -1)
    assert not [g for g in plan.status_gaps if g.person is Role.PRINCIPAL]
    assert any(s.action == "EXTEND_PERMIT" and "OFFER.extension" in s.rule_ids for s in plan.steps)


def test_months_held_before_shorten_the_renewal_to_what_is_left_of_the_total() -> None:
    held = HeldPermit("C62", dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    plan, _ = _ict(history=(held,))
    _, renewal = [p for p in plan.permits if p.code == "C63"]
    # 60 months in all: 12 held, 36 first, so 12 are left.
    assert renewal.valid_to == add_days(add_months(renewal.valid_from, 12), -1)


def test_a_job_no_longer_than_its_permit_is_not_extended() -> None:
    plan, _ = _ict(months=24)
    assert [p.code for p in plan.permits] == ["C63"]


def test_the_validator_refuses_an_extension_its_code_does_not_plan() -> None:
    plan, scenario = _ict()
    offers = tuple(dataclasses.replace(o, lmia_exempt_code="C16") for o in scenario.offers)
    as_c16 = dataclasses.replace(scenario, offers=offers)
    renamed = tuple(dataclasses.replace(p, code="C16") for p in plan.permits)
    found = {v.rule_id for v in validate(as_c16, dataclasses.replace(plan, permits=renamed), OPTIONS)}
    assert "OFFER.extension" in found


def test_the_validator_refuses_a_renewal_longer_than_its_rule() -> None:
    plan, scenario = _ict()
    first, renewal = [p for p in plan.permits if p.code == "C63"]
    longer = dataclasses.replace(renewal, valid_to=add_days(add_months(renewal.valid_from, 36), -1))
    broken = dataclasses.replace(plan, permits=(first, longer))
    assert "PLAN.duration" in {v.rule_id for v in validate(scenario, broken, OPTIONS)}


def _many(offers: int) -> Scenario:
    """An open-ended transfer and `offers - 1` Francophone Mobility offers, which need French the principal lacks."""
    ict = offer("ict", noc="21211", code="C63")
    others = [offer(f"o{i}", noc="21231", code="C16") for i in range(offers - 1)]
    return household(abroad(clb=4), offers=(ict, *others), months=72)


def test_a_household_of_more_than_max_offers_is_searched_without_extensions() -> None:
    assert not extensions_left_out(build_options(_many(2), OPTIONS, load_rules()))
    assert extensions_left_out(build_options(_many(3), OPTIONS, load_rules()))


def test_the_plan_of_a_household_searched_without_extensions_is_extended_after() -> None:
    plan = solve(_many(3), OPTIONS)
    first, renewal = [p for p in plan.permits if p.code == "C63"]
    assert renewal.apply_on == add_days(first.valid_to, -30)
    assert not [g for g in plan.status_gaps if g.person is Role.PRINCIPAL]


def test_the_spouse_s_open_permit_is_renewed_with_the_principal_s_extension() -> None:
    ict = offer("ict", noc="21211", code="C63")
    scenario = household(abroad(clb=4), spouse=abroad(clb=4), offers=(ict,), months=72)
    plan = solve(scenario, OPTIONS)
    (_, extension) = [p for p in plan.permits if p.code == "C63"]
    first, renewal = [p for p in plan.permits if p.code == "C41"]
    assert first.valid_to == add_days(extension.apply_on, 30)  # the C41 ran to the principal's first permit's end
    assert (renewal.apply_on, renewal.valid_to) == (extension.apply_on, extension.valid_to)
    assert any(s.person is Role.SPOUSE and s.action == "EXTEND_PERMIT" for s in plan.steps)
    # Filed on another day than the principal's extension, it is no renewal: the permit held then ends too soon.
    late = dataclasses.replace(renewal, apply_on=add_days(renewal.apply_on, 1))
    broken = dataclasses.replace(plan, permits=tuple(late if p is renewal else p for p in plan.permits))
    assert "C41.principal_validity" in {v.rule_id for v in validate(scenario, broken, OPTIONS)}

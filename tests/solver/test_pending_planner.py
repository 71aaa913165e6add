"""The planner on the client file as it stands: filings kept as filed, a Canadian partner left unplanned."""

from __future__ import annotations

import dataclasses
import datetime as dt

from solver.domain import CanadianStatus, PendingApplication, PlanOptions, PrApplication, Role
from solver.options import build_options
from solver.rules.registry import load_rules
from tests.solver.planner_cases import AS_OF, abroad, graduate, household, solve, worker

P, S = Role.PRINCIPAL, Role.SPOUSE


def test_a_filing_whose_processing_has_run_out_is_decided_on_as_of_not_before() -> None:
    # Filed 190 days + a month before as_of: still pending today, so decided today at the earliest.
    filed_on = AS_OF - dt.timedelta(days=220)
    grad = dataclasses.replace(graduate(), pending_applications=(PendingApplication("C43", filed_on),))
    plan = solve(household(grad))
    pgwp = next(p for p in plan.permits if p.code == "C43")
    assert (pgwp.apply_on, pgwp.valid_from, pgwp.fee) == (filed_on, AS_OF, 0.0)
    assert [s.action for s in plan.steps if s.code == "C43"] == ["PENDING"]


def test_a_canadian_partner_is_never_planned_and_never_without_status() -> None:
    citizen = dataclasses.replace(worker(), status=None, canadian_status=CanadianStatus.CITIZEN)
    plan = solve(household(worker(), spouse=citizen))
    assert not [p for p in plan.permits if p.person is S]
    assert not [g for g in plan.status_gaps if g.person is S]
    assert plan.pr_applicant is not S


def test_a_canadian_partner_has_no_candidates_and_gives_none_to_rest_on() -> None:
    citizen = dataclasses.replace(worker(), status=None, canadian_status=CanadianStatus.PERMANENT_RESIDENT)
    opts = build_options(household(citizen, spouse=worker()), PlanOptions(), load_rules())
    assert not [c for c in opts.candidates if c.person is P]
    assert not [c for c in opts.candidates if c.code in ("C41", "C42", "C49")]


def test_a_submitted_pr_application_is_the_plans_and_no_new_one_is_planned() -> None:
    submitted = AS_OF - dt.timedelta(days=10)
    applicant = dataclasses.replace(worker(), pr_application=PrApplication("CEC", submitted, submitted))
    plan = solve(household(applicant))
    assert (plan.pr_program, plan.pr_applicant, plan.pr_ready_date) == ("CEC", P, submitted)
    assert [s.action for s in plan.steps if s.action in ("CREATE_EE_PROFILE", "SUBMIT_PR")] == []


def test_a_spouses_c41_filed_from_abroad_rests_on_the_permit_the_principal_held_then() -> None:
    spouse = dataclasses.replace(
        abroad(), pending_applications=(PendingApplication("C41", dt.date(2026, 11, 1), inside_canada=False),)
    )
    plan = solve(household(worker(valid_to=dt.date(2029, 6, 30)), spouse=spouse))
    c41 = next(p for p in plan.permits if p.person is S)
    # Processed as filed from outside Canada (60 days as on the filing day), to the principal's permit's end.
    assert (c41.code, c41.apply_on, c41.valid_from, c41.valid_to, c41.fee) == (
        "C41",
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 31),
        dt.date(2029, 6, 30),
        0.0,
    )

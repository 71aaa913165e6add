"""The validator on the client file as it stands: pending applications, a submitted PR application, a Canadian
partner (issue 12). Hand-written plans, hand-computed dates."""

from __future__ import annotations

import dataclasses

from solver.domain import (
    CanadianStatus,
    PendingApplication,
    Plan,
    PlanOptions,
    PrApplication,
    Role,
    Scenario,
    StatusGap,
)
from solver.validate import check_plan, complete_plan, validate
from tests.solver.factories import D, graduate, job, offer, permit, worker

OPTIONS = PlanOptions()
P, S = Role.PRINCIPAL, Role.SPOUSE

# A bachelor's graduate (50 months: a 36-month PGWP) whose study permit ended on completion + 90 days
# (2026-09-13); the PGWP was filed in Canada on 2026-08-20, before that: pending on as_of, decided 190 days
# after filing (2027-02-26), with full-time work meanwhile (C43.work_while_pending).
FILED_PGWP = PendingApplication("C43", D("2026-08-20"))
GRAD = Scenario(
    as_of=D("2026-12-01"),
    principal=graduate(completion="2026-06-15", study_valid_to="2026-12-31", pending_applications=(FILED_PGWP,)),
    offers=(offer("acme", "21231", "2026-12-07"),),
    horizon_months=36,
)
PGWP = permit("C43", "2026-08-20", "2027-02-26", "2030-02-25")
ACME = job("21231", "2026-12-07", None, ref="acme")


def rule_ids(scenario: Scenario, plan: Plan) -> set[str]:
    return {v.rule_id for v in validate(scenario, plan, OPTIONS)}


def grad_plan(*permits: object) -> Plan:
    return complete_plan(GRAD, OPTIONS, permits, (ACME,), None)  # type: ignore[arg-type]


def test_a_pending_pgwp_is_a_permit_applied_for_before_as_of_with_fee_0_and_maintained_status() -> None:
    plan = grad_plan(PGWP)
    check_plan(GRAD, plan, OPTIONS)
    assert plan.permits[0].fee == 0.0
    assert plan.status_gaps == ()
    assert plan.objective_values["WORK_CONTINUITY"] == 0


def test_a_plan_that_drops_a_pending_application_is_refused() -> None:
    assert "PLAN.pending" in rule_ids(GRAD, grad_plan())


def test_a_second_application_of_the_code_while_one_is_pending_is_refused() -> None:
    again = permit("C43", "2026-12-01", "2027-06-09", "2030-06-08")
    assert "PLAN.pending" in rule_ids(GRAD, grad_plan(PGWP, again))


def test_a_pending_application_is_decided_after_processing_from_its_filing_day() -> None:
    from_as_of = permit("C43", "2026-08-20", "2027-06-09", "2030-06-08")
    assert "PROCESSING.inside_canada" in rule_ids(GRAD, grad_plan(from_as_of))


def test_a_permit_applied_for_before_as_of_that_the_file_does_not_hold_is_refused() -> None:
    other_day = permit("C43", "2026-08-21", "2027-02-27", "2030-02-26")
    assert {"PLAN.horizon", "PLAN.pending"} <= rule_ids(GRAD, grad_plan(other_day))


def test_a_pending_application_is_free_in_the_plan() -> None:
    plan = grad_plan(PGWP)
    charged = dataclasses.replace(plan, permits=(dataclasses.replace(PGWP, fee=255.0),), fees_total=255.0)
    assert "FEES.work_permit" in rule_ids(GRAD, charged)


# A worker whose PGWP ended on 2026-10-15 filed an LMIA-based permit with restoration on 2026-11-20: no status
# and no work from as_of to the decision (2027-05-29).
RESTORING = Scenario(
    as_of=D("2026-12-01"),
    principal=worker(
        valid_to="2026-10-15",
        pending_applications=(PendingApplication("TFWP", D("2026-11-20"), with_restoration=True, offer_ref="care"),),
    ),
    offers=(offer("care", "33102", "2026-12-01", months=24, lmia_approved=True),),
    horizon_months=36,
)


def test_a_filing_with_restoration_leaves_a_gap_to_its_decision() -> None:
    tfwp = permit("TFWP", "2026-11-20", "2027-05-29", "2029-05-28", offer_ref="care")
    plan = complete_plan(RESTORING, OPTIONS, (tfwp,), (job("33102", "2027-05-29", "2029-05-28", ref="care"),), None)
    check_plan(RESTORING, plan, OPTIONS)
    # The second gap is after the permit ends: nothing else is planned here.
    assert plan.status_gaps[0] == StatusGap(P, D("2026-12-01"), D("2027-05-28"), False)


def test_no_work_while_a_restoration_is_pending() -> None:
    tfwp = permit("TFWP", "2026-11-20", "2027-05-29", "2029-05-28", offer_ref="care")
    early = complete_plan(RESTORING, OPTIONS, (tfwp,), (job("33102", "2026-12-01", "2028-11-30", ref="care"),), None)
    assert "STATUS.work_authorized" in rule_ids(RESTORING, early)


# --- a Canadian partner and a submitted PR application --------------------------------------------------

CITIZEN = dataclasses.replace(worker(valid_to="2030-01-01"), status=None, canadian_status=CanadianStatus.CITIZEN)


def test_a_canadian_partner_holds_no_permit_and_has_no_gap() -> None:
    scenario = Scenario(D("2026-12-01"), CITIZEN, spouse=worker(valid_to="2029-01-01"), horizon_months=24)
    check_plan(scenario, complete_plan(scenario, OPTIONS, (), (), None), OPTIONS)
    with_permit = complete_plan(scenario, OPTIONS, (permit("C43", "2026-12-01", "2027-06-09", "2030-06-08"),), (), None)
    assert "PLAN.canadian" in rule_ids(scenario, with_permit)


def test_a_submitted_pr_application_is_the_plans_pr_program_applicant_and_date() -> None:
    spouse = worker(valid_to="2029-01-01", pr_application=PrApplication("SPOUSAL", D("2026-10-01"), D("2026-11-01")))
    scenario = Scenario(D("2026-12-01"), CITIZEN, spouse=spouse, horizon_months=24)
    base = complete_plan(scenario, OPTIONS, (), (), None)
    right = dataclasses.replace(
        base, pr_program="SPOUSAL", pr_applicant=S, pr_ready_date=D("2026-10-01"), objective_values={}
    )
    assert "PLAN.pr" not in rule_ids(scenario, right)
    assert "PLAN.pr" in rule_ids(scenario, dataclasses.replace(right, pr_ready_date=D("2026-12-01")))
    assert "PLAN.pr" in rule_ids(scenario, dataclasses.replace(right, pr_program="CEC"))


def test_c49_rests_on_an_economic_pr_application_only() -> None:
    spouse = worker(valid_to="2029-01-01")
    principal = worker(valid_to="2029-06-01", pr_application=PrApplication("SPOUSAL", D("2026-10-01")))
    scenario = Scenario(D("2026-12-01"), principal, spouse=spouse, horizon_months=24)
    c49 = permit("C49", "2026-12-01", "2027-06-09", "2029-06-01", person=S)
    plan = dataclasses.replace(
        complete_plan(scenario, OPTIONS, (c49,), (), None),
        pr_program="SPOUSAL",
        pr_applicant=P,
        pr_ready_date=D("2026-10-01"),
        objective_values={},
    )
    assert "C49.principal_pr_applicant" in rule_ids(scenario, plan)

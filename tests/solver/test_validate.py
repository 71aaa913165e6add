"""The validator on hand-written plans: one valid plan per situation, then each kind of broken plan."""

from __future__ import annotations

import dataclasses

import pytest

from solver.categories import family_of
from solver.domain import (
    Credential,
    HeldPermit,
    InstitutionKind,
    Nomination,
    Plan,
    PlanOptions,
    PlanStatus,
    Role,
    Scenario,
    StatusGap,
)
from solver.validate import check_plan, complete_plan, objective, plan_context, validate
from solver.validate.status import restorable as can_restore
from tests.solver.factories import D, abroad, graduate, ielts, job, offer, permit, worker

OPTIONS = PlanOptions()
P, S = Role.PRINCIPAL, Role.SPOUSE


def rule_ids(scenario: Scenario, plan: Plan) -> set[str]:
    return {v.rule_id for v in validate(scenario, plan, OPTIONS)}


# --- a bachelor's graduate: PGWP, a TEER 1 job, CEC (hand-computed dates) ------------------------------

GRAD = Scenario(
    as_of=D("2026-12-01"), principal=graduate(), offers=(offer("acme", "21231", "2027-01-04"),), horizon_months=60
)
# C43 inside Canada: 190 days; 50-month program -> 36 months; job from 2027-01-04 at 30 counted h/week:
# 1560 h after 364 days -> CEC on 2028-01-03.
PGWP = permit("C43", "2026-12-01", "2027-06-09", "2030-06-08")
ACME = job("21231", "2027-01-04", None, ref="acme")


def grad_plan(*permits: object, jobs: tuple[object, ...] = (ACME,), scenario: Scenario = GRAD) -> Plan:
    return complete_plan(scenario, OPTIONS, permits or (PGWP,), jobs, (P, "CEC"))  # type: ignore[arg-type]


def test_graduate_plan_is_valid_with_hand_computed_dates_fees_and_objective() -> None:
    plan = grad_plan()
    check_plan(GRAD, plan, OPTIONS)
    assert plan.pr_ready_date == D("2028-01-03")
    assert plan.permits[0].fee == 340.0  # 155 + 100 open-permit holder + 85 biometrics
    assert objective(GRAD, plan, OPTIONS) == {
        "PR_READY": 398,
        "STATUS_CONTINUITY": 0,
        "WORK_CONTINUITY": 0,
        "COST": 340,
        "FEWEST_APPLICATIONS": 1,
    }


def test_processing_time_sets_valid_from() -> None:
    plan = grad_plan(dataclasses.replace(PGWP, valid_from=D("2027-06-08")))
    assert "PROCESSING.inside_canada" in rule_ids(GRAD, plan)


def test_c43_duration_sets_valid_to() -> None:
    plan = grad_plan(dataclasses.replace(PGWP, valid_to=D("2030-06-09")))
    assert rule_ids(GRAD, plan) == {"PLAN.duration"}


def test_passport_caps_the_pgwp() -> None:
    scenario = dataclasses.replace(GRAD, principal=graduate(passport="2029-01-01"))
    capped = dataclasses.replace(PGWP, valid_to=D("2029-01-01"))
    check_plan(scenario, grad_plan(capped, scenario=scenario), OPTIONS)
    assert "PASSPORT.cap" in rule_ids(scenario, grad_plan(PGWP, scenario=scenario))


def test_c43_application_window_closes_180_days_after_completion() -> None:
    late = permit("C43", "2027-05-20", "2027-11-26", "2030-11-25")  # completion 2026-11-20 + 180 = 2027-05-19
    scenario = dataclasses.replace(GRAD, principal=graduate(study_valid_to="2027-12-31"))
    assert "C43.application_window" in rule_ids(scenario, grad_plan(late, scenario=scenario, jobs=()))
    on_time = permit("C43", "2027-05-19", "2027-11-25", "2030-11-24")
    assert "C43.application_window" not in rule_ids(scenario, grad_plan(on_time, scenario=scenario, jobs=()))


def test_c43_language_clb_7_for_a_university_program() -> None:
    scenario = dataclasses.replace(GRAD, principal=graduate(clb=6))
    assert "C43.language" in rule_ids(scenario, grad_plan(scenario=scenario))


def test_c43_language_clb_5_for_a_college_diploma() -> None:
    college = graduate(clb=5, credential=Credential.DIPLOMA, institution=InstitutionKind.COLLEGE, length_months=20)
    scenario = dataclasses.replace(GRAD, principal=college)
    # 20 months -> a 20-month PGWP from 2027-06-09.
    plan = grad_plan(permit("C43", "2026-12-01", "2027-06-09", "2029-02-08"), scenario=scenario, jobs=())
    check_plan(scenario, plan, OPTIONS)


def test_c43_program_under_8_months_gives_no_pgwp() -> None:
    scenario = dataclasses.replace(GRAD, principal=graduate(length_months=7))
    plan = grad_plan(permit("C43", "2026-12-01", "2027-06-09", "2028-01-08"), scenario=scenario)
    assert "C43.min_program_length" in rule_ids(scenario, plan)


def test_c43_once_per_lifetime() -> None:
    held = (HeldPermit("C43", D("2020-01-01"), D("2021-01-01")),)
    scenario = dataclasses.replace(GRAD, principal=graduate(permit_history=held))
    assert "C43.once_per_lifetime" in rule_ids(scenario, grad_plan(scenario=scenario))


def test_c43_field_of_study_rule_for_a_diploma_after_november_2024() -> None:
    edu = dataclasses.replace(
        graduate().education[0],
        credential=Credential.DIPLOMA,
        institution=InstitutionKind.COLLEGE,
        length_months=20,
        field_of_study_eligible=False,
        study_permit_applied_on=D("2024-11-01"),
    )
    scenario = dataclasses.replace(GRAD, principal=graduate(education=(edu,)))
    plan = grad_plan(permit("C43", "2026-12-01", "2027-06-09", "2029-02-08"), scenario=scenario, jobs=())
    assert rule_ids(scenario, plan) == {"C43.field_of_study"}


def test_c43_after_the_study_permit_ended_is_the_r197_route_processed_as_outside_with_a_gap() -> None:
    # Addendum §6: the study permit ended 2026-12-10, so the in-Canada route is closed; filed later from inside
    # Canada, the PGWP is an R197 application processed as from outside (60 days), never in-Canada processing.
    scenario = dataclasses.replace(GRAD, principal=graduate(study_valid_to="2026-12-10"))
    inside = permit("C43", "2027-01-04", "2027-07-13", "2030-07-12")
    assert rule_ids(scenario, grad_plan(inside, scenario=scenario, jobs=())) == {"PROCESSING.inside_canada"}
    r197 = permit("C43", "2027-01-04", "2027-03-05", "2030-03-04")
    plan = grad_plan(r197, scenario=scenario, jobs=())
    assert rule_ids(scenario, plan) == set()
    # No status (and no work) until it is issued; without a job there is no PR either: a second gap follows.
    assert plan.status_gaps == (
        StatusGap(P, D("2026-12-11"), D("2027-03-04"), work_authorized=False),
        StatusGap(P, D("2030-03-05"), D("2031-11-30"), work_authorized=False),
    )
    assert plan.objective_values["STATUS_CONTINUITY"] == 84 + 636


# --- jobs ------------------------------------------------------------------------------------------


def test_job_before_the_offer_start_window() -> None:
    early = job("21231", "2027-01-03", None, ref="acme")
    assert "JOB.start_window" in rule_ids(GRAD, grad_plan(jobs=(early,)))


def test_job_after_latest_start() -> None:
    scenario = dataclasses.replace(GRAD, offers=(offer("acme", "21231", "2027-01-04", latest_start=D("2027-02-01")),))
    late = job("21231", "2027-02-02", None, ref="acme")
    assert "JOB.start_window" in rule_ids(scenario, grad_plan(jobs=(late,), scenario=scenario))


def test_one_job_at_a_time() -> None:
    scenario = dataclasses.replace(GRAD, offers=(*GRAD.offers, offer("beta", "21232", "2027-01-04", months=12)))
    beta = job("21232", "2027-03-01", "2028-02-29", ref="beta")
    assert "JOB.one_at_a_time" in rule_ids(scenario, grad_plan(jobs=(ACME, beta), scenario=scenario))


def test_job_length_follows_the_offer() -> None:
    scenario = dataclasses.replace(GRAD, offers=(offer("acme", "21231", "2027-01-04", months=12),))
    assert "JOB.dates" in rule_ids(scenario, grad_plan(jobs=(job("21231", "2027-01-04", "2028-01-04", ref="acme"),)))
    check_plan(
        scenario, grad_plan(jobs=(job("21231", "2027-01-04", "2028-01-03", ref="acme"),), scenario=scenario), OPTIONS
    )


def test_an_open_ended_offers_job_may_end_before_the_plan_does() -> None:
    # Like an ongoing job of the work history, it runs while authorized: here to the PGWP's last day.
    ends_with_the_pgwp = job("21231", "2027-01-04", PGWP.valid_to.isoformat(), ref="acme")
    check_plan(GRAD, grad_plan(jobs=(ends_with_the_pgwp,)), OPTIONS)
    past_the_plan = job("21231", "2027-01-04", "2040-01-01", ref="acme")
    assert "JOB.dates" in rule_ids(GRAD, grad_plan(jobs=(past_the_plan,)))


def test_student_holds_no_job_before_completion() -> None:
    scenario = dataclasses.replace(
        GRAD, principal=graduate(completion="2027-04-30"), offers=(offer("acme", "21231", "2027-01-04"),)
    )
    plan = grad_plan(permit("C43", "2027-05-03", "2027-11-09", "2030-11-08"), scenario=scenario)
    assert "JOB.student" in rule_ids(scenario, plan)


def test_work_without_authorization_after_the_pgwp_ends() -> None:
    scenario = dataclasses.replace(GRAD, principal=graduate(passport="2027-12-31"))
    capped = dataclasses.replace(PGWP, valid_to=D("2027-12-31"))
    ids = rule_ids(scenario, grad_plan(capped, scenario=scenario))
    assert "STATUS.work_authorized" in ids


def test_employer_specific_permit_authorizes_only_that_employer() -> None:
    scenario = Scenario(
        as_of=D("2026-10-05"),
        principal=abroad(language_tests=(ielts(9, "2026-05-01"),)),
        offers=(
            offer("ict", "21211", "2027-01-11", months=36, lmia_exempt_code="C63"),
            offer("other", "21231", "2027-01-11", months=12),
        ),
        horizon_months=48,
    )
    # Outside Canada: 60 days; filed 2026-11-12 -> from 2027-01-11, 36 months to the job's end 2030-01-10.
    ict = permit("C63", "2026-11-12", "2027-01-11", "2030-01-10", offer_ref="ict")
    good = complete_plan(scenario, OPTIONS, [ict], [job("21211", "2027-01-11", "2030-01-10", ref="ict")], (P, "CEC"))
    check_plan(scenario, good, OPTIONS)
    # The client's fee has no open-permit fee; the compliance fee is the employer's, not in it.
    assert (good.permits[0].fee, good.permits[0].employer_fee) == (155 + 85, 230)
    assert good.pr_ready_date == D("2028-01-10")
    other = job("21231", "2027-01-11", "2028-01-10", ref="other")
    bad = complete_plan(scenario, OPTIONS, [ict], [other], (P, "CEC"))
    assert "STATUS.work_authorized" in rule_ids(scenario, bad)
    # A permit that ends before the job does leaves the job's last weeks unauthorized (no PR: no test).
    no_pr = dataclasses.replace(scenario, principal=abroad())
    early = permit("C63", "2026-10-05", "2026-12-04", "2029-12-03", offer_ref="ict")
    short = complete_plan(no_pr, OPTIONS, [early], [job("21211", "2027-01-11", "2030-01-10", ref="ict")], (P, "CEC"))
    assert rule_ids(no_pr, short) == {"STATUS.work_authorized"}


# --- the PR date, CEC hours and language -----------------------------------------------------------


def test_pr_ready_date_must_be_the_first_day_cec_is_met() -> None:
    plan = grad_plan()
    for day in ("2028-01-02", "2028-01-04"):
        assert rule_ids(GRAD, dataclasses.replace(plan, pr_ready_date=D(day))) >= {"CEC.skilled_experience"}


def test_part_time_20_hours_takes_longer() -> None:
    scenario = dataclasses.replace(GRAD, offers=(offer("acme", "21231", "2027-01-04", hours_per_week=20),))
    plan = grad_plan(scenario=scenario)
    check_plan(scenario, plan, OPTIONS)
    assert plan.pr_ready_date == D("2028-07-03")  # 1560 h at 20/7 h a day: 546 days from 2027-01-04


def test_teer_4_job_does_not_count() -> None:
    scenario = dataclasses.replace(GRAD, offers=(offer("acme", "44101", "2027-01-04", months=36),))
    plan = grad_plan(jobs=(job("44101", "2027-01-04", "2030-01-03", ref="acme"),), scenario=scenario)
    check_plan(scenario, plan, OPTIONS)
    assert plan.pr_ready_date is None
    assert plan.objective_values["PR_READY"] == (D("2031-12-01") - D("2026-12-01")).days + 1


def test_language_test_expiring_blocks_cec() -> None:
    scenario = dataclasses.replace(
        GRAD,
        principal=graduate(language_tests=(ielts(8, "2026-01-02"),)),
        offers=(offer("acme", "21231", "2027-01-04", months=36),),
    )
    plan = grad_plan(jobs=(job("21231", "2027-01-04", "2030-01-03", ref="acme"),), scenario=scenario)
    check_plan(scenario, plan, OPTIONS)
    assert plan.pr_ready_date is None  # the test is 2 years old on 2028-01-02, before 1,560 hours


def test_a_pr_date_claimed_without_meeting_cec_is_caught() -> None:
    scenario = dataclasses.replace(GRAD, principal=graduate(language_tests=(ielts(6),)))
    plan = dataclasses.replace(grad_plan(PGWP, scenario=dataclasses.replace(GRAD)), pr_ready_date=D("2028-01-03"))
    assert "CEC.skilled_experience" in rule_ids(scenario, plan)


# --- status gaps as they follow from the permits ---------------------------------------------------


def test_hidden_gap_and_phantom_gap() -> None:
    scenario = dataclasses.replace(GRAD, principal=graduate(study_valid_to="2026-12-10"))
    late = permit("C43", "2027-01-04", "2027-07-13", "2030-07-12")
    plan = grad_plan(late, scenario=scenario, jobs=())
    hidden = dataclasses.replace(plan, status_gaps=())
    assert any(v.message.startswith("hidden gap") for v in validate(scenario, hidden, OPTIONS))
    phantom = dataclasses.replace(grad_plan(), status_gaps=(StatusGap(P, D("2027-01-01"), D("2027-01-31"), False),))
    assert any(v.message.startswith("phantom gap") for v in validate(GRAD, phantom, OPTIONS))


# --- a worker: maintained status and the bridging open work permit ---------------------------------

BOWP_CASE = Scenario(as_of=D("2026-11-02"), principal=worker(valid_to="2027-03-31"), horizon_months=36)
ONGOING = job("22310", "2026-11-02", None)
# CEC (TEER 2, CLB 6) is met on as_of; PR submitted 2026-12-02; A75 120 days inside Canada, R10 after 30.
A75 = permit("A75", "2026-12-02", "2027-04-01", "2029-03-31")


def bowp_plan(*permits: object) -> Plan:
    return complete_plan(BOWP_CASE, OPTIONS, permits, (ONGOING,), (P, "CEC"))  # type: ignore[arg-type]


def test_bowp_after_pr_submission_keeps_status_without_gaps() -> None:
    plan = bowp_plan(A75)
    check_plan(BOWP_CASE, plan, OPTIONS)
    assert plan.pr_ready_date == D("2026-11-02")
    assert plan.status_gaps == ()


def test_bowp_before_pr_submission_is_not_allowed() -> None:
    early = permit("A75", "2026-12-01", "2027-03-31", "2029-03-30")
    assert "A75.eligible_classes" in rule_ids(BOWP_CASE, bowp_plan(early))


def test_bowp_filed_after_status_ended_leaves_a_gap_and_unauthorized_work() -> None:
    late = permit("A75", "2027-04-15", "2027-08-13", "2029-08-12")
    plan = bowp_plan(late)
    assert plan.status_gaps == (StatusGap(P, D("2027-04-01"), D("2027-07-01"), work_authorized=False),)
    assert "STATUS.work_authorized" in rule_ids(BOWP_CASE, plan)


def test_fee_and_objective_are_recomputed() -> None:
    plan = bowp_plan(A75)
    wrong_fee = dataclasses.replace(plan, permits=(dataclasses.replace(plan.permits[0], fee=255.0),))
    assert "FEES.work_permit" in rule_ids(BOWP_CASE, wrong_fee)
    wrong_obj = dataclasses.replace(plan, objective_values={**plan.objective_values, "COST": 1})
    assert rule_ids(BOWP_CASE, wrong_obj) == {"PLAN.objective"}


def test_application_outside_the_horizon() -> None:
    before = permit("A75", "2026-11-01", "2027-03-01", "2029-02-28")
    assert "PLAN.horizon" in rule_ids(BOWP_CASE, bowp_plan(before))


# --- spouses ---------------------------------------------------------------------------------------

ICT = Scenario(
    as_of=D("2026-10-05"),
    principal=abroad(language_tests=(ielts(9, "2026-05-01"),)),
    spouse=abroad(),
    offers=(offer("ict", "21211", "2027-01-11", months=36, lmia_exempt_code="C63"),),
    horizon_months=48,
)
ICT_PERMIT = permit("C63", "2026-11-12", "2027-01-11", "2030-01-10", offer_ref="ict")
ICT_JOB = job("21211", "2027-01-11", "2030-01-10", ref="ict")


def spouse_plan(scenario: Scenario, *permits: object) -> Plan:
    return complete_plan(scenario, OPTIONS, (ICT_PERMIT, *permits), (ICT_JOB,), (P, "CEC"))  # type: ignore[arg-type]


def test_c41_spouse_of_a_teer_1_worker_with_16_months_left() -> None:
    c41 = permit("C41", "2027-02-01", "2027-04-02", "2030-01-10", person=S)  # matches the principal's permit
    plan = spouse_plan(ICT, c41)
    check_plan(ICT, plan, OPTIONS)


def test_c41_needs_16_months_left_on_the_principal_permit() -> None:
    c41 = permit("C41", "2028-09-11", "2028-11-10", "2030-01-10", person=S)  # 2028-09-11 + 16 months > 2030-01-10
    assert "C41.principal_validity" in rule_ids(ICT, spouse_plan(ICT, c41))


def test_c41_principal_in_teer_4_does_not_qualify() -> None:
    scenario = dataclasses.replace(
        ICT, offers=(offer("ict", "64100", "2027-01-11", months=36, lmia_exempt_code="C63"),)
    )
    ict_job = job("64100", "2027-01-11", "2030-01-10", ref="ict")
    c41 = permit("C41", "2027-02-01", "2027-04-02", "2030-01-10", person=S)
    plan = complete_plan(scenario, OPTIONS, (ICT_PERMIT, c41), (ict_job,), (P, "CEC"))
    assert "C41.principal_occupation" in rule_ids(scenario, plan)


def test_c41_needs_the_principal_employed_on_the_application_date() -> None:
    c41 = permit("C41", "2027-01-10", "2027-03-11", "2030-01-10", person=S)
    assert "C41.principal_employed" in rule_ids(ICT, spouse_plan(ICT, c41))


def test_c49_only_after_the_pr_submission() -> None:
    plan = spouse_plan(ICT)
    submitted = plan.pr_ready_date and plan.pr_ready_date.toordinal() + 30
    assert plan.pr_ready_date == D("2028-01-10")
    assert submitted
    before = permit("C49", "2028-02-08", "2028-04-08", "2030-01-10", person=S)
    assert "C49.principal_pr_applicant" in rule_ids(ICT, spouse_plan(ICT, before))
    after = permit("C49", "2028-02-09", "2028-04-09", "2030-01-10", person=S)
    check_plan(ICT, spouse_plan(ICT, after), OPTIONS)


MASTERS = Scenario(
    as_of=D("2026-09-14"),
    principal=graduate(
        completion="2028-04-28", study_valid_to="2028-09-30", credential=Credential.MASTER, length_months=20
    ),
    spouse=abroad("BR"),
    horizon_months=48,
)


@pytest.mark.parametrize(("months", "ok"), [(20, True), (16, True), (12, False)])
def test_c42_master_of_16_months_or_more(months: int, ok: bool) -> None:
    principal = dataclasses.replace(
        MASTERS.principal, education=(dataclasses.replace(MASTERS.principal.education[0], length_months=months),)
    )
    scenario = dataclasses.replace(MASTERS, principal=principal)
    c42 = permit("C42", "2026-09-14", "2026-11-13", "2028-09-30", person=S)
    plan = complete_plan(scenario, OPTIONS, (c42,), (), None)
    assert ("C42.principal_program" not in rule_ids(scenario, plan)) is ok


def test_spousal_permits_are_for_the_spouse_only() -> None:
    c42 = permit("C42", "2026-09-14", "2026-11-13", "2028-09-30", person=P)
    assert "C42.principal_program" in rule_ids(MASTERS, complete_plan(MASTERS, OPTIONS, (c42,), (), None))


def test_person_outside_the_household_is_rejected() -> None:
    c41 = permit("C41", "2027-02-01", "2027-04-02", "2030-01-10", person=S)
    assert rule_ids(GRAD, dataclasses.replace(grad_plan(), permits=(PGWP, c41))) == {"PLAN.person"}


# --- employer categories ---------------------------------------------------------------------------


@pytest.mark.parametrize(("citizenship", "ok"), [("US", True), ("IN", False)])
def test_t36_needs_us_or_mexican_citizenship(citizenship: str, ok: bool) -> None:
    scenario = Scenario(
        as_of=D("2026-10-05"),
        principal=abroad(citizenship),
        offers=(offer("eng", "21300", "2026-12-07", months=24, lmia_exempt_code="T36"),),
        horizon_months=36,
    )
    t36 = permit("T36", "2026-10-08", "2026-12-07", "2028-12-06", offer_ref="eng")
    plan = complete_plan(scenario, OPTIONS, (t36,), (job("21300", "2026-12-07", "2028-12-06", ref="eng"),), None)
    assert ("T36.citizenship" not in rule_ids(scenario, plan)) is ok


def test_t13_needs_a_nomination_from_the_offer_province() -> None:
    nominated = abroad(provincial_nomination=Nomination("ON", D("2026-09-01")))
    scenario = Scenario(
        as_of=D("2026-10-05"),
        principal=nominated,
        offers=(offer("pnp", "21231", "2026-12-04", months=24, lmia_exempt_code="T13"),),
        horizon_months=36,
    )
    t13 = permit("T13", "2026-10-05", "2026-12-04", "2028-12-03", offer_ref="pnp")
    plan = complete_plan(scenario, OPTIONS, (t13,), (job("21231", "2026-12-04", "2028-12-03", ref="pnp"),), (P, "PNP"))
    check_plan(scenario, plan, OPTIONS)
    assert plan.pr_ready_date == D("2026-10-05")
    other = dataclasses.replace(scenario, principal=abroad(provincial_nomination=Nomination("BC", D("2026-09-01"))))
    assert "T13.nomination" in rule_ids(other, plan)


def test_no_solution_is_never_right_for_a_valid_household() -> None:
    empty = complete_plan(GRAD, OPTIONS, (), (), (P, "CEC"))
    check_plan(GRAD, empty, OPTIONS)
    no_solution = Plan(PlanStatus.NO_SOLUTION, empty.rules_version, 0.0)
    assert rule_ids(GRAD, no_solution) == {"PLAN.status"}


def test_someone_from_abroad_leaves_when_status_ends_so_no_gap_is_counted() -> None:
    c42 = permit("C42", "2026-09-14", "2026-11-13", "2028-09-30", person=S)
    plan = complete_plan(MASTERS, OPTIONS, (c42,), (), None)
    check_plan(MASTERS, plan, OPTIONS)
    assert [g.person for g in plan.status_gaps] == [P]  # the student loses status; the spouse goes home
    # The spouse's days before entry and after leaving count as days without work authorization.
    horizon_days = (D("2030-09-14") - D("2026-09-14")).days
    spouse_work_days = (D("2028-09-30") - D("2026-11-13")).days + 1
    principal_no_work = horizon_days  # a student never holds a work permit here
    assert plan.objective_values["WORK_CONTINUITY"] == principal_no_work + horizon_days - spouse_work_days


def test_employer_specific_permit_needs_its_job() -> None:
    plan = complete_plan(ICT, OPTIONS, (ICT_PERMIT,), (), None)
    assert "EMPLOYER.offer" in rule_ids(ICT, plan)


def test_a75_needs_a_work_permit_or_restorable_worker_status_not_a_study_permit() -> None:
    nominated = graduate(provincial_nomination=Nomination("ON", D("2026-11-01")))
    scenario = dataclasses.replace(GRAD, principal=nominated, offers=())
    # PNP is met on as_of; submitted 2026-12-31 while still a student (study permit to 2027-02-18).
    a75 = permit("A75", "2026-12-31", "2027-04-30", "2029-04-29")
    plan = complete_plan(scenario, OPTIONS, (a75,), (), (P, "PNP"))
    assert plan.pr_ready_date == D("2026-12-01")
    assert "A75.status_at_application" in rule_ids(scenario, plan)


def test_rules_as_of_reads_every_rule_on_that_date() -> None:
    c41 = permit("C41", "2028-09-11", "2028-11-10", "2030-01-10", person=S)  # 16 months left: not since 2025-01-21
    plan = spouse_plan(ICT, c41)
    assert "C41.principal_validity" in rule_ids(ICT, plan)
    what_if = PlanOptions(rules_as_of=D("2024-06-01"))  # then: 6 months left were enough
    assert "C41.principal_validity" not in {v.rule_id for v in validate(ICT, plan, what_if)}


def test_ict_total_caps_intra_company_transfers() -> None:
    held = (HeldPermit("C63", D("2021-01-11"), D("2026-01-10")),)  # 60 months of C63: the C63 total
    principal = dataclasses.replace(ICT.principal, permit_history=held)
    scenario = dataclasses.replace(ICT, principal=principal, spouse=None)
    plan = complete_plan(scenario, OPTIONS, (ICT_PERMIT,), (ICT_JOB,), (P, "CEC"))
    assert "ICT.total" in rule_ids(scenario, plan)


def test_c42_needs_a_full_time_student() -> None:
    edu = dataclasses.replace(MASTERS.principal.education[0], full_time=False)
    scenario = dataclasses.replace(MASTERS, principal=dataclasses.replace(MASTERS.principal, education=(edu,)))
    c42 = permit("C42", "2026-09-14", "2026-11-13", "2028-09-30", person=S)
    assert "C42.principal_status" in rule_ids(scenario, complete_plan(scenario, OPTIONS, (c42,), (), None))


def test_study_permit_ends_90_days_after_a_program_that_starts_after_as_of() -> None:
    edu = dataclasses.replace(
        graduate().education[0], start=D("2027-02-12"), completion=D("2027-08-12"), length_months=6
    )
    scenario = dataclasses.replace(GRAD, principal=graduate(education=(edu,), study_valid_to="2027-12-10"), offers=())
    plan = complete_plan(scenario, OPTIONS, (), (), None)
    assert plan.status_gaps == (StatusGap(P, D("2027-11-11"), D("2031-11-30"), work_authorized=False),)


@pytest.mark.parametrize(
    ("on", "restorable"),
    [("2027-01-13", True), ("2027-01-14", False)],
    ids=["day 90 after a status lost before as_of", "day 91"],
)
def test_a_status_lost_before_as_of_is_restorable_for_its_90_days(on: str, restorable: bool) -> None:
    scenario = Scenario(as_of=D("2026-12-01"), principal=worker(valid_to="2026-10-15"), horizon_months=24)
    plan = complete_plan(scenario, OPTIONS, (), (), None)
    ctx = plan_context(scenario, plan, OPTIONS, None)
    assert can_restore(ctx, Role.PRINCIPAL, D(on), worker=True) is restorable
    assert can_restore(ctx, Role.PRINCIPAL, D(on)) is restorable


def test_an_offer_under_a_pre_2022_code_grounds_its_successors_permit() -> None:
    # T23 became T36 (CUSMA professional) on 2022-12-15; the planner plans T36 for such an offer.
    cusma = offer("o", "21231", "2027-01-04", lmia_exempt_code="T23")
    scenario = Scenario(as_of=D("2026-12-01"), principal=abroad("US"), offers=(cusma,), horizon_months=24)
    t36 = permit("T36", "2026-12-01", "2027-01-04", "2029-12-31", offer_ref="o")
    plan = complete_plan(scenario, OPTIONS, (t36,), (job("21231", "2027-01-04", None, ref="o"),), None)
    ctx = plan_context(scenario, plan, OPTIONS, None)
    issues = list(family_of("T36").issues(ctx, Role.PRINCIPAL, scenario.principal, plan.permits[0]))
    assert [rule for rule, _ in issues if rule == "EMPLOYER.offer"] == []

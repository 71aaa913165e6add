"""The routes of issue 12 item 2: the R197 PGWP, stacked programs, the LMIA in two steps, and the family and
academic codes the brief names (C44, C46, C47, C48, C52): eligibility, planning and the validator."""

from __future__ import annotations

import dataclasses
import datetime as dt

from solver.categories.offers import check_offer, lmia_positive_on, permit_months
from solver.domain import (
    Credential,
    Education,
    InstitutionKind,
    Nomination,
    Person,
    PlanOptions,
    PrApplication,
    Role,
    Scenario,
    Status,
    StatusKind,
    WorkPeriod,
)
from solver.eligibility import evaluate
from solver.rules import catalog, pgwp
from solver.rules.decision import Verdict
from solver.rules.registry import load_rules
from solver.validate import validate
from tests.solver.planner_cases import AS_OF, codes, graduate, household, offer, solve, worker

RULES = load_rules()
ON = AS_OF
D = dt.date.fromisoformat


def _program(credential: Credential, start: str, completion: str, months: int) -> Education:
    return Education(
        credential=credential,
        institution=InstitutionKind.COLLEGE,
        canadian=True,
        pgwp_eligible_dli=True,
        field_of_study_eligible=True,
        start=D(start),
        completion=D(completion),
        length_months=months,
        study_permit_applied_on=D("2022-04-11"),
    )


# --- the R197 PGWP -----------------------------------------------------------------------------------


def test_day_119_gets_the_r197_pgwp_processed_as_outside_without_work() -> None:
    person = graduate(completion=D("2026-08-04"), status_to=D("2027-03-01"))
    plan = solve(household(person))
    (permit,) = [p for p in plan.permits if p.code == "C43"]
    assert permit.apply_on == ON
    assert permit.valid_from == ON + dt.timedelta(days=60)  # PROCESSING.outside_canada
    (step,) = [s for s in plan.steps if s.code == "C43"]
    assert "C43.study_permit_required" in step.rule_ids and "STATUS.restoration" not in step.rule_ids
    gap = next(g for g in plan.status_gaps if g.person is Role.PRINCIPAL)
    assert (gap.start, gap.end, gap.work_authorized) == (ON, permit.valid_from - dt.timedelta(days=1), False)


def test_the_validator_refuses_in_canada_processing_for_an_r197_pgwp() -> None:
    scenario = household(graduate(completion=D("2026-08-04"), status_to=D("2027-03-01")))
    plan = solve(scenario)
    (permit,) = [p for p in plan.permits if p.code == "C43"]
    quicker = dataclasses.replace(permit, valid_from=permit.apply_on + dt.timedelta(days=190))
    broken = dataclasses.replace(plan, permits=tuple(quicker if p is permit else p for p in plan.permits))
    assert "PROCESSING.inside_canada" in {v.rule_id for v in validate(scenario, broken, PlanOptions())}


def test_day_181_has_no_pgwp_and_cites_the_window() -> None:
    person = graduate(completion=D("2026-06-03"), status_to=D("2027-03-01"))
    plan = solve(household(person))
    assert "C43" not in codes(plan)
    (route,) = [r for r in plan.closed_routes if r.code == "C43"]
    assert [f.rule_id for f in route.reasons] == ["C43.application_window"]


# --- stacked programs --------------------------------------------------------------------------------


def test_two_8_month_programs_combine_for_a_16_month_pgwp() -> None:
    first = _program(Credential.CERTIFICATE, "2025-01-06", "2025-08-29", 8)
    second = _program(Credential.DIPLOMA, "2026-01-05", "2026-11-20", 8)
    assert pgwp.duration_months(second, ON, RULES) == 8
    assert pgwp.duration_months(second, ON, RULES, (first, second)) == 16


def test_a_program_under_8_months_does_not_add_its_length() -> None:
    first = _program(Credential.CERTIFICATE, "2025-01-06", "2025-07-29", 7)
    second = _program(Credential.DIPLOMA, "2026-01-05", "2026-11-20", 8)
    assert pgwp.duration_months(second, ON, RULES, (first, second)) == 8


def test_combined_lengths_of_two_years_give_three_years() -> None:
    first = _program(Credential.DIPLOMA, "2023-09-05", "2024-08-30", 12)
    second = _program(Credential.DIPLOMA, "2025-09-02", "2026-11-20", 14)
    assert pgwp.duration_months(second, ON, RULES, (first, second)) == 36


# --- the LMIA in two steps ---------------------------------------------------------------------------


def test_the_lmia_is_positive_after_its_processing_from_the_filing_day() -> None:
    assert lmia_positive_on(offer(), ON, RULES) == ON + dt.timedelta(days=120)
    filed = dataclasses.replace(offer(), lmia_applied_on=D("2026-10-01"))
    assert lmia_positive_on(filed, ON, RULES) == D("2027-01-29")
    assert lmia_positive_on(dataclasses.replace(offer(), lmia_approved=True), ON, RULES) == ON


def _lmia_worker() -> Scenario:
    """A worker whose CEC year ends after the open permit: the LMIA-based permit keeps status and work."""
    w = worker(valid_to=D("2027-05-31"), noc="21232")
    w = dataclasses.replace(w, work_history=(WorkPeriod("21232", D("2026-06-01"), 40.0, True),))
    return household(w, offers=(offer("lab", "21232", D("2026-12-07")),))


def test_the_worker_applies_only_once_the_lmia_is_positive() -> None:
    scenario = _lmia_worker()
    plan = solve(scenario)
    (permit,) = [p for p in plan.permits if p.code == "TFWP"]
    assert permit.apply_on >= ON + dt.timedelta(days=120)
    actions = [s.action for s in plan.steps if s.code == "TFWP"]
    assert actions[:1] == ["EMPLOYER_APPLIES_LMIA"] and "LMIA_DECISION" in actions


def test_the_validator_refuses_a_worker_application_on_a_pending_lmia() -> None:
    scenario = _lmia_worker()
    plan = solve(scenario)
    (permit,) = [p for p in plan.permits if p.code == "TFWP"]
    early = dataclasses.replace(permit, apply_on=ON, valid_from=ON + dt.timedelta(days=190))
    broken = dataclasses.replace(plan, permits=tuple(early if p is permit else p for p in plan.permits))
    assert "TFWP.lmia" in {v.rule_id for v in validate(scenario, broken, PlanOptions())}


# --- C44, C52: academic codes answered, never planned -------------------------------------------------


def test_c44_and_c52_are_in_the_catalog_and_left_to_the_officer() -> None:
    served = {c.code for c in catalog.categories(ON, RULES)}
    assert {"C44", "C46", "C47", "C48", "C52"} <= served
    for code, rule in (("C44", "C44.postdoc"), ("C52", "C52.academic_award")):
        d = check_offer(worker(), offer(noc="41200", code=code), ON, RULES)
        assert d.verdict is Verdict.UNDECIDED and rule in d.rule_ids


def test_a_postdoc_offer_is_not_planned_and_its_closed_route_says_why() -> None:
    plan = solve(household(worker(valid_to=D("2027-06-30")), offers=(offer("lab", "41200", code="C44"),)))
    assert "C44" not in codes(plan)
    (route,) = [r for r in plan.closed_routes if r.code == "C44"]
    assert [f.rule_id for f in route.reasons] == ["C44.postdoc"]


# --- C47, C46, C48: family codes answered, never planned -----------------------------------------------


def _teer4_family(nomination: Nomination | None = None, pr: PrApplication | None = None) -> Scenario:
    p = dataclasses.replace(
        worker(code="TFWP", valid_to=D("2028-06-30"), noc="64100"), provincial_nomination=nomination, pr_application=pr
    )
    s = worker(code="C47", valid_to=D("2027-03-31"), noc="65200")
    return household(p, spouse=s)


def _answers(scenario: Scenario) -> dict[str, Verdict]:
    return {a.code: a.verdict for a in evaluate(scenario, Role.SPOUSE, ON, RULES)}


def test_c47_for_a_teer_4_family_moving_to_pr_by_nomination() -> None:
    nomination = Nomination("ON", D("2026-10-01"))
    spouse = dataclasses.replace(worker(code="C41", valid_to=D("2027-03-31"), noc="65200"))
    scenario = dataclasses.replace(_teer4_family(nomination=nomination), spouse=spouse)
    answers = _answers(scenario)
    assert answers["C47"] is Verdict.ELIGIBLE
    assert answers["C41"] is Verdict.NOT_ELIGIBLE  # TEER 4 is not a C41 occupation


def test_c47_after_a_pr_application_points_to_c49() -> None:
    scenario = _teer4_family(pr=PrApplication("CEC", D("2026-11-01")))
    (c47,) = [a for a in evaluate(scenario, Role.SPOUSE, ON, RULES) if a.code == "C47"]
    assert c47.verdict is Verdict.NOT_ELIGIBLE
    assert any("C49" in r.message for r in c47.reasons if r.rule_id == "C47.scope")


def test_c47_renewal_matching_the_principal_is_open() -> None:
    assert _answers(_teer4_family())["C47"] is Verdict.ELIGIBLE  # the spouse holds a C47 in Canada


def test_c47_without_a_pr_prospect_or_renewal_is_undecided() -> None:
    spouse: Person = worker(code="C41", valid_to=D("2027-03-31"), noc="65200")
    spouse = dataclasses.replace(spouse, status=Status(StatusKind.WORKER, D("2027-03-31"), permit_code="C41"))
    assert _answers(dataclasses.replace(_teer4_family(), spouse=spouse))["C47"] is Verdict.UNDECIDED


def test_child_codes_are_never_a_members() -> None:
    answers = _answers(_teer4_family())
    assert answers["C46"] is Verdict.NOT_ELIGIBLE and answers["C48"] is Verdict.NOT_ELIGIBLE


def test_the_low_wage_cap_reads_the_lmia_application_day() -> None:
    # TFWP.duration: 1 year for low-wage (TEER 4/5 as the proxy) LMIAs applied for from 2024-09-26, 2 before.
    low = offer("shop", "65200", D("2026-12-07"))
    assert permit_months(low, ON, RULES) == 12
    assert permit_months(dataclasses.replace(low, lmia_applied_on=D("2024-09-01")), ON, RULES) == 24
    assert permit_months(dataclasses.replace(low, lmia_applied_on=D("2024-09-26")), ON, RULES) == 12


def test_a_pgwp_closed_only_by_the_study_permit_names_a_new_study_permit_as_the_fix() -> None:
    # The study permit's printed expiry (2026-01-01) is more than 180 days before any day of the window: neither
    # the in-Canada route nor R197 is open; addendum §6's other option is a new study permit.
    plan = solve(household(graduate(status_to=D("2026-01-01"))))
    assert "C43" not in codes(plan)
    (route,) = [r for r in plan.closed_routes if r.code == "C43"]
    assert [f.rule_id for f in route.reasons] == ["C43.study_permit_required"]
    assert route.fix is not None and "letter of acceptance" in route.fix


def test_r197_is_not_bounded_by_the_restoration_days() -> None:
    # The study permit's printed expiry, 2026-09-01, came before completion (2026-11-20): restoration ended
    # 2026-11-30, but R197 needs only a study permit valid in the 180 days before applying (to 2027-02-28).
    plan = solve(household(graduate(status_to=D("2026-09-01"))))
    (permit,) = [p for p in plan.permits if p.code == "C43"]
    assert ON <= permit.apply_on <= D("2027-02-28")
    assert permit.valid_from == permit.apply_on + dt.timedelta(days=60)

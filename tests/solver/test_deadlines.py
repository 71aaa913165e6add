"""Plan.deadlines: each kind from a solved plan, and from plans written by hand (solver/deadlines.py alone)."""

from __future__ import annotations

import json
from pathlib import Path

from solver.deadlines import deadlines
from solver.domain import (
    Deadline,
    DeadlineKind,
    Plan,
    PlanOptions,
    PlanStatus,
    PlanStep,
    Role,
    Scenario,
    StatusGap,
)
from solver.rules.registry import load_rules
from solver.scenario_json import parse_document
from solver.solve import plan
from solver.validate import check_plan
from tests.solver.factories import D, ielts, offer, permit, worker

RULES = load_rules()
GRADUATE = Path(__file__).parents[1] / "fixtures" / "golden" / "g01-college-diploma-2yr.json"
P = Role.PRINCIPAL


def _graduate() -> tuple[Scenario, PlanOptions]:
    doc = json.loads(GRADUATE.read_text())
    parsed = parse_document({"scenario": doc["scenario"], "options": doc["options"]})
    assert isinstance(parsed, tuple), parsed
    return parsed


def test_a_graduates_plan_has_the_keep_status_day_the_pgwp_window_the_tests_and_the_invitation() -> None:
    scenario, options = _graduate()
    result = plan(scenario, options)
    check_plan(scenario, result, options)
    apply = (D("2026-12-01"), "APPLY_PERMIT", "C43")
    submit = (D("2028-02-02"), "SUBMIT_PR", "CEC")
    test = "the IELTS_GENERAL test of 2026-08-01 is valid to 2028-07-31"
    assert result.deadlines == (
        # The study permit ends 90 days after the 2026-11-15 completion (STATUS.study_permit_end).
        Deadline(
            P,
            DeadlineKind.APPLY_TO_KEEP_STATUS,
            D("2027-02-13"),
            "STATUS.maintained",
            "apply for the Post-graduation work permit (C43) by 2027-02-13, the last day of status, to keep it",
            *apply,
        ),
        Deadline(
            P,
            DeadlineKind.WINDOW_CLOSES,
            D("2027-05-14"),
            "C43.application_window",
            "the application window for the C43 (program completed 2026-11-15) closes on 2027-05-14",
            *apply,
        ),
        Deadline(
            P,
            DeadlineKind.ITA_ACCEPTANCE,
            D("2028-04-02"),
            "EE.ita_window",
            "the invitation of 2028-02-02 must be answered with a complete PR application by 2028-04-02",
            *submit,
        ),
        Deadline(
            P,
            DeadlineKind.TEST_EXPIRES,
            D("2028-07-31"),
            "C43.language",
            f"{test}; the C43 application on 2026-12-01 relies on it",
            *apply,
        ),
        Deadline(
            P,
            DeadlineKind.TEST_EXPIRES,
            D("2028-07-31"),
            "CEC.test_validity",
            f"{test}; the PR application on 2028-02-02 relies on it",
            *submit,
        ),
    )


def test_a_status_lapsed_before_as_of_can_be_restored_for_90_days_after_it_ended() -> None:
    scenario = Scenario(
        as_of=D("2026-12-01"),
        principal=worker(valid_to="2026-10-15"),
        offers=(offer("w", "22310", "2027-01-04"),),
    )
    options = PlanOptions(time_limit_ms=20_000)
    result = plan(scenario, options)
    check_plan(scenario, result, options)  # the validator restores a status lost before as_of too
    restoring = next(s for s in result.steps if "STATUS.restoration" in s.rule_ids)
    (restoration,) = [d for d in result.deadlines if d.kind is DeadlineKind.RESTORATION_ENDS]
    assert restoration == Deadline(
        P,
        DeadlineKind.RESTORATION_ENDS,
        D("2027-01-13"),
        "STATUS.restoration",
        "status ended on 2026-10-15: restoration may be applied for until 2027-01-13",
        restoring.date,
        restoring.action,
        restoring.code,
    )
    assert restoring.date <= restoration.date
    assert not [d for d in result.deadlines if d.kind is DeadlineKind.APPLY_TO_KEEP_STATUS]


def test_a_lapse_inside_the_plan_and_one_at_its_end_each_end_restoration_90_days_after_the_last_day() -> None:
    scenario = Scenario(as_of=D("2026-12-01"), principal=worker(valid_to="2027-03-31"))
    later = permit("A75", "2027-05-10", "2027-08-01", "2029-07-31")
    steps = (PlanStep(D("2027-05-10"), P, "APPLY_BOWP", "apply", "A75", ("STATUS.restoration",)),)
    gaps = (
        StatusGap(P, D("2027-04-01"), D("2027-07-31"), False),
        StatusGap(P, D("2029-08-01"), D("2031-11-30"), False),
    )
    drawn = Plan(PlanStatus.FEASIBLE, RULES.version, 0.0, permits=(later,), steps=steps, status_gaps=gaps)
    assert deadlines(scenario, drawn, PlanOptions(), RULES) == (
        Deadline(
            P,
            DeadlineKind.RESTORATION_ENDS,
            D("2027-06-29"),
            "STATUS.restoration",
            "status ended on 2027-03-31: restoration may be applied for until 2027-06-29",
            D("2027-05-10"),
            "APPLY_BOWP",
            "A75",
        ),
        Deadline(
            P,
            DeadlineKind.RESTORATION_ENDS,
            D("2029-10-29"),
            "STATUS.restoration",
            "status ended on 2029-07-31: restoration may be applied for until 2029-10-29",
        ),
    )


def test_a_test_that_lapses_before_the_pr_application_is_a_deadline_before_the_submission() -> None:
    scenario = Scenario(
        as_of=D("2026-12-01"), principal=worker(valid_to="2030-01-01", language_tests=(ielts(7, "2026-03-01"),))
    )
    cec = ("CEC.skilled_experience", "CEC.language", "CEC.test_validity")
    steps = (
        PlanStep(D("2028-01-15"), P, "CREATE_EE_PROFILE", "profile", "CEC", cec),
        PlanStep(D("2028-01-15"), P, "RETAKE_LANGUAGE_TEST", "retake", None, ("CEC.test_validity",)),
        PlanStep(D("2028-03-15"), P, "SUBMIT_PR", "submit", "CEC", ("EE.ita_window", "PR.processing")),
    )
    drawn = Plan(PlanStatus.FEASIBLE, RULES.version, 0.0, pr_ready_date=D("2028-01-15"), steps=steps)
    submit = (D("2028-03-15"), "SUBMIT_PR", "CEC")
    assert deadlines(scenario, drawn, PlanOptions(ita_wait_days=60), RULES) == (
        Deadline(
            P,
            DeadlineKind.TEST_EXPIRES,
            D("2028-02-29"),
            "CEC.test_validity",
            "the IELTS_GENERAL test of 2026-03-01 is valid to 2028-02-29; the PR application on 2028-03-15 relies on "
            "it (it lapses before then: retake it)",
            *submit,
        ),
        Deadline(
            P,
            DeadlineKind.ITA_ACCEPTANCE,
            D("2028-05-14"),
            "EE.ita_window",
            "the invitation of 2028-03-15 must be answered with a complete PR application by 2028-05-14",
            *submit,
        ),
    )


def test_a_plan_without_steps_or_lapses_has_no_deadlines() -> None:
    scenario = Scenario(as_of=D("2026-12-01"), principal=worker(valid_to="2030-01-01"))
    empty = Plan(PlanStatus.NO_SOLUTION, RULES.version, 0.0)
    assert deadlines(scenario, empty, PlanOptions(), RULES) == ()

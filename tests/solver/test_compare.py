"""`solver.compare.compare`: hand-built plans with known differences, and two real plans of one household."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from solver.compare import (
    DeadlineMove,
    DeadlineRef,
    FeeChange,
    FeePart,
    FindingKind,
    FindingRef,
    GapChange,
    PermitRef,
    PrChange,
    compare,
    lines,
)
from solver.domain import (
    ClosedRoute,
    Deadline,
    DeadlineKind,
    Finding,
    InvalidScenario,
    Plan,
    PlannedPermit,
    PlanStatus,
    Role,
    StatusGap,
)
from solver.scenario_json import parse_document
from solver.solve import plan
from solver.validate import check_plan

D = dt.date
SCENARIOS = Path(__file__).parent.parent / "fixtures" / "scenarios"


def permit(code: str, apply_on: D, valid_from: D, valid_to: D, person: Role = Role.PRINCIPAL) -> PlannedPermit:
    return PlannedPermit(person, code, f"permit {code}", True, apply_on, valid_from, valid_to, 255.0)


def base() -> Plan:
    return Plan(
        status=PlanStatus.OPTIMAL,
        rules_version="r1",
        solve_ms=10.0,
        pr_ready_date=D(2028, 1, 3),
        pr_program="CEC",
        pr_applicant=Role.PRINCIPAL,
        permits=(
            permit("C43", D(2026, 12, 1), D(2027, 2, 1), D(2030, 2, 1)),
            permit("C41", D(2027, 1, 5), D(2027, 3, 1), D(2030, 2, 1), Role.SPOUSE),
        ),
        deadlines=(
            Deadline(Role.PRINCIPAL, DeadlineKind.APPLY_TO_KEEP_STATUS, D(2027, 2, 18), "STATUS.maintained", "keep"),
            Deadline(Role.PRINCIPAL, DeadlineKind.WINDOW_CLOSES, D(2027, 5, 19), "C43.application_window", "window"),
        ),
        fees_total=510.0,
        fees_permits=510.0,
        blockers=(Finding("B.one", "a blocker"),),
        explanation=(Finding("EE.ita_wait", "30 days"),),
        closed_routes=(ClosedRoute(Role.SPOUSE, "C21", "IEC", (Finding("IEC.age", "too old"),)),),
    )


def test_a_plan_compared_with_itself_has_no_differences() -> None:
    diff = compare(base(), base())
    assert diff.same
    assert lines(diff) == ["no differences"]


def test_every_kind_of_change_is_reported_with_days_counted_b_minus_a() -> None:
    a = base()
    b = dataclasses.replace(
        a,
        pr_ready_date=D(2027, 12, 1),
        pr_program="FSW",
        permits=(
            permit("C43", D(2026, 12, 11), D(2027, 2, 11), D(2030, 2, 1)),
            permit("A75", D(2028, 3, 1), D(2028, 3, 1), D(2029, 3, 1)),
        ),
        deadlines=(
            Deadline(Role.PRINCIPAL, DeadlineKind.APPLY_TO_KEEP_STATUS, D(2027, 3, 18), "STATUS.maintained", "keep"),
            Deadline(Role.PRINCIPAL, DeadlineKind.WINDOW_CLOSES, D(2027, 5, 9), "C43.application_window", "window"),
            Deadline(Role.SPOUSE, DeadlineKind.TEST_EXPIRES, D(2028, 6, 1), "LANG.validity", "test"),
        ),
        fees_total=765.0,
        fees_permits=765.0,
        fees_employer=230.0,
        blockers=(),
        explanation=(Finding("EE.ita_wait", "30 days"), Finding("EE.cutoff", "above")),
        closed_routes=(),
        status_gaps=(StatusGap(Role.SPOUSE, D(2027, 1, 1), D(2027, 1, 10), False),),
    )
    diff = compare(a, b)
    assert diff.permits_added == (
        PermitRef(Role.PRINCIPAL, "A75", "permit A75", None, D(2028, 3, 1), D(2028, 3, 1), D(2029, 3, 1)),
    )
    assert diff.permits_removed == (
        PermitRef(Role.SPOUSE, "C41", "permit C41", None, D(2027, 1, 5), D(2027, 3, 1), D(2030, 2, 1)),
    )
    [moved] = diff.permits_moved
    assert (moved.after.code, moved.apply_on_days, moved.valid_from_days, moved.valid_to_days) == ("C43", 10, 10, 0)
    assert diff.pr == PrChange(D(2028, 1, 3), D(2027, 12, 1), -33, "CEC", "FSW", Role.PRINCIPAL, Role.PRINCIPAL)
    # Earlier first: the window closing 10 days sooner comes before the status deadline 28 days later.
    assert [m.days for m in diff.deadlines_moved] == [-10, 28]
    assert isinstance(diff.deadlines_moved[0], DeadlineMove)
    assert diff.deadlines_added == (
        DeadlineRef(Role.SPOUSE, DeadlineKind.TEST_EXPIRES, "LANG.validity", D(2028, 6, 1), "test", None),
    )
    assert diff.deadlines_gone == ()
    assert diff.fees == (
        FeeChange(FeePart.TOTAL, 510.0, 765.0, 255.0),
        FeeChange(FeePart.PERMITS, 510.0, 765.0, 255.0),
        FeeChange(FeePart.EMPLOYER, 0.0, 230.0, 230.0),
    )
    assert diff.findings_new == (FindingRef(FindingKind.EXPLANATION, "EE.cutoff", "above"),)
    assert diff.findings_gone == (
        FindingRef(FindingKind.BLOCKER, "B.one", "a blocker"),
        FindingRef(FindingKind.CLOSED_ROUTE, "IEC.age", "too old", Role.SPOUSE, "C21"),
    )
    assert diff.gaps == (GapChange(Role.SPOUSE, 0, 10, 0, 10),)
    text = lines(diff)
    assert text[:3] == [
        "PR ready: 2028-01-03 -> 2027-12-01 (33 days earlier)",
        "PR program: CEC -> FSW",
        "permit added    principal A75: apply 2028-03-01, valid 2028-03-01 to 2029-03-01",
    ]
    assert "fees total: $510.00 -> $765.00 (+255.00)" in text
    assert compare(a, b) == diff


def test_two_permits_of_one_code_pair_in_apply_order() -> None:
    a = dataclasses.replace(
        base(),
        permits=(
            permit("C41", D(2027, 1, 1), D(2027, 2, 1), D(2028, 1, 1)),
            permit("C41", D(2027, 12, 1), D(2028, 1, 2), D(2029, 1, 1)),
        ),
    )
    b = dataclasses.replace(
        a, permits=(a.permits[1], a.permits[0], permit("C41", D(2028, 12, 1), D(2029, 1, 2), D(2030, 1, 1)))
    )
    diff = compare(a, b)
    assert diff.permits_moved == ()
    assert [p.apply_on for p in diff.permits_added] == [D(2028, 12, 1)]


def _real(edit: dict[str, object] | None = None) -> Plan:
    doc = json.loads((SCENARIOS / "p03-ict-specialized-knowledge.json").read_text())
    offer = doc["scenario"]["offers"][0]
    offer.update(edit or {})
    parsed = parse_document({"scenario": doc["scenario"], "options": doc["options"]})
    assert not isinstance(parsed, InvalidScenario)
    scenario, options = parsed
    result = plan(scenario, options)
    check_plan(scenario, result, options)
    return result


def test_two_real_plans_of_one_household_an_offer_starting_later() -> None:
    a = _real()
    b = _real({"earliestStart": "2027-04-12"})
    diff = compare(a, b)
    assert not diff.same
    moved = {(m.after.person, m.after.code): m for m in diff.permits_moved}
    assert moved, lines(diff)
    assert all(m.valid_from_days > 0 for m in moved.values())
    assert compare(a, b) == diff
    assert compare(a, a).same

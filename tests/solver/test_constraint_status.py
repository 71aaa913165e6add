"""STATUS.maintained and STATUS.restoration: applying before status ends keeps it; missing it is a gap."""

from __future__ import annotations

import datetime as dt

from solver.domain import Person, Role, Status, StatusKind
from tests.solver.planner_cases import AS_OF, PASSPORT, graduate, household, solve


def test_status_maintained_pgwp_filed_before_the_study_permit_ends_leaves_no_gap() -> None:
    p = solve(household(graduate(), months=36))
    permit = p.permits[0]
    assert permit.code == "C43"
    assert permit.apply_on <= dt.date(2027, 2, 18)
    assert p.status_gaps == ()
    step = next(s for s in p.steps if s.code == "C43")
    assert "STATUS.maintained" in step.rule_ids


def test_status_restoration_no_status_in_canada_is_a_gap_from_as_of() -> None:
    lost = Person(
        birth_date=dt.date(1995, 1, 1),
        citizenships=("NG",),
        in_canada=True,
        passport_expiry=PASSPORT,
        status=Status(StatusKind.NONE, dt.date(2026, 6, 30)),
    )
    p = solve(household(lost, months=12))
    assert p.permits == ()
    assert [(g.person, g.start, g.work_authorized) for g in p.status_gaps] == [(Role.PRINCIPAL, AS_OF, False)]
    assert p.objective_values["STATUS_CONTINUITY"] == p.objective_values["WORK_CONTINUITY"]

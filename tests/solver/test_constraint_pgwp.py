"""C43.application_window, C43.language and C43.duration: when a PGWP can be applied for, and how long it runs."""

from __future__ import annotations

import datetime as dt

from solver.domain import Credential
from tests.solver.planner_cases import codes, graduate, household, solve


def test_c43_application_window_open_gives_a_36_month_pgwp_for_a_4_year_degree() -> None:
    p = solve(household(graduate(), months=36))
    (permit,) = p.permits
    assert (permit.code, permit.open) == ("C43", True)
    assert dt.date(2026, 12, 1) <= permit.apply_on <= dt.date(2027, 2, 18)
    assert permit.valid_to == dt.date(2030, 6, 8)


def test_c43_application_window_closed_means_no_pgwp() -> None:
    # Completed 200 days before as_of: the 180-day window is over.
    late = graduate(completion=dt.date(2026, 5, 15), status_to=dt.date(2027, 6, 1))
    p = solve(household(late, months=24))
    assert "C43" not in codes(p)


def test_c43_language_below_clb_7_for_a_university_degree_means_no_pgwp() -> None:
    p = solve(household(graduate(clb=6), months=24))
    assert "C43" not in codes(p)


def test_c43_duration_of_a_one_year_program_is_its_length() -> None:
    short = graduate(credential=Credential.POST_GRADUATE_CERTIFICATE, length_months=12)
    p = solve(household(short, months=24))
    (permit,) = p.permits
    assert permit.valid_to == permit.valid_from.replace(year=permit.valid_from.year + 1) - dt.timedelta(days=1)

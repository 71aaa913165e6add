"""Jobs: an employer-specific permit means that offer's job; the offer's start window; one job at a time."""

from __future__ import annotations

import datetime as dt
import itertools

from tests.solver.planner_cases import abroad, household, offer, solve


def test_jobs_employer_specific_permit_comes_with_its_job_in_the_start_window() -> None:
    job = offer("ict", noc="21211", start=dt.date(2027, 1, 11), months=36, code="C63")
    p = solve(household(abroad(), offers=(job,), months=24))
    (permit,) = p.permits
    (held,) = p.jobs
    assert (permit.offer_ref, held.offer_ref) == ("ict", "ict")
    assert held.start >= max(dt.date(2027, 1, 11), permit.valid_from)


def test_jobs_start_window_closed_before_a_permit_can_issue_means_no_job() -> None:
    # Must start by 2026-12-15; the earliest LMIA-based permit issues months later.
    late = offer("shop", noc="21211", start=dt.date(2026, 12, 1), latest=dt.date(2026, 12, 15), months=24)
    p = solve(household(abroad(), offers=(late,), months=24))
    assert p.jobs == ()
    assert p.permits == ()


def test_jobs_one_at_a_time_two_offers_never_overlap() -> None:
    a = offer("a", noc="21211", start=dt.date(2027, 1, 11), months=12, code="C63")
    b = offer("b", noc="21232", start=dt.date(2027, 1, 11), months=12, code="C63")
    p = solve(household(abroad(), offers=(a, b), months=36))
    spans = sorted((j.start, j.end) for j in p.jobs)
    assert all(prev[1] is not None and prev[1] < nxt[0] for prev, nxt in itertools.pairwise(spans))

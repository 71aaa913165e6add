"""Canadian Experience Class golden cases: counted hours, language, first eligible date."""

from __future__ import annotations

import pytest

from solver import dates
from solver.domain import LanguageTestKind, WorkPeriod
from solver.rules import cec
from solver.rules.decision import Verdict
from solver.rules.registry import load_rules
from tests.solver.rules_people import D, job, lang, person

RULES = load_rules()
E, N, U = Verdict.ELIGIBLE, Verdict.NOT_ELIGIBLE, Verdict.UNDECIDED
ON = D("2026-01-05")  # a Monday; 2025-01-06 is exactly 52 weeks (364 days) before


@pytest.mark.parametrize(
    ("periods", "high", "low", "reason"),
    [
        ((job("21231", "2025-01-06"),), 1560.0, 0.0, "40 h a week for 52 weeks counts 30 h a week: 1,560"),
        ((job("21231", "2025-01-06", hours=20),), 1040.0, 0.0, "part time counts as worked"),
        ((job("22310", "2025-01-06"),), 0.0, 1560.0, "TEER 2 hours go to the 2-3 bucket"),
        ((job("64100", "2025-01-06"),), 0.0, 0.0, "TEER 4 does not count"),
        ((job("21231", "2025-01-06", self_employed=True),), 0.0, 0.0, "self-employment excluded"),
        ((job("21231", "2025-01-06", while_full_time_student=True),), 0.0, 0.0, "full-time student work excluded"),
        ((job("21231", "2025-01-06", authorized=False),), 0.0, 0.0, "unauthorized work excluded"),
        ((WorkPeriod("21231", D("2025-01-06"), 40, in_canada=False),), 0.0, 0.0, "work abroad excluded"),
        ((job("21231", "2025-01-06", "2025-01-12"),), 30.0, 0.0, "a closed week: end day inclusive"),
        ((job("21231", "2019-01-01"),), 30 * 1096 / 7, 0.0, "only the 36-month look-back counts"),
        (
            (job("21231", "2025-01-06", hours=20), job("22310", "2025-01-06", hours=20)),
            1040.0,
            520.0,
            "two jobs share the 30 h cap, TEER 0-1 first",
        ),
    ],
)
def test_counted_hours(periods: tuple[WorkPeriod, ...], high: float, low: float, reason: str) -> None:
    got = cec.counted_hours(periods, ON, RULES)
    assert got == pytest.approx((high, low)), reason


@pytest.mark.parametrize(
    ("start", "tests", "verdict", "missing", "reason"),
    [
        ("2025-01-06", (lang(7, "2025-06-01"),), E, (), "1,560 hours and CLB 7"),
        ("2025-01-07", (lang(7, "2025-06-01"),), N, (), "a day short of 1,560 hours"),
        ("2025-01-06", (lang(6, "2025-06-01"),), N, (), "TEER 1 needs CLB 7"),
        ("2025-01-06", (lang(9, "2024-01-05"),), N, (), "test exactly 2 years old on the date: expired"),
        ("2025-01-06", (lang(9, "2024-01-06"),), E, (), "test a day under 2 years old"),
        ("2025-01-06", (), U, ("language test",), "no test on file: undecided"),
    ],
)
def test_check(start: str, tests: tuple[object, ...], verdict: Verdict, missing: tuple[str, ...], reason: str) -> None:
    who = person(work=(job("21231", start),), tests=tests)  # type: ignore[arg-type]
    decision = cec.check(who, ON, RULES)
    assert decision.verdict is verdict, (reason, decision.reasons)
    assert decision.missing == missing


@pytest.mark.parametrize(
    ("noc", "clb", "verdict", "reason"),
    [
        ("22310", 5, E, "TEER 2 hours alone: CLB 5 enough"),
        ("22310", 4, N, "TEER 2 with CLB 4"),
        ("21231", 5, N, "TEER 1 with CLB 5"),
    ],
)
def test_language_by_teer(noc: str, clb: int, verdict: Verdict, reason: str) -> None:
    who = person(work=(job(noc, "2025-01-06"),), tests=(lang(clb, "2025-06-01"),))
    assert cec.check(who, ON, RULES).verdict is verdict, reason


def test_required_clb_and_best_clb() -> None:
    assert cec.required_clb(0, ON, RULES) == 7
    assert cec.required_clb(3, ON, RULES) == 5
    tests = (lang(8, "2025-01-01"), lang(6, "2025-06-01", LanguageTestKind.TEF_CANADA))
    assert cec.best_clb_on(tests, ON, RULES) == 8
    assert cec.best_clb_on(tests, ON, RULES, french=True) == 6
    assert cec.best_clb_on(tests, D("2024-12-31"), RULES) == 0


@pytest.mark.parametrize(
    ("work", "tests", "expected", "reason"),
    [
        ((job("21231", "2026-06-30"),), (lang(8, "2026-05-01"),), "2027-06-29", "52 weeks of ongoing work"),
        ((job("22310", "2025-03-03"),), (lang(6, "2026-02-01"),), "2026-03-02", "TEER 2 with CLB 6 (scenario p04)"),
        ((job("21231", "2026-06-30"),), (lang(8, "2025-01-01"),), None, "test expires before the hours: never"),
        ((job("21231", "2026-06-30"),), (lang(8, "2025-01-01"), lang(8, "2027-07-15")), "2027-07-15", "new test date"),
        ((job("21231", "2026-06-30", "2026-12-31"),), (lang(8, "2026-05-01"),), None, "job ends too early"),
    ],
)
def test_first_eligible_date(
    work: tuple[WorkPeriod, ...], tests: tuple[object, ...], expected: str | None, reason: str
) -> None:
    who = person(work=work, tests=tests)  # type: ignore[arg-type]
    got = cec.first_eligible_date(who, D("2025-01-01"), D("2029-12-31"), RULES)
    assert got == (None if expected is None else D(expected)), reason


def _first_day_by_day(who: object, start: str, end: str) -> object:
    """The first eligible day asked day by day (what first_eligible_date's jumps must agree with)."""
    day, last = D(start), D(end)
    while day <= last:
        if cec.check(who, day, RULES).eligible:  # type: ignore[arg-type]
            return day
        day = dates.add_days(day, 1)
    return None


@pytest.mark.parametrize(
    ("work", "tests"),
    [
        pytest.param((job("21231", "2024-01-01"),), (), id="hours met, no test"),
        pytest.param((job("21231", "2024-01-01"),), (lang(6, "2025-03-01"),), id="TEER 1 hours, CLB 6 never enough"),
        pytest.param((job("22310", "2024-01-01"),), (lang(4, "2024-06-01"), lang(5, "2026-09-10")), id="a later test"),
        pytest.param(
            (job("21231", "2024-01-01", "2025-06-30"), job("22310", "2025-07-01")),
            (lang(5, "2024-02-01"), lang(7, "2027-02-03")),
            id="TEER 1 then TEER 2, the branch level changes",
        ),
    ],
)
def test_first_eligible_date_skips_only_days_the_language_rules_out(
    work: tuple[WorkPeriod, ...], tests: tuple[object, ...]
) -> None:
    who = person(work=work, tests=tests)  # type: ignore[arg-type]
    expected = _first_day_by_day(who, "2025-01-01", "2028-12-31")
    assert cec.first_eligible_date(who, D("2025-01-01"), D("2028-12-31"), RULES) == expected

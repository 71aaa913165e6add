"""The date policy: month addition, 29 February, end of month, within-days, months left, age."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from solver import dates

D = dt.date.fromisoformat
days_ = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))
months_ = st.integers(min_value=-600, max_value=600)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param("2024-01-31", 1, "2024-02-29", id="jan31+1 leap: clamps to 29 Feb"),
        pytest.param("2023-01-31", 1, "2023-02-28", id="jan31+1 common: clamps to 28 Feb"),
        pytest.param("2024-02-29", 12, "2025-02-28", id="29 Feb + 12 months: 28 Feb"),
        pytest.param("2024-02-29", 48, "2028-02-29", id="29 Feb + 48 months: 29 Feb"),
        pytest.param("2024-03-31", -1, "2024-02-29", id="minus one month clamps too"),
        pytest.param("2024-12-15", 1, "2025-01-15", id="year rollover"),
        pytest.param("2025-01-15", -1, "2024-12-15", id="year rollback"),
        pytest.param("2024-08-31", 6, "2025-02-28", id="end of month into February"),
    ],
)
def test_add_months_table(day: str, months: int, expected: str) -> None:
    assert dates.add_months(D(day), months) == D(expected)


@given(days_, months_)
def test_add_months_keeps_day_or_clamps_to_month_end(day: dt.date, months: int) -> None:
    out = dates.add_months(day, months)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day == day.day or (out.day < day.day and dates.add_days(out, 1).day == 1)


@given(days_, st.integers(min_value=0, max_value=600))
def test_add_months_is_monotone(day: dt.date, months: int) -> None:
    assert dates.add_months(day, months) <= dates.add_months(day, months + 1)


@given(days_, st.integers(min_value=-100, max_value=100))
def test_add_years_is_twelve_months(day: dt.date, years: int) -> None:
    assert dates.add_years(day, years) == dates.add_months(day, 12 * years)


@given(days_, st.integers(min_value=0, max_value=400))
def test_within_days_boundaries(start: dt.date, n: int) -> None:
    last = dates.add_days(start, n)
    assert dates.within_days(start, start, n)
    assert dates.within_days(last, start, n)
    assert not dates.within_days(dates.add_days(last, 1), start, n)
    assert not dates.within_days(dates.add_days(start, -1), start, n)


@pytest.mark.parametrize(
    ("on", "valid_to", "ok"),
    [
        pytest.param("2025-01-21", "2026-05-20", False, id="day before 16 months: too short"),
        pytest.param("2025-01-21", "2026-05-21", True, id="exactly 16 months left"),
        pytest.param("2025-01-21", "2026-05-22", True, id="a day more"),
    ],
)
def test_months_left_16(on: str, valid_to: str, ok: bool) -> None:
    assert dates.months_left(D(on), D(valid_to), 16) is ok


@given(days_, st.integers(min_value=0, max_value=120))
def test_months_left_boundary(on: dt.date, months: int) -> None:
    edge = dates.add_months(on, months)
    assert dates.months_left(on, edge, months)
    assert not dates.months_left(on, dates.add_days(edge, -1), months)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        pytest.param("2000-03-03", "2030-03-02", 29, id="day before the 30th birthday"),
        pytest.param("2000-03-03", "2030-03-03", 30, id="30th birthday"),
        pytest.param("2000-03-03", "2030-03-04", 30, id="day after"),
        pytest.param("2000-02-29", "2030-02-27", 29, id="leap birthday: day before 28 Feb"),
        pytest.param("2000-02-29", "2030-02-28", 30, id="leap birthday counts on 28 Feb in a common year"),
        pytest.param("2000-02-29", "2032-02-29", 32, id="leap birthday in a leap year"),
    ],
)
def test_age_on_table(born: str, on: str, age: int) -> None:
    assert dates.age_on(D(born), D(on)) == age


@given(days_, st.integers(min_value=0, max_value=100))
def test_age_on_birthday_and_day_before(born: dt.date, years: int) -> None:
    birthday = dates.add_years(born, years)
    assert dates.age_on(born, birthday) == years
    if years > 0:
        assert dates.age_on(born, dates.add_days(birthday, -1)) == years - 1


@given(days_, st.integers(min_value=0, max_value=600))
def test_whole_months_between_inverts_add_months(start: dt.date, months: int) -> None:
    end = dates.add_months(start, months)
    assert dates.whole_months_between(start, end) >= months
    assert dates.whole_months_between(start, dates.add_days(end, -1)) <= months


def test_whole_months_between_is_zero_backwards() -> None:
    assert dates.whole_months_between(D("2025-01-02"), D("2025-01-01")) == 0


@given(
    days_,
    st.integers(min_value=-800, max_value=800),
    st.lists(st.tuples(st.integers(min_value=-60, max_value=120), st.integers(min_value=1, max_value=90)), max_size=8),
)
def test_add_months_each_is_add_months_day_by_day(origin: dt.date, first: int, runs: list[tuple[int, int]]) -> None:
    months = [shift for shift, length in runs for _ in range(length)]
    expected = [
        (dates.add_months(dates.add_days(origin, first + i), shift) - origin).days for i, shift in enumerate(months)
    ]
    assert dates.add_months_each(origin, first, months) == expected


def test_add_months_each_clamps_to_the_end_of_a_shorter_month() -> None:
    # 2024-01-28 .. 2024-02-02 plus one month: 28 and 29 February, then 29 February twice more, then March.
    origin = D("2024-01-28")
    answers = dates.add_months_each(origin, 0, [1] * 6)
    assert [dates.add_days(origin, a).isoformat() for a in answers] == [
        "2024-02-28",
        "2024-02-29",
        "2024-02-29",
        "2024-02-29",
        "2024-03-01",
        "2024-03-02",
    ]

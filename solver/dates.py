"""The one place for date arithmetic, so every rule counts months and days the same way.

Policy (stated once, tested at every boundary):
- Adding months keeps the day of the month, clamped to the month's last day: 2024-01-31 + 1 month is
  2024-02-29, and 2024-02-29 + 12 months is 2025-02-28.
- "Within N days of D" means on or before D + N days (day D itself is day 0).
- "At least N months left on P" at date A means P.valid_to >= add_months(A, N).
- "N years before the application on A" starts on add_months(A, -12 * N) (inclusive).
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months, clamped to the end of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` plus `years` years (29 February becomes 28 February in a common year)."""
    return add_months(day, 12 * years)


def add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def within_days(day: dt.date, start: dt.date, days: int) -> bool:
    """True when `day` is on or after `start` and at most `days` days after it."""
    return start <= day <= add_days(start, days)


def months_left(on: dt.date, valid_to: dt.date, months: int) -> bool:
    """True when something valid to `valid_to` has at least `months` months left on `on`."""
    return valid_to >= add_months(on, months)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in completed years on `on` (a 29 February birthday falls on 28 February in common years)."""
    years = on.year - birth_date.year
    if add_years(birth_date, years) > on:
        years -= 1
    return years


def whole_months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start` to `end` (0 when `end` is before `start`)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return months


def add_months_each(origin: dt.date, first: int, months: list[int]) -> list[int]:
    """Day indexes (from `origin`) of add_months(origin + (first + i) days, months[i]) for each i, month by month.

    The same answers as add_months day by day, in closed form: within one month of the days shifted and one
    number of months, the answers run one a day until the target month's last day, then stay on it.
    """
    base = origin.toordinal()
    n = len(months)
    # Where the number of months changes (rarely: a rule's new version).
    changes = [k for k in range(1, n) if months[k] != months[k - 1]] if len(set(months)) > 1 else []
    changes.append(n)
    out: list[int] = []
    i = 0
    change = 0
    while i < n:
        day = dt.date.fromordinal(base + first + i)
        length = calendar.monthrange(day.year, day.month)[1]
        shift = months[i]
        while changes[change] <= i:
            change += 1
        end = min(changes[change], i + length - day.day + 1)
        year, month0 = divmod(day.year * 12 + day.month - 1 + shift, 12)
        target = dt.date(year, month0 + 1, 1).toordinal() - base - 1
        target_length = calendar.monthrange(year, month0 + 1)[1]
        last_day = day.day + end - i - 1
        out.extend(range(target + day.day, target + min(last_day, target_length) + 1))
        out.extend([target + target_length] * max(0, last_day - max(day.day - 1, target_length)))
        i = end
    return out

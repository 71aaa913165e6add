"""Language test validity and the best CLB/NCLC level on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from solver import dates
from solver.domain import LanguageTest


def valid_on(test: LanguageTest, on: dt.date, max_age_months: int) -> bool:
    """True when the test was taken on or before `on` and is less than `max_age_months` old on `on`."""
    return test.taken <= on < dates.add_months(test.taken, max_age_months)


def best_clb(tests: Iterable[LanguageTest], on: dt.date, max_age_months: int, *, french: bool | None = None) -> int:
    """The highest lowest-ability level among tests valid on `on` (0 when none); `french` filters the language."""
    levels = [
        t.lowest for t in tests if valid_on(t, on, max_age_months) and (french is None or t.test.is_french == french)
    ]
    return max(levels, default=0)


def best_abilities(
    tests: Iterable[LanguageTest], on: dt.date, max_age_months: int, *, french: bool
) -> tuple[int, int, int, int] | None:
    """(listening, reading, writing, speaking) of the best valid test in one language, or None."""
    valid = [t for t in tests if valid_on(t, on, max_age_months) and t.test.is_french == french]
    if not valid:
        return None
    best = max(valid, key=lambda t: (t.lowest, t.taken))
    return (best.listening, best.reading, best.writing, best.speaking)

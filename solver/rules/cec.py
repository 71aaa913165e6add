"""Canadian Experience Class: counted hours in the look-back, language, and the first date it is met."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable

from solver import dates, noc
from solver.domain import LanguageTest, Person, WorkPeriod
from solver.phrases import Phrase
from solver.rules.decision import Checks, Decision
from solver.rules.language import best_clb
from solver.rules.registry import RuleSet

_EPSILON = 1e-6  # hours: absorbs float rounding of hours-per-week / 7


def _counts(period: WorkPeriod, max_teer: int, *, in_canada: bool = True) -> bool:
    return (
        period.in_canada is in_canada
        and period.authorized
        and not period.self_employed
        and not period.while_full_time_student
        and noc.is_valid(period.noc_code)
        and noc.teer(period.noc_code) <= max_teer
    )


def counted_hours(periods: Iterable[WorkPeriod], on: dt.date, rules: RuleSet) -> tuple[float, float]:
    """Hours in TEER 0-1 and TEER 2-3 counted on `on`: days in [on - 36 months, on), at most 30 h a week.

    Concurrent jobs share the weekly cap; TEER 0-1 hours are counted first.
    """
    lookback = int(rules.param("CEC.skilled_experience", "lookback_months", on))
    return hours_between(periods, dates.add_months(on, -lookback), on, rules)


def hours_between(
    periods: Iterable[WorkPeriod], start: dt.date, end: dt.date, rules: RuleSet, *, in_canada: bool = True
) -> tuple[float, float]:
    """Skilled hours (TEER 0-1, TEER 2-3) on days in [start, end), capped per week, with the CEC exclusions."""
    max_teer = int(rules.param("CEC.skilled_experience", "max_teer", end))
    # Rates stay in hours per week (exact for whole hours); the sum is divided by 7 once at the end.
    cap = float(rules.param("CEC.hours_cap", "max_hours_per_week", end))
    spans: list[tuple[dt.date, dt.date, bool, float]] = []  # [start, end) exclusive end
    for p in periods:
        if not _counts(p, max_teer, in_canada=in_canada):
            continue
        left = max(p.start, start)
        right = end if p.end is None else min(dates.add_days(p.end, 1), end)
        if left < right:
            spans.append((left, right, noc.teer(p.noc_code) <= 1, min(p.hours_per_week, cap)))
    cuts = sorted({d for s in spans for d in (s[0], s[1])})
    high = low = 0.0
    for left, right in itertools.pairwise(cuts):
        days = (right - left).days
        rate_high = sum(r for s, e, hi, r in spans if hi and s <= left < e)
        rate_low = sum(r for s, e, hi, r in spans if not hi and s <= left < e)
        take_high = min(rate_high, cap)
        take_low = min(rate_low, cap - take_high)
        high += take_high * days
        low += take_low * days
    return high / 7.0, low / 7.0


def required_clb(teer: int, on: dt.date, rules: RuleSet) -> int:
    """CLB/NCLC needed in all four abilities for experience in `teer` on `on`."""
    name = "clb_teer_0_1" if teer <= 1 else "clb_teer_2_3"
    return int(rules.param("CEC.language", name, on))


def best_clb_on(tests: Iterable[LanguageTest], on: dt.date, rules: RuleSet, *, french: bool | None = None) -> int:
    """Best lowest-ability level among tests valid on `on` (CEC.test_validity); 0 when none."""
    return best_clb(tests, on, int(rules.param("CEC.test_validity", "months", on)), french=french)


def check(person: Person, on: dt.date, rules: RuleSet) -> Decision:
    """Whether `person` meets the CEC on `on` (experience, then language)."""
    c = Checks(rules)
    need = float(rules.param("CEC.skilled_experience", "hours", on))
    high, low = counted_hours(person.work_history, on, rules)
    total = high + low
    c.check(
        total >= need - _EPSILON,
        "CEC.skilled_experience",
        Phrase.of("met.cec_hours", hours=f"{total:.0f}", need=f"{need:.0f}"),
        Phrase.of("reason.cec_hours", hours=f"{total:.0f}", need=f"{need:.0f}"),
    )
    c.note("CEC.exclusions", Phrase.of("note.cec_exclusions"))
    best = best_clb_on(person.language_tests, on, rules)
    need_clb = required_clb(3, on, rules) if low >= need - _EPSILON else required_clb(1, on, rules)
    if best == 0 and not person.language_tests:
        c.unknown_fact("CEC.language", Phrase.of("reason.cec_clb_no_test", clb=need_clb), "language test")
    else:
        c.check(
            best >= need_clb,
            "CEC.language",
            Phrase.of("met.cec_clb", best=best, clb=need_clb),
            Phrase.of("reason.cec_clb_short", clb=need_clb, best=best),
        )
    return c.decision()


def first_eligible_date(person: Person, start: dt.date, end: dt.date, rules: RuleSet) -> dt.date | None:
    """The first day in [start, end] on which the CEC is met on the facts alone (ongoing work continues)."""
    day = start
    while day <= end:
        need = float(rules.param("CEC.skilled_experience", "hours", day))
        high, low = counted_hours(person.work_history, day, rules)
        if high + low < need - _EPSILON:
            # Hours grow by at most the daily cap, so no earlier day can reach the threshold.
            rate = float(rules.param("CEC.hours_cap", "max_hours_per_week", day)) / 7.0
            day = dates.add_days(day, max(1, math.ceil((need - high - low) / rate) - 1))
            continue
        if check(person, day, rules).eligible:
            return day
        if _language_may_pass(person, day, rules):
            day = dates.add_days(day, 1)
        else:  # no day before the language verdict changes can be eligible
            day = _language_changes(person, day, rules)
    return None


def _language_may_pass(person: Person, on: dt.date, rules: RuleSet) -> bool:
    """False when the best valid test on `on` is below the level of both TEER branches (whatever the hours)."""
    need = min(required_clb(1, on, rules), required_clb(3, on, rules))
    return best_clb_on(person.language_tests, on, rules) >= need


def _language_changes(person: Person, on: dt.date, rules: RuleSet) -> dt.date:
    """The first day after `on` on which the language verdict may change: a test taken or expiring, or a new
    version of CEC.language or CEC.test_validity (the day itself and the day after, however its end is read)."""
    months = int(rules.param("CEC.test_validity", "months", on))
    events = [t.taken for t in person.language_tests]
    events += [dates.add_months(t.taken, months) for t in person.language_tests]
    for rule_id in ("CEC.language", "CEC.test_validity"):
        for cut in rules.rule(rule_id).breakpoints:
            events += [cut, dates.add_days(cut, 1)]
    return min((e for e in events if e > on), default=dt.date.max)

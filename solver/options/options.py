"""Options: everything static the model needs about a scenario, with its rules read day by day."""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from solver.dates import add_months, add_months_each
from solver.domain import PendingApplication, Person, PlanOptions, PrApplication, Role, Scenario
from solver.options.records import ACTION_PENDING, After, Calendar, Candidate, Depot, Job
from solver.rules import catalog, processing
from solver.rules.registry import RuleSet


@functools.cache
def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@functools.cache
def _month_start(year: int, month: int) -> int:
    """The proleptic ordinal of the month's first day."""
    return dt.date(year, month, 1).toordinal()


@dataclass
class Options:
    """Everything static the model needs about a scenario."""

    scenario: Scenario
    plan_options: PlanOptions
    rules: RuleSet
    cal: Calendar
    grid: int
    depots: dict[Role, Depot] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    # Plan at the slow processing figure (p90) instead of the expected one (p50): solver/robustness.py.
    slow: bool = False
    # shift_months answers: the model's day tables ask the same (day, months) many times over.
    _shifted: dict[tuple[int, int], int] = field(default_factory=dict, repr=False)

    def on(self, d: dt.date) -> dt.date:
        """The date whose rules apply to a step on `d` (options.rules_as_of wins). Only for reading rules: a
        person's facts are read on `d` itself (`rules` is pinned to rules_as_of, so a rule function asked with
        `d` reads both right)."""
        return self.plan_options.rules_as_of or d

    def param(self, rule_id: str, name: str, d: dt.date) -> object:
        return self.rules.param(rule_id, name, self.on(d))

    def int_param(self, rule_id: str, name: str, d: dt.date) -> int:
        value = self.param(rule_id, name, d)
        assert isinstance(value, int | float)
        return int(value)

    def param_series(self, rule_id: str, name: str, first: int, last: int) -> list[int]:
        """The integer parameter in force on each day of [first, last], read once per rule version (one, when
        the rules are pinned to rules_as_of)."""
        rule = self.rules.rule(rule_id)
        cuts = sorted({self.cal.day(b) for b in rule.breakpoints if first < self.cal.day(b) <= last})
        out: list[int] = []
        for lo, hi in zip([first, *cuts], [c - 1 for c in cuts] + [last], strict=True):
            value = int(self.rules.param(rule_id, name, self.cal.date(lo)))
            out.extend([value] * (hi - lo + 1))
        return out

    def eligible_days(
        self, first: int, last: int, person: Person | None, ok: Callable[[dt.date], bool]
    ) -> tuple[int, ...]:
        """Grid days in [first, last] on which `ok(day)` holds, asked once per stretch between breakpoints.

        `ok` reads the person's facts on the day it is given and the rules through `self.rules`, which answer
        the rules_as_of version on any day when set (RuleSet.pinned): a what-if changes the rules, never the
        day a person's age, tests or completion are read on.
        Breakpoints: every rule's effective and end dates (none when pinned), and the person's dates that rules
        read (birthdays, language tests taken and expiring, completion, nomination). Between two of them every
        answer is equal.
        """
        days = self.days(first, last)
        if not days:
            return ()
        # Each stretch of grid days between two breakpoints is answered by its first day.
        cuts = [bisect.bisect_left(days, cut) for cut in self._breakpoints(person) if days[0] < cut <= days[-1]]
        out: list[int] = []
        for lo, hi in zip([0, *cuts], [*cuts, len(days)], strict=True):
            if lo < hi and ok(self.cal.date(days[lo])):
                out.extend(days[lo:hi])
        return tuple(out)

    def _breakpoints(self, person: Person | None) -> list[int]:
        dates: set[dt.date] = set()
        for rule in self.rules.rules.values():
            dates.update(rule.breakpoints)
        if person is not None:
            first_year, last_year = self.cal.as_of.year - 1, self.cal.date(self.cal.table_size).year + 1
            dates.update(
                add_months(person.birth_date, 12 * (y - person.birth_date.year))
                for y in range(first_year, last_year + 1)
            )
            for t in person.language_tests:
                dates.update(add_months(t.taken, k) for k in range(0, 61, 6))
            for e in person.education:
                dates.update({e.start, e.completion})
            if person.provincial_nomination is not None:
                dates.add(person.provincial_nomination.nominated_on)
        return sorted({self.cal.day(d) for d in dates})

    def shift_months(self, day: int, months: int) -> int:
        """add_months on a day index (same policy as solver.dates.add_months, without building calendars)."""
        known = self._shifted.get((day, months))
        if known is not None:
            return known
        base = self.cal.as_of.toordinal()
        d = dt.date.fromordinal(base + day)
        year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
        shifted = _month_start(year, month0 + 1) + min(d.day, _month_length(year, month0 + 1)) - 1 - base
        self._shifted[(day, months)] = shifted
        return shifted

    def shift_months_each(self, first: int, months: list[int]) -> list[int]:
        """shift_months(first + i, months[i]) for each i, in closed form month by month (a day table's column)."""
        return add_months_each(self.cal.as_of, first, months)

    def processing(self, code: str, inside: bool, d: dt.date, role: Role | None = None) -> int:
        """Processing days of a category filed on `d` (PROCESSING.inside_canada / outside_canada, or the
        overrides of options.processing), at the slow figure when planning with `slow`; `role`'s citizenships
        choose a country's figure for an application from outside Canada."""
        person = self.scenario.person(role) if role is not None else None
        found = processing.spread(
            code,
            self.on(d),
            self.rules,
            inside=inside,
            overrides=self.plan_options.processing,
            citizenships=person.citizenships if person is not None else (),
        )
        return found.days(self.slow)

    def partner(self, role: Role) -> Role | None:
        other = Role.SPOUSE if role is Role.PRINCIPAL else Role.PRINCIPAL
        return other if self.scenario.person(other) is not None else None

    def days(self, first: int, last: int) -> tuple[int, ...]:
        """Grid days in [first, last] within the horizon."""
        lo, hi = max(first, 0), min(last, self.cal.horizon - 1)
        start = lo + (-lo) % self.grid
        return tuple(range(start, hi + 1, self.grid))

    def submitted_pr(self) -> tuple[Role, PrApplication] | None:
        """The PR application a member already submitted (the earliest), if any: the plan starts from it.
        A Canadian partner is never a PR applicant."""
        apps = [
            (p.pr_application.submitted_on, role.value, role, p.pr_application)
            for role, p in self.scenario.members
            if p.pr_application is not None and p.canadian_status is None
        ]
        if not apps:
            return None
        _, _, role, app = min(apps)
        return role, app

    def candidate(self, key: str) -> Candidate:
        return next(c for c in self.candidates if c.key == key)

    def job(self, key: str) -> Job:
        return next(j for j in self.jobs if j.key == key)


def fee_cents(opts: Options, code: str, d: dt.date) -> int:
    """The client's government fees of one application in cents, biometrics excluded (catalog.fee_for)."""
    dollars = catalog.fee_for(code, opts.on(d), opts.rules, first_biometrics=False)
    return math.ceil(round(dollars * 100, 6))


def employer_fee_cents(opts: Options, code: str, d: dt.date) -> int:
    """The employer's fees of one application in cents: the compliance or LMIA fee (catalog.employer_fee_for).

    They are not the client's: the plan reports them apart (Plan.fees_employer), but the COST term still counts
    them, so that a plan does not look cheaper by moving a fee onto the employer (who may not recover an LMIA
    fee from the worker)."""
    dollars = catalog.employer_fee_for(code, opts.on(d), opts.rules)
    return math.ceil(round(dollars * 100, 6))


def open_candidate(
    opts: Options, role: Role, code: str, family: str, key: str, days: Sequence[int], **rest: Any
) -> Candidate:
    """An open permit `role` may apply for on `days`: processing and fee as on the first of them; `rest` holds
    its months, grounds and shape (Candidate's other fields)."""
    d0 = opts.cal.date(days[0])
    return Candidate(
        key=key,
        person=role,
        code=code,
        family=family,
        open=True,
        apply_days=tuple(days),
        processing_inside=opts.processing(code, True, d0, role),
        processing_outside=opts.processing(code, False, d0, role),
        fee_cents=fee_cents(opts, code, d0),
        **rest,
    )


def filed(opts: Options, c: Candidate, app: PendingApplication, *, maintains_work: bool = True) -> Candidate:
    """`c` fixed to the filing `app` of the client file: applied for on its real day (before as_of), already paid
    (fee 0), decided after the category's processing days as on the filing day but never before as_of.

    A filing from outside Canada maintains no status; one that does not maintain status (outside, or after status
    ended: restoration) lets no one work before the decision, whatever the category allows (`maintains_work`
    False says the family's own rule does not apply to this filing either).
    """
    day = opts.cal.day(app.applied_on)
    outside = opts.processing(c.code, False, app.applied_on, c.person)
    # A filing from outside Canada (R197) is processed as one, wherever the person waits for it.
    inside = opts.processing(c.code, True, app.applied_on, c.person) if app.inside_canada else outside
    wait = max(c.processing_inside - opts.processing(c.code, True, opts.cal.date(c.apply_days[0]), c.person), 0)
    depot = opts.depots[c.person]
    in_status = app.inside_canada and depot.in_canada and day <= depot.end
    return dataclasses.replace(
        c,
        key=f"{c.key}:filed",
        apply_days=(day,),
        # Never decided before as_of (day 0): what is still pending today is decided today at the earliest.
        processing_inside=max(wait + inside, -day),
        processing_outside=max(wait + outside, -day),
        fee_cents=0,
        employer_fee_cents=0,
        work_while_pending=c.work_while_pending if in_status and maintains_work else None,
        action=ACTION_PENDING,
        after=After.ANY,  # the filing is a fact: it follows whatever the person held then
        filed_on=app.applied_on,
        filed_outside=not app.inside_canada,
    )

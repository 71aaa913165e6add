"""Candidate permit options for a scenario: what each person could apply for, and on which days.

The static rules become data here, evaluated day by day through the rule registry: the days a person may
apply for each category, processing times, validity, fees. The model (`solver/model`) turns each candidate
into optional variables whose apply day ranges over exactly these days; the rules that tie two decisions
together (status chaining, the principal's permit behind a spousal permit, PR submission before A75/C49)
are constraints there.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from solver.dates import add_days, add_months
from solver.domain import Offer, Person, PlanOptions, Role, Scenario, StatusKind
from solver.model import rulebridge as rules_eligibility
from solver.rules.registry import RuleSet

# Days past the horizon that valid-from/valid-to tables cover (processing, ITA wait, completeness).
TABLE_SLACK_DAYS = 800


@functools.cache
def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


class Kind(enum.Enum):
    PGWP = "PGWP"
    IEC = "IEC"
    SPOUSE_OF_STUDENT = "SPOUSE_OF_STUDENT"
    SPOUSE_OF_WORKER = "SPOUSE_OF_WORKER"
    EMPLOYER = "EMPLOYER"
    SPOUSE_OF_PR_APPLICANT = "SPOUSE_OF_PR_APPLICANT"
    BRIDGING = "BRIDGING"


class DepotKind(enum.Enum):
    """What a person holds on as_of: the start of their permit chain."""

    OUTSIDE = "OUTSIDE"
    STUDENT = "STUDENT"
    WORKER_OPEN = "WORKER_OPEN"
    WORKER_SPECIFIC = "WORKER_SPECIFIC"
    VISITOR = "VISITOR"
    NONE = "NONE"


@dataclass(frozen=True)
class Calendar:
    """Day indexes: day 0 is as_of; the horizon H is exclusive."""

    as_of: dt.date
    horizon: int

    @staticmethod
    def of(scenario: Scenario) -> Calendar:
        """The calendar of a scenario."""
        end = add_months(scenario.as_of, scenario.horizon_months)
        return Calendar(scenario.as_of, (end - scenario.as_of).days)

    def day(self, d: dt.date) -> int:
        return (d - self.as_of).days

    def date(self, i: int) -> dt.date:
        return add_days(self.as_of, i)

    @property
    def table_size(self) -> int:
        return self.horizon + TABLE_SLACK_DAYS


@dataclass(frozen=True)
class Job:
    """A job a person may hold: from an offer, or the ongoing job of their work history."""

    key: str
    person: Role
    noc_code: str
    hours_per_week: float
    start_days: tuple[int, ...]
    months: int | None
    offer_ref: str | None = None
    self_employed: bool = False


@dataclass(frozen=True)
class Candidate:
    """One permit a person could apply for, with the days they may apply under the rules in force then."""

    key: str
    person: Role
    code: str
    kind: Kind
    open: bool
    apply_days: tuple[int, ...]
    processing_inside: int
    processing_outside: int
    months: int | None
    fee_cents: int
    rule_ids: tuple[str, ...]
    offer_ref: str | None = None
    source: str | None = None
    source_job: str | None = None
    validity_ref_months: tuple[int, ...] = ()
    lmia: bool = False
    fixed_end: int | None = None


@dataclass(frozen=True)
class Depot:
    """A person's status on as_of, as the first node of their chain."""

    person: Role
    kind: DepotKind
    end: int
    code: str | None = None

    @property
    def in_canada(self) -> bool:
        return self.kind is not DepotKind.OUTSIDE

    @property
    def works(self) -> bool:
        return self.kind in (DepotKind.WORKER_OPEN, DepotKind.WORKER_SPECIFIC)


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

    def on(self, d: dt.date) -> dt.date:
        """The date whose rules apply to a step on `d` (options.rules_as_of wins)."""
        return self.plan_options.rules_as_of or d

    def param(self, rule_id: str, name: str, d: dt.date) -> object:
        return self.rules.param(rule_id, name, self.on(d))

    def int_param(self, rule_id: str, name: str, d: dt.date) -> int:
        value = self.param(rule_id, name, d)
        assert isinstance(value, int | float)
        return int(value)

    def param_series(self, rule_id: str, name: str, first: int, last: int) -> list[int]:
        """The integer parameter in force on each day of [first, last], read once per rule version."""
        if self.plan_options.rules_as_of is not None:
            return [self.int_param(rule_id, name, self.cal.as_of)] * (last - first + 1)
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
        """Grid days in [first, last] on which `ok(rules date)` holds, asked once per stretch between breakpoints.

        Breakpoints: every rule's effective and end dates, and the person's dates that rules read (birthdays,
        language tests taken and expiring, completion, nomination). Between two of them every answer is equal.
        """
        days = self.days(first, last)
        if not days:
            return ()
        if self.plan_options.rules_as_of is not None:
            return days if ok(self.plan_options.rules_as_of) else ()
        cuts = self._breakpoints(person)
        out: list[int] = []
        answer = False
        next_cut = 0
        for d in days:
            if d == days[0] or (next_cut < len(cuts) and d >= cuts[next_cut]):
                answer = ok(self.cal.date(d))
                while next_cut < len(cuts) and cuts[next_cut] <= d:
                    next_cut += 1
            if answer:
                out.append(d)
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
        d = self.cal.date(day)
        index = d.year * 12 + d.month - 1 + months
        year, month0 = divmod(index, 12)
        shifted = dt.date(year, month0 + 1, min(d.day, _month_length(year, month0 + 1)))
        return (shifted - self.cal.as_of).days

    def processing(self, code: str, inside: bool, d: dt.date) -> int:
        """Processing days of a category (PROCESSING.inside_canada / outside_canada)."""
        return rules_eligibility.processing_days(self.rules, code, self.on(d), inside)

    def partner(self, role: Role) -> Role | None:
        other = Role.SPOUSE if role is Role.PRINCIPAL else Role.PRINCIPAL
        return other if self.scenario.person(other) is not None else None

    def days(self, first: int, last: int) -> tuple[int, ...]:
        """Grid days in [first, last] within the horizon."""
        lo, hi = max(first, 0), min(last, self.cal.horizon - 1)
        start = lo + (-lo) % self.grid
        return tuple(range(start, hi + 1, self.grid))

    def candidate(self, key: str) -> Candidate:
        return next(c for c in self.candidates if c.key == key)

    def job(self, key: str) -> Job:
        return next(j for j in self.jobs if j.key == key)


def fee_cents(opts: Options, code: str, d: dt.date) -> int:
    """Government and employer fees of one application in cents, biometrics excluded (catalog)."""
    return rules_eligibility.fee_cents(opts.rules, code, opts.on(d))


def build_options(scenario: Scenario, plan_options: PlanOptions, rules: RuleSet, grid_days: int = 1) -> Options:
    """The static facts and candidate permits of `scenario`."""
    opts = Options(scenario, plan_options, rules, Calendar.of(scenario), max(1, grid_days))
    for role, person in scenario.members:
        opts.depots[role] = _depot(opts, role, person)
    for role, person in scenario.members:
        opts.jobs.extend(_jobs(opts, role, person))
    for role, person in scenario.members:
        opts.candidates.extend(_pgwp(opts, role, person))
        opts.candidates.extend(_employer(opts, role, person))
        opts.candidates.extend(_iec(opts, role, person))
        opts.candidates.extend(_bridging(opts, role, person))
    for role, person in scenario.members:
        opts.candidates.extend(_spousal(opts, role, person))
    return opts


def study_end(opts: Options, person: Person) -> dt.date | None:
    """The day a study permit's status ends: its validTo, or completion + STATUS.study_permit_end days."""
    if person.status is None or person.status.kind is not StatusKind.STUDENT:
        return None
    ends = [person.status.valid_to]
    done = [e.completion for e in person.education if e.canadian]
    if done:
        last = max(done)
        ends.append(add_days(last, opts.int_param("STATUS.study_permit_end", "days_after_completion", last)))
    return min(ends)


def _depot(opts: Options, role: Role, person: Person) -> Depot:
    if not person.in_canada:
        return Depot(role, DepotKind.OUTSIDE, -1)
    status = person.status
    if status is None or status.kind is StatusKind.NONE:
        return Depot(role, DepotKind.NONE, -1)
    if status.kind is StatusKind.STUDENT:
        end = study_end(opts, person)
        return Depot(role, DepotKind.STUDENT, opts.cal.day(end or status.valid_to))
    end_day = opts.cal.day(status.valid_to)
    if status.kind is StatusKind.VISITOR:
        return Depot(role, DepotKind.VISITOR, end_day)
    kind = DepotKind.WORKER_SPECIFIC if status.employer_specific else DepotKind.WORKER_OPEN
    return Depot(role, kind, end_day, status.permit_code)


def _jobs(opts: Options, role: Role, person: Person) -> list[Job]:
    out: list[Job] = []
    depot = opts.depots[role]
    for i, w in enumerate(person.work_history):
        if w.end is None and w.in_canada and depot.works and w.start <= opts.scenario.as_of:
            out.append(
                Job(f"{role.value}:history{i}", role, w.noc_code, w.hours_per_week, (0,), None, None, w.self_employed)
            )
    for offer in opts.scenario.offers:
        if offer.holder is role:
            first = opts.cal.day(offer.earliest_start)
            last = opts.cal.horizon - 1 if offer.latest_start is None else opts.cal.day(offer.latest_start)
            starts = tuple(sorted(set(opts.days(first, last)) | ({first} if 0 <= first < opts.cal.horizon else set())))
            if depot.kind is DepotKind.STUDENT and person.education:
                # A student holds no planned job before completing the program.
                done = opts.cal.day(max(e.completion for e in person.education))
                starts = tuple(d for d in starts if d >= done)
            if starts:
                out.append(
                    Job(
                        f"{role.value}:offer:{offer.ref}",
                        role,
                        offer.noc_code,
                        offer.hours_per_week,
                        starts,
                        offer.months,
                        offer.ref,
                    )
                )
    return out


def _pgwp(opts: Options, role: Role, person: Person) -> list[Candidate]:
    depot = opts.depots[role]
    if depot.kind is not DepotKind.STUDENT:
        return []
    out: list[Candidate] = []
    for i, edu in enumerate(person.education):
        first = opts.cal.day(edu.completion)
        window = opts.int_param("C43.application_window", "days", edu.completion)
        days = [
            d
            for d in opts.days(first, min(first + window, depot.end))
            if rules_eligibility.pgwp_ok(opts.rules, person, edu, opts.on(opts.cal.date(d)))
        ]
        if not days:
            continue
        months = rules_eligibility.pgwp_months(opts.rules, edu, opts.on(opts.cal.date(days[0])))
        out.append(
            Candidate(
                key=f"{role.value}:C43:{i}",
                person=role,
                code="C43",
                kind=Kind.PGWP,
                open=True,
                apply_days=tuple(days),
                processing_inside=opts.processing("C43", True, opts.cal.date(days[0])),
                processing_outside=opts.processing("C43", False, opts.cal.date(days[0])),
                months=months,
                fee_cents=fee_cents(opts, "C43", opts.cal.date(days[0])),
                rule_ids=("C43.application_window", "C43.duration", "C43.language", "C43.study_permit_required"),
            )
        )
    return out[:1]


def _employer(opts: Options, role: Role, person: Person) -> list[Candidate]:
    out: list[Candidate] = []
    for offer in opts.scenario.offers:
        if offer.holder is not role:
            continue
        job = next((j for j in opts.jobs if j.offer_ref == offer.ref), None)
        if job is None:
            continue
        out.extend(_offer_candidates(opts, role, person, offer))
    return out


def _offer_candidates(opts: Options, role: Role, person: Person, offer: Offer) -> list[Candidate]:
    as_of = opts.scenario.as_of
    last = opts.cal.horizon - 1 if offer.latest_start is None else opts.cal.day(offer.latest_start)
    code = rules_eligibility.offer_code(offer)
    if offer.lmia_exempt_code is not None:
        days = list(
            opts.eligible_days(0, last, person, lambda on: rules_eligibility.offer_ok(opts.rules, person, offer, on))
        )
        lmia = False
    else:
        days = list(opts.days(0, last))
        lmia = True
    if not days:
        return []
    d0 = opts.cal.date(days[0])
    rule_ids = rules_eligibility.offer_rule_ids(opts.rules, person, offer, opts.on(d0))
    wait = 0 if not lmia or offer.lmia_approved else opts.int_param("TFWP.lmia", "processing_days", as_of)
    return [
        Candidate(
            key=f"{role.value}:{code}:{offer.ref}",
            person=role,
            code=code,
            kind=Kind.EMPLOYER,
            open=False,
            apply_days=tuple(days),
            processing_inside=wait + opts.processing(code, True, d0),
            processing_outside=wait + opts.processing(code, False, d0),
            months=rules_eligibility.offer_months(opts.rules, offer, opts.on(d0)),
            fee_cents=fee_cents(opts, code, d0),
            rule_ids=rule_ids,
            offer_ref=offer.ref,
            lmia=lmia,
        )
    ]


def _iec(opts: Options, role: Role, person: Person) -> list[Candidate]:
    if any(h.code == "C21" for h in person.permit_history):
        return []
    days = opts.eligible_days(
        0, opts.cal.horizon - 1, person, lambda on: rules_eligibility.iec_months(opts.rules, person, on) > 0
    )
    if not days:
        return []
    d0 = opts.cal.date(days[0])
    return [
        Candidate(
            key=f"{role.value}:C21",
            person=role,
            code="C21",
            kind=Kind.IEC,
            open=True,
            apply_days=tuple(days),
            processing_inside=opts.processing("C21", True, d0),
            processing_outside=opts.processing("C21", False, d0),
            months=rules_eligibility.iec_months(opts.rules, person, opts.on(d0)),
            fee_cents=fee_cents(opts, "C21", d0),
            rule_ids=("C21.partner",),
        )
    ]


def could_apply_for_pr(opts: Options, person: Person) -> bool:
    """Whether `person` could be a PR applicant in the horizon: a nomination, or a language result that meets
    the lower CEC level while valid (CEC.language, CEC.test_validity); no new test is planned."""
    if person.provincial_nomination is not None:
        return True
    as_of = opts.scenario.as_of
    need = opts.int_param("CEC.language", "clb_teer_2_3", as_of)
    months = opts.int_param("CEC.test_validity", "months", as_of)
    return any(t.lowest >= need and add_months(t.taken, months) > as_of for t in person.language_tests)


def _bridging(opts: Options, role: Role, person: Person) -> list[Candidate]:
    d0 = opts.scenario.as_of
    if not could_apply_for_pr(opts, person):
        return []
    return [
        Candidate(
            key=f"{role.value}:A75",
            person=role,
            code="A75",
            kind=Kind.BRIDGING,
            open=True,
            apply_days=opts.days(0, opts.cal.horizon - 1),
            processing_inside=opts.processing("A75", True, d0),
            processing_outside=opts.processing("A75", False, d0),
            months=opts.int_param("A75.validity", "months", d0),
            fee_cents=fee_cents(opts, "A75", d0),
            rule_ids=("A75.eligible_classes", "A75.completeness", "A75.status_at_application", "A75.validity"),
        )
    ]


def _spousal(opts: Options, role: Role, person: Person) -> list[Candidate]:
    partner = opts.partner(role)
    if partner is None:
        return []
    p_person = opts.scenario.person(partner)
    assert p_person is not None
    out: list[Candidate] = []
    if role is Role.SPOUSE:
        # C41 and C42 are for the principal's spouse (the principal is who first held a permit).
        out.extend(_spouse_of_student(opts, role, partner, p_person))
        out.extend(_spouse_of_worker(opts, role, partner))
    out.extend(_spouse_of_pr_applicant(opts, role, partner))
    return out


def _spousal_candidate(
    opts: Options, role: Role, code: str, kind: Kind, key: str, days: tuple[int, ...], **kw: object
) -> Candidate:
    d0 = opts.cal.date(days[0])
    return Candidate(
        key=key,
        person=role,
        code=code,
        kind=kind,
        open=True,
        apply_days=days,
        processing_inside=opts.processing(code, True, d0),
        processing_outside=opts.processing(code, False, d0),
        months=None,
        fee_cents=fee_cents(opts, code, d0),
        **kw,  # type: ignore[arg-type]
    )


def _spouse_of_student(opts: Options, role: Role, partner: Role, p_person: Person) -> list[Candidate]:
    depot = opts.depots[partner]
    if depot.kind is not DepotKind.STUDENT or p_person.status is None:
        return []
    out: list[Candidate] = []
    for i, edu in enumerate(p_person.education):
        if not edu.canadian:
            continue
        first = max(0, opts.cal.day(edu.start))
        last = min(depot.end, opts.cal.day(edu.completion))
        days = opts.eligible_days(first, last, p_person, functools.partial(rules_eligibility.c42_on, opts.rules, edu))
        if days:
            out.append(
                _spousal_candidate(
                    opts,
                    role,
                    "C42",
                    Kind.SPOUSE_OF_STUDENT,
                    f"{role.value}:C42:{i}",
                    days,
                    rule_ids=("C42.principal_program",),
                    source=f"{partner.value}:depot",
                    fixed_end=opts.cal.day(p_person.status.valid_to),
                )
            )
    return out[:1]


def work_sources(opts: Options, partner: Role, kinds: tuple[Kind, ...]) -> list[tuple[str, bool, str | None]]:
    """(node key, open, offer ref) of each work permit `partner` may hold: their status on as_of, their candidates."""
    sources: list[tuple[str, bool, str | None]] = []
    depot = opts.depots[partner]
    if depot.works:
        sources.append((f"{partner.value}:depot", depot.kind is DepotKind.WORKER_OPEN, None))
    for c in opts.candidates:
        if c.person is partner and c.kind in kinds:
            sources.append((c.key, c.open, c.offer_ref))
    return sources


def _spouse_of_worker(opts: Options, role: Role, partner: Role) -> list[Candidate]:
    """C41 variants: one per (principal's work permit, principal's job) that could support it."""
    out: list[Candidate] = []
    depot = opts.depots[partner]
    for source, is_open, offer_ref in work_sources(opts, partner, (Kind.PGWP, Kind.EMPLOYER, Kind.IEC)):
        if source.endswith(":depot") and depot.kind is DepotKind.WORKER_SPECIFIC:
            jobs = [j for j in opts.jobs if j.person is partner and j.offer_ref is None]
        else:
            jobs = [j for j in opts.jobs if j.person is partner and (is_open or j.offer_ref == offer_ref)]
        for job in jobs:
            days = opts.eligible_days(
                0,
                opts.cal.horizon - 1,
                None,
                functools.partial(rules_eligibility.c41_occupation_ok, opts.rules, job.noc_code),
            )
            if not days:
                continue
            months = opts.param_series("C41.principal_validity", "months", days[0], days[-1])
            refs = tuple(opts.shift_months(d, months[d - days[0]]) for d in range(days[0], days[-1] + 1))
            out.append(
                _spousal_candidate(
                    opts,
                    role,
                    "C41",
                    Kind.SPOUSE_OF_WORKER,
                    f"{role.value}:C41:{source}:{job.key}",
                    days,
                    rule_ids=("C41.principal_occupation", "C41.principal_validity", "C41.principal_employed"),
                    source=source,
                    source_job=job.key,
                    validity_ref_months=refs,
                )
            )
    return out


def _spouse_of_pr_applicant(opts: Options, role: Role, partner: Role) -> list[Candidate]:
    """C49 variants: one per work permit of the PR applicant (the partner) it may run to."""
    days = opts.days(0, opts.cal.horizon - 1)
    if not days or not opts.rules.in_force("C49.principal_pr_applicant", opts.on(opts.cal.date(days[-1]))):
        return []
    applicant = opts.scenario.person(partner)
    if applicant is None or not could_apply_for_pr(opts, applicant):
        return []
    out: list[Candidate] = []
    for source, _open, _ref in work_sources(opts, partner, (Kind.PGWP, Kind.EMPLOYER, Kind.IEC, Kind.BRIDGING)):
        out.append(
            _spousal_candidate(
                opts,
                role,
                "C49",
                Kind.SPOUSE_OF_PR_APPLICANT,
                f"{role.value}:C49:{source}",
                days,
                rule_ids=("C49.principal_pr_applicant",),
                source=source,
            )
        )
    return out

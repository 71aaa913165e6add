"""What changed between two plans of one household: `compare(a, b) -> PlanDiff`.

A pure function of two `Plan`s, so the same answer serves a stored plan against a fresh one, two what-ifs
(rules as of two dates, an offer removed) and the command line. Every day count is `b - a`: negative means
`b` is earlier. Every list is in a fixed order, so two runs print and serialize the same diff.

Permits are matched by person, code and offer (the n-th such permit of `a` with the n-th of `b`, in apply
order), deadlines by person, kind, rule and the step's code; findings by kind, rule id and message.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from solver.domain import OFF_CONTRACT, ClosedRoute, Deadline, DeadlineKind, Plan, PlannedPermit, Role
from solver.phrases import Phrase

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def _days(before: dt.date | None, after: dt.date | None) -> int | None:
    return None if before is None or after is None else (after - before).days


@dataclass(frozen=True)
class PermitRef:
    """A permit of one plan, as the diff names it."""

    person: Role
    code: str
    name: str
    offer_ref: str | None
    apply_on: dt.date
    valid_from: dt.date
    valid_to: dt.date


@dataclass(frozen=True)
class PermitMove:
    """The same permit (person, code, offer) in both plans with other dates; each shift is `b - a` in days."""

    before: PermitRef
    after: PermitRef
    apply_on_days: int
    valid_from_days: int
    valid_to_days: int


@dataclass(frozen=True)
class PrChange:
    """The PR target of each plan; `ready_days` is `b - a` (None when either plan reaches no PR)."""

    ready_before: dt.date | None
    ready_after: dt.date | None
    ready_days: int | None
    program_before: str | None
    program_after: str | None
    applicant_before: Role | None
    applicant_after: Role | None


@dataclass(frozen=True)
class DeadlineRef:
    """A deadline of one plan, as the diff names it; `phrase` words `message` (solver/phrases.py) and takes no part
    in the comparison (deadlines are matched by person, kind, rule and step code)."""

    person: Role
    kind: DeadlineKind
    rule_id: str
    date: dt.date
    message: str
    step_code: str | None
    phrase: Phrase | None = field(default=None, compare=False, metadata=OFF_CONTRACT)


@dataclass(frozen=True)
class DeadlineMove:
    """The same deadline in both plans on another day; `days` is `b - a` (negative: earlier in `b`)."""

    before: DeadlineRef
    after: DeadlineRef
    days: int


class FeePart(enum.Enum):
    """Which fee figure of a plan changed: the client's total, its parts, or the employer's (never in the total)."""

    TOTAL = "TOTAL"
    PERMITS = "PERMITS"
    BIOMETRICS = "BIOMETRICS"
    PR = "PR"
    EMPLOYER = "EMPLOYER"


@dataclass(frozen=True)
class FeeChange:
    """One fee figure, before and after, in Canadian dollars; `delta` is `b - a`."""

    part: FeePart
    before: float
    after: float
    delta: float


class FindingKind(enum.Enum):
    """Where a finding sits in a plan."""

    BLOCKER = "BLOCKER"
    EXPLANATION = "EXPLANATION"
    CLOSED_ROUTE = "CLOSED_ROUTE"


@dataclass(frozen=True, order=True)
class FindingRef:
    """A finding of one plan; for a closed route, the person and the category code it is about.

    The English `message` is the finding's identity: two plans' findings are matched by kind, rule id, message,
    person and code, whatever language a reader gets. `phrase` words the same sentence (solver/phrases.py) for a
    reader's layer, and takes no part in the comparison; None for a sentence not keyed.
    """

    kind: FindingKind
    rule_id: str
    message: str
    person: Role | None = None
    code: str | None = None
    phrase: Phrase | None = field(default=None, compare=False, metadata=OFF_CONTRACT)


@dataclass(frozen=True)
class GapChange:
    """A person's days without status and without work authorization (from the plan's status gaps), a then b."""

    person: Role
    without_status_before: int
    without_status_after: int
    without_work_before: int
    without_work_after: int


@dataclass(frozen=True)
class PlanDiff:
    """Everything that differs between plan `a` and plan `b`; empty lists and `pr is None` mean no change."""

    permits_added: tuple[PermitRef, ...]
    permits_removed: tuple[PermitRef, ...]
    permits_moved: tuple[PermitMove, ...]
    pr: PrChange | None
    deadlines_moved: tuple[DeadlineMove, ...]
    deadlines_added: tuple[DeadlineRef, ...]
    deadlines_gone: tuple[DeadlineRef, ...]
    fees: tuple[FeeChange, ...]
    findings_new: tuple[FindingRef, ...]
    findings_gone: tuple[FindingRef, ...]
    gaps: tuple[GapChange, ...]

    @property
    def same(self) -> bool:
        """True when the two plans differ in nothing the diff compares."""
        return not any(
            (
                self.permits_added,
                self.permits_removed,
                self.permits_moved,
                self.pr,
                self.deadlines_moved,
                self.deadlines_added,
                self.deadlines_gone,
                self.fees,
                self.findings_new,
                self.findings_gone,
                self.gaps,
            )
        )


def _role_order(role: Role | None) -> str:
    return "" if role is None else role.value


def _pair(
    a: Iterable[T], b: Iterable[T], key: Callable[[T], K], order: Callable[[T], dt.date]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Matches items with one key, the n-th of `a` with the n-th of `b` by date; returns pairs, only-a, only-b."""
    left: dict[K, list[T]] = defaultdict(list)
    right: dict[K, list[T]] = defaultdict(list)
    for item in a:
        left[key(item)].append(item)
    for item in b:
        right[key(item)].append(item)
    pairs: list[tuple[T, T]] = []
    gone: list[T] = []
    added: list[T] = []
    for k in list(left) + [k for k in right if k not in left]:
        xs = sorted(left.get(k, []), key=order)
        ys = sorted(right.get(k, []), key=order)
        pairs += list(zip(xs, ys, strict=False))
        gone += xs[len(ys) :]
        added += ys[len(xs) :]
    return pairs, gone, added


def _permit(p: PlannedPermit) -> PermitRef:
    return PermitRef(p.person, p.code, p.name, p.offer_ref, p.apply_on, p.valid_from, p.valid_to)


def _permit_order(p: PermitRef) -> tuple[dt.date, str, str, str]:
    return (p.apply_on, p.person.value, p.code, p.offer_ref or "")


def _permits(a: Plan, b: Plan) -> tuple[tuple[PermitRef, ...], tuple[PermitRef, ...], tuple[PermitMove, ...]]:
    pairs, gone, added = _pair(
        map(_permit, a.permits),
        map(_permit, b.permits),
        lambda p: (p.person, p.code, p.offer_ref),
        lambda p: p.apply_on,
    )
    moved = [
        PermitMove(
            x, y, (y.apply_on - x.apply_on).days, (y.valid_from - x.valid_from).days, (y.valid_to - x.valid_to).days
        )
        for x, y in pairs
        if (x.apply_on, x.valid_from, x.valid_to) != (y.apply_on, y.valid_from, y.valid_to)
    ]
    moved.sort(key=lambda m: _permit_order(m.before))
    return tuple(sorted(added, key=_permit_order)), tuple(sorted(gone, key=_permit_order)), tuple(moved)


def _pr(a: Plan, b: Plan) -> PrChange | None:
    if (a.pr_ready_date, a.pr_program, a.pr_applicant) == (b.pr_ready_date, b.pr_program, b.pr_applicant):
        return None
    return PrChange(
        a.pr_ready_date,
        b.pr_ready_date,
        _days(a.pr_ready_date, b.pr_ready_date),
        a.pr_program,
        b.pr_program,
        a.pr_applicant,
        b.pr_applicant,
    )


def _deadline(d: Deadline) -> DeadlineRef:
    return DeadlineRef(d.person, d.kind, d.rule_id, d.date, d.message, d.step_code, d.phrase)


def _deadline_order(d: DeadlineRef) -> tuple[dt.date, str, str, str]:
    return (d.date, d.person.value, d.kind.value, d.rule_id)


def _deadlines(a: Plan, b: Plan) -> tuple[tuple[DeadlineMove, ...], tuple[DeadlineRef, ...], tuple[DeadlineRef, ...]]:
    pairs, gone, added = _pair(
        map(_deadline, a.deadlines),
        map(_deadline, b.deadlines),
        lambda d: (d.person, d.kind, d.rule_id, d.step_code),
        lambda d: d.date,
    )
    # Earlier first: a deadline that comes sooner in `b` is the one a consultant must act on.
    moved = sorted(
        (DeadlineMove(x, y, (y.date - x.date).days) for x, y in pairs if x.date != y.date),
        key=lambda m: (m.days, _deadline_order(m.after)),
    )
    return tuple(moved), tuple(sorted(added, key=_deadline_order)), tuple(sorted(gone, key=_deadline_order))


def _fees(a: Plan, b: Plan) -> tuple[FeeChange, ...]:
    figures = (
        (FeePart.TOTAL, a.fees_total, b.fees_total),
        (FeePart.PERMITS, a.fees_permits, b.fees_permits),
        (FeePart.BIOMETRICS, a.fees_biometrics, b.fees_biometrics),
        (FeePart.PR, a.fees_pr, b.fees_pr),
        (FeePart.EMPLOYER, a.fees_employer, b.fees_employer),
    )
    # Fees are whole cents; rounding keeps a float's last bit from reading as a change.
    return tuple(
        FeeChange(part, round(x, 2), round(y, 2), round(y - x, 2)) for part, x, y in figures if round(x - y, 2) != 0
    )


def _route_line(route: ClosedRoute) -> tuple[str, Phrase | None]:
    """A closed route with no reasons as one finding: its name and its fix ("not needed" without one), in English
    (the finding's identity) and keyed (None when the fix is a sentence not keyed)."""
    message = f"{route.name}: {route.fix or 'not needed'}"
    fix = Phrase.of("route.not_needed") if route.fix is None else route.fix_phrase
    said = None if fix is None else Phrase.of("route.line", name=route.name, fix=fix)
    return message, said if said is not None and said.english() == message else None


def _findings(p: Plan) -> set[FindingRef]:
    found = {FindingRef(FindingKind.BLOCKER, f.rule_id, f.message, phrase=f.phrase) for f in p.blockers}
    found |= {FindingRef(FindingKind.EXPLANATION, f.rule_id, f.message, phrase=f.phrase) for f in p.explanation}
    for route in p.closed_routes:
        if not route.reasons:
            message, said = _route_line(route)
            found.add(FindingRef(FindingKind.CLOSED_ROUTE, route.code, message, route.person, route.code, said))
        for f in route.reasons:
            found.add(FindingRef(FindingKind.CLOSED_ROUTE, f.rule_id, f.message, route.person, route.code, f.phrase))
    return found


def _finding_order(f: FindingRef) -> tuple[str, str, str, str, str]:
    return (f.kind.value, f.rule_id, _role_order(f.person), f.code or "", f.message)


def _gap_days(p: Plan, person: Role) -> tuple[int, int]:
    """Days without status (every gap day: a gap is a run without status) and days without work authorization."""
    gaps = [g for g in p.status_gaps if g.person == person]
    without_status = sum((g.end - g.start).days + 1 for g in gaps)
    without_work = sum((g.end - g.start).days + 1 for g in gaps if not g.work_authorized)
    return without_status, without_work


def _gaps(a: Plan, b: Plan) -> tuple[GapChange, ...]:
    changes = []
    for person in Role:
        status_a, work_a = _gap_days(a, person)
        status_b, work_b = _gap_days(b, person)
        if (status_a, work_a) != (status_b, work_b):
            changes.append(GapChange(person, status_a, status_b, work_a, work_b))
    return tuple(changes)


def compare(a: Plan, b: Plan) -> PlanDiff:
    """What changed from plan `a` to plan `b` (of the same household), every shift counted `b - a` in days."""
    added, removed, moved = _permits(a, b)
    d_moved, d_added, d_gone = _deadlines(a, b)
    found_a, found_b = _findings(a), _findings(b)
    return PlanDiff(
        permits_added=added,
        permits_removed=removed,
        permits_moved=moved,
        pr=_pr(a, b),
        deadlines_moved=d_moved,
        deadlines_added=d_added,
        deadlines_gone=d_gone,
        fees=_fees(a, b),
        findings_new=tuple(sorted(found_b - found_a, key=_finding_order)),
        findings_gone=tuple(sorted(found_a - found_b, key=_finding_order)),
        gaps=_gaps(a, b),
    )


def lines(diff: PlanDiff) -> Sequence[str]:
    """The diff as readable lines (the command line's `--compare` output); one line when nothing changed.

    In English: the labels are a fixed-column report, and each finding and deadline is its English message, the
    identity the diff matched it by (the phrases beside them word it for a reader's layer; `--lang` is the
    timeline's language, not this report's)."""
    if diff.same:
        return ["no differences"]
    out: list[str] = []

    def who(role: Role | None) -> str:
        return "-" if role is None else role.value.lower()

    def shift(days: int | None) -> str:
        if days is None:
            return ""
        if days == 0:
            return " (same day)"
        return f" ({abs(days)} days {'earlier' if days < 0 else 'later'})"

    if diff.pr is not None:
        p = diff.pr
        before = "none" if p.ready_before is None else p.ready_before.isoformat()
        after = "none" if p.ready_after is None else p.ready_after.isoformat()
        out.append(f"PR ready: {before} -> {after}{shift(p.ready_days)}")
        if p.program_before != p.program_after:
            out.append(f"PR program: {p.program_before or 'none'} -> {p.program_after or 'none'}")
        if p.applicant_before != p.applicant_after:
            out.append(f"PR applicant: {who(p.applicant_before)} -> {who(p.applicant_after)}")

    def permit(x: PermitRef) -> str:
        offer = f" offer {x.offer_ref}" if x.offer_ref else ""
        return (
            f"{who(x.person)} {x.code}{offer}: apply {x.apply_on.isoformat()},"
            f" valid {x.valid_from.isoformat()} to {x.valid_to.isoformat()}"
        )

    for x in diff.permits_added:
        out.append(f"permit added    {permit(x)}")
    for x in diff.permits_removed:
        out.append(f"permit removed  {permit(x)}")
    for m in diff.permits_moved:
        out.append(f"permit moved    {permit(m.after)}")
        out.append(
            f"{'':16}apply {m.apply_on_days:+d} days, valid from {m.valid_from_days:+d} days,"
            f" valid to {m.valid_to_days:+d} days"
        )
    for dm in diff.deadlines_moved:
        out.append(
            f"deadline moved  {who(dm.after.person)} {dm.after.rule_id}: {dm.before.date.isoformat()} ->"
            f" {dm.after.date.isoformat()}{shift(dm.days)}"
        )
    for d in diff.deadlines_added:
        out.append(f"deadline added  {who(d.person)} {d.date.isoformat()} [{d.rule_id}] {d.message}")
    for d in diff.deadlines_gone:
        out.append(f"deadline gone   {who(d.person)} {d.date.isoformat()} [{d.rule_id}] {d.message}")
    for f in diff.fees:
        out.append(f"fees {f.part.value.lower()}: ${f.before:,.2f} -> ${f.after:,.2f} ({f.delta:+,.2f})")
    for g in diff.gaps:
        out.append(
            f"gaps {who(g.person)}: days without status {g.without_status_before} -> {g.without_status_after},"
            f" without work {g.without_work_before} -> {g.without_work_after}"
        )

    def finding(f: FindingRef) -> str:
        about = "" if f.person is None else f" ({who(f.person)} {f.code})"
        return f"{f.kind.value.lower().replace('_', ' ')} [{f.rule_id}]{about}: {f.message}"

    for fr in diff.findings_new:
        out.append(f"new   {finding(fr)}")
    for fr in diff.findings_gone:
        out.append(f"gone  {finding(fr)}")
    return out

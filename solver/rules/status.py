"""Status helpers: study-permit end, maintained status, restoration and the passport cap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from solver import dates
from solver.domain import HeldPermit, Person, StatusKind
from solver.rules.registry import RuleSet

# Codes of permits that authorize work (anything in permit history that is not a study or visitor record).
_NON_WORK_CODES = frozenset({"STUDY", "SP", "VISITOR", "TRV"})
_STUDY_CODES = frozenset({"STUDY", "SP"})


def cap_to_passport(valid_to: dt.date, passport_expiry: dt.date | None) -> dt.date:
    """`valid_to`, no later than the passport's expiry (PASSPORT.cap); unchanged when the expiry is unknown."""
    if passport_expiry is None:
        return valid_to
    return min(valid_to, passport_expiry)


def permit_end(valid_from: dt.date, months: int, passport_expiry: dt.date | None) -> dt.date:
    """Last valid day of a `months`-month permit issued on `valid_from`, capped at the passport."""
    return cap_to_passport(dates.add_days(dates.add_months(valid_from, months), -1), passport_expiry)


def restoration_deadline(status_end: dt.date, rules: RuleSet) -> dt.date:
    """Last day to apply for restoration after status ended on `status_end` (STATUS.restoration)."""
    days = int(rules.param("STATUS.restoration", "days", status_end))
    return dates.add_days(status_end, days)


def can_restore(status_end: dt.date, on: dt.date, rules: RuleSet) -> bool:
    """True when status ended before `on` and `on` is within the restoration period."""
    return status_end < on <= restoration_deadline(status_end, rules)


def holds_work_permit(person: Person, on: dt.date) -> bool:
    """True when the person holds a valid work permit on `on` (a worker status or a work permit in history)."""
    status = person.status
    if status is not None and status.kind is StatusKind.WORKER and on <= status.valid_to:
        return True
    return any(p.valid_from <= on <= p.valid_to and p.code not in _NON_WORK_CODES for p in person.permit_history)


def work_permit_end(person: Person) -> dt.date | None:
    """The latest end of a worker status or work permit in history, or None."""
    ends = [p.valid_to for p in person.permit_history if p.code not in _NON_WORK_CODES]
    if person.status is not None and person.status.kind is StatusKind.WORKER:
        ends.append(person.status.valid_to)
    return max(ends) if ends else None


def lost_status(person: Person, as_of: dt.date) -> HeldPermit | None:
    """For a person in Canada holding no status on `as_of` (status NONE or unknown), the permit of their history
    that ended last before `as_of`: status was lost the day after its end (STATUS.restoration counts from it).
    None when they hold a status, are outside Canada, or their history has no permit that ended before."""
    status = person.status
    if not person.in_canada or (status is not None and status.kind is not StatusKind.NONE):
        return None
    ended = [p for p in person.permit_history if p.valid_to < as_of]
    return max(ended, key=lambda p: (p.valid_to, p.code), default=None)


def is_work_permit(code: str) -> bool:
    """Whether a permit of the history with this code authorized work (not a study permit or visitor record)."""
    return code not in _NON_WORK_CODES


def is_study_permit(code: str) -> bool:
    """Whether a permit of the history with this code is a study permit."""
    return code in _STUDY_CODES


def maintains_status(applied_on: dt.date, status_end: dt.date, in_canada: bool) -> bool:
    """STATUS.maintained: an application filed in Canada on or before the last day of status keeps it."""
    return in_canada and applied_on <= status_end


def may_work_while_restoring(on: dt.date, rules: RuleSet) -> bool:
    """STATUS.restoration: whether work is allowed while restoration is pending (never, today)."""
    return bool(rules.param("STATUS.restoration", "work_allowed", on))


def visitor_may_apply_inside(on: dt.date, rules: RuleSet) -> bool:
    """STATUS.visitor_work_permit: whether a visitor in Canada may apply for a work permit inside Canada on `on`
    without an R199 ground (the public policy of 2020-08-24 to 2024-08-27; never outside it)."""
    rule = "STATUS.visitor_work_permit"
    return rules.in_force(rule, on) and bool(rules.param(rule, "allowed", on))


def port_of_entry_allowed(code: str, citizenships: Iterable[str], on: dt.date, rules: RuleSet) -> bool:
    """STATUS.flagpoling: whether someone in Canada may apply for `code` at the border on `on`."""
    rule = "STATUS.flagpoling"
    if bool(rules.param(rule, "allowed", on)):
        return True
    exempt_codes = rules.param(rule, "exception_codes", on)
    exempt_countries = rules.param(rule, "exception_citizenships", on)
    return code in exempt_codes or any(c in exempt_countries for c in citizenships)

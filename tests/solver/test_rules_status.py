"""Status helpers: passport cap, permit end, restoration."""

from __future__ import annotations

import pytest

from solver.rules import status
from solver.rules.registry import load_rules
from tests.solver.rules_people import D, held, person, worker

RULES = load_rules()


@pytest.mark.parametrize(
    ("valid_to", "passport", "expected"),
    [
        ("2029-12-01", "2029-06-30", "2029-06-30"),
        ("2029-12-01", "2030-01-01", "2029-12-01"),
        ("2029-12-01", None, "2029-12-01"),
    ],
    ids=["passport first", "permit first", "passport unknown"],
)
def test_cap_to_passport(valid_to: str, passport: str | None, expected: str) -> None:
    assert status.cap_to_passport(D(valid_to), None if passport is None else D(passport)) == D(expected)


def test_permit_end_is_the_day_before_the_anniversary() -> None:
    assert status.permit_end(D("2027-02-19"), 36, None) == D("2030-02-18")
    assert status.permit_end(D("2024-02-29"), 12, None) == D("2025-02-27")
    assert status.permit_end(D("2027-02-19"), 36, D("2029-01-01")) == D("2029-01-01")


@pytest.mark.parametrize(
    ("on", "ok"),
    [("2027-03-31", False), ("2027-04-01", True), ("2027-06-29", True), ("2027-06-30", False)],
    ids=["last day of status", "day 1", "day 90", "day 91"],
)
def test_restoration_window(on: str, ok: bool) -> None:
    assert status.restoration_deadline(D("2027-03-31"), RULES) == D("2027-06-29")
    assert status.can_restore(D("2027-03-31"), D(on), RULES) is ok


def test_work_permit_held() -> None:
    who = person(status=worker("2027-03-31"), history=(held("C43", "2024-03-31", "2027-03-31"),))
    assert status.holds_work_permit(who, D("2027-03-31"))
    assert not status.holds_work_permit(who, D("2027-04-01"))
    assert status.work_permit_end(who) == D("2027-03-31")
    assert status.work_permit_end(person()) is None


@pytest.mark.parametrize(
    ("applied", "in_canada", "kept"),
    [("2027-03-31", True, True), ("2027-04-01", True, False), ("2027-03-01", False, False)],
    ids=["filed on the last day", "filed a day late", "filed from abroad"],
)
def test_maintained_status(applied: str, in_canada: bool, kept: bool) -> None:
    assert status.maintains_status(D(applied), D("2027-03-31"), in_canada) is kept


def test_no_work_while_restoring() -> None:
    assert status.may_work_while_restoring(D("2026-01-01"), RULES) is False


@pytest.mark.parametrize(
    ("code", "citizenships", "on", "allowed"),
    [
        ("C43", ("IN",), "2024-12-23", True),
        ("C43", ("IN",), "2024-12-24", False),
        ("C43", ("IN",), "2024-12-25", False),
        ("T36", ("MX",), "2025-06-01", True),
        ("C41", ("US",), "2025-06-01", True),
    ],
    ids=[
        "day before the end of flagpoling",
        "from 2024-12-24",
        "day after",
        "T36 professionals exempt",
        "US citizens exempt",
    ],
)
def test_port_of_entry(code: str, citizenships: tuple[str, ...], on: str, allowed: bool) -> None:
    assert status.port_of_entry_allowed(code, citizenships, D(on), RULES) is allowed

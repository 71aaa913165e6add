"""Express Entry windows and the PGWP end date with the passport cap."""

from __future__ import annotations

import pytest

from solver.domain import Credential
from solver.rules import express_entry, pgwp
from solver.rules.registry import load_rules
from tests.solver.rules_people import D, program

RULES = load_rules()


@pytest.mark.parametrize(
    ("created", "valid_to"),
    [("2026-01-31", "2027-01-30"), ("2024-02-29", "2025-02-27")],
    ids=["12 months less a day", "29 February"],
)
def test_profile_valid_to(created: str, valid_to: str) -> None:
    assert express_entry.profile_valid_to(D(created), RULES) == D(valid_to)


@pytest.mark.parametrize(
    ("invited", "on", "ok"),
    [
        ("2026-01-05", "2026-03-06", True),
        ("2026-01-05", "2026-03-07", False),
        ("2018-06-25", "2018-09-23", True),
        ("2018-06-26", "2018-09-23", False),
    ],
    ids=["day 60", "day 61", "90 days before 2018-06-26", "60 days from 2018-06-26"],
)
def test_ita_window(invited: str, on: str, ok: bool) -> None:
    assert express_entry.can_submit(D(invited), D(on), RULES) is ok


def test_ita_deadline_and_pr_decision() -> None:
    assert express_entry.ita_deadline(D("2026-01-05"), RULES) == D("2026-03-06")
    assert express_entry.pr_decision_date(D("2026-01-05"), "CEC", RULES) == D("2026-08-05")
    assert express_entry.pr_decision_date(D("2026-01-05"), "PNP_BASE", RULES) == D("2027-05-05")
    with pytest.raises(ValueError, match="known: CEC, FSW, PNP, PNP_BASE"):
        express_entry.pr_decision_date(D("2026-01-05"), "QSW", RULES)


@pytest.mark.parametrize(
    ("passport", "valid_to"),
    [("2035-01-01", "2030-02-17"), ("2028-06-30", "2028-06-30")],
    ids=["3 years", "capped at the passport"],
)
def test_pgwp_valid_to(passport: str, valid_to: str) -> None:
    edu = program()
    assert pgwp.permit_valid_to(edu, D("2026-12-01"), D("2027-02-18"), D(passport), RULES) == D(valid_to)
    assert (
        pgwp.permit_valid_to(program(Credential.DIPLOMA, months=6), D("2026-12-01"), D("2027-02-18"), None, RULES)
        is None
    )

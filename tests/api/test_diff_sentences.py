"""A plan diff's findings keyed (solver/compare.py, solver/impact.py): the line of a closed route with no reasons is
a phrase (route.line, route.not_needed) whose English is the line as before, and which is worded in French; the
English message stays the finding's identity, so two plans' findings match whatever their phrases; a blocker's,
an explanation's, a route reason's or a deadline's ref carries its plan's phrase; a stored impact keeps them, and
the contract's JSON of a diff leaves them out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from api.present.sentences import say
from db.plan_json import from_plain, to_plain
from solver.categories.base import Fix
from solver.compare import FindingKind, FindingRef, compare
from solver.domain import ClosedRoute, Finding, Role
from solver.impact import Impact, impact
from solver.phrases import Phrase
from solver.scenario_json import to_json
from tests.api.test_present_sentences import english_left
from tests.solver.test_compare import base

NOT_PLANNED = Fix.said(Phrase.of("route.open_not_planned", day="2027-03-01"))
NAME = "Post-graduation work permit"
SKILLED = "Open work permit for the spouse of a skilled worker"


def _after() -> tuple[ClosedRoute, ...]:
    reason = Phrase.of("reason.pgwp_held")
    return (
        ClosedRoute(Role.PRINCIPAL, "C43", NAME, ()),
        ClosedRoute(
            Role.SPOUSE,
            "C41",
            SKILLED,
            (),
            NOT_PLANNED.change,
            None,
            None,
            True,
            NOT_PLANNED.phrase,
        ),
        ClosedRoute(Role.SPOUSE, "C42", "Spouse of a student", (), "a fix not keyed"),
        ClosedRoute(
            Role.PRINCIPAL, "A75", "BOWP", (Finding("C43.once_per_lifetime", reason.english(), phrase=reason),)
        ),
    )


def _new() -> dict[str, FindingRef]:
    b = dataclasses.replace(base(), closed_routes=base().closed_routes + _after())
    return {f.code or "": f for f in compare(base(), b).findings_new}


def test_a_closed_routes_line_keeps_its_english_and_is_worded_in_french() -> None:
    new = _new()
    assert new["C43"].message == f"{NAME}: not needed"
    assert new["C43"].phrase == Phrase.of("route.line", name=NAME, fix=Phrase.of("route.not_needed"))
    assert say(new["C43"].phrase, new["C43"].message, "fr") == "permis de travail postdiplôme : pas nécessaire"
    assert new["C41"].message == f"{SKILLED}: {NOT_PLANNED.change}"
    assert new["C41"].phrase is not None and new["C41"].phrase.english() == new["C41"].message
    french = say(new["C41"].phrase, new["C41"].message, "fr")
    assert french.startswith("permis de travail ouvert") and "(admissible le 2027-03-01)" in french, french
    assert english_left(french) == [], french
    # A fix not keyed: the line is the English it was, with no phrase.
    assert (new["C42"].message, new["C42"].phrase) == ("Spouse of a student: a fix not keyed", None)
    # A route's reason: its finding's own phrase.
    assert new["A75"].phrase == Phrase.of("reason.pgwp_held")


def test_the_english_message_is_the_identity_a_phrase_takes_no_part() -> None:
    keyed = FindingRef(FindingKind.CLOSED_ROUTE, "C43", f"{NAME}: not needed", Role.PRINCIPAL, "C43", None)
    assert _new()["C43"] == keyed
    assert hash(_new()["C43"]) == hash(keyed)
    # The same findings worded by phrases in one plan and not in the other are no difference.
    unkeyed = dataclasses.replace(
        base(), blockers=(Finding("B.one", "a blocker", phrase=None),), closed_routes=base().closed_routes
    )
    assert compare(base(), unkeyed).same


def test_an_impact_report_carries_the_phrases_and_a_stored_one_keeps_them() -> None:
    b = dataclasses.replace(base(), closed_routes=base().closed_routes + _after())
    report = impact(base(), b, dt.date(2026, 6, 1))
    risks = {f.code: f for f in report.new_risks}
    assert risks["C43"].phrase == Phrase.of("route.line", name=NAME, fix=Phrase.of("route.not_needed"))
    keep = Phrase.of("deadline.keep_status", name=NAME, code="C43", day="2027-03-18")
    moved = dataclasses.replace(base().deadlines[0], date=dt.date(2027, 3, 18), message=keep.english(), phrase=keep)
    b = dataclasses.replace(b, deadlines=(moved, *base().deadlines[1:]))
    report = impact(base(), b, dt.date(2026, 6, 1))
    [shift] = report.deadlines_moved
    assert (shift.before.phrase, shift.after.phrase, shift.after.message) == (None, keep, keep.english())
    stored = from_plain(to_plain(report), Impact)
    assert stored == report
    assert [f.phrase for f in stored.new_risks] == [f.phrase for f in report.new_risks]
    # The contract's JSON of a diff (`permitpath plan --compare --json`) is what it was: no phrase in it.
    assert "phrase" not in json.dumps(to_json(compare(base(), b)))

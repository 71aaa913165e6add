"""The invitation a plan assumes (solver/invitation.py): the CRS against recent cut-offs by draw type
(EE.cutoff) with the levers that apply, and the invitation wait used (EE.ita_wait)."""

from __future__ import annotations

import dataclasses

from solver.domain import LanguageTest, LanguageTestKind, Nomination, PlanOptions, WorkPeriod
from solver.invitation import cutoff_finding, entered_draw_types, ita_wait_finding, levers
from solver.rules.registry import load_rules
from tests.solver.factories import D, abroad, graduate

RULES = load_rules()
READY = D("2028-01-03")
# One year of TEER 1 work in Canada to the ready day (the CEC minimum).
YEAR = WorkPeriod("21231", D("2027-01-04"), 40, True, end=D("2028-01-02"))


def test_the_draw_types_a_profile_enters() -> None:
    person = graduate(work_history=(YEAR,))
    assert entered_draw_types(person, "CEC", READY, RULES) == ("CEC", "GENERAL")
    nominee = dataclasses.replace(person, provincial_nomination=Nomination("ON", D("2027-06-01")))
    assert entered_draw_types(nominee, "PNP", READY, RULES) == ("PNP", "GENERAL")
    french = LanguageTest(LanguageTestKind.TEF_CANADA, D("2027-01-10"), 7, 7, 7, 7)
    francophone = dataclasses.replace(person, language_tests=(*person.language_tests, french))
    assert entered_draw_types(francophone, "CEC", READY, RULES) == ("CEC", "FRENCH", "GENERAL")


def test_below_every_cutoff_is_a_risk_with_the_levers() -> None:
    # Born 2000-03-03 (27): 110 + bachelor's 120 + CLB 8 92 + 1 year 40 + 26 transferability + 30 = 418.
    finding = cutoff_finding(graduate(work_history=(YEAR,)), None, "CEC", READY, RULES, READY)
    assert finding.rule_id == "EE.cutoff" and finding.effective == D("2025-02-27")
    assert finding.source is not None and finding.message.startswith(
        "risk: CRS 418 on 2028-01-03 is below every recent cut-off of the draws this profile enters: "
        "CEC 511-547 (latest 511 on 2026-01-07); 93 points short of the lowest (511, CEC draw of 2026-01-07)"
    )
    assert "a provincial nomination +570 -> 988 reaches it (CRS.additional)" in finding.message
    assert "a job offer (0 since 2025-03-25) +0 -> 418 (CRS.arranged_employment)" in finding.message


def test_the_levers_are_scored_by_crs() -> None:
    person = graduate(work_history=(YEAR,))
    found = {lv.label: (lv.points, lv.rule_id) for lv in levers(person, abroad(), READY, RULES)}
    assert found["a retest at CLB 9 in every ability"][1] == "CRS.core"
    assert found["French results at NCLC 7 in every ability"] == (62, "CRS.additional")
    assert found["the spouse's language test at CLB 9"] == (20, "CRS.spouse")
    nominee = dataclasses.replace(person, provincial_nomination=Nomination("ON", D("2027-01-01")))
    assert "a provincial nomination" not in {lv.label for lv in levers(nominee, None, READY, RULES)}


def test_a_score_that_reaches_a_cutoff_is_no_risk() -> None:
    nominee = graduate(work_history=(YEAR,), provincial_nomination=Nomination("ON", D("2027-06-01")))
    finding = cutoff_finding(nominee, None, "CEC", READY, RULES, READY)
    assert finding.message == "CRS 988 on 2028-01-03 reaches the recent cut-off of 511 (CEC draw of 2026-01-07)"


def test_no_recorded_cutoff_is_said_not_guessed() -> None:
    nominee = graduate(work_history=(YEAR,), provincial_nomination=Nomination("ON", D("2027-06-01")))
    finding = cutoff_finding(nominee, None, "PNP", READY, RULES, READY)
    assert "no recent cut-off recorded for PNP, GENERAL draws" in finding.message
    assert not finding.message.startswith("risk")


def test_the_plan_states_the_invitation_wait_it_assumed() -> None:
    finding = ita_wait_finding(PlanOptions(ita_wait_days=45), READY, RULES, READY)
    assert finding.rule_id == "EE.ita_wait" and finding.source is not None
    assert finding.message == (
        "assumed 45 days from entering the pool on 2028-01-03 to an invitation (PR submission 2028-02-17); "
        "set itaWaitDays to plan with another wait"
    )

"""The deadlines' calendar feed (api/present/calendar.py), parsed back with icalendar: every deadline of the plan
is an all-day event with its step and rule, two alarms (30 and 7 days before), and a UID that stays the same
from one plan to the next."""

from __future__ import annotations

import dataclasses
import datetime as dt

from icalendar import Calendar

from api.present.calendar import HouseholdPlan, calendar_ics, deadline_uid
from solver.rules.registry import load_rules
from tests.api.present_cases import BOTH_WORKING, EMPLOYER_SPECIFIC, golden

STAMP = dt.datetime(2026, 12, 3, 14, 30, tzinfo=dt.UTC)


def feed(*households: HouseholdPlan, lang: str = "en") -> Calendar:
    return Calendar.from_ical(calendar_ics(households, lang=lang, title="Deadlines", generated_at=STAMP))


def test_every_deadline_is_an_all_day_event_with_its_rule_and_step() -> None:
    _, plan = golden(BOTH_WORKING)
    events = feed(HouseholdPlan("SG91c2Vob2xkOjE=", "Okafor", plan)).walk("VEVENT")
    unique = {(d.person, d.kind, d.date, d.rule_id) for d in plan.deadlines}
    assert len(events) == len(unique) >= 5
    by_uid = {str(e["UID"]): e for e in events}
    rules = load_rules()
    for deadline in plan.deadlines:
        event = by_uid[deadline_uid("SG91c2Vob2xkOjE=", deadline)]
        assert event.decoded("DTSTART") == deadline.date
        assert event.decoded("DTEND") == deadline.date + dt.timedelta(days=1)
        assert "Okafor" in str(event["SUMMARY"])
        description = str(event["DESCRIPTION"])
        assert f"Rule {deadline.rule_id}: {rules.source(deadline.rule_id)}" in description
        assert deadline.message in description
        if deadline.step_date is not None:
            assert "Step of " in description
        assert event.decoded("DTSTAMP") == STAMP


def test_each_event_has_alarms_30_and_7_days_before() -> None:
    _, plan = golden(BOTH_WORKING)
    for event in feed(HouseholdPlan("h1", "Okafor", plan)).walk("VEVENT"):
        alarms = event.walk("VALARM")
        assert sorted(a.decoded("TRIGGER") for a in alarms) == [dt.timedelta(days=-30), dt.timedelta(days=-7)]
        assert all(str(a["ACTION"]) == "DISPLAY" for a in alarms)


def test_uids_are_stable_across_plans_and_distinct_across_households() -> None:
    _, plan = golden(BOTH_WORKING)
    again = dataclasses.replace(plan, solve_ms=plan.solve_ms + 100, rules_version="another")
    first = {str(e["UID"]) for e in feed(HouseholdPlan("h1", "A", plan)).walk("VEVENT")}
    second = {str(e["UID"]) for e in feed(HouseholdPlan("h1", "A", again)).walk("VEVENT")}
    other = {str(e["UID"]) for e in feed(HouseholdPlan("h2", "B", plan)).walk("VEVENT")}
    assert first == second
    assert first.isdisjoint(other)


def test_a_firms_feed_holds_every_households_deadlines() -> None:
    _, both = golden(BOTH_WORKING)
    _, employer = golden(EMPLOYER_SPECIFIC)
    calendar = feed(HouseholdPlan("h1", "Okafor", both), HouseholdPlan("h2", "Smith", employer))
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert sum("Okafor" in s for s in summaries) == len({(d.person, d.kind, d.date, d.rule_id) for d in both.deadlines})
    assert sum("Smith" in s for s in summaries) == len(employer.deadlines)
    assert str(calendar["X-WR-CALNAME"]) == "Deadlines"


def test_the_french_feed_is_in_french() -> None:
    _, plan = golden(BOTH_WORKING)
    events = feed(HouseholdPlan("h1", "Famille Gagné", plan), lang="fr").walk("VEVENT")
    summaries = " ".join(str(e["SUMMARY"]) for e in events)
    assert "Demande avant la fin du statut : Époux ou conjoint de fait, Famille Gagné" in summaries
    assert "Dans 30 jours : " in str(events[0].walk("VALARM")[0]["DESCRIPTION"])

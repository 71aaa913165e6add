"""The plans' deadlines as an iCalendar feed (RFC 5545, the `icalendar` package) a calendar app subscribes to.

One all-day event per deadline of each household's plan: its summary says what is due, for whom and for which
household; its description names the step it belongs to, the rule that sets it and the rule's source. Two
alarms ring before it (ALARM_DAYS). An event's UID is a digest of the household, the person, the kind, the day
and the rule, so the same deadline keeps its UID from one plan to the next and a calendar app updates it in
place instead of adding it twice. Pure: the plans, the language and the moment the feed is made in; bytes out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from icalendar import Alarm, Calendar, Event

from api.present.sentences import say
from api.present.words import Words
from solver.domain import Deadline, Plan
from solver.rules.registry import RuleSet, load_rules

PRODID: Final = "-//permitpath//plan deadlines//EN"
# Days before each deadline an alarm rings.
ALARM_DAYS: Final = (30, 7)


@dataclass(frozen=True)
class HouseholdPlan:
    """A household's latest plan, named for the feed: `key` is the household's stable public id."""

    key: str
    name: str
    plan: Plan


def deadline_uid(household_key: str, deadline: Deadline) -> str:
    """The deadline's stable UID: the same household, person, kind, day and rule give the same UID."""
    parts = (household_key, deadline.person.value, deadline.kind.value, deadline.date.isoformat(), deadline.rule_id)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32] + "@permitpath"


def calendar_ics(
    plans: Iterable[HouseholdPlan],
    *,
    lang: str | None,
    title: str,
    generated_at: dt.datetime,
    rules: RuleSet | None = None,
) -> bytes:
    """The feed of every deadline of `plans`, in `lang`, stamped `generated_at` (UTC)."""
    words = Words.of(lang)
    rules = rules or load_rules()
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", title)
    seen: set[str] = set()
    for household in plans:
        for deadline in household.plan.deadlines:
            uid = deadline_uid(household.key, deadline)
            if uid in seen:  # the same last day for two steps: one event
                continue
            seen.add(uid)
            feed.add_component(_event(household, deadline, uid, words, rules, generated_at))
    return bytes(feed.to_ical())


def _event(
    household: HouseholdPlan, deadline: Deadline, uid: str, words: Words, rules: RuleSet, stamp: dt.datetime
) -> Event:
    _ = words._
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("dtstart", deadline.date)
    event.add("dtend", deadline.date + dt.timedelta(days=1))
    summary = _("{what}: {person}, {household}").format(
        what=words.deadline_kind(deadline), person=words.role(deadline.person), household=household.name
    )
    event.add("summary", summary)
    event.add("description", _description(household.plan, deadline, words, rules))
    event.add("categories", [deadline.kind.value])
    event.add("transp", "TRANSPARENT")
    for days in ALARM_DAYS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", dt.timedelta(days=-days))
        alarm.add("description", _("In {days} days: {summary}").format(days=days, summary=summary))
        event.add_component(alarm)
    return event


def _description(plan: Plan, deadline: Deadline, words: Words, rules: RuleSet) -> str:
    """The step the deadline belongs to, the rule and its source, and the planner's own sentence."""
    _ = words._
    lines = []
    step = next(
        (
            s
            for s in plan.steps
            if s.date == deadline.step_date and s.action == deadline.step_action and s.code == deadline.step_code
        ),
        None,
    )
    if step is not None:
        lines.append(
            _("Step of {date}: {title}").format(
                date=words.date(step.date), title=words.step_title(step, plan.permits, plan.pr_program)
            )
        )
    source = rules.source(deadline.rule_id) if deadline.rule_id in rules else None
    if source:
        lines.append(_("Rule {rule}: {source}").format(rule=deadline.rule_id, source=source))
    else:
        lines.append(_("Rule {rule}").format(rule=deadline.rule_id))
    lines.append(say(deadline.phrase, deadline.message, words.lang))
    return "\n".join(lines)

"""International Experience Canada (C21): partner countries, age at invitation, participations, permit length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from solver import dates
from solver.domain import Person
from solver.phrases import Phrase
from solver.rules.decision import Checks, Decision
from solver.rules.registry import RuleSet

STREAMS = ("WH", "YP", "COOP")


def partners(on: dt.date, rules: RuleSet) -> Mapping[str, Mapping[str, Any]]:
    """Partner country code -> {min_age, max_age, participations, months} on `on`."""
    table: Mapping[str, Mapping[str, Any]] = rules.param("C21.partner", "countries", on)
    return table


def permit_months(country: str, rules: RuleSet, on: dt.date, *, stream: str = "WH", participation: int = 1) -> int:
    """IEC permit length for a citizen of `country` in `stream` (0 when the country or stream is not offered)."""
    entry = partners(on, rules).get(country)
    if entry is None or stream not in entry["months"]:
        return 0
    second: Mapping[str, int] = rules.param("C21.second_participation_months", "months", on)
    if participation >= 2 and country in second:
        return int(second[country])
    return int(entry["months"][stream])


def check(person: Person, on: dt.date, rules: RuleSet, *, participations_used: int = 0, stream: str = "WH") -> Decision:
    """Whether `person` can be invited to IEC on `on` in `stream` through one of their citizenships."""
    c = Checks(rules)
    table = partners(on, rules)
    options = [code for code in person.citizenships if code in table and stream in table[code]["months"]]
    if not options:
        if person.citizenships:
            names = ", ".join(person.citizenships)
            c.fail("C21.partner", Phrase.of("reason.iec_not_partner", countries=names, stream=stream))
        else:
            c.fail("C21.partner", Phrase.of("reason.iec_no_citizenship", stream=stream))
        return c.decision()
    age = dates.age_on(person.birth_date, on)
    fits = [
        code
        for code in options
        if table[code]["min_age"] <= age <= table[code]["max_age"]
        and participations_used < table[code]["participations"]
    ]
    if not fits:
        code = options[0]
        entry = table[code]
        c.check(
            entry["min_age"] <= age <= entry["max_age"],
            "C21.partner",
            Phrase.of("met.iec_age", age=age, min=entry["min_age"], max=entry["max_age"], country=code),
            Phrase.of("reason.iec_age", age=age, min=entry["min_age"], max=entry["max_age"], country=code),
        )
        c.check(
            participations_used < entry["participations"],
            "C21.partner",
            Phrase.of("met.iec_participations", used=participations_used, count=entry["participations"], country=code),
            Phrase.of("reason.iec_participations", count=entry["participations"], country=code),
        )
        return c.decision()
    best = max(
        fits, key=lambda code: permit_months(code, rules, on, stream=stream, participation=participations_used + 1)
    )
    months = permit_months(best, rules, on, stream=stream, participation=participations_used + 1)
    c.ok("C21.partner", Phrase.of("met.iec", country=best, age=age, stream=stream, months=months))
    c.note("C21.invitation", Phrase.of("note.iec_invitation"))
    return c.decision()


def best_country(person: Person, on: dt.date, rules: RuleSet, *, stream: str = "WH") -> str | None:
    """The citizenship giving the longest permit in `stream` on `on`, or None."""
    table = partners(on, rules)
    options = [code for code in person.citizenships if code in table and stream in table[code]["months"]]
    return max(options, key=lambda code: permit_months(code, rules, on, stream=stream), default=None)

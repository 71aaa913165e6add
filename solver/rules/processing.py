"""Processing times as a spread: the expected figure (p50) and the slow one (p90) of a category's applications.

The rules give both (PROCESSING.inside_canada / outside_canada: `days`, `p90_days`, and `by_country` for a
citizen applying from outside Canada). A firm's own figures and a request's what-if (`PlanOptions.processing`,
the firm's first, then the request's) replace them: the most specific override that applies wins (a country's
over none, a later `effective_from` over an earlier one, then the later in the list), else the rules' country
figure, else the category's, else the table's default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from solver.domain import ProcessingTime
from solver.rules.registry import RuleError, RuleSet


@dataclass(frozen=True)
class Spread:
    """Processing days of one application: expected (p50) and slow (p90)."""

    p50: int
    p90: int

    def days(self, slow: bool) -> int:
        return self.p90 if slow else self.p50


def rule_id(inside: bool) -> str:
    return "PROCESSING.inside_canada" if inside else "PROCESSING.outside_canada"


def spread(
    code: str,
    on: dt.date,
    rules: RuleSet,
    *,
    inside: bool,
    overrides: Sequence[ProcessingTime] = (),
    citizenships: Iterable[str] = (),
) -> Spread:
    """The processing spread for `code` filed on `on` (rules read on `on`), inside or outside Canada."""
    countries = frozenset(citizenships) if not inside else frozenset()
    chosen = _override(code, on, inside, overrides, countries)
    if chosen is not None:
        return Spread(chosen.p50_days, chosen.p90_days)
    rid = rule_id(inside)
    by_country: Mapping[str, Mapping[str, int]] = _optional(rules, rid, "by_country", on) or {}
    for country in sorted(countries & by_country.keys()):
        return Spread(int(by_country[country]["p50"]), int(by_country[country]["p90"]))
    p50: Mapping[str, int] = rules.param(rid, "days", on)
    # A rule set without the slow figure (an older one) plans at the expected figure alone.
    p90: Mapping[str, int] = _optional(rules, rid, "p90_days", on) or p50
    return Spread(int(p50.get(code, p50["default"])), int(p90.get(code, p90["default"])))


def _override(
    code: str, on: dt.date, inside: bool, overrides: Sequence[ProcessingTime], countries: frozenset[str]
) -> ProcessingTime | None:
    best: tuple[tuple[bool, dt.date, int], ProcessingTime] | None = None
    for i, o in enumerate(overrides):
        if o.code != code or o.inside_canada is not inside:
            continue
        if o.effective_from is not None and o.effective_from > on:
            continue
        if o.country is not None and o.country not in countries:
            continue
        rank = (o.country is not None, o.effective_from or dt.date.min, i)
        if best is None or rank > best[0]:
            best = (rank, o)
    return None if best is None else best[1]


def _optional(rules: RuleSet, rid: str, name: str, on: dt.date) -> Any:
    """The table parameter `name`, or None when the rule's version in force has none."""
    try:
        value = rules.param(rid, name, on)
    except RuleError:
        return None
    return value if isinstance(value, Mapping) else None

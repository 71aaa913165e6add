"""Express Entry: profile life, the invitation's submission deadline, PR processing, and the recent draws'
cut-offs by draw type (EE.cutoff) a score is compared with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from solver import dates
from solver.rules.registry import RuleSet


@dataclass(frozen=True)
class Draw:
    date: dt.date
    type: str
    score: int
    invitations: int


def draw_types(on: dt.date, rules: RuleSet) -> tuple[str, ...]:
    """The draw types the rules name on `on` (EE.cutoff), whether or not they record cut-offs for them."""
    if not rules.in_force("EE.cutoff", on):
        return ()
    return tuple(str(t) for t in rules.param("EE.cutoff", "draw_types", on))


def cutoffs(on: dt.date, rules: RuleSet, draw_type: str | None = None) -> tuple[Draw, ...]:
    """Recorded draws on or before `on` (newest first), optionally of one type (EE.cutoff; none before the
    rule's first version)."""
    if not rules.in_force("EE.cutoff", on):
        return ()
    raw: list[Mapping[str, Any]] = rules.param("EE.cutoff", "draws", on)
    draws = [Draw(d["date"], str(d["type"]), int(d["score"]), int(d["invitations"])) for d in raw]
    chosen = [d for d in draws if d.date <= on and (draw_type is None or d.type == draw_type)]
    return tuple(sorted(chosen, key=lambda d: d.date, reverse=True))


def latest_cutoff(on: dt.date, rules: RuleSet, draw_type: str = "CEC") -> Draw | None:
    """The newest recorded draw of `draw_type` on or before `on`."""
    found = cutoffs(on, rules, draw_type)
    return found[0] if found else None


def lowest_cutoff(on: dt.date, rules: RuleSet, types: Iterable[str]) -> Draw | None:
    """The recorded draw with the lowest cut-off among `types` on or before `on` (the newest on a tie); None
    when the rules record no draw of any of them."""
    wanted = set(types)
    found = [d for d in cutoffs(on, rules) if d.type in wanted]
    return min(found, key=lambda d: (d.score, -d.date.toordinal()), default=None)


_PROCESSING_PARAM = {"CEC": "cec_months", "FSW": "fsw_months", "PNP": "pnp_ee_months", "PNP_BASE": "pnp_base_months"}


def profile_valid_to(created: dt.date, rules: RuleSet) -> dt.date:
    """Last day a profile created on `created` stays in the pool without an invitation (EE.profile_validity)."""
    months = int(rules.param("EE.profile_validity", "months", created))
    return dates.add_days(dates.add_months(created, months), -1)


def ita_deadline(invited_on: dt.date, rules: RuleSet) -> dt.date:
    """Last day to submit the e-APR after an invitation on `invited_on` (EE.ita_window, inclusive)."""
    return dates.add_days(invited_on, int(rules.param("EE.ita_window", "days", invited_on)))


def can_submit(invited_on: dt.date, on: dt.date, rules: RuleSet) -> bool:
    """True when `on` is within the invitation's submission window."""
    return dates.within_days(on, invited_on, int(rules.param("EE.ita_window", "days", invited_on)))


def pr_decision_date(submitted: dt.date, program: str, rules: RuleSet) -> dt.date:
    """Expected PR decision for an application of `program` (CEC, FSW, PNP, PNP_BASE) submitted on `submitted`."""
    name = _PROCESSING_PARAM.get(program)
    if name is None:
        raise ValueError(f"no processing time for {program!r}; known: {', '.join(sorted(_PROCESSING_PARAM))}")
    return dates.add_months(submitted, int(rules.param("PR.processing", name, submitted)))

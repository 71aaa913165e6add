"""Express Entry windows: profile life, the invitation's submission deadline, PR processing."""

from __future__ import annotations

import datetime as dt

from solver import dates
from solver.rules.registry import RuleSet

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

"""Checks any plan against the rules without the solver, and recomputes its objective.

This package reads docs/plan-semantics.md on its own: it never imports the CP-SAT model or the planner, so a
bug in one is not copied into the other. Rule values come from the registry (docs/rule-ids.md), read on the
date each rule's trigger names, or on `options.rules_as_of` for a what-if.

A Violation cites a rule id of docs/rule-ids.md, or one of the plan's own ids: PLAN.horizon, PLAN.category,
PLAN.duration, PLAN.person, PLAN.pr, PLAN.status, PLAN.objective (the plan contradicts plan-semantics),
JOB.dates, JOB.offer, JOB.one_at_a_time, JOB.start_window, JOB.student, EMPLOYER.offer, STATUS.gap (a hidden
or phantom gap) and STATUS.work_authorized (a job day without authorization for that employer).
"""

from __future__ import annotations

from solver.validate.context import OPEN_CODES
from solver.validate.eligibility import _ELIGIBILITY, _employer
from solver.validate.permits import expected_valid_from, expected_valid_to
from solver.validate.plan import (
    _context,
    check_plan,
    complete_plan,
    objective,
    objective_vector,
    validate,
    validate_and_score,
)

# Exactly the names callers import from solver.validate (tests/solver/bruteforce.py also reads three private ones).
__all__ = [
    "OPEN_CODES",
    "_ELIGIBILITY",
    "_context",
    "_employer",
    "check_plan",
    "complete_plan",
    "expected_valid_from",
    "expected_valid_to",
    "objective",
    "objective_vector",
    "validate",
    "validate_and_score",
]

"""Checks any plan against the rules without the solver, and recomputes its objective.

This package reads docs/plan-semantics.md on its own: it never imports the CP-SAT model or the planner, so a
bug in one is not copied into the other. Each category's own checks (eligibility, dates, fees) are the
"independent validator" section of its family module in solver/categories/, which reads only this package and
the rules; the checks here reach them through the family of each planned code (a code no catalog entry names
is a PLAN.category violation). Rule values come from the registry (docs/rule-ids.md), read on the date each
rule's trigger names, or on `options.rules_as_of` for a what-if (the rules pinned to it, `RuleSet.pinned`: the
person's facts are still read on the day each step happens).

A Violation cites a rule id of docs/rule-ids.md, or one of the plan's own ids: PLAN.horizon, PLAN.category,
PLAN.duration, PLAN.person, PLAN.pr, PLAN.status, PLAN.objective (the plan contradicts plan-semantics),
JOB.dates, JOB.offer, JOB.one_at_a_time, JOB.start_window, JOB.student, EMPLOYER.offer, STATUS.gap (a hidden
or phantom gap), STATUS.work_authorized (a job day without authorization for that employer) and PLAN.pins (a
pin shown held that the plan does not honour, or one not held with no blocker saying why).
"""

from __future__ import annotations

from solver.validate.permits import eligibility_issues, expected_valid_from, expected_valid_to
from solver.validate.plan import (
    check_plan,
    complete_plan,
    objective,
    objective_vector,
    plan_context,
    validate,
    validate_and_score,
)

# Exactly the names callers import from solver.validate (tests/solver/bruteforce.py among them).
__all__ = [
    "check_plan",
    "complete_plan",
    "eligibility_issues",
    "expected_valid_from",
    "expected_valid_to",
    "objective",
    "objective_vector",
    "plan_context",
    "validate",
    "validate_and_score",
]

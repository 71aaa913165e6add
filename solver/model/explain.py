"""Explanation and blockers, each citing rule ids and their sources.

The explanation says why each step is there (from the rule ids the steps carry). Blockers are found, not
guessed: the model is re-solved with one named rule group switched off (the language level, the hours of
skilled experience); when that makes PR readiness earlier (or reachable), the group is what holds it back,
and the finding says by how much and what would change it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from solver import noc, phrases
from solver.cpsat import cp_model
from solver.domain import Finding, PlanStep, Role
from solver.model.build import fix_groups
from solver.model.constraints.pr import CEC_HIGH, PNP
from solver.model.search import Budget, Solved
from solver.options import Options
from solver.phrases import Phrase, all_of
from solver.rules.decision import cited
from solver.rules.language import best_clb
from solver.rules.registry import RuleSet

# Share of what is left of the blockers' budget (deterministic units and wall time) one relaxed re-solve may use.
RELAXED_SHARE = 0.5
# A relaxed re-solve only minimizes the ready day, which the default LP relaxation bounds well enough: the
# full one (the lexicographic stages' level) costs more than it saves here (docs/benchmarks.md).
RELAXED_LINEARIZATION = 1


def _finding(rules: RuleSet, rule_id: str, said: Phrase, on: dt.date) -> Finding:
    """A finding citing `rule_id` as applied on `on` (its source and effective date)."""
    return cited(rules, Finding(rule_id=rule_id, message=said.english(), phrase=said), on)


def explanation(steps: Iterable[PlanStep], rules: RuleSet, rules_as_of: dt.date | None = None) -> tuple[Finding, ...]:
    """One finding per step: what to do and when, citing the rules it rests on as applied on the step's date
    (or on `rules_as_of`, the options' date whose rules apply to every step)."""
    out = []
    for step in steps:
        if not step.rule_ids:
            continue
        on = rules_as_of or step.date
        if step.phrase is None:
            names = " and ".join(step.rule_ids)
            message = f"{step.person.value.lower()}: {step.detail}: {names}"
            out.append(cited(rules, Finding(rule_id=step.rule_ids[0], message=message), on))
            continue
        said = Phrase.of(
            "explain.step", person=phrases.role(step.person), step=step.phrase, rules=all_of(list(step.rule_ids))
        )
        out.append(_finding(rules, step.rule_ids[0], said, on))
    return tuple(out)


def _relaxed_ready(
    solved: Solved, base: cp_model.CpModel, groups: dict[str, int], group: str, budget: Budget
) -> tuple[int, tuple[Role, str] | None] | None:
    """The earliest ready day (and the applicant and branch it uses) with `group` switched off when it is
    earlier than the plan's, or None (not earlier, or out of time: skipped when nothing is left).

    Only an earlier day matters, so the search is bounded by the plan's day.
    """
    share = budget.dtime * RELAXED_SHARE
    seconds = budget.deadline.left()
    if share <= 1e-3 or seconds <= 0:
        return None
    v = solved.vars
    pr = v.prv()
    model = base.clone()
    fix_groups(model, groups, frozenset({group}))
    day = model.get_int_var_from_proto_index(pr.day.index)
    model.add(day < solved.value(pr.day))
    model.minimize(day)
    name = f"blocker {group}"
    solver, status = budget.solve(name, model, share, seconds * RELAXED_SHARE, linearization=RELAXED_LINEARIZATION)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = solver.response_proto.solution
    branch = next((key for key, lit in pr.branches.items() if values[lit.index]), None)
    return values[pr.day.index], branch


def blockers(
    opts: Options, solved: Solved, base: cp_model.CpModel, groups: dict[str, int], budget: Budget
) -> tuple[Finding, ...]:
    """What makes PR readiness later than it could be, or unreachable, found by relaxing rule groups."""
    v = solved.vars
    pr = v.prv()
    cal = opts.cal
    ready_day = solved.value(pr.day)
    reached = solved.value(pr.ready) == 1
    out: list[Finding] = []
    applicant = next((role for (role, _), lit in pr.branches.items() if solved.value(lit)), None)
    branch = next((b for (_, b), lit in pr.branches.items() if solved.value(lit)), None)
    if branch == PNP:
        return ()
    # Relax only what can hold readiness back: a language level met every day, or readiness on as_of, cannot.
    language = (
        _relaxed_ready(solved, base, groups, "CEC.language", budget) if pr.language_limited and ready_day > 0 else None
    )
    if language is not None and language[0] < ready_day and language[0] < cal.horizon:
        day, relaxed = language
        # The relaxed plan's applicant may not be the plan's (a partner without a valid test, say).
        role, relaxed_branch = relaxed or (applicant or opts.scenario.members[0][0], branch)
        param = "clb_teer_0_1" if relaxed_branch == CEC_HIGH else "clb_teer_2_3"
        need = int(opts.rules.param("CEC.language", param, opts.on(cal.date(day))))
        person = opts.scenario.person(role)
        assert person is not None
        months = int(opts.rules.param("CEC.test_validity", "months", opts.on(cal.date(day))))
        have = best_clb(person.language_tests, cal.date(day), months)
        said = Phrase.of(
            "blocker.language" if reached else "blocker.language_only",
            need=need,
            held=Phrase.of("held.clb", clb=have) if have else Phrase.of("held.none"),
            person=phrases.role(role),
            day=cal.date(day).isoformat(),
        )
        out.append(_finding(opts.rules, "CEC.language", said, opts.on(cal.date(day))))
    experience = _relaxed_ready(solved, base, groups, "CEC.skilled_experience", budget) if ready_day > 0 else None
    if experience is not None and experience[0] < ready_day and experience[0] < cal.horizon:
        hours = int(opts.rules.param("CEC.skilled_experience", "hours", opts.on(cal.as_of)))
        skilled = [o for o in opts.scenario.offers if noc.is_valid(o.noc_code) and noc.is_skilled(o.noc_code)]
        said = Phrase.of(
            "blocker.experience",
            hours=hours,
            day=cal.date(experience[0]).isoformat(),
            change=Phrase.of("change.earlier_start" if skilled else "change.offer"),
        )
        out.append(_finding(opts.rules, "CEC.skilled_experience", said, opts.on(cal.as_of)))
    if not reached and not out:
        said = Phrase.of("blocker.unreachable")
        out.append(_finding(opts.rules, "CEC.skilled_experience", said, opts.on(cal.as_of)))
    return tuple(out)

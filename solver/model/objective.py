"""The objective as labelled integer terms (docs/plan-semantics.md "Objective"), and the final tie-break.

Each term is a linear expression the lexicographic solve minimizes in options.objective order. Status gaps
and work windows are relaxations (gap >= its true length, auth_days <= its true length) that are exact at
the optimum of their own term and stay exact once that term's bound is fixed.
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from solver.domain import ObjectiveTerm, Role
from solver.model.variables import Vars


def terms(v: Vars) -> dict[ObjectiveTerm, cp_model.LinearExprT]:
    """Every objective term as a linear expression over the model's variables."""
    m = v.model
    pr = v.prv()
    status_gaps = [n.gap for n in v.nodes.values() if n.gap is not None]
    work: list[cp_model.LinearExprT] = []
    for role, _ in v.opts.scenario.members:
        auth = [n.auth_days for n in v.person_nodes(role) if n.auth_days is not None]
        work.append(pr.approval_capped - sum(auth))
    cost: list[cp_model.LinearExprT] = []
    applications: list[cp_model.LinearExprT] = []
    for role, _ in v.opts.scenario.members:
        permits = [n for n in v.person_nodes(role) if n.candidate is not None]
        if not permits:
            continue
        if not any(n.candidate is not None and n.candidate.filed_on is not None for n in permits):
            # Biometrics once, with the first application; a person with one pending gave them with it.
            any_permit = m.new_bool_var(f"has_permit[{role.value}]")
            m.add_max_equality(any_permit, [n.present for n in permits])
            cost.append(biometrics_cents(v, role) * any_permit)
        for n in permits:
            assert n.candidate is not None
            cost.append(n.candidate.fee_cents * n.present)
            applications.append(n.present)
    return {
        ObjectiveTerm.PR_READY: pr.day,
        ObjectiveTerm.STATUS_CONTINUITY: sum(status_gaps),
        ObjectiveTerm.WORK_CONTINUITY: sum(work),
        ObjectiveTerm.COST: sum(cost),
        ObjectiveTerm.FEWEST_APPLICATIONS: sum(applications),
    }


def term_ranges(v: Vars) -> dict[ObjectiveTerm, int]:
    """An exclusive upper bound on each term's value (every term is >= 0), for merging stages."""
    members = len(v.opts.scenario.members)
    fees = sum(c.fee_cents for c in v.opts.candidates) + members * biometrics_cents(v, Role.PRINCIPAL)
    return {
        ObjectiveTerm.PR_READY: v.horizon + 2,
        ObjectiveTerm.STATUS_CONTINUITY: members * v.horizon + 1,
        ObjectiveTerm.WORK_CONTINUITY: members * v.horizon + 1,
        ObjectiveTerm.COST: fees + 1,
        ObjectiveTerm.FEWEST_APPLICATIONS: len(v.opts.candidates) + 1,
    }


# Merged stages keep their weighted sum below this, so the search's arithmetic stays comfortable.
MAX_MERGED_RANGE = 10**11


def stages(v: Vars, order: list[ObjectiveTerm]) -> list[cp_model.LinearExprT]:
    """The lexicographic stages: consecutive terms merged as `a * range(b) + b` while the product stays small.

    A weighted sum with each weight above the whole range of the terms after it preserves the order exactly.
    """
    named = terms(v)
    ranges = term_ranges(v)
    groups: list[list[ObjectiveTerm]] = []
    size = 0
    for term in order:
        if groups and size * ranges[term] <= MAX_MERGED_RANGE:
            groups[-1].append(term)
            size *= ranges[term]
        else:
            groups.append([term])
            size = ranges[term]
    out: list[cp_model.LinearExprT] = []
    for group in groups:
        weight = 1
        parts: list[cp_model.LinearExprT] = []
        for term in reversed(group):
            parts.append(weight * named[term])
            weight *= ranges[term]
        out.append(sum(parts))
    return out


def biometrics_cents(v: Vars, role: Role) -> int:
    """FEES.work_permit.biometrics in cents, paid once per person with the first planned permit."""
    dollars = float(v.opts.rules.param("FEES.work_permit", "biometrics", v.opts.on(v.opts.scenario.as_of)))
    return math.ceil(round(dollars * 100, 6))


def tie_break(v: Vars) -> cp_model.LinearExprT:
    """After every term: the earliest application dates, the lowest codes, the earliest and longest jobs."""
    apply_weight = 4 * (v.big + 1)
    parts: list[cp_model.LinearExprT] = []
    ranked = sorted(v.nodes.values(), key=lambda n: (n.candidate.code if n.candidate else "", n.key))
    for rank, n in enumerate(ranked):
        if n.candidate is None:
            continue
        parts.append(apply_weight * n.apply + rank * n.present)
    for jv in v.jobs.values():
        parts.append(jv.start - jv.end + v.big * jv.present.Not())
    return sum(parts)

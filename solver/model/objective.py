"""The objective as labelled integer terms (docs/plan-semantics.md "Objective"), and the final tie-break.

Each term is a linear expression the lexicographic solve minimizes in options.objective order. Status gaps
and work windows are relaxations (gap >= its true length, auth_days <= its true length) that are exact at
the optimum of their own term and stay exact once that term's bound is fixed.
"""

from __future__ import annotations

import math

from solver.cpsat import cp_model
from solver.domain import ObjectiveTerm, Role
from solver.model.variables import Node, Vars
from solver.rules.fees import biometrics_given, biometrics_valid_until


def terms(v: Vars) -> dict[ObjectiveTerm, cp_model.LinearExprT]:
    """Every objective term as a linear expression over the model's variables."""
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
        due = _biometrics_due(v, role, permits)
        if due is not None:
            cost.append(biometrics_cents(v, role) * due)
        for n in permits:
            assert n.candidate is not None
            cost.append((n.candidate.fee_cents + n.candidate.employer_fee_cents) * n.present)
            if n.restoring is not None:
                cost.append(restoration_surcharge_cents(v) * n.restoring)
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
    fees = sum(c.fee_cents + c.employer_fee_cents + restoration_surcharge_cents(v) for c in v.opts.candidates)
    fees += members * biometrics_cents(v, Role.PRINCIPAL)
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


def _biometrics_due(v: Vars, role: Role, permits: list[Node]) -> cp_model.IntVar | None:
    """True when `role` files an application on a day the biometrics given before (Person.biometrics_given_on,
    or with an application pending on as_of) no longer serve (FEES.work_permit.biometrics_validity_years);
    None when no candidate can be.

    Charged once: a second charge within the horizon (an application 10 years after the first charged one,
    horizons of more than 10 years only) is counted by the decoded plan and the validator but not here.
    """
    person = v.opts.scenario.person(role)
    assert person is not None
    given = biometrics_given(person, v.opts.rules)
    first = 0 if given is None else v.opts.cal.day(biometrics_valid_until(given, v.opts.rules))
    # An application filed before as_of was paid with its biometrics (biometrics_given counts it).
    late = [
        n
        for n in permits
        if n.candidate is not None and n.candidate.filed_on is None and max(n.candidate.apply_days) >= first
    ]
    if not late:
        return None
    m = v.model
    due = m.new_bool_var(f"biometrics_due[{role.value}]")
    for n in late:
        assert n.candidate is not None
        if min(n.candidate.apply_days) >= first:
            m.add_implication(n.present, due)
            continue
        after = m.new_bool_var(f"applies_after_biometrics[{n.key}]")
        m.add(n.apply >= first).only_enforce_if(after)
        m.add(n.apply < first).only_enforce_if(after.Not())
        m.add_bool_or([n.present.Not(), after.Not(), due])
    return due


def restoration_surcharge_cents(v: Vars) -> int:
    """What an application with restoration costs beyond a plain one, in cents: FEES.restoration's
    `restore_with_permit` (which includes the work-permit processing fee) replaces FEES.work_permit's
    `processing`; the open-permit holder fee and biometrics stay as they are."""
    on = v.opts.on(v.opts.scenario.as_of)
    with_permit = float(v.opts.rules.param("FEES.restoration", "restore_with_permit", on))
    processing = float(v.opts.rules.param("FEES.work_permit", "processing", on))
    return math.ceil(round((with_permit - processing) * 100, 6))


def tie_break(v: Vars) -> cp_model.LinearExprT:
    """After every term: the earliest application dates, the lowest codes, the earliest and longest jobs, an
    open-ended job to the plan's end."""
    apply_weight = 4 * (v.big + 1)
    parts: list[cp_model.LinearExprT] = []
    ranked = sorted(v.nodes.values(), key=lambda n: (n.candidate.code if n.candidate else "", n.key))
    for rank, n in enumerate(ranked):
        if n.candidate is None:
            continue
        parts.append(apply_weight * n.apply + rank * n.present)
    for jv in v.jobs.values():
        # Longest, then earliest: a job's start counts twice (a fixed-length job's end moves with its start).
        parts.append(2 * jv.start - jv.end + v.big * jv.present.Not())
        if jv.to_plan_end is not None:
            # An open-ended job ends with its offer's permit only when it must (the permit ends before the plan):
            # never to make room for another offer's job the plan does not need.
            parts.append(2 * v.big * jv.to_plan_end.Not())
    return sum(parts)

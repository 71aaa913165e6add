"""Permit nodes: each candidate's apply day over its eligible days, valid-from (processing) and valid-to.

Rules: PROCESSING.inside_canada / outside_canada, the category's validity (C43.duration, A75.validity,
employer first grants), PASSPORT.cap. Valid-to tables are indexed by valid-from so month arithmetic stays exact.
"""

from __future__ import annotations

from solver.cpsat import cp_model
from solver.domain import Role
from solver.model.constraints.visitors import visitor_applies_outside
from solver.model.tables import add_function
from solver.model.variables import Node, Vars
from solver.options import Candidate, Depot, DepotKind, Validity


def passport_day(v: Vars, candidate_or_depot: Candidate | Depot) -> int:
    """The passport expiry as a day index (beyond every table when unknown)."""
    person = v.opts.scenario.person(candidate_or_depot.person)
    assert person is not None
    if person.passport_expiry is None:
        return v.big
    return v.opts.cal.day(person.passport_expiry)


def add_depot(v: Vars, depot: Depot) -> Node:
    """The status held on as_of as the first node of the chain (always present)."""
    m = v.model
    name = f"{depot.person.value}:depot"
    one = m.new_constant(1)
    zero = m.new_constant(0)
    end = m.new_constant(depot.end)
    node = Node(
        key=name,
        person=depot.person,
        present=one,
        apply=zero,
        start=zero,
        end=end,
        window_start=zero,
        window_end=m.new_int_var(min(-1, depot.end), v.big, f"window_end[{name}]"),
        works=depot.works,
        open=depot.open_work,
        offer_ref=None,
        in_canada=depot.in_canada,
        depot=depot,
    )
    v.nodes[name] = node
    return node


def valid_to_table(v: Vars, c: Candidate, first: int, last: int) -> list[int]:
    """valid_to for each valid_from day in [first, last]: months later minus a day, capped at H-1 and the passport."""
    cal = v.opts.cal
    cap = passport_day(v, c)
    if c.months is None:
        return [min(cal.horizon - 1, cap)] * (last - first + 1)
    return [min(shifted - 1, cap) for shifted in v.opts.shift_months_each(first, [c.months] * (last - first + 1))]


def add_candidate(v: Vars, c: Candidate, outside_first: bool) -> Node:
    """A candidate permit as an optional node; `outside_first`: the person starts outside Canada."""
    m = v.model
    name = c.key
    days = list(c.apply_days)
    present = m.new_bool_var(f"present[{name}]")
    apply = m.new_int_var_from_domain(cp_model.Domain.from_values(days), f"apply[{name}]")
    proc_lo = min(c.processing_inside, c.processing_outside if outside_first else c.processing_inside)
    proc_hi = max(c.processing_inside, c.processing_outside if outside_first else c.processing_inside)
    f_lo = days[0] + proc_lo
    f_hi = min(days[-1] + proc_hi, v.opts.cal.table_size - 1)
    if c.issued_by_family:
        f_hi = v.opts.cal.table_size - 1
    start = m.new_int_var(f_lo, f_hi, f"valid_from[{name}]")
    end = m.new_int_var(-1, v.big, f"valid_to[{name}]")
    uncapped = None
    if c.validity is Validity.JOB:
        uncapped = m.new_int_var(-1, v.big, f"valid_to_before_job_end[{name}]")
        add_function(m, start, f_lo, valid_to_table(v, c, f_lo, f_hi), uncapped, f"valid_to[{name}]")
    elif c.validity is Validity.MONTHS:
        add_function(m, start, f_lo, valid_to_table(v, c, f_lo, f_hi), end, f"valid_to[{name}]")
    window_start = apply if c.work_while_pending is not None else start
    if c.filed_on is not None:
        # Filed before as_of: the plan holds it, and only days from as_of on are the plan's.
        m.add(present == 1)
        if c.work_while_pending is not None:
            window_start = m.new_constant(max(days[0], 0))
    node = Node(
        key=name,
        person=c.person,
        present=present,
        apply=apply,
        start=start,
        end=end,
        window_start=window_start,
        window_end=m.new_int_var(-1, v.big, f"window_end[{name}]"),
        works=True,
        open=c.open,
        offer_ref=c.offer_ref,
        in_canada=True,
        candidate=c,
        uncapped_end=uncapped,
    )
    # An absent permit sits at its first day, so ties and hints stay deterministic.
    m.add(apply == days[0]).only_enforce_if(present.Not())
    v.nodes[name] = node
    return node


def add_permit_nodes(v: Vars) -> None:
    """Creates every depot and candidate node (valid_from of in-Canada applicants: apply + processing)."""
    for role, depot in v.opts.depots.items():
        add_depot(v, depot)
        for c in v.opts.candidates:
            if c.person is role:
                from_visitor = visitor_applies_outside(v.opts, depot, c)
                node = add_candidate(v, c, outside_first=depot.kind is DepotKind.OUTSIDE or from_visitor)
                # A visitor's first application may be processed outside Canada: status.py sets its valid-from.
                if depot.kind is not DepotKind.OUTSIDE and not c.issued_by_family and not from_visitor:
                    v.model.add(node.start == node.apply + c.processing_inside)
    # One permit per category and person in a plan: the variants of a permit that rests on the partner's (one
    # per permit of the partner) exclude each other.
    by_code: dict[tuple[Role, str], list[Node]] = {}
    for node in v.nodes.values():
        # A renewal (`extends`) follows the variant it renews in the chain, so it is no other variant of it.
        if node.candidate is not None and node.candidate.extends is None:
            by_code.setdefault((node.person, node.candidate.code), []).append(node)
    for group in by_code.values():
        if len(group) > 1 and group[0].candidate is not None and group[0].candidate.exclusive_variants:
            v.model.add_at_most_one([n.present for n in group])

"""Status chaining: each person's permits form one chain after the status held on as_of.

Rules: STATUS.maintained (applying on or before the last day of status keeps status and the old work
conditions until the new permit starts), STATUS.restoration (applying within its days after status ended;
a status gap until the new permit starts), C43.study_permit_required (a PGWP follows the study permit),
A75.status_at_application (a bridging permit follows a work permit, or restores worker status within
STATUS.restoration days of its loss), entry to Canada on the first permit of a person outside Canada
(PROCESSING.outside_canada for that application), and a visitor's first application (constraints/visitors.py:
STATUS.visitor_work_permit, STATUS.r199).

Each candidate node's `restoring` says whether it is applied for with restoration: filed in Canada after status
ended (within STATUS.restoration days), so it pays FEES.restoration and allows no work before it is issued.
"""

from __future__ import annotations

from collections.abc import Sequence

from solver.cpsat import cp_model
from solver.domain import Role
from solver.model.constraints.visitors import link_from_visitor, visitor_applies_outside
from solver.model.variables import Arc, Lit, Node, Vars, lowest
from solver.options import After, DepotKind


def arc_allowed(tail: Node, head: Node, filings: bool) -> bool:
    """Whether `head` may follow `tail`; `filings`: the person has applications pending on as_of, which come
    first in the chain, in the order filed (what the plan adds follows their decision)."""
    c = head.candidate
    assert c is not None
    if c.filed_on is not None:
        before = tail.candidate.filed_on if tail.candidate is not None else None
        return tail.is_depot or (before is not None and (before, tail.key) < (c.filed_on, head.key))
    if c.extends is not None:
        # An extension follows only the permit it extends (OFFER.extension).
        return tail.key == c.extends
    if filings and tail.is_depot:
        return False
    if c.after is After.STUDY_PERMIT:
        return tail.is_depot and tail.depot is not None and tail.depot.kind is DepotKind.STUDENT
    if c.after is After.WORK_PERMIT:
        return tail.works
    # Variants of one permit exclude each other (permits.add_permit_nodes): never one after another.
    return not (c.exclusive_variants and tail.candidate is not None and tail.candidate.code == c.code)


def add_chain(v: Vars, role: Role) -> None:
    """The circuit of `role`'s permits and, for each node, maintained status, window end and status gap."""
    m = v.model
    depot = v.depot(role)
    nodes = [depot] + [n for n in v.person_nodes(role) if not n.is_depot]
    index = {n.key: i for i, n in enumerate(nodes)}
    arcs: list[tuple[int, int, object]] = []
    empty = m.new_bool_var(f"no_permits[{role.value}]")
    arcs.append((0, 0, empty))
    filings = any(n.candidate is not None and n.candidate.filed_on is not None for n in nodes)
    for n in nodes[1:]:
        arcs.append((index[n.key], index[n.key], n.present.Not()))
        m.add(n.present == 0).only_enforce_if(empty)
        n.restoring = m.new_bool_var(f"restoring[{n.key}]")
        m.add_implication(n.restoring, n.present)
    for tail in nodes:
        next_start = _add_successor_vars(v, tail) if tail.in_canada else None
        for head in nodes[1:]:
            if head is tail or not arc_allowed(tail, head, filings):
                continue
            lit = m.new_bool_var(f"next[{tail.key}->{head.key}]")
            arcs.append((index[tail.key], index[head.key], lit))
            _link(v, Arc(tail, head, lit), next_start)
        last = empty if tail.is_depot else m.new_bool_var(f"last[{tail.key}]")
        if not tail.is_depot:
            arcs.append((index[tail.key], 0, last))
        _close(v, Arc(tail, None, last), next_start)
    m.add_circuit(arcs)  # type: ignore[arg-type]


def lapsed(node: Node) -> list[Lit]:
    """The literals that together say status lapses after `node` (present, next not filed in time)."""
    assert node.maintained is not None
    return [node.maintained.Not()] if node.is_depot else [node.present, node.maintained.Not()]


def _add_successor_vars(v: Vars, tail: Node) -> cp_model.IntVar | None:
    """maintained, next_window and (for a person in Canada on as_of) the status gap after `tail`; returns the
    next node's valid-from day (v.big after the last node) that the gap runs to, when there is a gap.

    One set per node rather than per arc: the circuit picks exactly one outgoing arc of a present node, whose
    constraints set them, so the chain's size stays linear in the number of candidates.
    """
    m = v.model
    tail.maintained = m.new_bool_var(f"maintained[{tail.key}]")
    if not tail.is_depot:
        m.add_implication(tail.maintained, tail.present)
    tail.next_window = m.new_int_var(-1, v.big + 1, f"next_window[{tail.key}]")
    if not counts_tail_gap(v, tail):
        return None
    # Days without status: from the day after status ended to the day before the next permit (or PR approval).
    next_start = m.new_int_var(-1, v.big, f"next_valid_from[{tail.key}]")
    first_status = m.new_int_var(-1, v.big, f"status_back[{tail.key}]")
    m.add_min_equality(first_status, [next_start, v.prv().approval_capped])
    tail.gap = m.new_int_var(0, v.horizon, f"gap[{tail.key}]")
    m.add(tail.gap >= first_status - _gap_from(tail)).only_enforce_if(lapsed(tail))
    return next_start


def _link(v: Vars, arc: Arc, next_start: cp_model.IntVar | None) -> None:
    m = v.model
    tail, head, z = arc.tail, arc.head, arc.lit
    assert head is not None and head.candidate is not None and head.restoring is not None
    c = head.candidate
    if not tail.is_depot and c.filed_on is None:
        # One application at a time: the next is filed once the previous permit is issued.
        m.add(head.apply >= tail.start).only_enforce_if(z)
    if not tail.in_canada:
        # Entry to Canada on the first permit, applied for from outside.
        m.add(head.start == head.apply + c.processing_outside).only_enforce_if(z)
        m.add(tail.window_end == head.window_start - 1).only_enforce_if(z)
        m.add(head.restoring == 0).only_enforce_if(z)
        return
    maintained = tail.maintained
    assert maintained is not None and tail.next_window is not None
    if c.filed_outside:
        # Filed from outside Canada (R197): it maintains nothing; the status held runs out on its own day.
        m.add(maintained == 0).only_enforce_if(z)
        m.add(head.restoring == 0).only_enforce_if(z)
        # The status held runs to its end, but the new permit's days are the new permit's.
        until = m.new_int_var(-1, v.big, f"held_until[{tail.key}->{head.key}]")
        m.add_min_equality(until, [tail.end, head.window_start - 1])
        m.add(tail.window_end == until).only_enforce_if(z)
        m.add(tail.next_window == head.window_start).only_enforce_if(z)
        if next_start is not None:
            m.add(next_start == head.start).only_enforce_if(z)
        return
    # Filed in Canada after status ended: restoration (none for a visitor's application processed outside).
    lapsed_here = [z, maintained.Not()]
    depot = v.opts.depots[tail.person]
    if tail.is_depot and visitor_applies_outside(v.opts, depot, c):
        lapsed_here.append(link_from_visitor(v, arc).Not())
    elif visitor_applies_outside(v.opts, depot, c):
        m.add(head.start == head.apply + c.processing_inside).only_enforce_if(z)
    m.add(head.apply <= tail.end).only_enforce_if([z, maintained])
    m.add(head.apply >= tail.end + 1).only_enforce_if(lapsed_here)
    m.add(tail.window_end == head.window_start - 1).only_enforce_if([z, maintained])
    m.add(tail.window_end == tail.end).only_enforce_if([z, maintained.Not()])
    m.add(tail.next_window == head.window_start).only_enforce_if(z)
    if depot.kind is DepotKind.OUTSIDE:
        # Someone who came from abroad leaves when status ends and applies again from outside: no gap.
        m.add(head.restoring == 0).only_enforce_if(z)
        if c.inside_only:
            m.add(maintained == 1).only_enforce_if(z)
        else:
            m.add(head.start == head.apply + c.processing_inside).only_enforce_if([z, maintained])
            m.add(head.start == head.apply + c.processing_outside).only_enforce_if([z, maintained.Not()])
        return
    if c.filed_on is None and c.without_status is None:
        # The plan's own application must be within the window, except one the category lets a person file
        # without status (the R197 PGWP), bounded by its own rule; a filing of the client file is a fact, restorable
        # or not, whose restoration (and its fee) was asked for when it was filed (its PENDING step says so).
        _restoration_window(v, arc, lapsed_here)
    else:
        m.add(head.restoring == 0).only_enforce_if(z)
    assert next_start is not None
    m.add(next_start == head.start).only_enforce_if(z)


def _restoration_window(v: Vars, arc: Arc, lapsed_here: Sequence[Lit]) -> None:
    """STATUS.restoration: filed within its days after `arc.tail`'s status ended, `arc.head` restores status
    (`restoring`); filed by the last day of status, it does not."""
    m = v.model
    head, z = arc.head, arc.lit
    assert head is not None and head.restoring is not None and arc.tail.maintained is not None
    if arc.tail.depot is not None and arc.tail.depot.kind is DepotKind.NONE:
        # No day of loss is known (options/household.py): nothing to restore from.
        m.add(head.present == 0).only_enforce_if(lapsed_here)
        return
    restoration = int(v.opts.rules.param("STATUS.restoration", "days", v.opts.on(v.opts.scenario.as_of)))
    m.add(head.apply <= arc.tail.end + restoration).only_enforce_if(lapsed_here)
    m.add(head.restoring == 1).only_enforce_if(lapsed_here)
    m.add(head.restoring == 0).only_enforce_if([z, arc.tail.maintained])


def _close(v: Vars, arc: Arc, next_start: cp_model.IntVar | None) -> None:
    """`arc.tail` is the last node: its window ends with its validity; then no status until PR approval."""
    m = v.model
    tail, z = arc.tail, arc.lit
    if not tail.in_canada:
        m.add(tail.window_end == v.big).only_enforce_if(z)
        return
    assert tail.maintained is not None and tail.next_window is not None
    m.add(tail.window_end == tail.end).only_enforce_if(z)
    m.add(tail.maintained == 0).only_enforce_if(z)
    m.add(tail.next_window == v.big + 1).only_enforce_if(z)
    if next_start is not None:
        m.add(next_start == v.big).only_enforce_if(z)


def _gap_from(tail: Node) -> cp_model.LinearExpr | int:
    """The first day without status after `tail` (never before as_of)."""
    if tail.depot is not None:
        return max(tail.depot.end + 1, 0)
    return tail.end + 1


def counts_tail_gap(v: Vars, tail: Node) -> bool:
    """Whether days without status after the last permit count: only for a person in Canada on as_of (someone
    who came from abroad leaves when status ends)."""
    return v.opts.depots[tail.person].in_canada


def add_work_windows(v: Vars) -> None:
    """auth_days of each work-authorizing node: its window clipped to [0, PR approval)."""
    m = v.model
    pc = v.prv().approval_capped
    for n in v.nodes.values():
        if not n.works:
            continue
        last = m.new_int_var(-v.big, v.big, f"window_last[{n.key}]")
        m.add_min_equality(last, [n.window_end, pc - 1])
        span = m.new_int_var(-2 * v.big, v.big, f"window_span[{n.key}]")
        m.add(span == last - n.window_start + 1)
        auth = m.new_int_var(0, v.horizon, f"auth_days[{n.key}]")
        m.add_max_equality(auth, [span, 0])
        if not n.is_depot:
            m.add(auth == 0).only_enforce_if(n.present.Not())
        n.auth_days = auth
    for role, _ in v.opts.scenario.members:
        _add_work_room(v, [n for n in v.person_nodes(role) if n.auth_days is not None], role)


def _add_work_room(v: Vars, working: list[Node], role: Role) -> None:
    """Redundant: a person's windows follow one another without overlap, from the earliest day any of them can
    open (constraints/earliest.py) to PR approval, so their days add up to at most that span; and a day without
    status is a day without work, so the windows and the status gaps together add up to at most the days before
    PR approval. Without the first the search cannot prove optimal a plan whose only work gap is the wait for the
    first permit (or no gap at all); without the second, one whose work gap is a status gap.
    """
    if not working:
        return
    m = v.model
    # A candidate's window opens no earlier than its earliest day (constraints/earliest.py).
    first = min(v.first_window.get(n.key, lowest(n.window_start)) for n in working)
    room = m.new_int_var(0, v.horizon, f"work_room[{role.value}]")
    m.add_max_equality(room, [v.prv().approval_capped - first, 0])
    auth = sum(n.auth_days for n in working if n.auth_days is not None)
    m.add(auth <= room)
    gaps = [n for n in v.person_nodes(role) if n.gap is not None]
    if not gaps:
        return
    # A day without status is a day without work: the gaps and the windows are apart, before PR approval.
    since = min(first, *(_gap_from_low(n) for n in gaps))
    span = m.new_int_var(0, v.horizon + 1, f"status_room[{role.value}]")
    m.add_max_equality(span, [v.prv().approval_capped - since, 0])
    m.add(auth + sum(n.gap for n in gaps if n.gap is not None) <= span)


def _gap_from_low(n: Node) -> int:
    """The earliest day a gap after `n` can start."""
    if n.depot is not None:
        return max(n.depot.end + 1, 0)
    return lowest(n.end) + 1

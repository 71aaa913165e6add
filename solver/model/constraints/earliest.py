"""Earliest days: each candidate's first possible application and valid-from day in any plan, and the first day
its work window can open, from what it must follow. Every plan keeps them, so what is built on them cuts none:
constraints/status.py counts a person's days of work from the earliest day any window can open (without it the
LP relaxation lets a permit that cannot come before another's decision open its window on its own first day, e.g.
the bridging or spousal permit of a spouse abroad, and the search cannot prove the days without work a plan must
have), and a candidate that can follow nothing is left out.

What a candidate must follow (status.py and the categories' own constraints, which these bounds restate):
- in a person's chain, a candidate filed by the plan is applied for once the permit before it is issued
  (`head.apply >= tail.start`); a candidate that may follow the status held on as_of has no such bound;
- a permit that rests on the partner's (`Candidate.source`) is applied for once that permit is issued, or with
  its application (a family member's renewal, `Candidate.filed_with_source`);
- a permit is issued at least its shortest processing after its application (`start >= apply + processing`,
  the smallest of the figures its node may use; A75 may be issued later still, never earlier).

The bounds are the least solution of these inequalities, found by raising each from its own first day until
nothing moves (every step from below stays a valid bound, so a cut-short loop is still sound). A candidate whose
earliest application falls after its last application day cannot be in any plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.model.constraints.status import arc_allowed
from solver.model.variables import Node, Vars, lowest

# A day after every day of the model: a candidate that cannot follow anything; and one before every day (a filing
# of the client file is applied for before as_of, on a negative day).
NEVER = 10**9
NO_BOUND = -(10**9)


@dataclass(frozen=True)
class Earliest:
    """A candidate's earliest application day, valid-from day and first day of its work window."""

    apply: int
    start: int
    window: int


def earliest_days(v: Vars) -> dict[str, Earliest]:
    """Every candidate node's earliest days (by node key)."""
    candidates = [n for n in v.nodes.values() if n.candidate is not None]
    apply = {n.key: lowest(n.apply) for n in candidates}
    start = {n.key: lowest(n.start) for n in candidates}
    processing = {n.key: start[n.key] - apply[n.key] for n in candidates}
    tails = {n.key: _tails(v, n) for n in candidates}
    for _ in range(len(candidates) + 1):
        moved = False
        for n in candidates:
            first = max(apply[n.key], _after_tails(n, tails[n.key], start), _after_source(n, start, apply))
            if first > apply[n.key]:
                apply[n.key] = first
                start[n.key] = max(start[n.key], min(first + processing[n.key], NEVER))
                moved = True
        if not moved:
            break
    return {n.key: Earliest(apply[n.key], start[n.key], _window(n, apply[n.key], start[n.key])) for n in candidates}


def _window(node: Node, apply: int, start: int) -> int:
    """The first day of `node`'s work window: its application day when it lets the holder work while pending,
    else its valid-from day; never before the window's own first day (a filing's counts from as_of)."""
    assert node.candidate is not None
    first = apply if node.candidate.work_while_pending is not None else start
    return max(first, lowest(node.window_start))


def add_earliest(v: Vars) -> dict[str, Earliest]:
    """Every candidate's earliest days (constraints/status.py bounds the work windows with them); a candidate with
    no earliest application day is absent.

    The days are not added as constraints of each candidate's own days (present -> apply >= earliest): the
    search finds its first plan no sooner with them, and on the ten-offer households it finds none in time."""
    days = earliest_days(v)
    for key, first in days.items():
        node = v.nodes[key]
        assert node.candidate is not None
        if first.apply > max(node.candidate.apply_days):
            v.model.add(node.present == 0)
    return days


def _tails(v: Vars, head: Node) -> list[Node] | None:
    """The nodes `head` may follow in its person's chain that bound its application day (None: the status held on
    as_of may come right before it, or it is a filing of the client file, whose day is a fact)."""
    assert head.candidate is not None
    if head.candidate.filed_on is not None:
        return None
    nodes = v.person_nodes(head.person)
    filings = any(n.candidate is not None and n.candidate.filed_on is not None for n in nodes)
    tails = [t for t in nodes if t is not head and arc_allowed(t, head, filings)]
    if any(t.is_depot for t in tails):
        return None
    return tails


def _after_tails(head: Node, tails: list[Node] | None, start: dict[str, int]) -> int:
    """The earliest application day the chain allows `head`: once the earliest permit it may follow is issued."""
    if tails is None:
        return NO_BOUND
    return min((start[t.key] for t in tails), default=NEVER)


def _after_source(node: Node, start: dict[str, int], apply: dict[str, int]) -> int:
    """The earliest application day of a permit that rests on the partner's: once that permit is issued (the
    status held on as_of, a depot, is issued already), or with its application (`filed_with_source`)."""
    c = node.candidate
    assert c is not None
    if c.source is None or c.source not in start:
        return NO_BOUND
    return apply[c.source] if c.filed_with_source else start[c.source]

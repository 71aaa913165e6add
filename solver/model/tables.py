"""Exact day functions (month arithmetic, look-back windows, past hours) as piecewise-linear constraints.

A function of a day given as a table is split into maximal runs on which it is affine; one run is a plain
linear equality, several runs get one literal each. This keeps month arithmetic exact while the model stays
small: a table of 2,000 days has a few runs per month instead of 2,000 element entries.
"""

from __future__ import annotations

import itertools
import operator

from solver.cpsat import cp_model


def affine_runs(lo: int, values: list[int]) -> list[tuple[int, int, int, int]]:
    """(first x, last x, slope, value at first x) of each maximal affine run of x -> values[x - lo].

    Read greedily from the left: a run takes every following value on its slope, the next run starts after it.
    The steps between neighbours are grouped once (a table of 2,000 days has a few groups a month), so the
    greedy walk visits groups, not days.
    """
    n = len(values)
    steps = list(map(operator.sub, values[1:], values[:-1]))
    # The last step index of the group of equal steps that each group starts, in order.
    group_ends = list(itertools.accumulate(len(list(same)) for _, same in itertools.groupby(steps)))
    runs: list[tuple[int, int, int, int]] = []
    start = 0
    group = 0
    while start < n:
        if start == n - 1:
            runs.append((lo + start, lo + start, 0, values[start]))
            break
        while group_ends[group] <= start:
            group += 1
        end = group_ends[group]  # the value after the group's last step
        runs.append((lo + start, lo + end, steps[start], values[start]))
        start = end + 1
    return runs


def add_function(
    m: cp_model.CpModel,
    x: cp_model.IntVar,
    lo: int,
    values: list[int],
    target: cp_model.LinearExprT,
    name: str,
) -> None:
    """target == values[x - lo], x restricted to [lo, lo + len(values) - 1]."""
    runs = affine_runs(lo, values)
    m.add(x >= lo)
    m.add(x <= lo + len(values) - 1)
    if len(runs) == 1:
        first, _last, slope, value = runs[0]
        m.add(target == value + slope * (x - first))
        return
    lits = []
    for k, (first, last, slope, value) in enumerate(runs):
        b = m.new_bool_var(f"{name}#run{k}")
        lits.append(b)
        m.add(x >= first).only_enforce_if(b)
        m.add(x <= last).only_enforce_if(b)
        m.add(target == value + slope * (x - first)).only_enforce_if(b)
    m.add_exactly_one(lits)

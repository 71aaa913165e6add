"""Exact day functions (month arithmetic, look-back windows, past hours) as piecewise-linear constraints.

A function of a day given as a table is split into maximal runs on which it is affine; one run is a plain
linear equality, several runs get one literal each. This keeps month arithmetic exact while the model stays
small: a table of 2,000 days has a few runs per month instead of 2,000 element entries.
"""

from __future__ import annotations

from ortools.sat.python import cp_model


def affine_runs(lo: int, values: list[int]) -> list[tuple[int, int, int, int]]:
    """(first x, last x, slope, value at first x) of each maximal affine run of x -> values[x - lo]."""
    runs: list[tuple[int, int, int, int]] = []
    start = 0
    n = len(values)
    while start < n:
        end = start
        slope = values[start + 1] - values[start] if start + 1 < n else 0
        while end + 1 < n and values[end + 1] - values[end] == slope:
            end += 1
        runs.append((lo + start, lo + end, slope, values[start]))
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

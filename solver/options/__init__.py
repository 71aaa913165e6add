"""Candidate permit options for a scenario: what each person could apply for, and on which days.

The static rules become data here, evaluated day by day through the rule registry: the days a person may
apply for each category, processing times, validity, fees. The model (`solver/model`) turns each candidate
into optional variables whose apply day ranges over exactly these days; the rules that tie two decisions
together (status chaining, the principal's permit behind a spousal permit, PR submission before A75/C49)
are constraints there.
"""

from __future__ import annotations

from solver.options.build import Figures, build_options
from solver.options.options import Options
from solver.options.records import ACTION_APPLY, After, Candidate, Depot, DepotKind, Job, Validity

# Exactly the names callers import from solver.options.
__all__ = [
    "ACTION_APPLY",
    "After",
    "Candidate",
    "Depot",
    "DepotKind",
    "Figures",
    "Job",
    "Options",
    "Validity",
    "build_options",
]

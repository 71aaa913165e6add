"""C43, the post-graduation work permit: eligibility, candidates and constraints, and its validator check."""

from __future__ import annotations

from solver.categories.base import Family

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

# --- the independent validator ---------------------------------------------------------------------


class Pgwp(Family):
    name = "pgwp"
    stage = 10


FAMILY = Pgwp()

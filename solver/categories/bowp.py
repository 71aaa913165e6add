"""A75, the bridging open work permit for a PR applicant whose work permit runs out while PR is processed."""

from __future__ import annotations

from solver.categories.base import Family

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

# --- the independent validator ---------------------------------------------------------------------


class Bowp(Family):
    name = "bowp"
    stage = 40


FAMILY = Bowp()

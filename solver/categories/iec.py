"""C21, International Experience Canada (Working Holiday as an open permit; the offer-based streams go through
the employer family)."""

from __future__ import annotations

from solver.categories.base import Family

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

# --- the independent validator ---------------------------------------------------------------------


class Iec(Family):
    name = "iec"
    stage = 30


FAMILY = Iec()

"""Offer-based permits: the employer-specific IMP codes (ICT, CUSMA, CETA, Francophone Mobility, PNP, ...) and
the LMIA-based TFWP permit. Each code's own check is a function here, chosen by code."""

from __future__ import annotations

from solver.categories.base import Family

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

# --- the independent validator ---------------------------------------------------------------------


class Employer(Family):
    name = "employer"
    stage = 20


FAMILY = Employer()

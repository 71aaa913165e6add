"""Permits that rest on the partner: C42 (spouse of a student), C41 (spouse of a skilled worker), C49 (family of
an economic PR applicant) and A74 (sponsored spouse in Canada; eligibility only, not planned yet)."""

from __future__ import annotations

from solver.categories.base import Family

# --- the eligibility query -------------------------------------------------------------------------

# --- the planner -----------------------------------------------------------------------------------

# --- the independent validator ---------------------------------------------------------------------


class Spousal(Family):
    name = "spousal"
    stage = 50
    after_partners = True


FAMILY = Spousal()

"""T44, T41 and T42: intra-company transferees under the Canada-EU trade agreement (CETA).

An EU citizen transferred by their employer to its Canadian branch: executives and managers (T44), specialized
knowledge workers (T41) and graduate trainees (T42). IRCC split the old T44 into these three (addendum §1); T44
and T41 get up to 3 years first and 4.5 years in all, T42 one year with no extension. The months count towards
the 7-year ICT cap across codes (ICT.total). Each permit rests on a job offer, so the family is an OfferFamily:
this table is all it adds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from solver.categories.offers import CodeRules, OfferFamily, citizenship, citizenship_issues, intra_company_rules

_EU = citizenship("T44.citizenship")
_EU_ISSUES = citizenship_issues("T44.citizenship", "CETA intra-company transferees must be EU citizens")


def _transferee(rule: str) -> CodeRules:
    """An EU citizen, then the occupation's TEER and the ICT months left under `rule`."""
    return intra_company_rules(rule, _EU, issues=(_EU_ISSUES,))


class CetaIct(OfferFamily):
    name = "ceta_ict"
    stage = 25  # after the other offer-based codes, so their candidates keep their order
    codes: ClassVar[Mapping[str, CodeRules]] = {
        "T44": _transferee("T44.occupation"),
        "T41": _transferee("T41.occupation"),
        "T42": _transferee("T42.occupation"),
    }


FAMILY = CetaIct()

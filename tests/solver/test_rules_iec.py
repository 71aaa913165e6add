"""International Experience Canada (C21): partners, age, participations, lengths."""

from __future__ import annotations

import pytest

from solver.rules import iec
from solver.rules.decision import Verdict
from solver.rules.registry import load_rules
from tests.solver.rules_people import D, person

RULES = load_rules()
E, N = Verdict.ELIGIBLE, Verdict.NOT_ELIGIBLE
ADDENDUM_COUNTRIES = ("FR", "DE", "IE", "GB", "AU", "JP", "KR", "IT", "NL", "ES", "TW")


@pytest.mark.parametrize(
    ("country", "born", "on", "used", "verdict", "reason"),
    [
        ("JP", "1996-03-01", "2026-02-28", 0, E, "Japan, aged 29"),
        ("JP", "1996-03-01", "2026-03-01", 0, E, "Japan, 30th birthday: still 30"),
        ("JP", "1995-03-01", "2026-03-01", 0, N, "Japan, 31: over 30"),
        ("FR", "1990-03-01", "2026-02-28", 0, E, "France, 35"),
        ("FR", "1990-03-01", "2026-03-01", 0, N, "France, 36"),
        ("DE", "2008-03-01", "2026-02-28", 0, N, "17: too young"),
        ("JP", "2000-01-01", "2025-03-31", 1, N, "Japan second participation the day before 2025-04-01"),
        ("JP", "2000-01-01", "2025-04-01", 1, E, "Japan allows 2 from 2025-04-01"),
        ("JP", "2000-01-01", "2025-04-02", 1, E, "day after"),
        ("FR", "2000-01-01", "2026-01-01", 2, N, "France: 2 participations, not 3"),
        ("TW", "2000-01-01", "2026-01-01", 1, N, "Taiwan: 1 participation"),
        ("MX", "2000-01-01", "2026-01-01", 0, N, "Mexico is not an IEC partner"),
        ("IN", "2000-01-01", "2026-01-01", 0, N, "India is not a partner"),
    ],
)
def test_check(country: str, born: str, on: str, used: int, verdict: Verdict, reason: str) -> None:
    who = person(born=born, citizenships=(country,))
    decision = iec.check(who, D(on), RULES, participations_used=used)
    assert decision.verdict is verdict, (reason, decision.reasons)
    assert decision.reasons[0].rule_id == "C21.partner"


@pytest.mark.parametrize(
    ("country", "stream", "participation", "on", "months"),
    [
        ("FR", "WH", 1, "2026-01-01", 24),
        ("FR", "COOP", 1, "2026-01-01", 12),
        ("DE", "WH", 1, "2026-01-01", 12),
        ("GB", "WH", 1, "2026-01-01", 24),
        ("GB", "YP", 2, "2026-01-01", 12),
        ("GB", "YP", 1, "2023-12-10", 0),
        ("GB", "YP", 1, "2023-12-11", 24),
        ("KR", "WH", 1, "2026-01-01", 24),
        ("JP", "YP", 1, "2026-01-01", 0),
        ("NL", "COOP", 1, "2026-01-01", 0),
        ("MX", "WH", 1, "2026-01-01", 0),
    ],
    ids=lambda v: str(v),
)
def test_permit_months(country: str, stream: str, participation: int, on: str, months: int) -> None:
    assert iec.permit_months(country, RULES, D(on), stream=stream, participation=participation) == months


def test_addendum_countries_are_partners() -> None:
    table = iec.partners(D("2026-01-01"), RULES)
    assert all(code in table for code in ADDENDUM_COUNTRIES)
    assert "MX" not in table


def test_best_country_of_a_dual_citizen() -> None:
    who = person(citizenships=("DE", "FR"))
    assert iec.best_country(who, D("2026-01-01"), RULES) == "FR"

"""Processing as a spread (p50 and p90): the rules' figures, overrides, and plans that hold at the slow figure."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from solver.domain import InvalidScenario, PlanOptions, ProcessingBasis, ProcessingTime, Role, Scenario
from solver.fingerprint import plan_key
from solver.rules.processing import spread
from solver.rules.registry import load_rules
from solver.scenario_json import parse_scenario
from solver.solve import plan
from solver.validate import check_plan

RULES = load_rules()
GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
DAY = dt.date(2026, 12, 1)

# A visitor in Canada to 2027-06-01 with a positive-LMIA offer (g65 with a longer visitor record): the TFWP permit
# is processed outside Canada (60 days expected, 154 slow) and maintains no status while pending.
VISITOR: dict[str, Any] = {
    "asOf": "2026-12-01",
    "horizonMonths": 36,
    "principal": {
        "birthDate": "1994-03-03",
        "citizenships": ["PH"],
        "passportExpiry": "2035-01-01",
        "inCanada": True,
        "status": {"kind": "VISITOR", "validTo": "2027-06-01"},
        "permitHistory": [],
        "education": [],
        "languageTests": [],
        "workHistory": [],
    },
    "offers": [
        {
            "ref": "cook",
            "holder": "PRINCIPAL",
            "nocCode": "63200",
            "province": "ON",
            "hoursPerWeek": 40,
            "earliestStart": "2027-01-15",
            "months": 24,
            "lmiaApproved": True,
        }
    ],
}


def parsed(options: dict[str, Any] | None = None) -> tuple[Scenario, PlanOptions]:
    found = parse_scenario(VISITOR, {"timeLimitMs": 20_000, **(options or {})})
    assert not isinstance(found, InvalidScenario), found
    return found


@pytest.mark.parametrize(
    ("code", "inside", "p50", "p90"),
    [("C43", True, 190, 237), ("A75", True, 120, 180), ("TFWP", False, 60, 154), ("C21", False, 56, 154)],
)
def test_the_rules_give_an_expected_and_a_slow_figure(code: str, inside: bool, p50: int, p90: int) -> None:
    found = spread(code, DAY, RULES, inside=inside)
    assert (found.p50, found.p90) == (p50, p90)


def test_the_most_specific_override_wins() -> None:
    overrides = (
        ProcessingTime("TFWP", False, 30, 90),
        ProcessingTime("TFWP", False, 40, 100, country="PH"),
        ProcessingTime("TFWP", False, 50, 110, effective_from=dt.date(2027, 1, 1)),
        ProcessingTime("TFWP", True, 1, 2),
    )
    assert spread("TFWP", DAY, RULES, inside=False, overrides=overrides).p50 == 30
    assert spread("TFWP", dt.date(2027, 2, 1), RULES, inside=False, overrides=overrides).p50 == 50
    assert spread("TFWP", DAY, RULES, inside=False, overrides=overrides, citizenships=("PH",)).p50 == 40
    # A country's figure is for applications from outside Canada; the other category keeps the rules'.
    assert spread("TFWP", DAY, RULES, inside=True, overrides=overrides[:3], citizenships=("PH",)).p50 == 190
    assert spread("C43", DAY, RULES, inside=False, overrides=overrides).p90 == 154


def test_bad_processing_options_name_their_path() -> None:
    bad = [
        {"code": "ZZ9", "insideCanada": True, "p50Days": 10, "p90Days": 20},
        {"code": "C43", "insideCanada": True, "p50Days": -1, "p90Days": 20},
        {"code": "C43", "insideCanada": False, "p50Days": 90, "p90Days": 60},
        {"code": "C43", "insideCanada": False, "p50Days": 90, "p90Days": 100, "country": "XX"},
    ]
    found = parse_scenario(VISITOR, {"processing": bad})
    assert isinstance(found, InvalidScenario)
    paths = [e.path for e in found.errors]
    assert paths == [
        "options.processing[0].code",
        "options.processing[1].p50Days",
        "options.processing[2].p90Days",
        "options.processing[3].country",
    ]


def test_a_gap_that_opens_only_at_the_slow_figure_is_planned_away() -> None:
    """At the expected figure the permit would be filed on 2027-04-03 (issued the day after the visitor record
    ends, which pushes its end as late as it goes); decided after 154 days instead, that leaves the visitor 94
    days without status. The plan is made at p90: filed by 2026-12-30, no gap at either figure."""
    no_spread = {"processing": [{"code": "TFWP", "insideCanada": False, "p50Days": 60, "p90Days": 60}]}
    scenario, flat = parsed(no_spread)
    fragile = plan(scenario, flat)
    assert fragile.robustness is not None and fragile.robustness.basis is ProcessingBasis.P50
    assert [p.apply_on for p in fragile.permits] == [dt.date(2027, 4, 3)]

    scenario, options = parsed()
    robust = plan(scenario, options)
    check_plan(scenario, robust, options)
    r = robust.robustness
    assert r is not None and r.basis is ProcessingBasis.P90
    (permit,) = robust.permits
    assert permit.apply_on <= dt.date(2026, 12, 30)
    assert permit.valid_from == permit.apply_on + dt.timedelta(days=154)
    for outcome in (r.expected, r.slow):
        assert all(g.days_without_status == 0 for g in outcome.gaps if g.person is Role.PRINCIPAL)


def test_the_robustness_section_shows_what_slow_processing_costs() -> None:
    """g58: the R197 PGWP filed on 2026-11-02 is decided after 60 days (expected) or 154 (slow); the visitor record
    ends 2027-03-31, so a slow decision leaves 4 days without status and the ready date moves, driven by C43. The
    filing is a fact, so no plan avoids it: the plan stays at p50 and says so."""
    doc = json.loads((GOLDEN / "g58-pgwp-r197-filed-outside.json").read_text())
    found = parse_scenario(doc["scenario"], {"timeLimitMs": 20_000})
    assert not isinstance(found, InvalidScenario)
    scenario, options = found
    made = plan(scenario, options)
    check_plan(scenario, made, options)
    r = made.robustness
    assert r is not None and r.basis is ProcessingBasis.P50
    expected = {g.person: g for g in r.expected.gaps}
    slow = {g.person: g for g in r.slow.gaps}
    assert expected[Role.PRINCIPAL].days_without_status == 0
    assert slow[Role.PRINCIPAL].days_without_status == 4
    assert slow[Role.PRINCIPAL].driven_by == ("C43",)
    assert r.expected.pr_ready_date is not None and r.slow.pr_ready_date is not None
    assert r.slow.pr_ready_date > r.expected.pr_ready_date


def test_a_request_override_changes_the_plan_and_its_key() -> None:
    scenario, options = parsed()
    quick = dataclasses.replace(options, processing=(ProcessingTime("TFWP", False, 20, 30),))
    base, fast = plan(scenario, options), plan(scenario, quick)
    check_plan(scenario, fast, quick)
    assert [p.valid_from - p.apply_on for p in fast.permits] != [p.valid_from - p.apply_on for p in base.permits]
    assert plan_key(scenario, options, "v") != plan_key(scenario, quick, "v")

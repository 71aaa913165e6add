"""Earliest days (solver/model/constraints/earliest.py): each a lower bound that no plan goes below.

Soundness is checked against the model built without them: for each candidate, CP-SAT finds the earliest
application and valid-from day any plan of that model gives it (present), and the bound may not exceed it. The
households are the bench's own drawings (couples with offers, a spouse abroad, pending filings among the
fixtures), so the chains, spousal sources and bridging permits they bound are all exercised.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from loadtests.generate import scenario as drawn
from solver.cpsat import cp_model
from solver.domain import InvalidScenario, PlanOptions, PlanStatus, Role, Scenario
from solver.model.build import build, fix_groups
from solver.model.constraints import earliest
from solver.model.constraints.earliest import NEVER, earliest_days
from solver.model.variables import Vars
from solver.options import Options, build_options
from solver.rules.registry import load_rules
from solver.scenario_json import parse_document
from solver.solve import plan
from solver.validate import validate

from .factories import D, abroad, offer, worker

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _households() -> Iterator[tuple[str, Scenario]]:
    rng = random.Random(2027)
    # The sweep (PERMITPATH_SLOW=1) checks many more drawings: singles and couples, up to six offers.
    for i in range(3 if not os.environ.get("PERMITPATH_SLOW") else 40):
        yield f"drawn-{i}", drawn(rng, couple=i % 4 != 3, offers=[3, 0, 6, 1][i % 4], horizon_months=36)
    for name in ("golden/g50-pgwp-pending-maintained.json", "golden/g53-pending-employer-permit-tied-to-offer.json"):
        parsed = parse_document(json.loads((FIXTURES / name).read_text()))
        assert not isinstance(parsed, InvalidScenario)
        yield name, parsed[0]
    yield "spouse-abroad", _spouse_abroad()


def _spouse_abroad() -> Scenario:
    """A worker whose spouse abroad has an LMIA offer: the spouse's bridging permit can only follow a work permit."""
    return Scenario(
        as_of=D("2026-12-01"),
        horizon_months=36,
        principal=worker(valid_to="2027-09-30"),
        spouse=abroad(),
        offers=(offer("lmia", "72200", "2027-01-15", holder=Role.SPOUSE),),
    )


def _without_earliest(opts: Options, monkeypatch: pytest.MonkeyPatch) -> Vars:
    monkeypatch.setattr(earliest, "add_earliest", lambda v: {})
    return build(opts)


HOUSEHOLDS = list(_households())


@pytest.mark.parametrize(("name", "household"), HOUSEHOLDS, ids=[name for name, _ in HOUSEHOLDS])
def test_no_plan_of_the_model_without_them_goes_below_the_earliest_days(
    name: str, household: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    opts = build_options(household, PlanOptions(), load_rules())
    days = earliest_days(build(opts))
    v = _without_earliest(opts, monkeypatch)
    fix_groups(v.model, {group: lit.index for group, lit in v.groups.items()})
    checked = 0
    for key, first in days.items():
        node = v.nodes[key]
        for var, bound in ((node.apply, first.apply), (node.start, first.start), (node.window_start, first.window)):
            m = v.model.clone()
            m.add(m.get_bool_var_from_proto_index(node.present.index) == 1)
            m.minimize(m.get_int_var_from_proto_index(var.index))
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.max_time_in_seconds = 20.0
            status = solver.solve(m)
            if status == cp_model.INFEASIBLE:
                continue  # never in a plan: any bound holds
            assert status == cp_model.OPTIMAL, (name, key)
            assert bound <= solver.objective_value, (name, key, var.name, bound, solver.objective_value)
            checked += 1
    # A drawing may have no permit any plan can hold; the hand-picked households each have some.
    assert checked or name.startswith("drawn-"), name


def test_a_permit_follows_what_it_rests_on() -> None:
    opts = build_options(_spouse_abroad(), PlanOptions(), load_rules())
    days = earliest_days(build(opts))
    # The spouse's LMIA permit: the LMIA comes first, then the permit's processing outside Canada.
    tfwp = days["SPOUSE:TFWP:lmia"]
    assert tfwp.apply > 0 and tfwp.start > tfwp.apply
    # A spousal permit resting on the principal's bridging permit is applied for once that one is issued.
    assert days["SPOUSE:C49:PRINCIPAL:A75"].apply >= days["PRINCIPAL:A75"].start > 0
    # One resting on the permit the principal holds today has no such wait.
    assert days["SPOUSE:C41:PRINCIPAL:depot:PRINCIPAL:history0"].apply == 0


def test_a_candidate_with_nothing_to_follow_is_never_in_a_plan() -> None:
    # With a filing pending, the plan's own applications follow it: a PGWP that must follow the study permit
    # itself (R197 variant) has no link left.
    parsed = parse_document(json.loads((FIXTURES / "golden/g50-pgwp-pending-maintained.json").read_text()))
    assert not isinstance(parsed, InvalidScenario)
    days = earliest_days(build(build_options(parsed[0], PlanOptions(), load_rules())))
    never = [key for key, first in days.items() if first.apply >= NEVER]
    assert never and all(":C43:" in key for key in never)


def test_the_days_a_spouse_abroad_waits_for_a_first_permit_are_proven() -> None:
    household = _spouse_abroad()
    found = plan(household, PlanOptions())
    assert found.status is PlanStatus.OPTIMAL
    assert validate(household, found, PlanOptions()) == ()
    # Abroad until a first permit is issued: not before the earliest valid-from day of any of the spouse's.
    days = earliest_days(build(build_options(household, PlanOptions(), load_rules())))
    first = min(first.start for key, first in days.items() if key.startswith("SPOUSE:"))
    arrived = min(p.valid_from for p in found.permits if p.person is Role.SPOUSE)
    assert (arrived - household.as_of).days >= first > 0

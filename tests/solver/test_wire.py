"""Generated households survive the trip to the contract's JSON and back unchanged."""

from __future__ import annotations

import random

import pytest

from loadtests.generate import scenario
from loadtests.wire import scenario_json
from solver.scenario_json import camel, parse_scenario


@pytest.mark.parametrize("seed", range(40))
def test_round_trip(seed: int) -> None:
    household = scenario(random.Random(seed))
    parsed = parse_scenario(scenario_json(household))
    assert isinstance(parsed, tuple)
    assert parsed[0] == household


def test_camel_case() -> None:
    assert [camel(n) for n in ("as_of", "passport_expiry", "lmia_exempt_code", "ref")] == [
        "asOf",
        "passportExpiry",
        "lmiaExemptCode",
        "ref",
    ]

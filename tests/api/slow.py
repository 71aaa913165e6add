"""The household a test plans when its solve must still be running while the test acts (cancels it, hangs up,
watches it improve): a couple with ten offers over ten years whose search the solver cannot prove within any
budget the tests give it, so it runs to its time limit. A household the solver proves optimal would end on its
own first (the six-offer couple these tests used did, once the earliest days of solver/model/constraints/
earliest.py proved it in under two seconds); if this one is ever proved fast, pick another unproven drawing."""

from __future__ import annotations

import random

from loadtests.generate import scenario as generated_scenario
from solver.domain import Scenario


def slow_household() -> Scenario:
    return generated_scenario(random.Random(5), couple=True, offers=10, horizon_months=120)

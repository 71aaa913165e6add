"""solver.cpsat: CP-SAT without pandas on the plan path, and pandas whole for anyone who imports it later."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _run(code: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(ROOT)}
    )
    return json.loads(done.stdout)


def test_planning_imports_no_pandas() -> None:
    code = """
import datetime as dt, json, sys
from solver.domain import Scenario
from solver.solve import plan
from tests.solver.factories import graduate
found = plan(Scenario(dt.date(2026, 12, 1), graduate()))
print(json.dumps(["pandas" in sys.modules, found.status.value]))
"""
    assert _run(code) == [False, "OPTIMAL"]


def test_pandas_imported_later_is_the_real_one_and_the_series_helpers_work() -> None:
    code = """
import json, sys
from solver.cpsat import cp_model
import pandas as pd
model = cp_model.CpModel()
xs = model.new_int_var_series(name="x", index=pd.Index([1, 2, 3]), lower_bounds=0, upper_bounds=4)
model.maximize(sum(xs))
solver = cp_model.CpSolver()
solver.solve(model)
print(json.dumps([hasattr(pd, "DataFrame"), type(xs).__name__, solver.values(xs).tolist()]))
"""
    assert _run(code) == [True, "Series", [4, 4, 4]]


def test_pandas_imported_first_is_used_as_it_is() -> None:
    code = """
import json
import pandas as pd
from solver.cpsat import cp_model
print(json.dumps(cp_model.pd is pd))
"""
    assert _run(code) is True

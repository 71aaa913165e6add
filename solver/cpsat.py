"""OR-Tools' CP-SAT module (`cp_model`), imported without importing pandas.

`ortools.sat.python.cp_model` imports pandas at its top, for its `*_series` helpers and `values()` on a Series
only: 0.15-0.5 s, most of `permitpath plan`'s start and of a solver worker's boot. The planner uses none of
those. So when pandas is not imported yet, cp_model is imported against a stand-in whose `Index` and `Series`
are classes nothing is an instance of (cp_model reads them at import for a type alias and annotations), and its
`pd` is then a forwarder that imports the real pandas on first use: the series helpers still work. The stand-in
is out of `sys.modules` before this returns, so `import pandas` anywhere else gives the real one.

cp_model imports numpy at its top too (for the names of its scalar types only), but a stand-in for it would
gain nothing: CP-SAT's C++ model imports numpy whenever a `CpModel` is made (pybind11's numpy bool type, in
`CpBaseModel`'s constructor), so every plan imports it anyway, only later, inside its timed solve.

Every module imports cp_model from here (`from solver.cpsat import cp_model`).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__all__ = ["cp_model"]


class _Pandas(types.ModuleType):
    """cp_model's `pd` after its import: every attribute is the real pandas' (imported on first use)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("pandas"), name)


def _import_without_pandas() -> types.ModuleType:
    if "ortools.sat.python.cp_model" in sys.modules or "pandas" in sys.modules:
        return importlib.import_module("ortools.sat.python.cp_model")
    stand_in = types.ModuleType("pandas")
    stand_in.Index = type("Index", (), {})  # type: ignore[attr-defined]
    stand_in.Series = type("Series", (), {})  # type: ignore[attr-defined]
    sys.modules["pandas"] = stand_in
    try:
        module = importlib.import_module("ortools.sat.python.cp_model")
    finally:
        if sys.modules.get("pandas") is stand_in:
            del sys.modules["pandas"]
    module.pd = _Pandas("pandas")  # type: ignore[attr-defined]
    return module


if TYPE_CHECKING:
    from ortools.sat.python import cp_model
else:
    cp_model = _import_without_pandas()

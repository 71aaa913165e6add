"""Imports run one way: api -> schema -> {db, solver}, db -> solver, and solver imports nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PACKAGES = ("api", "schema", "db", "solver")
ALLOWED: dict[str, frozenset[str]] = {
    "api": frozenset({"api", "schema", "db", "solver"}),
    "schema": frozenset({"schema", "db", "solver"}),
    "db": frozenset({"db", "solver"}),
    "solver": frozenset({"solver"}),
}
# solver is pure: besides the standard library, only ortools.
SOLVER_THIRD_PARTY = frozenset({"ortools"})
FORBIDDEN_IN_SOLVER = frozenset({"strawberry", "starlette", "sqlalchemy", "alembic", "uvicorn", "graphql", "httpx"})


def imported_modules(path: Path, package: str | None = None) -> set[str]:
    """Top-level names of every module `path` imports (relative imports resolved to its package)."""
    package = package or path.relative_to(ROOT).parts[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(package if node.level else (node.module or "").split(".")[0])
    return names


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_follow_the_layers(package: str) -> None:
    wrong = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _sources(package)
        for name in imported_modules(path) & set(PACKAGES)
        if name not in ALLOWED[package]
    }
    assert not wrong, sorted(wrong)


def test_solver_uses_only_the_standard_library_and_ortools() -> None:
    offenders = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _sources("solver")
        for name in imported_modules(path)
        if name in FORBIDDEN_IN_SOLVER or (name not in _stdlib() and name not in SOLVER_THIRD_PARTY | {"solver"})
    }
    assert not offenders, sorted(offenders)


def test_the_guard_sees_a_wrong_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from schema.types import Household\nimport api.app\nfrom . import models\nimport os\n")
    # Read as if it lived in db/: the upward imports are caught, the relative one is db's own.
    names = imported_modules(probe, package="db")
    assert names == {"schema", "api", "db", "os"}
    assert (names & set(PACKAGES)) - ALLOWED["db"] == {"schema", "api"}


def _stdlib() -> frozenset[str]:
    import sys

    return frozenset(sys.stdlib_module_names) | {"__future__"}

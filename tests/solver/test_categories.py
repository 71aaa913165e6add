"""One module per permit category family: the registry, unknown codes, and no code branching outside the families."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
from pathlib import Path

import pytest

import solver.categories
from solver.categories import UnknownCategory, families, family_named, family_of
from solver.categories.base import Family
from solver.domain import Role, Scenario
from solver.eligibility import evaluate
from solver.rules import catalog
from solver.rules.registry import load_rules
from solver.scenario_json import parse_document
from tests.solver.rules_people import D

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RULES = load_rules()
CODES = frozenset(catalog.codes()) | frozenset(catalog.aliases())
# Where a category code may drive a branch: the family modules, and the demo's data.
OWNERS = ("solver/categories/", "api/demo.py")


def _scenario(path: str) -> Scenario:
    parsed = parse_document(json.loads((FIXTURES / path).read_text()))
    assert isinstance(parsed, tuple), parsed
    return parsed[0]


def test_the_registry_finds_every_catalog_family_and_each_modules_family() -> None:
    found = pkgutil.iter_modules(solver.categories.__path__)
    modules = [info.name for info in found if info.name not in solver.categories.SHARED]
    defined = {importlib.import_module(f"solver.categories.{name}").FAMILY for name in modules}
    assert all(isinstance(f, Family) for f in defined)
    assert set(families()) == defined
    assert {f.name for f in families()} == set(catalog.family_names())
    assert all(family_named(f.name) is f for f in families())


@pytest.mark.parametrize("code", sorted(catalog.codes()))
def test_each_code_belongs_to_the_family_its_catalog_entry_names(code: str) -> None:
    (entry,) = [c for c in catalog.categories(D("2026-06-01"), RULES) if c.code == code]
    assert family_of(code).name == entry.family


def test_an_alias_with_one_successor_belongs_to_its_successors_family() -> None:
    assert family_of("T23") is family_of("T36")


@pytest.mark.parametrize("code", ["C99", "C12", "T24", ""])
def test_an_unknown_or_split_code_is_unknown_category_naming_the_known_codes(code: str) -> None:
    known = ", ".join(catalog.codes())
    with pytest.raises(UnknownCategory, match=f"^no permit category {code!r}; known codes: {known}$"):
        family_of(code)


def test_an_unknown_family_is_unknown_category_naming_the_known_families() -> None:
    known = ", ".join(sorted(f.name for f in families()))
    assert {"bowp", "employer", "iec", "pgwp", "spousal"} <= set(known.split(", "))
    with pytest.raises(UnknownCategory, match=f"^no category family 'nope'; known: {known}$"):
        family_named("nope")


@pytest.mark.parametrize("on", ["2020-01-01", "2023-06-01", "2026-06-01"])
@pytest.mark.parametrize(
    "name",
    ["scenarios/p01-bachelor-pgwp-cec.json", "scenarios/p02-spouse-of-master-student.json", "golden/g24-pnp-t13.json"],
)
def test_every_catalog_category_gets_an_answer(name: str, on: str) -> None:
    scenario = _scenario(name)
    for role in (Role.PRINCIPAL, Role.SPOUSE):
        if scenario.person(role) is None:
            continue
        answers = evaluate(scenario, role, D(on), RULES)
        permits = [a.code for a in answers if a.kind == "PERMIT"]
        # One answer per category, more for a code with several offers of the member's.
        assert list(dict.fromkeys(permits)) == [c.code for c in catalog.categories(D(on), RULES)]


def _branching_constants(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string constant in a comparison (`in` included), a dict key, a match case or a literal collection
    (a set or tuple of codes is a branch once a name holds it), with its line, each once."""
    found: dict[int, ast.Constant] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            within: list[ast.AST] = [node.left, *node.comparators]
        elif isinstance(node, ast.Dict):
            within = [k for k in node.keys if k is not None]
        elif isinstance(node, ast.MatchValue):
            within = [node.value]
        elif isinstance(node, ast.Set | ast.Tuple | ast.List):
            # Only the collection's own items: a call inside it is not a table of codes.
            within = [e for e in node.elts if isinstance(e, ast.Constant)]
        else:
            continue
        for part in within:
            for sub in ast.walk(part):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                    found[id(sub)] = sub
    return sorted((c.lineno, str(c.value)) for c in found.values())


def _code_branches() -> dict[str, list[tuple[int, str]]]:
    """Each module outside the families holding a category code where it can drive a branch: (line, code)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for package in ("solver", "api", "schema", "db"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name.startswith(OWNERS):
                continue
            tree = ast.parse(path.read_text(), filename=name)
            hits = [(line, value) for line, value in _branching_constants(tree) if value in CODES]
            if hits:
                found[name] = hits
    return found


def test_no_module_outside_the_families_branches_on_a_category_code() -> None:
    assert _code_branches() == {}


def test_the_literal_search_sees_each_kind_of_branch() -> None:
    source = """
if code == "C43": pass
if code in ("A75", "x"): pass
table = {"T13": 1}
SPOUSAL = frozenset({"C41", f(code="C42")})
match code:
    case "C12": pass
"""
    assert [v for _, v in _branching_constants(ast.parse(source))] == ["C43", "A75", "x", "T13", "C41", "C12"]

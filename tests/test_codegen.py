"""Integrators generate TypeScript from the served SDL: graphql-codegen must type the contract's operations with
no `any`, and `tsc --strict` must accept the result and code that uses it (tests/codegen/usage.ts).

Node.js and the packages in tests/codegen/node_modules are needed; nothing is downloaded here. `make test`
installs them first when npm is on the machine (`npm ci --prefix tests/codegen`); without them the test skips.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse

from tests.node_toolchain import CODEGEN, INSTALL, MODULES, NODE, ROOT
from tests.node_toolchain import needs_node as needs_node_for

OPERATIONS = ROOT / "tests" / "fixtures" / "contract" / "operations.graphql"

needs_node = needs_node_for("the TypeScript codegen check")

# Comments and string literals are skipped whole (schema descriptions become doc comments, and say "any" in
# English); what is left is code, where `any` as a word is the type.
_TOKEN = re.compile(
    r"""/\*.*?\*/|//[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`|(?P<any>\bany\b)""",
    re.DOTALL,
)


def any_types(source: str) -> list[int]:
    """The lines (1-based) where TypeScript source uses `any` outside comments and strings."""
    return [source.count("\n", 0, m.start()) + 1 for m in _TOKEN.finditer(source) if m.group("any")]


def operation_types() -> list[str]:
    """The type names codegen must declare for the contract's operations: `<Name><Kind>` and its `Variables`."""
    names: list[str] = []
    for definition in parse(OPERATIONS.read_text()).definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None:
            kind = definition.operation.value.capitalize()
            names += [f"{definition.name.value}{kind}", f"{definition.name.value}{kind}Variables"]
    return names


def run_node(script: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a package's command with this machine's node, from tests/codegen (codegen.ts's paths are relative)."""
    link = MODULES / ".bin" / script
    if not link.exists():
        pytest.fail(f"tests/codegen/node_modules has no {script}: the install is incomplete; run `{INSTALL}`")
    assert NODE is not None
    # A guard against a hung child, not a timing assertion.
    return subprocess.run(
        [NODE, str(link.resolve()), *args], cwd=CODEGEN, env=env, capture_output=True, text=True, timeout=600
    )


def test_any_types_sees_code_only() -> None:
    source = (
        "/** Holds any value, or 'any' thing. */\n"
        "export type A = { note: 'any' };\n"
        "// any\n"
        "export type B = { value: any; list: Array<any> };\n"
        'const s = "any";\n'
        "export type Company = { many: string };\n"
    )
    assert any_types(source) == [4, 4]


def test_operation_types_follow_the_contract() -> None:
    assert operation_types() == [
        "PermitCategoriesQuery",
        "PermitCategoriesQueryVariables",
        "PlanScenarioQuery",
        "PlanScenarioQueryVariables",
    ]


@needs_node
def test_installed_packages_are_the_locked_ones() -> None:
    """A node_modules older than package.json would check another generator than the one the lock names."""
    wanted: dict[str, str] = json.loads((CODEGEN / "package.json").read_text())["devDependencies"]
    stale = []
    for name, version in sorted(wanted.items()):
        manifest = MODULES / name / "package.json"
        installed = json.loads(manifest.read_text())["version"] if manifest.exists() else "nothing"
        if installed != version:
            stale.append(f"{name}: package.json says {version}, node_modules has {installed}")
    assert not stale, f"tests/codegen/node_modules is stale; run `{INSTALL}`:\n" + "\n".join(stale)


@needs_node
def test_codegen_types_the_contract_operations_without_any(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    env = {**os.environ, "PERMITPATH_CODEGEN_OUT": str(out), "NO_COLOR": "1", "CI": "1"}

    generated = run_node("graphql-codegen", "--config", "codegen.ts", env=env)
    assert generated.returncode == 0, (
        "graphql-codegen failed on schema.graphql and the contract's operations (a new scalar needs a mapping "
        f"in tests/codegen/codegen.ts `scalars`):\n{generated.stdout}\n{generated.stderr}"
    )
    files = {name: (out / name).read_text() for name in ("schema-types.ts", "operations.ts")}
    found = {name: any_types(text) for name, text in files.items() if any_types(text)}
    assert not found, f"generated TypeScript uses `any` (file: lines): {found}"
    declared = set(re.findall(r"^export type (\w+)", files["operations.ts"], re.MULTILINE))
    missing = [name for name in operation_types() if name not in declared]
    assert not missing, f"operations.ts lacks the types of {missing}"

    # tsc checks the generated files together with code that uses them, under the project's tsconfig.
    shutil.copy(CODEGEN / "usage.ts", tmp_path / "usage.ts")
    tsconfig = {"extends": str(CODEGEN / "tsconfig.json"), "include": ["generated/**/*.ts", "usage.ts"]}
    (tmp_path / "tsconfig.json").write_text(json.dumps(tsconfig))
    project = str(tmp_path / "tsconfig.json")
    checked = run_node("tsc", "-p", project, "--noEmit", "--strict", "--pretty", "false", env=env)
    assert checked.returncode == 0, f"tsc refused the generated types:\n{checked.stdout}{checked.stderr}"

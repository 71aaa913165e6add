"""The GraphQL-over-HTTP conformance audit of the npm package `graphql-http` (its `serverAudits`) against the real
`permitpath serve --dev`, as issue 13 ran it by hand: every audit `ok`, at least the 61 of version 1.23.1.

A frontend's GraphQL client assumes what the audit checks (media types, status codes, GET and POST, how a
malformed request is refused), so a change in the view that breaks one of them breaks clients in the field. Node.js
and tests/codegen/node_modules (`npm ci --prefix tests/codegen`) are needed, as for tests/test_codegen.py; without
them the test skips, and fails instead under PERMITPATH_REQUIRE_CODEGEN=1 (CI, where Node.js is installed).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import dev_server
from tests.node_toolchain import CODEGEN, INSTALL, MODULES, NODE, needs_node

SCRIPT = CODEGEN / "audit.mjs"

# graphql-http 1.23.1 runs 61 audits; a newer version may add some, never fewer.
AT_LEAST = 61
# Audits the service fails on purpose, each with the choice named in docs/integrators.md: none today.
DELIBERATE: dict[str, str] = {}

pytestmark = needs_node("the graphql-http audit")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`permitpath serve --dev` on a free port and a fresh SQLite file; yields its /graphql URL once ready."""
    with dev_server(tmp_path) as base:
        yield f"{base}/graphql"


@pytest.fixture
def node() -> str:
    """This machine's node, with graphql-http installed; checked before a server is started for nothing."""
    if NODE is None:
        pytest.fail("PERMITPATH_REQUIRE_CODEGEN=1 but node is not on PATH")
    if not (MODULES / "graphql-http" / "package.json").exists():
        pytest.fail(f"tests/codegen/node_modules has no graphql-http: the install is incomplete; run `{INSTALL}`")
    return NODE


def test_graphql_http_audit_passes_every_audit(node: str, served: str) -> None:
    # A guard against a hung child, not a timing assertion.
    ran = subprocess.run(
        [node, str(SCRIPT), served], cwd=CODEGEN, capture_output=True, text=True, timeout=600, check=False
    )
    assert ran.returncode == 0, f"audit.mjs failed ({ran.returncode}):\n{ran.stdout}\n{ran.stderr}"
    results = [json.loads(line) for line in ran.stdout.splitlines() if line.strip()]

    ids = [result["id"] for result in results]
    assert len(ids) == len(set(ids)), f"audit ids repeat: {sorted(i for i in ids if ids.count(i) > 1)}"
    failing = [
        f"{result['id']} [{result['status']}] {result['name']}: {result['reason']}"
        for result in results
        if result["status"] != "ok" and result["id"] not in DELIBERATE
    ]
    assert not failing, f"{len(failing)} of {len(results)} graphql-http audits are not ok:\n" + "\n".join(failing)
    assert len(results) >= AT_LEAST, f"graphql-http ran {len(results)} audits, expected at least {AT_LEAST}"
    # A deliberate exception that now passes should leave the list (and docs/integrators.md).
    stale = sorted(set(DELIBERATE) & {result["id"] for result in results if result["status"] == "ok"})
    assert not stale, f"audits listed as deliberate failures now pass; drop them from DELIBERATE: {stale}"

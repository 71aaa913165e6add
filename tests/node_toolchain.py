"""The Node.js toolchain of the npm-based checks (tests/test_codegen.py, tests/api/test_graphql_http_audit.py).

Both run this machine's `node` on the packages locked in tests/codegen (installed by `make test` when npm is
present; nothing is downloaded by a test). Without them the checks skip, except under
PERMITPATH_REQUIRE_CODEGEN=1, which CI sets where Node.js is installed: there a missing toolchain fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
CODEGEN = ROOT / "tests" / "codegen"
MODULES = CODEGEN / "node_modules"
NODE = shutil.which("node")
INSTALL = "npm ci --prefix tests/codegen --no-audit --no-fund"


def needs_node(what: str) -> pytest.MarkDecorator:
    """Skips `what` (e.g. "the TypeScript codegen check") without node or tests/codegen/node_modules, unless
    PERMITPATH_REQUIRE_CODEGEN=1 asks that it run (and fail on what is missing)."""
    return pytest.mark.skipif(
        (NODE is None or not MODULES.is_dir()) and os.environ.get("PERMITPATH_REQUIRE_CODEGEN") != "1",
        reason=(
            f"{what} needs Node.js on PATH"
            if NODE is None
            else f"tests/codegen/node_modules is missing: run `{INSTALL}` (make test does when npm is present)"
        ),
    )

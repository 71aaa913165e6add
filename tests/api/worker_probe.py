"""Job and warm-up functions that look inside a solver worker; this module imports nothing of the project, so
what a worker has loaded is what the runner and the solver brought (top level: a worker imports them)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def loaded_modules(payload: Any, emit: Callable[[Any], None]) -> list[str]:
    """Every module the worker process has imported."""
    return sorted(sys.modules)


def main_module(payload: Any, emit: Callable[[Any], None]) -> str | None:
    """The name the worker's main module (`__mp_main__`) was imported by, if any."""
    main = sys.modules.get("__mp_main__")
    spec = getattr(main, "__spec__", None)
    return getattr(spec, "name", None) or getattr(main, "__file__", None)


def wait_for(path: Path) -> None:
    """A warm-up that lasts until `path` exists (the test that holds it decides when the worker is warm)."""
    while not path.exists():
        time.sleep(0.02)

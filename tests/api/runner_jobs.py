"""Job functions for the solve-runner tests (top level, so worker processes can import them)."""

from __future__ import annotations

import os
import time
from typing import Any

from api.solve_runner import Emit


def echo(payload: Any, emit: Emit) -> Any:
    return payload


def count_up(payload: int, emit: Emit) -> int:
    for i in range(payload):
        emit(i)
    return payload


# Longer than any test: a job that sleeps this long keeps its worker busy until the test cancels it or closes
# the runner (both terminate the worker), however slowly the test runs.
BUSY_S = 3600.0


def sleep_then(payload: float, emit: Emit) -> float:
    emit("started")
    time.sleep(payload)
    return payload


def fail(payload: str, emit: Emit) -> None:
    raise ValueError(payload)


def die(payload: None, emit: Emit) -> None:
    os._exit(3)


def pid(payload: None, emit: Emit) -> int:
    return os.getpid()


def niceness(payload: Any, emit: Emit) -> int:
    """The worker process's scheduling niceness."""
    return os.nice(0)


def wait_for_file(payload: str, emit: Emit) -> str:
    """Runs until the file `payload` exists (a gate the test opens)."""
    emit("started")
    while not os.path.exists(payload):
        time.sleep(0.01)
    return payload


def append_line(payload: tuple[str, str], emit: Emit) -> str:
    """Appends a line to a file: with one worker, the file's lines are the order in which jobs ran."""
    path, line = payload
    with open(path, "a") as log:
        log.write(line + "\n")
    return line


def rules_version(payload: Any, emit: Emit) -> str:
    """The rules version the worker process plans with (its rule overrides included)."""
    from solver.rules.registry import load_rules

    return load_rules().version

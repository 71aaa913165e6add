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

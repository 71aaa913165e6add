"""Limits on what a request may carry, checked before anything is parsed or executed.

Request bodies and variables have a size; lists inside variables have a length (offers per scenario or
household, records per person, any other list); a solve has a time limit the client may lower but not
raise past the server's cap. Each refusal names the limit it hit, so a client knows what to change, in the
error contract (`LimitProblem`: the field's path from the variables, e.g. `scenario.offers` or
`options.timeLimitMs`, a `FieldErrorCode` and a message; the view puts it in `extensions.fieldErrors`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    visit,
)
from graphql.language import SKIP, Visitor

from schema.errors import FieldErrorCode, field_error_json
from solver.fields import MAX_CHILDREN, MAX_OFFERS, check_text

# Named list limits by input field (the same names in ScenarioInput and in the household inputs).
LIST_LIMITS: dict[str, tuple[int, str]] = {
    "offers": (MAX_OFFERS, "offers per scenario or household"),
    "education": (20, "education records per person"),
    "languageTests": (20, "language tests per person"),
    "workHistory": (100, "work periods per person"),
    "permitHistory": (50, "held permits per person"),
    "permits": (50, "permits per person"),
    "citizenships": (5, "citizenships per person"),
    "pendingApplications": (20, "pending applications per person"),
    "children": (MAX_CHILDREN, "children per scenario or household"),
}
MAX_LIST_ITEMS = 100  # any other list in the variables
MAX_NESTING = 12  # objects and lists inside each other in the variables
TIME_LIMIT_FIELD = "timeLimitMs"


@dataclass(frozen=True)
class Limits:
    """The request limits of one service (from Settings)."""

    max_body_bytes: int = 2_000_000
    max_variables_bytes: int = 1_500_000
    solve_time_cap_ms: int = 10_000


@dataclass(frozen=True)
class LimitProblem:
    """A limit a request went over, in the error contract: the field's path from the operation's variables
    (or, for a literal, from its argument), a code and a message."""

    path: str
    code: FieldErrorCode
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def field_errors(self) -> list[dict[str, str]]:
        """`extensions.fieldErrors` of the refusal."""
        return [field_error_json(self.path, self.code, self.message)]


def variables_problem(variables: dict[str, Any], raw_size: int, limits: Limits) -> LimitProblem | None:
    """What is wrong with the variables (list lengths first, then size, then the solve time), or None."""
    for path, value, depth in _walk(variables, "", 0):
        if depth > MAX_NESTING:
            return LimitProblem(path, FieldErrorCode.LIMIT, f"nests deeper than {MAX_NESTING} levels")
        if isinstance(value, list):
            if problem := _list_problem(path, len(value)):
                return problem
        elif _is_time_limit(path, value) and value > limits.solve_time_cap_ms:
            return _time_limit_problem(path, value, limits)
        elif isinstance(value, str) and (message := check_text(value)):
            return LimitProblem(path, FieldErrorCode.INVALID_TEXT, message)
    if raw_size > limits.max_variables_bytes:
        # The path names the largest variable: the one to shrink.
        largest = max(variables, key=lambda name: len(json.dumps(variables[name], separators=(",", ":"))))
        message = f"the variables are {raw_size} bytes; the limit is {limits.max_variables_bytes} bytes"
        return LimitProblem(largest, FieldErrorCode.LIMIT, message)
    return None


def document_problem(document: DocumentNode, limits: Limits) -> LimitProblem | None:
    """A literal in the document over a limit (a list too long, a solve time over the cap, text with NUL or
    control characters), or None; its path starts at the argument that holds it."""
    found: list[LimitProblem] = []

    class Arguments(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: object) -> object:
            if not found and (problem := _literal_problem(node.name.value, node.value, limits)):
                found.append(problem)
            return SKIP

    visit(document, Arguments())
    return found[0] if found else None


def _literal_problem(path: str, value: ValueNode, limits: Limits) -> LimitProblem | None:
    """The first limit the literal `value` at `path` goes over, or None."""
    name = path.rsplit(".", 1)[-1]
    if isinstance(value, StringValueNode) and (message := check_text(value.value)):
        return LimitProblem(path, FieldErrorCode.INVALID_TEXT, message)
    if isinstance(value, IntValueNode) and name == TIME_LIMIT_FIELD and int(value.value) > limits.solve_time_cap_ms:
        return _time_limit_problem(path, int(value.value), limits)
    if isinstance(value, ListValueNode):
        if problem := _list_problem(path, len(value.values)):
            return problem
        for i, item in enumerate(value.values):
            if problem := _literal_problem(f"{path}[{i}]", item, limits):
                return problem
    if isinstance(value, ObjectValueNode):
        for field in value.fields:
            if problem := _literal_problem(f"{path}.{field.name.value}", field.value, limits):
                return problem
    return None


def _list_problem(path: str, length: int) -> LimitProblem | None:
    name = path.rsplit(".", 1)[-1]
    limit, what = LIST_LIMITS.get(name, (MAX_LIST_ITEMS, "items per list"))
    if length > limit:
        return LimitProblem(path, FieldErrorCode.TOO_MANY, f"{length} items; the limit is {limit} {what}")
    return None


def _is_time_limit(path: str, value: object) -> bool:
    return (
        path.rsplit(".", 1)[-1] == TIME_LIMIT_FIELD and isinstance(value, int | float) and not isinstance(value, bool)
    )


def _time_limit_problem(path: str, value: float, limits: Limits) -> LimitProblem:
    cap = limits.solve_time_cap_ms
    message = f"{value:g} ms is over this server's cap of {cap} ms per solve (ask for {cap} or less)"
    return LimitProblem(path, FieldErrorCode.LIMIT, message)


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, Any, int]]:
    """Every value in nested JSON with its path; a list is yielded before its items."""
    yield path, value, depth
    if depth > MAX_NESTING:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(value, list):
        name = path
        for i, item in enumerate(value[: MAX_LIST_ITEMS + 1]):
            yield from _walk(item, f"{name}[{i}]", depth + 1)

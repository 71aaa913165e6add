"""Limits on what a request may carry, checked before anything is parsed or executed.

Request bodies and variables have a size; lists inside variables have a length (offers per scenario or
household, records per person, any other list); a solve has a time limit the client may lower but not
raise past the server's cap. Each refusal names the limit it hit, so a client knows what to change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    IntValueNode,
    ListValueNode,
    Node,
    ObjectFieldNode,
    StringValueNode,
    ValueNode,
    visit,
)
from graphql.language import Visitor

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


def variables_problem(variables: dict[str, Any], raw_size: int, limits: Limits) -> str | None:
    """What is wrong with the variables (list lengths first, then size, then the solve time), or None."""
    for path, value, depth in _walk(variables, "variables", 0):
        if depth > MAX_NESTING:
            return f"{path}: variables nest deeper than {MAX_NESTING} levels"
        if isinstance(value, list):
            name = path.rsplit(".", 1)[-1]
            limit, what = LIST_LIMITS.get(name, (MAX_LIST_ITEMS, "items per list"))
            if len(value) > limit:
                return f"{path} has {len(value)} items; the limit is {limit} {what}"
        elif _is_time_limit(path, value) and value > limits.solve_time_cap_ms:
            return _time_limit_message(path, value, limits)
        elif isinstance(value, str) and (message := check_text(value)):
            return f"{path} {message}"
    if raw_size > limits.max_variables_bytes:
        return f"the variables are {raw_size} bytes; the limit is {limits.max_variables_bytes} bytes"
    return None


def document_problem(document: DocumentNode, limits: Limits) -> str | None:
    """A literal in the document over a limit (a list too long, a solve time over the cap, text with NUL or
    control characters), or None."""
    found: list[str] = []

    class Literals(Visitor):
        def enter_string_value(
            self, node: StringValueNode, _key: object, parent: Node, _path: object, ancestors: list[Node]
        ) -> None:
            if not found and (message := check_text(node.value)):
                names = [a.name.value for a in (*ancestors, parent) if isinstance(a, ArgumentNode | ObjectFieldNode)]
                found.append(f"{'.'.join(names) or 'a string literal'} {message}")

        def enter_object_field(self, node: ObjectFieldNode, *_: object) -> None:
            self.check(node.name.value, node.value)

        def enter_argument(self, node: ArgumentNode, *_: object) -> None:
            self.check(node.name.value, node.value)

        def check(self, name: str, value: ValueNode) -> None:
            if found:
                return
            if isinstance(value, ListValueNode):
                limit, what = LIST_LIMITS.get(name, (MAX_LIST_ITEMS, "items per list"))
                if len(value.values) > limit:
                    found.append(f"{name} has {len(value.values)} items; the limit is {limit} {what}")
            elif isinstance(value, IntValueNode) and name == TIME_LIMIT_FIELD:
                requested = int(value.value)
                if requested > limits.solve_time_cap_ms:
                    found.append(_time_limit_message(TIME_LIMIT_FIELD, requested, limits))

    visit(document, Literals())
    return found[0] if found else None


def _is_time_limit(path: str, value: object) -> bool:
    return path.endswith(f".{TIME_LIMIT_FIELD}") and isinstance(value, int | float) and not isinstance(value, bool)


def _time_limit_message(path: str, value: float, limits: Limits) -> str:
    cap = limits.solve_time_cap_ms
    return f"{path} is {value:g} ms; this server caps a solve at {cap} ms (ask for {cap} or less)"


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, Any, int]]:
    """Every value in nested JSON with its path; a list is yielded before its items."""
    yield path, value, depth
    if depth > MAX_NESTING:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        name = path
        for i, item in enumerate(value[: MAX_LIST_ITEMS + 1]):
            yield from _walk(item, f"{name}[{i}]", depth + 1)

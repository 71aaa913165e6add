"""Domain values from any object that holds the domain's facts under the domain's names: a GraphQL input, a row.

`solver.domain`'s dataclasses are the one description of a household. A layer that keeps the same facts
under the same field names (the GraphQL inputs of `schema/planning.py`, the stored rows `db/scenario.py`
reads) maps onto them with `assemble`, which walks the domain's fields, so no such mapping names a field
of its own and a field added to the domain reaches every one of them (`tests/test_household_fields.py`
checks that each layer has it). An explicit null for a field that is not optional is refused (`NullFields`),
not taken as the default: a client that sends null for `pgwpEligibleDli` is told so, not planned as false.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from typing import Any, ClassVar, Protocol, TypeVar

from solver.domain import FieldError


class _Dataclass(Protocol):
    """Any dataclass (what `dataclasses.fields` takes)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]


D = TypeVar("D", bound=_Dataclass)


class NullFields(ValueError):
    """Explicit nulls for fields that are not optional, each a FieldError named by its contract path."""

    def __init__(self, errors: tuple[FieldError, ...]) -> None:
        super().__init__("; ".join(f"{e.path}: {e.message}" for e in errors))
        self.errors = errors


def assemble(cls: type[D], source: object, **given: Any) -> D:
    """A `cls` whose fields are `source`'s attributes of the same names, except those `given` here.

    A nested dataclass, and each item of a tuple of them, is assembled alike from the attribute's value.
    None for a field that is not optional (GraphQL's explicit null for an input field that has a default)
    is refused: `NullFields` names every such field by its contract path (`principal.education[0].fullTime`).
    A field that `source` lacks is an AttributeError: a layer that forgot a field fails, it does not plan
    without it.
    """
    nulls: list[FieldError] = []
    built = _assemble(cls, source, "", nulls, given)
    if built is None:
        raise NullFields(tuple(nulls))
    return built


def null_message(default: object) -> str:
    """What an explicit null for a field whose default is `default` is told (the default as JSON writes it)."""
    return f"must not be null; omit it to use the default ({_json(default)})"


def _json(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_json(v) for v in value) + "]"
    if isinstance(value, enum.Enum):
        return _json(value.value)
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def _assemble(cls: type[D], source: object, path: str, nulls: list[FieldError], given: dict[str, Any]) -> D | None:
    """The `cls`, or None when a null was refused in it (added to `nulls`; the walk goes on to find them all)."""
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in given:
            values[f.name] = given[f.name]
            continue
        raw = getattr(source, f.name)
        hint = hints[f.name]
        where = f"{path}.{_camel(f.name)}" if path else _camel(f.name)
        if raw is None and not _optional(hint):
            default = f.default if f.default is not dataclasses.MISSING else None
            nulls.append(FieldError(where, null_message(default) if default is not None else "must not be null"))
            continue
        values[f.name] = _value(raw, hint, where, nulls)
    return None if nulls else cls(**values)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _optional(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)


def _value(raw: Any, hint: Any, path: str, nulls: list[FieldError]) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = (arg for arg in typing.get_args(hint) if arg is not type(None))  # the domain's are `X | None`
        return _value(raw, inner, path, nulls)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_value(v, item, f"{path}[{i}]", nulls) for i, v in enumerate(raw))
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return _assemble(hint, raw, path, nulls, {})
        if issubclass(hint, enum.Enum):
            return hint(raw)
        if hint is float:
            # An integer sent for a float (40 hours) is the float the JSON reader makes of it: plan keys hash it.
            return float(raw)
    return raw

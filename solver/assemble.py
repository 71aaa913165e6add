"""Domain values from any object that holds the domain's facts under the domain's names: a GraphQL input, a row.

`solver.domain`'s dataclasses are the one description of a household. A layer that keeps the same facts
under the same field names (the GraphQL inputs of `schema/planning.py`, the stored rows `db/scenario.py`
reads) maps onto them with `assemble`, which walks the domain's fields, so no such mapping names a field
of its own and a field added to the domain reaches every one of them (`tests/test_household_fields.py`
checks that each layer has it).
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from typing import Any, ClassVar, Protocol, TypeVar


class _Dataclass(Protocol):
    """Any dataclass (what `dataclasses.fields` takes)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]


D = TypeVar("D", bound=_Dataclass)


def assemble(cls: type[D], source: object, **given: Any) -> D:
    """A `cls` whose fields are `source`'s attributes of the same names, except those `given` here.

    A nested dataclass, and each item of a tuple of them, is assembled alike from the attribute's value.
    None for a field that is not optional leaves the field's default (GraphQL's explicit null for an input
    field that has a default). A field that `source` lacks is an AttributeError: a layer that forgot a
    field fails, it does not plan without it.
    """
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in given:
            values[f.name] = given[f.name]
            continue
        raw = getattr(source, f.name)
        hint = hints[f.name]
        if raw is None and not _optional(hint):
            continue
        values[f.name] = _value(raw, hint)
    return cls(**values)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _optional(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)


def _value(raw: Any, hint: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = (arg for arg in typing.get_args(hint) if arg is not type(None))  # the domain's are `X | None`
        return _value(raw, inner)
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_value(v, item) for v in raw)
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return assemble(hint, raw)
        if issubclass(hint, enum.Enum):
            return hint(raw)
        if hint is float:
            # An integer sent for a float (40 hours) is the float the JSON reader makes of it: plan keys hash it.
            return float(raw)
    return raw

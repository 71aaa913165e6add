"""The registry of permit category families: one module per family in this package, found by name.

Each module `solver/categories/<family>.py` defines `FAMILY`; each catalog entry names its family
(`family = "..."` in `solver/data/catalog.toml`). The modules are imported on first use, not when this package
is, so a family may use the planner's, the model's and the validator's types without an import cycle.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

from solver.categories.base import Family
from solver.rules import catalog


class UnknownCategory(ValueError):
    """A code that no catalog entry (current or a pre-2022 alias with one successor) names."""


# Modules of this package that families share, not families themselves.
SHARED = frozenset({"base", "offers"})


@functools.cache
def _families() -> dict[str, Family]:
    found: dict[str, Family] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in SHARED:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        family = getattr(module, "FAMILY", None)
        if not isinstance(family, Family):
            raise TypeError(f"solver/categories/{info.name}.py defines no FAMILY (a Family instance)")
        if family.name in found:
            raise TypeError(f"two modules define the family {family.name!r}")
        found[family.name] = family
    missing = sorted(set(catalog.family_names()) - set(found))
    if missing:
        raise TypeError(f"catalog families without a module in solver/categories: {', '.join(missing)}")
    return found


def families() -> tuple[Family, ...]:
    """Every family, in planning order (stage, then name)."""
    return tuple(sorted(_families().values(), key=lambda f: (f.stage, f.name)))


def family_named(name: str) -> Family:
    """The family called `name`; UnknownCategory when no module defines it."""
    try:
        return _families()[name]
    except KeyError:
        raise UnknownCategory(f"no category family {name!r}; known: {', '.join(sorted(_families()))}") from None


def family_of(code: str) -> Family:
    """The family of the category `code` (a current code, or a pre-2022 alias with one successor)."""
    name = catalog.family_of(code)
    if name is None:
        raise UnknownCategory(f"no permit category {code!r}; known codes: {', '.join(catalog.codes())}")
    return family_named(name)


__all__ = ["Family", "UnknownCategory", "families", "family_named", "family_of"]

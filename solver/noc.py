"""NOC 2021 unit groups: the 516 of NOC 2021 Version 1.0 (`solver/data/noc2021.csv`, its source beside it).

A code is valid only when it is one of them; its TEER comes from the data (it is the code's second digit,
which `tests/solver/test_noc.py` checks row by row). The first digit is the broad occupational category.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

NOC_FILE = Path(__file__).parent / "data" / "noc2021.csv"


@dataclass(frozen=True)
class UnitGroup:
    """One NOC 2021 unit group."""

    code: str
    title: str
    teer: int


def _load(path: Path) -> MappingProxyType[str, UnitGroup]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = [UnitGroup(row["code"], row["title"], int(row["teer"])) for row in csv.DictReader(f)]
    return MappingProxyType({group.code: group for group in rows})


UNIT_GROUPS = _load(NOC_FILE)


def is_valid(code: str) -> bool:
    """True for one of the 516 unit groups of NOC 2021."""
    return code in UNIT_GROUPS


def unit_group(code: str) -> UnitGroup:
    """The NOC 2021 unit group `code`; a ValueError for any other code."""
    group = UNIT_GROUPS.get(code)
    if group is None:
        raise ValueError(f"{code!r} is not a NOC 2021 unit group")
    return group


def teer(code: str) -> int:
    """The TEER of a NOC 2021 unit group (from the data)."""
    return unit_group(code).teer


def title(code: str) -> str:
    """The English class title of a NOC 2021 unit group."""
    return unit_group(code).title


def is_skilled(code: str) -> bool:
    """TEER 0-3: the experience that counts for the Canadian Experience Class."""
    return teer(code) <= 3


def major_group(code: str) -> str:
    """The first two digits of a unit group: broad category and TEER (e.g. '22' for 22310)."""
    unit_group(code)  # validates
    return code[:2]


def is_senior_management(code: str) -> bool:
    """NOC 2021 major group 00 (legislators and senior management), as CRS arranged employment counts it."""
    return major_group(code) == "00"

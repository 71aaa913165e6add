"""NOC 2021 codes: five digits; the first is the broad category, the second the TEER."""

from __future__ import annotations

import re

_NOC = re.compile(r"^[0-9][0-5][0-9]{3}$")


def is_valid(code: str) -> bool:
    """True for a five-digit NOC 2021 code whose second digit is a TEER (0-5)."""
    return bool(_NOC.match(code))


def teer(code: str) -> int:
    """The TEER of a valid NOC 2021 code (its second digit)."""
    if not is_valid(code):
        raise ValueError(f"not a NOC 2021 code: {code!r} (five digits, the second 0-5)")
    return int(code[1])


def is_skilled(code: str) -> bool:
    """TEER 0-3: the experience that counts for the Canadian Experience Class."""
    return teer(code) <= 3


def major_group(code: str) -> str:
    """The first two digits of a valid code: broad category and TEER (e.g. '22' for 22310)."""
    teer(code)  # validates
    return code[:2]


def is_senior_management(code: str) -> bool:
    """NOC 2021 major group 00 (legislators and senior management), as CRS arranged employment counts it."""
    return major_group(code) == "00"

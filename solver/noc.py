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

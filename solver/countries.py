"""ISO 3166-1 alpha-2 country codes (the list ships as data in countries.txt)."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.cache
def country_names() -> dict[str, str]:
    """Code -> English short name for every ISO 3166-1 alpha-2 code."""
    out: dict[str, str] = {}
    for line in (Path(__file__).parent / "countries.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            code, name = line.split(" ", 1)
            out[code] = name
    return out


def is_country(code: str) -> bool:
    """True for an assigned ISO 3166-1 alpha-2 code (upper case, e.g. 'IN', 'FR')."""
    return code in country_names()

"""NOC 2021 codes: validity and TEER."""

from __future__ import annotations

import pytest

from solver import noc


@pytest.mark.parametrize(
    ("code", "valid", "teer", "skilled"),
    [
        pytest.param("21232", True, 1, True, id="software developers: TEER 1"),
        pytest.param("20012", True, 0, True, id="IT managers: TEER 0"),
        pytest.param("22310", True, 2, True, id="electrical technologists: TEER 2"),
        pytest.param("33102", True, 3, True, id="nurse aides: TEER 3"),
        pytest.param("64100", True, 4, False, id="retail salespersons: TEER 4"),
        pytest.param("85100", True, 5, False, id="livestock labourers: TEER 5"),
    ],
)
def test_teer_from_code(code: str, valid: bool, teer: int, skilled: bool) -> None:
    assert noc.is_valid(code) is valid
    assert noc.teer(code) == teer
    assert noc.is_skilled(code) is skilled


@pytest.mark.parametrize("code", ["2123", "212320", "26000", "ABCDE", "", "0011 "], ids=str)
def test_invalid_codes(code: str) -> None:
    assert not noc.is_valid(code)
    with pytest.raises(ValueError, match="not a NOC 2021 code"):
        noc.teer(code)


@pytest.mark.parametrize(
    ("code", "group", "senior"),
    [("00012", "00", True), ("10010", "10", False), ("22310", "22", False)],
    ids=["senior managers: major group 00", "TEER 0 but not group 00", "TEER 2"],
)
def test_major_group(code: str, group: str, senior: bool) -> None:
    assert noc.major_group(code) == group
    assert noc.is_senior_management(code) is senior

"""NOC 2021 unit groups: the shipped data, validity and TEER."""

from __future__ import annotations

import collections
import csv
import re

import pytest

from solver import noc
from solver.fields import check_noc


def test_the_data_is_the_516_unit_groups() -> None:
    with noc.NOC_FILE.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 516
    assert len({r["code"] for r in rows}) == 516
    assert len({r["title"] for r in rows}) == 516
    assert all(re.fullmatch(r"[0-9]{5}", r["code"]) for r in rows)
    by_teer = collections.Counter(int(r["teer"]) for r in rows)
    assert dict(sorted(by_teer.items())) == {0: 48, 1: 97, 2: 162, 3: 69, 4: 95, 5: 45}
    assert len(noc.UNIT_GROUPS) == 516


def test_teer_is_the_second_digit_on_every_row() -> None:
    assert [g.code for g in noc.UNIT_GROUPS.values() if g.teer != int(g.code[1])] == []


def test_the_source_is_shipped_beside_the_data() -> None:
    source = noc.NOC_FILE.with_suffix(".md").read_text()
    assert "Statistics Canada" in source
    assert "1feee3b5-8068-4dbb-b361-180875837593" in source


@pytest.mark.parametrize(
    ("code", "teer", "skilled"),
    [
        pytest.param("21232", 1, True, id="software developers: TEER 1"),
        pytest.param("20012", 0, True, id="IT managers: TEER 0"),
        pytest.param("22310", 2, True, id="electrical technologists: TEER 2"),
        pytest.param("33102", 3, True, id="nurse aides: TEER 3"),
        pytest.param("64100", 4, False, id="retail salespersons: TEER 4"),
        pytest.param("85100", 5, False, id="livestock labourers: TEER 5"),
    ],
)
def test_teer_from_data(code: str, teer: int, skilled: bool) -> None:
    assert noc.is_valid(code)
    assert noc.teer(code) == teer
    assert noc.is_skilled(code) is skilled


def test_title() -> None:
    assert noc.title("21231") == "Software engineers and designers"


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("21999", id="the shape of TEER 1 but no such unit group"),
        pytest.param("00018", id="00 codes end at 00015"),
        pytest.param("26000", id="second digit 6 is no TEER"),
        pytest.param("99999", id="no broad category 9 unit group 99999"),
        pytest.param("2123", id="NOC 2016 four digits"),
        pytest.param("212320", id="six digits"),
        pytest.param("ABCDE", id="letters"),
        pytest.param("", id="empty"),
        pytest.param("21231 ", id="trailing space"),
    ],
)
def test_codes_that_are_not_unit_groups(code: str) -> None:
    assert not noc.is_valid(code)
    with pytest.raises(ValueError, match="not a NOC 2021 unit group"):
        noc.teer(code)
    assert f"{code!r} is not a NOC 2021 unit group; allowed: one of the 516 unit groups" in (check_noc(code) or "")


def test_a_noc_2016_code_is_named_as_such() -> None:
    assert (check_noc("2123") or "").endswith("; a four-digit code is NOC 2016, which IRCC no longer uses")
    assert check_noc("21231") is None


@pytest.mark.parametrize(
    ("code", "group", "senior"),
    [("00012", "00", True), ("10010", "10", False), ("22310", "22", False)],
    ids=["senior managers: major group 00", "TEER 0 but not group 00", "TEER 2"],
)
def test_major_group(code: str, group: str, senior: bool) -> None:
    assert noc.major_group(code) == group
    assert noc.is_senior_management(code) is senior


def test_every_noc_code_in_the_rule_parameters_is_a_unit_group() -> None:
    params = noc.NOC_FILE.parents[1] / "rules" / "params"
    quoted = {m for path in params.glob("*.toml") for m in re.findall(r'"([0-9]{5})"', path.read_text())}
    assert len(quoted) > 50
    assert sorted(quoted - set(noc.UNIT_GROUPS)) == []

"""A firm's rule files layered over the shipped ones (registry.load_rules_from(..., overrides)): newer versions
win from their effective date, they are checked like the shipped ones, and they change rulesVersion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from solver.rules import express_entry
from solver.rules.registry import PARAMS_DIR, RuleError, load_rules, load_rules_from, overrides_dir, use_overrides

# A CEC draw after the shipped ones, as a firm would add it (values invented for the test).
NEWER_DRAWS = """
[[rule]]
id = "EE.cutoff"
title = "Cut-offs with the firm's newer draws"
trigger = "score date"
source = "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-instructions-agreements/ministerial-instructions/express-entry-rounds.html"
confidence = "H"
[[rule.version]]
effective = 2026-03-01
params = { draw_types = ["CEC", "PNP", "GENERAL"], draws = [
  { date = 2026-01-07, type = "CEC", score = 511, invitations = 8000 },
  { date = 2026-02-25, type = "CEC", score = 498, invitations = 6000 },
] }
"""


def _layered(tmp_path: Path, text: str, name: str = "firm.toml") -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path


def test_a_newer_version_wins_from_its_effective_date(tmp_path: Path) -> None:
    rules = load_rules_from(PARAMS_DIR, _layered(tmp_path, NEWER_DRAWS))
    after = dt.date(2026, 6, 1)
    assert express_entry.latest_cutoff(after, rules).score == 498  # type: ignore[union-attr]
    assert rules.rule("EE.cutoff").source.startswith("https://www.canada.ca/")
    # Before it, the shipped version still answers, now ending where the firm's begins.
    before = dt.date(2026, 2, 1)
    assert express_entry.latest_cutoff(before, rules).score == 511  # type: ignore[union-attr]
    shipped = rules.rule("EE.cutoff").versions[0]
    assert (shipped.effective, shipped.ends) == (dt.date(2025, 2, 27), dt.date(2026, 3, 1))


def test_the_overrides_are_part_of_the_rules_version(tmp_path: Path) -> None:
    shipped = load_rules_from(PARAMS_DIR)
    layered = load_rules_from(PARAMS_DIR, _layered(tmp_path, NEWER_DRAWS))
    assert shipped.version != layered.version
    assert layered.version.startswith("2026-03-01+")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(NEWER_DRAWS.replace("EE.cutoff", "EE.nothing"), "no shipped rule", id="unknown id"),
        pytest.param(NEWER_DRAWS.replace('confidence = "H"', 'confidence = "X"'), "confidence", id="confidence"),
        pytest.param(NEWER_DRAWS.replace("draw_types =", "types ="), "parameters missing", id="renamed param"),
        pytest.param(
            NEWER_DRAWS.replace("[[rule.version]]", "[[rule.version]]\nends = 2026-05-01", 1)
            + "[[rule.version]]\neffective = 2026-04-01\nparams = { draw_types = [], draws = [] }\n",
            "overlap",
            id="overlapping versions",
        ),
        pytest.param("[[rule\n", "override/firm.toml", id="not TOML"),
    ],
)
def test_a_bad_override_is_refused_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        load_rules_from(PARAMS_DIR, _layered(tmp_path, text))


def test_use_overrides_applies_to_load_rules_and_a_bad_directory_leaves_the_shipped_rules(tmp_path: Path) -> None:
    shipped = load_rules().version
    try:
        assert use_overrides(_layered(tmp_path, NEWER_DRAWS)).version != shipped
        assert load_rules().version != shipped and overrides_dir() == tmp_path
        with pytest.raises(RuleError, match="not a directory"):
            use_overrides(tmp_path / "missing")
        assert overrides_dir() is None and load_rules().version == shipped
    finally:
        use_overrides(None)
    assert load_rules().version == shipped

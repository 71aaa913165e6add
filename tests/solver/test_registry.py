"""The rule set: every id cited in code or docs exists with a source; versions are well formed."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest

from solver.rules.registry import RuleError, load_rules, load_rules_from

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules()
# A quoted rule id: PROGRAM.name, as code writes it ("C43.language", "FEES.work_permit", ...).
QUOTED_ID = re.compile(r"""["']([A-Z][A-Z0-9]{1,11}\.[a-z][a-z0-9_]+)["']""")
# Finding ids about a plan's own structure (docs/rule-ids.md, "Plan-structure ids"): not rules, no source.
STRUCTURE_NAMESPACES = ("PLAN.", "JOB.")
# Quoted file names look like ids ("FILE.json"); a rule's second segment is never a file extension.
FILE_EXTENSIONS = frozenset({"json", "toml", "py", "md", "graphql", "csv", "txt", "db"})


def _cited_ids() -> set[str]:
    cited: set[str] = set()
    for folder in ("solver", "schema", "api", "db"):
        for path in (ROOT / folder).rglob("*.py"):
            cited.update(
                m.group(1)
                for m in QUOTED_ID.finditer(path.read_text())
                if not m.group(1).startswith(STRUCTURE_NAMESPACES)
                and m.group(1).split(".", 1)[1] not in FILE_EXTENSIONS
            )
    return cited


def _documented_ids() -> set[str]:
    text = (ROOT / "docs" / "rule-ids.md").read_text()
    return set(re.findall(r"`([A-Z][A-Z0-9]{1,11}\.[a-z][a-z0-9_]+)`", text))


def test_every_quoted_rule_id_in_code_exists() -> None:
    cited = _cited_ids()
    assert len(cited) > 40
    assert sorted(i for i in cited if i not in RULES) == []


def test_every_documented_rule_id_exists() -> None:
    assert sorted(i for i in _documented_ids() if i not in RULES) == []


def test_every_rule_is_documented() -> None:
    assert sorted(i for i in RULES.rules if i not in _documented_ids()) == []


@pytest.mark.parametrize("rule_id", sorted(RULES.rules))
def test_rule_has_source_and_confidence(rule_id: str) -> None:
    rule = RULES.rule(rule_id)
    assert rule.source.startswith(("https://", "http://"))
    assert rule.confidence in ("H", "M", "L")
    assert rule.title and rule.trigger


@pytest.mark.parametrize("rule_id", sorted(RULES.rules))
def test_versions_do_not_overlap(rule_id: str) -> None:
    versions = RULES.rule(rule_id).versions
    for earlier, later in itertools.pairwise(versions):
        assert earlier.ends is not None and earlier.ends <= later.effective
    for v in versions:
        assert v.ends is None or v.effective < v.ends


@pytest.mark.parametrize(
    ("rule_id", "name", "on", "value"),
    [
        pytest.param("C43.language", "college_degree_clb", "2025-03-10", 5, id="college degree CLB 5 the day before"),
        pytest.param("C43.language", "college_degree_clb", "2025-03-11", 7, id="college degree CLB 7 from 2025-03-11"),
        pytest.param("C41.principal_validity", "months", "2025-01-20", 6, id="6 months the day before"),
        pytest.param("C41.principal_validity", "months", "2025-01-21", 16, id="16 months from 2025-01-21"),
        pytest.param("CRS.arranged_employment", "other", "2025-03-24", 50, id="50 points the day before"),
        pytest.param("CRS.arranged_employment", "other", "2025-03-25", 0, id="0 from 2025-03-25"),
        pytest.param("A75.validity", "months", "2026-01-01", 24, id="BOWP 24 months (addendum)"),
        pytest.param("FEES.iec", "participation", "2025-11-30", 179.75, id="IEC fee before Dec 2025"),
        pytest.param("FEES.iec", "participation", "2025-12-01", 184.75, id="IEC fee from Dec 2025"),
    ],
)
def test_param_on_date(rule_id: str, name: str, on: str, value: object) -> None:
    assert RULES.param(rule_id, name, dt.date.fromisoformat(on)) == value


def test_rule_not_in_force_before_it_starts() -> None:
    assert not RULES.in_force("C43.language", dt.date(2024, 10, 31))
    assert RULES.in_force("C43.language", dt.date(2024, 11, 1))
    with pytest.raises(RuleError, match="not in force"):
        RULES.param("C43.language", "university_clb", dt.date(2024, 10, 31))


def test_unknown_id_and_param_are_errors() -> None:
    with pytest.raises(RuleError, match="unknown rule id"):
        RULES.rule("C99.nothing")
    with pytest.raises(RuleError, match="has no parameter"):
        RULES.param("C43.application_window", "weeks", dt.date(2026, 1, 1))


def test_version_names_newest_date_and_hash() -> None:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\+[0-9a-f]{12}", RULES.version)


def test_malformed_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        '[[rule]]\nid = "X.y"\ntitle = "t"\ntrigger = "t"\nsource = "s"\nconfidence = "Q"\n'
    )
    with pytest.raises(RuleError, match="confidence"):
        load_rules_from(tmp_path)


def _doc_rows() -> list[tuple[list[str], list[str]]]:
    rows = []
    for line in (ROOT / "docs" / "rule-ids.md").read_text().splitlines():
        cells = line.split("|")
        if len(cells) < 4 or not cells[1].strip().startswith("`"):
            continue
        ids = re.findall(r"`([A-Z][A-Z0-9]{1,11}\.[a-z][a-z0-9_]+)`", cells[1])
        names = re.findall(r"`([a-z][a-z0-9_]*)`", cells[2])
        if ids:
            rows.append((ids, names))
    return rows


def test_documented_parameter_names_exist() -> None:
    wrong = []
    for ids, names in _doc_rows():
        known = {k for i in ids for v in RULES.rule(i).versions for k in v.params}
        wrong += [f"{'/'.join(ids)}.{n}" for n in names if n not in known]
    assert wrong == []

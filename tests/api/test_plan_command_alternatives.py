"""`permitpath plan FILE.json --alternatives N` as a subprocess: strategies side by side, as JSON, and N refused
outside 1..5 naming the flag."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.test_plan_command import run

FIXTURES = Path(__file__).parent.parent / "fixtures" / "alternatives"


def _file(tmp_path: Path, name: str) -> Path:
    """The scenario file of a golden household with known alternatives."""
    doc = json.loads((FIXTURES / f"{name}.json").read_text())
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"scenario": doc["scenario"], "options": {"timeLimitMs": 5000}}))
    return path


def test_alternatives_print_side_by_side(tmp_path: Path) -> None:
    done = run(str(_file(tmp_path, "a02-pgwp-a75-vs-lmia-bridge")), "--alternatives", "3")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["#1", "#2"]
    assert lines[1].split() == ["PR", "ready", "2028-01-03", "2028-01-03"]
    assert lines[4].split() == ["fees", "(employer)", "$0.00", "$1,000.00"]
    assert "#1 Best plan: the principal leads PR (CEC)" in lines
    assert "#2 LMIA permit instead of A75 for the principal (offer shop)" in lines


def test_alternatives_json_is_what_plan_alternatives_returns(tmp_path: Path) -> None:
    done = run("--json", str(_file(tmp_path, "a03-pnp-vs-cec")), "--alternatives", "3")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["requested"] == 3
    found = answer["alternatives"]
    assert [a["rank"] for a in found] == list(range(1, len(found) + 1))
    assert found[0]["label"] == "Best plan: the principal leads PR (PNP)"
    routes = [(a["strategy"]["prApplicant"], a["strategy"]["prProgram"]) for a in found]
    assert ("PRINCIPAL", "PNP") in routes and ("PRINCIPAL", "CEC") in routes
    for a in found:
        assert a["tradeOffs"]["prReadyDate"] == a["plan"]["prReadyDate"]
        assert a["tradeOffs"]["riskCount"] == len(a["tradeOffs"]["risks"])
        assert "deadlines" in a["plan"]


def test_alternatives_outside_1_to_5_exit_2_naming_the_flag(tmp_path: Path) -> None:
    path = str(_file(tmp_path, "a03-pnp-vs-cec"))
    done = run(path, "--alternatives", "6")
    assert done.returncode == 2
    assert done.stderr == "invalid scenario:\n  --alternatives: must be between 1 and 5 (got 6)\n"
    refused = json.loads(run("--json", path, "--alternatives", "0").stdout)
    assert refused["errors"][0]["path"] == "--alternatives"


def test_alternatives_and_compare_are_one_or_the_other(tmp_path: Path) -> None:
    path = str(_file(tmp_path, "a03-pnp-vs-cec"))
    done = run(path, "--alternatives", "2", "--compare", path)
    assert done.returncode == 2
    assert "not allowed with argument" in done.stderr

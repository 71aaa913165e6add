"""`permitpath plan FILE.json [--json] [--rules-as-of DATE]` as a subprocess, as a person would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from solver.rules import catalog
from tests.solver.test_solve_public import FILES, expectation_failures, load

PERMITPATH = Path(sys.executable).parent / "permitpath"

# The catalog's current codes (an added category extends the list), TFWP aside: an offer names no code for it.
ALLOWED_CODES = ", ".join(code for code in catalog.codes() if code != catalog.TFWP_CODE)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """`permitpath plan ARGS` in reproducible mode: the plan must not depend on how loaded the machine is."""
    env = {**os.environ, "PERMITPATH_REPRODUCIBLE": "1"}
    return subprocess.run(
        [str(PERMITPATH), "plan", *args], capture_output=True, text=True, timeout=600, check=False, env=env
    )


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_plan_json_answers_each_public_scenario(path: Path) -> None:
    case = load(path)
    done = run("--json", str(path))
    assert done.returncode == (2 if case["expect"]["typename"] == "InvalidScenario" else 0), done.stderr
    assert expectation_failures(json.loads(done.stdout), case["expect"]) == []


def test_plan_timeline_reads_as_dated_steps() -> None:
    done = run(str(FILES[0]))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "PR ready 2028-01-03 (CEC, principal applies)   [OPTIMAL]"
    assert lines[2].startswith("2026-12-01  principal  apply for the Post-graduation work permit (C43) on 2026-12-01")
    assert "2028-02-02  principal  submit the PR application (CEC)" in done.stdout


def test_plan_timeline_shows_the_deadlines_among_the_steps_in_date_order() -> None:
    done = run(str(FILES[0]))
    assert done.returncode == 0, done.stderr
    dated = [line[:10] for line in done.stdout.splitlines() if line[:4].isdigit()]
    assert dated == sorted(dated)
    deadlines = [line for line in done.stdout.splitlines() if "  DEADLINE " in line]
    assert deadlines[:2] == [
        "2027-02-18  principal  DEADLINE apply for the Post-graduation work permit (C43) by 2027-02-18, the last day "
        "of status, to keep it",
        "2027-05-19  principal  DEADLINE the application window for the C43 (program completed 2026-11-20) closes on "
        "2027-05-19",
    ]
    assert "rule: STATUS.maintained (for the step of 2026-12-01)" in done.stdout


def test_plan_json_includes_the_deadlines() -> None:
    done = run("--json", str(FILES[0]))
    assert done.returncode == 0, done.stderr
    deadlines = json.loads(done.stdout)["deadlines"]
    assert deadlines[0] == {
        "person": "PRINCIPAL",
        "kind": "APPLY_TO_KEEP_STATUS",
        "date": "2027-02-18",
        "ruleId": "STATUS.maintained",
        "message": "apply for the Post-graduation work permit (C43) by 2027-02-18, the last day of status, to keep it",
        "stepDate": "2026-12-01",
        "stepAction": "APPLY_PERMIT",
        "stepCode": "C43",
    }
    assert [d["kind"] for d in deadlines] == [
        "APPLY_TO_KEEP_STATUS",
        "WINDOW_CLOSES",
        "ITA_ACCEPTANCE",
        "TEST_EXPIRES",
        "TEST_EXPIRES",
    ]


def test_plan_invalid_file_exits_2_and_names_the_fields(tmp_path: Path) -> None:
    done = run(str(FILES[-1]))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "principal.birthDate: 2030-01-01 is not before asOf 2026-12-01" in done.stderr


def test_plan_unknown_permit_code_exits_2_and_names_the_field(tmp_path: Path) -> None:
    case = load(FILES[0])
    case["scenario"]["principal"]["status"]["permitCode"] = "C99"
    unknown = tmp_path / "unknown-code.json"
    unknown.write_text(json.dumps(case))
    done = run("--json", str(unknown))
    assert done.returncode == 2
    assert json.loads(done.stdout) == {
        "__typename": "InvalidScenario",
        "errors": [
            {
                # Named from PlanScenario's variables, as the GraphQL answer names it.
                "path": "scenario.principal.status.permitCode",
                "message": f"'C99' is not a permit category code; allowed: {ALLOWED_CODES}, or a code used before"
                " 2022-12-15: C12, T21, T22, T23, T24",
            }
        ],
    }


def test_plan_unknown_noc_and_exemption_codes_exit_2_naming_the_fields(tmp_path: Path) -> None:
    case = load(FILES[0])
    case["scenario"]["offers"][0]["nocCode"] = "21999"
    case["scenario"]["offers"][0]["lmiaExemptCode"] = "Z99"
    unknown = tmp_path / "unknown-codes.json"
    unknown.write_text(json.dumps(case))
    done = run("--json", str(unknown))
    assert done.returncode == 2
    errors = json.loads(done.stdout)["errors"]
    assert [(e["path"], e["message"].split(";")[0]) for e in errors] == [
        ("scenario.offers[0].nocCode", "'21999' is not a NOC 2021 unit group"),
        ("scenario.offers[0].lmiaExemptCode", "'Z99' is not a permit category code"),
    ]


def test_plan_null_for_a_field_with_a_default_exits_2_naming_it(tmp_path: Path) -> None:
    case = load(FILES[0])
    case["scenario"]["principal"]["education"][0]["pgwpEligibleDli"] = None
    case["scenario"]["horizonMonths"] = None
    case["scenario"]["principal"]["passportExpiry"] = None  # optional: null is accepted
    nulls = tmp_path / "nulls.json"
    nulls.write_text(json.dumps(case))
    done = run(str(nulls))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "horizonMonths: must not be null; omit it to use the default (60)" in done.stderr
    assert "principal.education[0].pgwpEligibleDli: must not be null; omit it to use the default (false)" in done.stderr
    assert "passportExpiry" not in done.stderr


def test_plan_unreadable_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    done = run("--json", str(bad))
    assert done.returncode == 2
    assert json.loads(done.stdout)["__typename"] == "InvalidScenario"


def test_plan_rules_as_of_must_be_a_date() -> None:
    done = run("--json", "--rules-as-of", "someday", str(FILES[0]))
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"] == [
        {"path": "--rules-as-of", "message": "'someday' is not a date like 2026-05-01"}
    ]


def test_a_reader_that_goes_away_stops_the_timeline_quietly() -> None:
    """`permitpath plan FILE | head`: the pipe is closed before anything is written (as after head's last line)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [str(PERMITPATH), "plan", str(FILES[0])], stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (141, "")


def test_plan_uses_the_firms_rule_overrides(tmp_path: Path) -> None:
    # PERMITPATH_RULES_OVERRIDES_DIR layers a firm's newer rule versions (docs/integrators.md "Rule overrides").
    (tmp_path / "fees.toml").write_text(
        '[[rule]]\nid = "FEES.pr"\ntitle = "PR fees (firm)"\ntrigger = "PR application date"\n'
        'source = "https://example.org/fees"\nconfidence = "M"\n'
        "[[rule.version]]\neffective = 2026-04-01\n"
        "params = { processing = 1000, rprf = 600, dependent_child = 270 }\n"
    )
    path = FILES[0]
    env = {**os.environ, "PERMITPATH_RULES_OVERRIDES_DIR": str(tmp_path)}
    done = subprocess.run(
        [str(PERMITPATH), "plan", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    plain = json.loads(run("--json", str(path)).stdout)
    layered = json.loads(done.stdout)
    assert plain["rulesVersion"] != layered["rulesVersion"]
    assert (plain["fees"]["pr"], layered["fees"]["pr"]) == (1525.0, 1600.0)


def _later_offer(tmp_path: Path) -> tuple[Path, Path]:
    """p03 and the same household with its offer starting three months later (a second plan to compare)."""
    a = FILES[2]
    assert a.stem == "p03-ict-specialized-knowledge"
    doc = json.loads(a.read_text())
    doc["scenario"]["offers"][0]["earliestStart"] = "2027-04-12"
    b = tmp_path / "b.json"
    b.write_text(json.dumps({"scenario": doc["scenario"], "options": doc["options"]}))
    return a, b


def test_plan_compare_prints_what_changed(tmp_path: Path) -> None:
    a, b = _later_offer(tmp_path)
    done = run(str(a), "--compare", str(b))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "PR ready: 2028-01-10 -> 2028-04-10 (91 days later)"
    assert "permit moved    spouse C41: apply 2027-04-12" in done.stdout
    assert "valid from +" in done.stdout
    same = run(str(a), "--compare", str(a))
    assert (same.returncode, same.stdout) == (0, "no differences\n")


def test_plan_compare_json_is_the_diff(tmp_path: Path) -> None:
    a, b = _later_offer(tmp_path)
    done = run("--json", str(a), "--compare", str(b))
    assert done.returncode == 0, done.stderr
    diff = json.loads(done.stdout)
    assert sorted(diff) == [
        "deadlinesAdded",
        "deadlinesGone",
        "deadlinesMoved",
        "fees",
        "findingsGone",
        "findingsNew",
        "gaps",
        "permitsAdded",
        "permitsMoved",
        "permitsRemoved",
        "pr",
    ]
    assert diff["permitsMoved"][0]["validFromDays"] > 0
    assert run("--json", str(a), "--compare", str(a)).stdout == run("--json", str(b), "--compare", str(b)).stdout


def test_plan_compare_refuses_an_invalid_second_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    done = run(str(FILES[0]), "--compare", str(bad))
    assert done.returncode == 2
    assert "bad.json is not JSON" in done.stderr


def test_plan_marks_the_pinned_steps_and_prints_the_pins(tmp_path: Path) -> None:
    golden = Path(__file__).parent.parent / "fixtures" / "golden" / "pin1-principal-leads-pr.json"
    path = tmp_path / "pinned.json"
    path.write_text(json.dumps({"scenario": json.loads(golden.read_text())["scenario"]}))
    done = run(str(path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "PR ready 2028-02-28 (CEC, principal applies)   [OPTIMAL]",
        "pins[0]: principal leads PR: held",
    ]
    pinned = [line for line in lines if " PINNED " in line]
    assert pinned == ["2028-02-28  principal  PINNED create the Express Entry profile as CEC-eligible"]
    answer = json.loads(run("--json", str(path)).stdout)
    assert [(p["held"], p["stepAction"], p["pin"]["kind"]) for p in answer["pins"]] == [
        (True, "CREATE_EE_PROFILE", "LEAD_PR")
    ]

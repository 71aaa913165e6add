"""`permitpath plan FILE.json [--json] [--rules-as-of DATE] [--compare B.json]`: plan a scenario file.

The file is a `ScenarioInput` object, or `{"scenario": ..., "options": ...}`. Default output is a readable
timeline, the plan's deadlines among its steps; `--json` prints the Plan (or InvalidScenario) exactly as the
PlanScenario operation returns it, with the plan's `deadlines` added (as `Plan.deadlines` selects them).
`--compare B.json` plans B.json too (with the same `--rules-as-of`) and prints what changed from FILE's plan
to B's (`solver.compare`), or with `--json` the diff as JSON.
Exit status: 0 for a plan, 2 for an invalid scenario or an unreadable file.

The planner (OR-Tools) and the settings (SQLAlchemy) are imported when a file is planned, not with the
module: `permitpath plan --help` and an unreadable file answer at once.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TextIO

from solver.compare import compare, lines
from solver.domain import Deadline, FieldError, InvalidScenario, Plan, PlanOptions, PlanStep, Scenario
from solver.rules.registry import use_overrides
from solver.scenario_json import invalid_to_json, parse_document, plan_to_json, to_json

EXIT_PLAN = 0
EXIT_INVALID = 2


def configure(parser: argparse.ArgumentParser) -> None:
    """Adds the plan command's arguments."""
    parser.add_argument("file", metavar="FILE.json", type=Path, help="a scenario file (ScenarioInput JSON)")
    parser.add_argument("--json", action="store_true", help="print the contract's Plan JSON instead of a timeline")
    parser.add_argument(
        "--rules-as-of", metavar="DATE", help="what-if: apply the rules in force on DATE (YYYY-MM-DD) to every step"
    )
    parser.add_argument(
        "--compare",
        metavar="B.json",
        type=Path,
        help="plan a second scenario file of the same household and print what changed from FILE's plan to it",
    )


def _load(path: Path, rules_as_of: str | None) -> tuple[Scenario, PlanOptions] | InvalidScenario:
    try:
        doc = json.loads(path.read_text())
    except OSError as error:
        return InvalidScenario((FieldError("", f"cannot read {path}: {error.strerror or error}"),))
    except ValueError as error:
        return InvalidScenario((FieldError("", f"{path} is not JSON: {error}"),))
    parsed = parse_document(doc)
    if isinstance(parsed, InvalidScenario):
        return _as_variables(parsed)
    scenario, options = parsed
    if rules_as_of is not None:
        try:
            options = dataclasses.replace(options, rules_as_of=dt.date.fromisoformat(rules_as_of))
        except ValueError:
            return InvalidScenario((FieldError("--rules-as-of", f"{rules_as_of!r} is not a date like 2026-05-01"),))
    return scenario, options


def _as_variables(invalid: InvalidScenario) -> InvalidScenario:
    """The file's errors named as PlanScenario names them: from its variables, `scenario.principal.birthDate`
    (options' paths already start with `options.`)."""
    from schema.errors import prefixed

    return InvalidScenario(
        tuple(
            e if e.path.startswith("options.") else FieldError(prefixed("scenario", e.path), e.message)
            for e in invalid.errors
        )
    )


def run(args: argparse.Namespace) -> int:
    """Plans the file and prints the plan; returns the exit status."""
    from api.settings import Settings
    from solver.solve import plan

    # The firm's rule overrides apply to the command line as to the service (PERMITPATH_RULES_OVERRIDES_DIR).
    use_overrides(Settings.from_env().rules_overrides_dir)
    loaded = _load(args.file, args.rules_as_of)
    if isinstance(loaded, InvalidScenario):
        if args.json:
            print(json.dumps(invalid_to_json(loaded), indent=2))
        else:
            print_invalid(loaded, sys.stderr)
        return EXIT_INVALID
    scenario, options = loaded
    result = plan(scenario, options)
    if args.compare is not None:
        return _compare(result, args)
    if args.json:
        print(json.dumps({**plan_to_json(result), "deadlines": to_json(result.deadlines)}, indent=2))
    else:
        print_timeline(result, sys.stdout)
    return EXIT_PLAN


def _compare(a: Plan, args: argparse.Namespace) -> int:
    """Plans the `--compare` file and prints the diff from `a` to its plan."""
    loaded = _load(args.compare, args.rules_as_of)
    if isinstance(loaded, InvalidScenario):
        if args.json:
            print(json.dumps(invalid_to_json(loaded), indent=2))
        else:
            print(f"{args.compare}:", file=sys.stderr)
            print_invalid(loaded, sys.stderr)
        return EXIT_INVALID
    from solver.solve import plan

    diff = compare(a, plan(*loaded))
    if args.json:
        print(json.dumps(to_json(diff), indent=2))
    else:
        print("\n".join(lines(diff)))
    return EXIT_PLAN


def print_invalid(invalid: InvalidScenario, out: TextIO) -> None:
    """The errors of an invalid scenario, one per line."""
    print("invalid scenario:", file=out)
    for e in invalid.errors:
        print(f"  {e.path or '(file)'}: {e.message}", file=out)


def print_timeline(p: Plan, out: TextIO) -> None:
    """A readable timeline: the PR target, then every dated step and deadline, status gaps, fees and blockers."""
    if p.pr_ready_date is not None and p.pr_applicant is not None:
        who = p.pr_applicant.value.lower()
        print(f"PR ready {p.pr_ready_date.isoformat()} ({p.pr_program}, {who} applies)   [{p.status.value}]", file=out)
    else:
        print(f"PR not reachable within the horizon   [{p.status.value}]", file=out)
    print("", file=out)
    for entry in _dated(p):
        if isinstance(entry, PlanStep):
            rules = ", ".join(entry.rule_ids)
            print(f"{entry.date.isoformat()}  {entry.person.value.lower():9}  {entry.detail}", file=out)
            if rules:
                print(f"{'':22}  rules: {rules}", file=out)
            continue
        print(f"{entry.date.isoformat()}  {entry.person.value.lower():9}  DEADLINE {entry.message}", file=out)
        step = "" if entry.step_date is None else f" (for the step of {entry.step_date.isoformat()})"
        print(f"{'':22}  rule: {entry.rule_id}{step}", file=out)
    if p.permits:
        print("\npermits:", file=out)
        for x in p.permits:
            kind = "open" if x.open else f"employer-specific ({x.offer_ref})"
            bio = f" incl. biometrics ${x.biometrics_fee:,.2f}" if x.biometrics_fee else ""
            employer = f"   employer pays ${x.employer_fee:,.2f}" if x.employer_fee else ""
            print(
                f"  {x.person.value.lower():9} {x.code}  {x.valid_from.isoformat()} to {x.valid_to.isoformat()}"
                f"  {kind}  ${x.fee:,.2f}{bio}{employer}",
                file=out,
            )
    for g in p.status_gaps:
        print(f"\nno status: {g.person.value.lower()} {g.start.isoformat()} to {g.end.isoformat()}", file=out)
    print(
        f"\nfees (client, to the government): ${p.fees_total:,.2f} = permits ${p.fees_permits:,.2f}"
        f" + biometrics ${p.fees_biometrics:,.2f} + PR ${p.fees_pr:,.2f}",
        file=out,
    )
    if p.fees_employer:
        print(f"employer fees (not the client's): ${p.fees_employer:,.2f}", file=out)
    print(f"rules {p.rules_version}   solved in {p.solve_ms:.0f} ms", file=out)
    for b in p.blockers:
        print(f"blocker [{b.rule_id}]: {b.message}", file=out)
    # The invitation the PR steps assume: the wait used, and how the CRS compares with recent cut-offs.
    for f in p.explanation:
        if f.rule_id in ("EE.ita_wait", "EE.cutoff"):
            print(f"invitation [{f.rule_id}]: {f.message}", file=out)


def _dated(p: Plan) -> list[PlanStep | Deadline]:
    """The steps and the deadlines in date order (on one day the steps first, each list keeping its order)."""
    entries: list[tuple[tuple[dt.date, int, int], PlanStep | Deadline]] = [
        ((s.date, 0, i), s) for i, s in enumerate(p.steps)
    ]
    entries += [((d.date, 1, i), d) for i, d in enumerate(p.deadlines)]
    return [entry for _, entry in sorted(entries, key=lambda e: e[0])]

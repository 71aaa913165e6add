"""`permitpath plan FILE.json [--json] [--rules-as-of DATE] [--compare B.json | --alternatives N] [--lang fr]
[--pdf out.pdf] [--svg out.svg]`: plan a scenario file.

The file is a `ScenarioInput` object, or `{"scenario": ..., "options": ...}`. Default output is a readable
timeline, the plan's deadlines among its steps; `--json` prints the Plan (or InvalidScenario) exactly as the
PlanScenario operation returns it, with the plan's `deadlines` added (as `Plan.deadlines` selects them), and its
`pins` when the scenario has any. The timeline marks each step a held pin fixed PINNED.
`--compare B.json` plans B.json too (with the same `--rules-as-of`) and prints what changed from FILE's plan
to B's (`solver.compare`), or with `--json` the diff as JSON. `--alternatives N` plans up to N (1 to 5) plans of
different strategies (`solver.alternatives`) and prints their trade-offs side by side, then what sets each apart;
with `--json`, the alternatives as the planAlternatives operation returns them (each plan with its deadlines).
`--svg` and `--pdf` also write the timeline picture and the client handout (`api/present/`), in `--lang`, prepared
on the day the command runs.
Exit status: 0 for a plan, 2 for an invalid scenario or an unreadable file.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from api.settings import Settings
from solver.deadline import reproducible
from solver.domain import (
    Deadline,
    FieldError,
    InvalidScenario,
    Plan,
    PlannedPermit,
    PlanOptions,
    PlanStep,
    Role,
    Scenario,
)
from solver.rules.registry import use_overrides
from solver.scenario_json import invalid_to_json, parse_document, plan_to_json, to_json

if TYPE_CHECKING:
    from api.present.words import Words
    from solver.alternatives import Alternative
    from solver.phrases import Phrase

EXIT_PLAN = 0
EXIT_INVALID = 2


def configure(parser: argparse.ArgumentParser) -> None:
    """Adds the plan command's arguments."""
    parser.add_argument("file", metavar="FILE.json", type=Path, help="a scenario file (ScenarioInput JSON)")
    parser.add_argument("--json", action="store_true", help="print the contract's Plan JSON instead of a timeline")
    parser.add_argument(
        "--rules-as-of", metavar="DATE", help="what-if: apply the rules in force on DATE (YYYY-MM-DD) to every step"
    )
    parser.add_argument("--lang", choices=("en", "fr"), default="en", help="the timeline's language (default en)")
    parser.add_argument("--pdf", metavar="out.pdf", type=Path, help="also write the client handout (PDF) to out.pdf")
    parser.add_argument("--svg", metavar="out.svg", type=Path, help="also write the timeline picture (SVG) to out.svg")
    parser.add_argument(
        "--household", metavar="NAME", help="the household's name on the handout (default: the file's name)"
    )
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--compare",
        metavar="B.json",
        type=Path,
        help="plan a second scenario file of the same household and print what changed from FILE's plan to it",
    )
    choice.add_argument(
        "--alternatives",
        metavar="N",
        type=int,
        help="plan up to N (1 to 5) alternatives that differ in strategy and print them side by side",
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
    from schema.errors import prefixed  # strawberry: only when a file is refused

    return InvalidScenario(
        tuple(
            e if e.path.startswith("options.") else FieldError(prefixed("scenario", e.path), e.message)
            for e in invalid.errors
        )
    )


def run(args: argparse.Namespace) -> int:
    """Plans the file and prints the plan; returns the exit status."""
    # The firm's rule overrides apply to the command line as to the service (PERMITPATH_RULES_OVERRIDES_DIR).
    from solver.solve import plan  # OR-Tools: imported when a file is planned, so --help answers at once

    settings = Settings.from_env()
    use_overrides(settings.rules_overrides_dir)
    if settings.reproducible:
        reproducible()
    loaded = _load(args.file, args.rules_as_of)
    if isinstance(loaded, InvalidScenario):
        if args.json:
            print(json.dumps(invalid_to_json(loaded), indent=2))
        else:
            print_invalid(loaded, sys.stderr)
        return EXIT_INVALID
    scenario, options = loaded
    if args.alternatives is not None:
        return _alternatives(scenario, options, args)
    result = plan(scenario, options)
    if args.compare is not None:
        return _compare(result, args)
    _write_pictures(result, scenario, args)
    if args.json:
        pins = {"pins": to_json(result.pins)} if result.pins else {}
        print(json.dumps({**plan_to_json(result), "deadlines": to_json(result.deadlines), **pins}, indent=2))
    else:
        print_timeline(result, sys.stdout, args.lang)
    return EXIT_PLAN


def _write_pictures(result: Plan, scenario: Scenario, args: argparse.Namespace) -> None:
    """`--svg` and `--pdf`: the timeline and the handout, prepared today (the day the command runs)."""
    today = dt.date.today()
    if args.svg is not None:
        from api.present.timeline import timeline_svg  # the SVG timeline, only when asked for

        args.svg.write_text(timeline_svg(result, scenario, lang=args.lang, today=today), encoding="utf-8")
    if args.pdf is not None:
        from api.present.handout import handout_pdf  # fpdf2 and its fonts, only when a handout is asked for

        household = args.household or args.file.stem
        args.pdf.write_bytes(handout_pdf(result, scenario, lang=args.lang, prepared_on=today, household=household))


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
    from solver.compare import compare, lines
    from solver.solve import plan

    diff = compare(a, plan(*loaded))
    if args.json:
        print(json.dumps(to_json(diff), indent=2))
    else:
        print("\n".join(lines(diff)))
    return EXIT_PLAN


def _alternatives(scenario: Scenario, options: PlanOptions, args: argparse.Namespace) -> int:
    """Plans `--alternatives` strategies and prints them side by side (or as JSON)."""
    from solver.alternatives import alternatives, count_errors

    refused = count_errors(args.alternatives, "--alternatives")
    if refused:
        invalid = InvalidScenario(refused)
        if args.json:
            print(json.dumps(invalid_to_json(invalid), indent=2))
        else:
            print_invalid(invalid, sys.stderr)
        return EXIT_INVALID
    found = alternatives(scenario, options, args.alternatives)
    if args.json:
        print(
            json.dumps(
                {"requested": args.alternatives, "alternatives": [_alternative_json(a) for a in found]}, indent=2
            )
        )
    else:
        print_alternatives(found, sys.stdout)
    return EXIT_PLAN


def _alternative_json(a: Alternative) -> dict[str, object]:
    """An alternative as planAlternatives returns it (money as the contract's dollars)."""
    t = a.trade_offs
    return {
        "rank": a.rank,
        "label": a.label,
        "differences": list(a.differences),
        "strategy": {
            "prApplicant": None if a.strategy.pr_applicant is None else a.strategy.pr_applicant.value,
            "prProgram": a.strategy.pr_program,
            "permits": [{"person": p.value, "code": c, "offerRef": o} for p, c, o in a.strategy.permits],
            "offers": list(a.strategy.offers),
        },
        "tradeOffs": {
            "prReadyDate": None if t.pr_ready_date is None else t.pr_ready_date.isoformat(),
            "feesClient": t.fees_client,
            "feesEmployer": t.fees_employer,
            "daysWithoutWork": t.days_without_work,
            "daysWithoutStatus": t.days_without_status,
            "riskCount": t.risk_count,
            "risks": to_json(t.risks),
        },
        "plan": {**plan_to_json(a.plan), "deadlines": to_json(a.plan.deadlines)},
    }


# The width of one alternative's column in the side-by-side table.
COLUMN = 30


def print_alternatives(found: list[Alternative], out: TextIO) -> None:
    """The alternatives' trade-offs side by side (one column each, best first), then what sets each apart."""
    if not found:
        print("no plan found in time", file=out)
        return

    def row(name: str, cells: list[str]) -> None:
        print(f"{name:20}" + "".join(f"{c[: COLUMN - 2]:{COLUMN}}" for c in cells).rstrip(), file=out)

    def route(a: Alternative) -> str:
        s = a.strategy
        return "none" if s.pr_applicant is None else f"{s.pr_program}, {s.pr_applicant.value.lower()}"

    row("", [f"#{a.rank}" for a in found])
    row("PR ready", [a.trade_offs.pr_ready_date.isoformat() if a.trade_offs.pr_ready_date else "-" for a in found])
    row("PR route", [route(a) for a in found])
    row("fees (client)", [f"${a.trade_offs.fees_client:,.2f}" for a in found])
    row("fees (employer)", [f"${a.trade_offs.fees_employer:,.2f}" for a in found])
    row("days without work", [str(a.trade_offs.days_without_work) for a in found])
    row("days without status", [str(a.trade_offs.days_without_status) for a in found])
    row("risk findings", [str(a.trade_offs.risk_count) for a in found])
    row("permits", [" ".join(f"{p.value[0]}:{c}" for p, c, _ in a.strategy.permits) or "-" for a in found])
    for a in found:
        print(f"\n#{a.rank} {a.label}", file=out)
        for fact in a.differences:
            print(f"    {fact}", file=out)
        if a.trade_offs.risks:
            # The findings in full are in the plan (and in --json); here, which rules they cite.
            print(f"    risks: {', '.join(r.rule_id for r in a.trade_offs.risks)}", file=out)


def print_invalid(invalid: InvalidScenario, out: TextIO) -> None:
    """The errors of an invalid scenario, one per line."""
    print("invalid scenario:", file=out)
    for e in invalid.errors:
        print(f"  {e.path or '(file)'}: {e.message}", file=out)


def print_timeline(p: Plan, out: TextIO, lang: str | None = None) -> None:
    """A readable timeline: the PR target, then every dated step and deadline, status gaps, fees and blockers.

    In `lang` (English by default); days stay ISO so the column sorts. A step or deadline reads as the solver's
    sentence, translated (`api.present.sentences`) in another language, or as its translated title
    (`api.present.words`) when the solver did not key it.
    """
    from api.present.sentences import say  # Babel: only for the readable timeline, not for --json
    from api.present.words import Words

    words = Words.of(lang)
    _ = words._
    if p.pr_ready_date is not None and p.pr_applicant is not None:
        line = _("PR ready {date} ({program}, {person} applies)   [{status}]").format(
            date=p.pr_ready_date.isoformat(),
            program=p.pr_program,
            person=_short_role(words, p.pr_applicant),
            status=p.status.value,
        )
    else:
        line = _("PR not reachable within the horizon   [{status}]").format(status=p.status.value)
    print(line, file=out)
    from solver.pinning import describe, phrase_of

    for index, outcome in enumerate(p.pins):
        held = _("held") if outcome.held else _("NOT HELD (see the blockers)")
        pin = say(phrase_of(outcome.pin), describe(outcome.pin), words.lang)
        print(_("pins[{index}]: {pin}: {held}").format(index=index, pin=pin, held=held), file=out)
    print("", file=out)
    pinned = _pinned_steps(p)
    for entry in _dated(p):
        who = f"{_short_role(words, entry.person):9}"
        if isinstance(entry, PlanStep):
            detail = _sentence(words, entry.phrase, entry.detail, words.step_title(entry, p.permits, p.pr_program))
            mark = _("PINNED") + " " if (entry.date, entry.person, entry.action, entry.code) in pinned else ""
            print(f"{entry.date.isoformat()}  {who}  {mark}{detail}", file=out)
            if entry.rule_ids:
                print(f"{'':22}  " + _("rules: {rules}").format(rules=", ".join(entry.rule_ids)), file=out)
            continue
        message = _sentence(words, entry.phrase, entry.message, words.deadline_kind(entry))
        print(f"{entry.date.isoformat()}  {who}  " + _("DEADLINE {message}").format(message=message), file=out)
        if entry.step_date is None:
            rule = _("rule: {rule}").format(rule=entry.rule_id)
        else:
            rule = _("rule: {rule} (for the step of {day})").format(rule=entry.rule_id, day=entry.step_date.isoformat())
        print(f"{'':22}  {rule}", file=out)
    if p.permits:
        print("\n" + _("permits:"), file=out)
        for x in p.permits:
            print(f"  {_short_role(words, x.person):9} " + _permit_line(words, x), file=out)
    for g in p.status_gaps:
        gap = _("no status: {person} {start} to {end}").format(
            person=_short_role(words, g.person), start=g.start.isoformat(), end=g.end.isoformat()
        )
        print("\n" + gap, file=out)
    fees = _(
        "fees (client, to the government): {total} = permits {permits} + biometrics {biometrics} + PR {pr}"
    ).format(
        total=words.money(p.fees_total),
        permits=words.money(p.fees_permits),
        biometrics=words.money(p.fees_biometrics),
        pr=words.money(p.fees_pr),
    )
    print("\n" + fees, file=out)
    if p.fees_employer:
        print(_("employer fees (not the client's): {amount}").format(amount=words.money(p.fees_employer)), file=out)
    print(_("rules {version}   solved in {ms} ms").format(version=p.rules_version, ms=f"{p.solve_ms:.0f}"), file=out)
    for b in p.blockers:
        message = say(b.phrase, b.message, words.lang)
        print(_("blocker [{rule}]: {message}").format(rule=b.rule_id, message=message), file=out)
    # The invitation the PR steps assume: the wait used, and how the CRS compares with recent cut-offs.
    for f in p.explanation:
        if f.rule_id in ("EE.ita_wait", "EE.cutoff"):
            message = say(f.phrase, f.message, words.lang)
            print(_("invitation [{rule}]: {message}").format(rule=f.rule_id, message=message), file=out)


def _sentence(words: Words, phrase: Phrase | None, english: str, title: str) -> str:
    """The solver's sentence in the reader's words; in another language, one it did not key is the short title."""
    from api.present.sentences import say

    if words.lang == "en" or phrase is not None:
        return say(phrase, english, words.lang)
    return title


def _short_role(words: Words, role: Role) -> str:
    """The column's name of a person: "principal", "spouse"."""
    return words._("principal") if role is Role.PRINCIPAL else words._("spouse")


def _permit_line(words: Words, x: PlannedPermit) -> str:
    _ = words._
    kind = _("open") if x.open else _("employer-specific ({offer})").format(offer=x.offer_ref)
    line = _("{code}  {start} to {end}  {kind}  {fee}").format(
        code=x.code, start=x.valid_from.isoformat(), end=x.valid_to.isoformat(), kind=kind, fee=words.money(x.fee)
    )
    if x.biometrics_fee:
        line += _(" incl. biometrics {amount}").format(amount=words.money(x.biometrics_fee))
    if x.employer_fee:
        line += _("   employer pays {amount}").format(amount=words.money(x.employer_fee))
    return line


def _pinned_steps(p: Plan) -> set[tuple[dt.date | None, Role, str | None, str | None]]:
    """The steps a held pin fixed, by date, person, action and code."""
    return {(o.step_date, o.pin.person, o.step_action, o.step_code) for o in p.pins if o.held and o.step_date}


def _dated(p: Plan) -> list[PlanStep | Deadline]:
    """The steps and the deadlines in date order (on one day the steps first, each list keeping its order)."""
    entries: list[tuple[tuple[dt.date, int, int], PlanStep | Deadline]] = [
        ((s.date, 0, i), s) for i, s in enumerate(p.steps)
    ]
    entries += [((d.date, 1, i), d) for i, d in enumerate(p.deadlines)]
    return [entry for _, entry in sorted(entries, key=lambda e: e[0])]

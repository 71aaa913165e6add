"""The answer of a rule check: a verdict, the reasons citing rule ids, and the facts that would decide it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass, field

from solver.domain import Finding
from solver.phrases import Phrase
from solver.rules.registry import RuleSet


class Verdict(enum.Enum):
    ELIGIBLE = "ELIGIBLE"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    UNDECIDED = "UNDECIDED"


@dataclass(frozen=True)
class Decision:
    """A verdict with its reasons (each citing a rule id and its source) and, when undecided, the missing facts."""

    verdict: Verdict
    reasons: tuple[Finding, ...]
    missing: tuple[str, ...] = ()
    # The reasons that make it so: the failed conditions of a NOT_ELIGIBLE answer, the unknown ones of an
    # UNDECIDED one (the reasons also hold notes, and the passed conditions of an undecided answer).
    failing: tuple[Finding, ...] = ()

    @property
    def eligible(self) -> bool:
        """True only for ELIGIBLE (an undecided answer is not a yes)."""
        return self.verdict is Verdict.ELIGIBLE

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The rule ids the reasons cite, in order, without repeats."""
        return tuple(dict.fromkeys(r.rule_id for r in self.reasons))


def finding(rules: RuleSet, rule_id: str, message: str | Phrase) -> Finding:
    """A Finding for `rule_id` carrying the rule's source URL (RuleError when the id is unknown); a keyed message
    carries its phrase (solver/phrases.py)."""
    if isinstance(message, Phrase):
        return Finding(rule_id=rule_id, message=message.english(), source=rules.source(rule_id), phrase=message)
    return Finding(rule_id=rule_id, message=message, source=rules.source(rule_id))


def cited(rules: RuleSet, f: Finding, on: dt.date) -> Finding:
    """`f` with its rule's source and the date the version applied on `on` took effect (the last one to take
    effect by then when none is in force, the first when none had yet); unchanged for an id that is no rule
    (the validator's PLAN. and JOB. ids). Pinned rules cite the version of their pinned date."""
    if f.rule_id not in rules:
        return f
    on = rules.rules_date(on)
    rule = rules.rule(f.rule_id)
    version = rule.at(on)
    if version is not None:
        effective = version.effective
    else:
        effective = max((v.effective for v in rule.versions if v.effective <= on), default=rule.versions[0].effective)
    return dataclasses.replace(f, source=rule.source, effective=effective)


@dataclass
class Checks:
    """Collects the outcome of each condition, then answers one Decision.

    Any failed condition makes the answer NOT_ELIGIBLE; otherwise any unknown one makes it UNDECIDED.
    """

    rules: RuleSet
    passed: list[Finding] = field(default_factory=list)
    failed: list[Finding] = field(default_factory=list)
    unknown: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def ok(self, rule_id: str, message: str | Phrase) -> None:
        """Record a condition that holds."""
        self.passed.append(finding(self.rules, rule_id, message))

    def fail(self, rule_id: str, message: str | Phrase) -> None:
        """Record a condition that does not hold."""
        self.failed.append(finding(self.rules, rule_id, message))

    def unknown_fact(self, rule_id: str, message: str | Phrase, missing: str) -> None:
        """Record a condition the facts cannot decide, naming the missing fact."""
        self.unknown.append(finding(self.rules, rule_id, message))
        if missing not in self.missing:
            self.missing.append(missing)

    def note(self, rule_id: str, message: str | Phrase) -> None:
        """Record a risk or consequence that does not change the verdict."""
        self.notes.append(finding(self.rules, rule_id, message))

    def check(self, holds: bool, rule_id: str, ok: str | Phrase, fail: str | Phrase) -> bool:
        """Record `ok` when `holds`, else `fail`; returns `holds`."""
        if holds:
            self.ok(rule_id, ok)
        else:
            self.fail(rule_id, fail)
        return holds

    def decision(self) -> Decision:
        """NOT_ELIGIBLE on any failure, else UNDECIDED on any unknown, else ELIGIBLE."""
        if self.failed:
            reasons = tuple(self.failed + self.unknown + self.notes)
            return Decision(Verdict.NOT_ELIGIBLE, reasons, failing=tuple(self.failed))
        if self.unknown:
            reasons = tuple(self.unknown + self.passed + self.notes)
            return Decision(Verdict.UNDECIDED, reasons, tuple(self.missing), failing=tuple(self.unknown))
        return Decision(Verdict.ELIGIBLE, tuple(self.passed + self.notes))

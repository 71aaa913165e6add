"""Effective-dated rules loaded from `params/*.toml`: ids, versions, parameter values and sources.

Every rule value the product uses lives in a TOML file beside this module, never as a literal in code.
A file holds rules of one program; each rule has versions, each with the date it took effect, an optional
end date, and its parameters:

    [[rule]]
    id = "C43.application_window"
    title = "Apply within 180 days of written confirmation of completion"
    trigger = "PGWP application date"
    source = "https://..."
    confidence = "H"            # H: IRCC says it; M: law firm or inferred; L: consultant or unverified

    [[rule.version]]
    effective = 1900-01-01
    params = { days = 180 }

`RuleSet.param("C43.application_window", "days", on=d)` answers the value in force on `d` (the date the
rule's trigger names: the PGWP application date, the spouse's application date, ...).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PARAMS_DIR = Path(__file__).parent / "params"
CONFIDENCE_LEVELS = ("H", "M", "L")


class RuleError(Exception):
    """A rule file is malformed, or code asked for a rule or parameter that does not exist."""


@dataclass(frozen=True)
class RuleVersion:
    effective: dt.date
    params: Mapping[str, Any]
    ends: dt.date | None = None
    note: str | None = None

    def in_force(self, on: dt.date) -> bool:
        """True when this version applies to something triggered on `on` (`ends` is exclusive)."""
        return self.effective <= on and (self.ends is None or on < self.ends)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    trigger: str
    source: str
    confidence: str
    versions: tuple[RuleVersion, ...]
    note: str | None = None
    # A what-if's rules date (RuleSet.pinned): the version in force then answers on every date.
    pinned: dt.date | None = None

    @property
    def program(self) -> str:
        """The first segment of the id: the permit code or program the rule belongs to."""
        return self.id.split(".", 1)[0]

    def at(self, on: dt.date) -> RuleVersion | None:
        """The version in force on `on` (on the pinned date, for a pinned rule), or None when the rule did not
        (or no longer) apply then."""
        on = self.pinned or on
        for version in reversed(self.versions):
            if version.in_force(on):
                return version
        return None

    def param(self, name: str, on: dt.date) -> Any:
        """The value of parameter `name` on `on`; RuleError when the rule is not in force or lacks it."""
        version = self.at(on)
        if version is None:
            raise RuleError(f"rule {self.id} is not in force on {(self.pinned or on).isoformat()}")
        if name not in version.params:
            raise RuleError(f"rule {self.id} has no parameter {name!r} (has: {', '.join(sorted(version.params))})")
        return version.params[name]

    @property
    def effective(self) -> dt.date:
        """The date the first version took effect. A pinned rule in force on its date applies on every date
        (date.min); one that is not never takes effect (date.max)."""
        if self.pinned is not None:
            return dt.date.min if self.at(self.pinned) is not None else dt.date.max
        return self.versions[0].effective

    @property
    def breakpoints(self) -> tuple[dt.date, ...]:
        """Every date on which this rule's answer may change (none for a pinned rule)."""
        if self.pinned is not None:
            return ()
        out = {v.effective for v in self.versions} | {v.ends for v in self.versions if v.ends is not None}
        return tuple(sorted(out))


@dataclass(frozen=True)
class RuleSet:
    rules: Mapping[str, Rule]
    version: str
    # The what-if's rules date when pinned (PlanOptions.rules_as_of), None when each question reads its own day.
    pinned_on: dt.date | None = None

    def pinned(self, on: dt.date | None) -> RuleSet:
        """These rules as in force on `on`, whatever date they are asked for (None: these rules unchanged).

        A what-if (`PlanOptions.rules_as_of`) applies the rules of one date to every step, while a person's
        facts (age, tests, completion, nomination) are still read on the step's own day: a rule function is
        asked with the step's day and a pinned set answers the version in force on `on`. Same version string:
        the rules are the same files, and a plan's cache key holds `rules_as_of` apart.
        """
        if on is None:
            return self
        pinned = {rule_id: dataclasses.replace(rule, pinned=on) for rule_id, rule in self.rules.items()}
        return RuleSet(rules=pinned, version=self.version, pinned_on=on)

    def rules_date(self, on: dt.date) -> dt.date:
        """The date whose rules answer a question asked on `on` (the pinned date, when pinned): for date-keyed
        data read beside the rules (the catalog's categories)."""
        return self.pinned_on or on

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise RuleError(f"unknown rule id {rule_id!r}") from None

    def param(self, rule_id: str, name: str, on: dt.date) -> Any:
        """Parameter `name` of rule `rule_id` in force on `on`."""
        return self.rule(rule_id).param(name, on)

    def in_force(self, rule_id: str, on: dt.date) -> bool:
        return self.rule(rule_id).at(on) is not None

    def source(self, rule_id: str) -> str:
        return self.rule(rule_id).source

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.rules


def _version(raw: Mapping[str, Any], where: str) -> RuleVersion:
    effective = raw.get("effective")
    ends = raw.get("ends")
    if not isinstance(effective, dt.date):
        raise RuleError(f"{where}: 'effective' must be a TOML date")
    if ends is not None and not isinstance(ends, dt.date):
        raise RuleError(f"{where}: 'ends' must be a TOML date")
    return RuleVersion(effective=effective, ends=ends, params=dict(raw.get("params", {})), note=raw.get("note"))


def _rule(raw: Mapping[str, Any], where: str) -> Rule:
    for key in ("id", "title", "trigger", "source", "confidence"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise RuleError(f"{where}: every rule needs a non-empty string {key!r}")
    if raw["confidence"] not in CONFIDENCE_LEVELS:
        raise RuleError(f"{where}: confidence must be one of {CONFIDENCE_LEVELS}")
    versions = tuple(
        sorted(
            (_version(v, f"{where} {raw['id']} version {i}") for i, v in enumerate(raw.get("version", []))),
            key=lambda v: v.effective,
        )
    )
    if not versions:
        raise RuleError(f"{where}: rule {raw['id']} has no [[rule.version]]")
    return Rule(
        id=raw["id"],
        title=raw["title"],
        trigger=raw["trigger"],
        source=raw["source"],
        confidence=raw["confidence"],
        versions=versions,
        note=raw.get("note"),
    )


def _read(path: Path, digest: Any, label: str) -> list[Rule]:
    """The rules of one file, its bytes added to `digest` under `label`."""
    data = path.read_bytes()
    digest.update(label.encode() + b"\0" + data)
    try:
        doc = tomllib.loads(data.decode())
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{label}: {exc}") from exc
    return [_rule(raw, f"{label} rule {i}") for i, raw in enumerate(doc.get("rule", []))]


def _layer(shipped: Rule, override: Rule, where: str) -> Rule:
    """`shipped` with `override`'s versions in force from the first one's effective date on.

    Shipped versions that take effect on or after that date give way; the one before it ends there. The
    override's title, trigger, source, confidence and note replace the shipped ones (its source is the one the
    firm read). Its versions may not overlap and must carry the parameters the code reads: every parameter of
    the shipped rule's newest version and no unknown one, so a firm's file cannot make a plan fail mid-way.
    """
    first = override.versions[0].effective
    for before, after in zip(override.versions, override.versions[1:], strict=False):
        if before.ends is None or before.ends > after.effective:
            raise RuleError(f"{where}: versions of {override.id} overlap ({before.effective} and {after.effective})")
    needed = set(shipped.versions[-1].params)
    known = {k for v in shipped.versions for k in v.params}
    for version in override.versions:
        missing, unknown = needed - set(version.params), set(version.params) - known
        if missing or unknown:
            raise RuleError(
                f"{where}: {override.id} version {version.effective}: parameters missing {sorted(missing)}, "
                f"unknown {sorted(unknown)} (the shipped rule has {sorted(known)})"
            )
    kept = [
        v if v.ends is not None and v.ends <= first else RuleVersion(v.effective, v.params, first, v.note)
        for v in shipped.versions
        if v.effective < first
    ]
    return Rule(
        id=shipped.id,
        title=override.title,
        trigger=override.trigger,
        source=override.source,
        confidence=override.confidence,
        versions=(*kept, *override.versions),
        note=override.note,
    )


def load_rules_from(directory: Path, overrides: Path | None = None) -> RuleSet:
    """Reads every `*.toml` in `directory` into a RuleSet whose version hashes the files' bytes, then layers
    the rules of every `*.toml` in `overrides` (a firm's newer versions of shipped rules, `_layer`) over them;
    their bytes are part of the version too, so plans cached under other rules are not served."""
    rules: dict[str, Rule] = {}
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.toml")):
        for rule in _read(path, digest, path.name):
            if rule.id in rules:
                raise RuleError(f"{path.name}: rule id {rule.id} is defined twice")
            rules[rule.id] = rule
    if not rules:
        raise RuleError(f"no rules found in {directory}")
    if overrides is not None:
        if not overrides.is_dir():
            raise RuleError(f"the rule overrides directory {overrides} does not exist or is not a directory")
        layered: set[str] = set()
        for path in sorted(overrides.glob("*.toml")):
            label = f"override/{path.name}"
            for rule in _read(path, digest, label):
                if rule.id not in rules:
                    raise RuleError(f"{label}: {rule.id} is no shipped rule; an override layers versions over one")
                if rule.id in layered:
                    raise RuleError(f"{label}: rule id {rule.id} is overridden twice")
                layered.add(rule.id)
                rules[rule.id] = _layer(rules[rule.id], rule, label)
    newest = max(v.effective for rule in rules.values() for v in rule.versions)
    version = f"{newest.isoformat()}+{digest.hexdigest()[:12]}"
    return RuleSet(rules=rules, version=version)


# A directory of a firm's rule files layered over the shipped ones (use_overrides); None: the shipped alone.
_overrides: Path | None = None


def use_overrides(directory: Path | None) -> RuleSet:
    """Layers the rule files of `directory` over the shipped ones for every later load_rules() of this process
    (None: the shipped rules alone), and loads them at once, so a bad file fails at start (RuleError)."""
    global _overrides
    if directory != _overrides:
        _overrides = directory
        load_rules.cache_clear()
    try:
        return load_rules()
    except RuleError:
        _overrides = None
        load_rules.cache_clear()
        raise


def overrides_dir() -> Path | None:
    """The directory use_overrides() named (a solver worker process is started with the same)."""
    return _overrides


@functools.cache
def load_rules() -> RuleSet:
    """The rules shipped with the package, with the overrides of use_overrides() (read once per process)."""
    return load_rules_from(PARAMS_DIR, _overrides)

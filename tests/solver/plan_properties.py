"""The expected properties of a golden plan, checked with the semantics of ../shared/scenarios/check.py.

A golden file holds {name, why, scenario, options, expect}; `check(plan_json, expect)` answers what differs
between the contract JSON of a plan (`solver.scenario_json.plan_to_json`) and `expect` (empty when it matches).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

Json = dict[str, Any]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def months_between(a: dt.date, b: dt.date) -> float:
    """check.py's month count: days / 30.4375."""
    return (b - a).days / 30.4375


def findings(plan: Json) -> list[tuple[str, str]]:
    """(rule id, message) of every blocker, explanation and step rule id."""
    out = [
        (f.get("ruleId", ""), f.get("message", ""))
        for f in (plan.get("blockers") or []) + (plan.get("explanation") or [])
    ]
    for step in plan.get("steps") or []:
        out += [(r, step.get("detail", "")) for r in step.get("ruleIds") or []]
    return out


def permit_mismatches(p: Json, want: Json, plan: Json) -> list[str]:
    """What differs between permit `p` and the wanted properties (empty when it matches)."""
    if "person" in want and p.get("person") != want["person"]:
        return ["person"]
    if "code" in want and p.get("code") != want["code"]:
        return ["code"]
    if "code_in" in want and p.get("code") not in want["code_in"]:
        return ["code"]
    bad: list[str] = []
    if "offerRef" in want and p.get("offerRef") != want["offerRef"]:
        bad.append(f"offerRef {p.get('offerRef')}")
    if "open" in want and p.get("open") != want["open"]:
        bad.append(f"open {p.get('open')}")
    for key in ("applyOn", "validFrom", "validTo"):
        if f"{key}_min" in want and _day(p[key]) < _day(want[f"{key}_min"]):
            bad.append(f"{key} {p[key]} < {want[f'{key}_min']}")
        if f"{key}_max" in want and _day(p[key]) > _day(want[f"{key}_max"]):
            bad.append(f"{key} {p[key]} > {want[f'{key}_max']}")
    if "applyOn_min_ref" in want:
        ref = plan.get(want["applyOn_min_ref"])
        if ref and _day(p["applyOn"]) < _day(ref):
            bad.append(f"applyOn {p['applyOn']} < {want['applyOn_min_ref']} {ref}")
    for key in ("applyOn", "validFrom", "validTo", "fee"):
        if key in want and p.get(key) != want[key]:
            bad.append(f"{key} {p.get(key)}, wanted {want[key]}")
    if "validMonths" in want:
        m = months_between(_day(p["validFrom"]), _day(p["validTo"]))
        lo, hi = want["validMonths"]
        if not lo <= m <= hi:
            bad.append(f"validity {m:.1f} months not in [{lo}, {hi}]")
    return bad


def _pr(plan: Json, expect: Json) -> list[str]:
    fails = []
    if "status_in" in expect and plan.get("status") not in expect["status_in"]:
        fails.append(f"status {plan.get('status')}")
    for key in ("prProgram", "prApplicant"):
        if key in expect and plan.get(key) != expect[key]:
            fails.append(f"{key} {plan.get(key)}, wanted {expect[key]}")
    if "prReadyDate" in expect:
        want, got = expect["prReadyDate"], plan.get("prReadyDate")
        if want is None:
            if got is not None:
                fails.append(f"prReadyDate {got}, wanted none")
        elif got is None:
            fails.append(f"prReadyDate none, wanted {want['min']}..{want['max']}")
        elif not _day(want["min"]) <= _day(got) <= _day(want["max"]):
            fails.append(f"prReadyDate {got} not in {want['min']}..{want['max']}")
    return fails


def _permits(plan: Json, expect: Json) -> list[str]:
    fails: list[str] = []
    permits = plan.get("permits") or []
    for want in expect.get("permits_include", []):
        key = {k: want[k] for k in ("person", "code", "code_in") if k in want}
        cands = [p for p in permits if not permit_mismatches(p, key, plan)]
        if not cands:
            fails.append(f"no permit {want.get('code') or want.get('code_in')} for {want.get('person', 'anyone')}")
        elif all(permit_mismatches(p, want, plan) for p in cands):
            fails.append(f"permit {cands[0].get('code')}: " + ", ".join(permit_mismatches(cands[0], want, plan)))
    for want in expect.get("permits_if_present", []):
        for p in permits:
            if p.get("person") == want.get("person", p.get("person")) and p.get("code") == want["code"]:
                fails += [f"permit {p['code']}: {b}" for b in permit_mismatches(p, want, plan)]
    for want in expect.get("permits_exclude", []):
        for p in permits:
            if p.get("code") == want["code"] and p.get("person") == want.get("person", p.get("person")):
                fails.append(f"unexpected permit {p['code']} for {p.get('person')}")
    return fails


def _jobs_gaps_findings(plan: Json, expect: Json) -> list[str]:
    fails = []
    jobs = plan.get("jobs") or []
    for want in expect.get("jobs_include", []):
        if not any(j.get("offerRef") == want["offerRef"] for j in jobs):
            fails.append(f"no job from offer {want['offerRef']}")
    gaps = plan.get("statusGaps") or []
    for who in expect.get("no_gaps_for", []):
        mine = [g for g in gaps if g.get("person") == who]
        if mine:
            fails.append(f"{who} has status gaps {[(g['start'], g['end']) for g in mine]}")
    for want in expect.get("has_gap_for", []):
        mine = [
            g
            for g in gaps
            if g.get("person") == want["person"]
            and ("workAuthorized" not in want or g.get("workAuthorized") == want["workAuthorized"])
        ]
        if not mine:
            fails.append(f"no status gap for {want['person']} (the facts imply one)")
    if "finding_prefix" in expect:
        fs = [(r, m) for r, m in findings(plan) if r.startswith(expect["finding_prefix"])]
        if not fs:
            fails.append(f"no finding with ruleId {expect['finding_prefix']}*")
        elif "finding_text_any" in expect:
            text = " ".join(r + " " + m for r, m in fs).lower()
            if not any(t.lower() in text for t in expect["finding_text_any"]):
                fails.append(f"{expect['finding_prefix']}* findings mention none of {expect['finding_text_any']}")
    return fails


def _matches(item: Json, want: Json) -> bool:
    """Whether `item` has every wanted property: a plain key equal, `<key>_prefix` a prefix of it,
    `<key>_min`/`<key>_max` a bound (dates or numbers), `text_any` some of the words in any of its texts."""
    for key, value in want.items():
        if key == "text_any":
            text = " ".join(str(v) for v in _texts(item)).lower()
            if not any(str(t).lower() in text for t in value):
                return False
        elif key.endswith("_prefix"):
            if not str(item.get(key.removesuffix("_prefix")) or "").startswith(value):
                return False
        elif key.endswith(("_min", "_max")):
            got = item.get(key[:-4])
            if got is None:
                return False
            if isinstance(value, str):
                got, value = _day(got), _day(value)
            if (got < value) if key.endswith("_min") else (got > value):
                return False
        elif item.get(key) != value:
            return False
    return True


def _texts(item: Any) -> list[Any]:
    if isinstance(item, dict):
        return [t for v in item.values() for t in _texts(v)]
    if isinstance(item, list):
        return [t for v in item for t in _texts(v)]
    return [item]


# Lists of the full plan (beyond the contract's PlanScenario selection) that `<list>_include` and
# `<list>_exclude` hold to: each wanted item must match some item (`_matches`), or none.
_LISTS = {
    "closed_routes": "closedRoutes",
    "deadlines": "deadlines",
    "steps": "steps",
    "blockers": "blockers",
    "explanation": "explanation",
    "jobs": "jobs",
    "status_gaps": "statusGaps",
    "pins": "pins",
}


def _lists(plan: Json, expect: Json) -> list[str]:
    fails: list[str] = []
    for short, key in _LISTS.items():
        items = plan.get(key) or []
        for want in expect.get(f"{short}_include", []):
            if not any(_matches(i, want) for i in items):
                fails.append(f"no {key} item matching {want}")
        for want in expect.get(f"{short}_exclude", []):
            bad = [i for i in items if _matches(i, want)]
            if bad:
                fails.append(f"{key} has {bad[0]}, which matches excluded {want}")
    if "fees" in expect:
        fees = plan.get("fees") or {}
        fails += [f"fees.{k} {fees.get(k)}, wanted {v}" for k, v in expect["fees"].items() if fees.get(k) != v]
    return fails


def check(plan: Json, expect: Json) -> list[str]:
    """Every property of `expect` that the contract JSON `plan` lacks (check.py's semantics)."""
    typename = plan.get("__typename")
    if "typename" in expect and typename != expect["typename"]:
        return [f"__typename {typename}, wanted {expect['typename']}"]
    if typename == "InvalidScenario":
        paths = " ".join(e.get("path", "") + " " + e.get("message", "") for e in plan.get("errors") or [])
        return [
            f"no error names any of {group}"
            for group in expect.get("invalid_paths_mention", [])
            if not any(g.lower() in paths.lower() for g in group)
        ]
    return _pr(plan, expect) + _permits(plan, expect) + _jobs_gaps_findings(plan, expect) + _lists(plan, expect)

"""Golden households planned once per test process, for the timeline, handout and calendar tests."""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

from solver.domain import Plan, Scenario
from solver.scenario_json import parse_document
from solver.solve import plan
from solver.validate import check_plan

GOLDEN = Path(__file__).parents[1] / "fixtures" / "golden"
# Two partners, each with a PGWP and a job, deadlines in both lanes (the picture in docs/timeline.svg).
BOTH_WORKING = "g27-both-partners-working"
# An employer-specific permit (CUSMA professional, T36) and an open one.
EMPLOYER_SPECIFIC = "g21-cusma-t36-us-citizen"


@functools.cache
def golden(name: str) -> tuple[Scenario, Plan]:
    """The golden household `name` and its plan (checked by the validator), solved once."""
    doc = json.loads((GOLDEN / f"{name}.json").read_text())
    parsed = parse_document({"scenario": doc["scenario"], "options": doc.get("options", {})})
    assert isinstance(parsed, tuple), parsed
    scenario, options = parsed
    options = dataclasses.replace(options, time_limit_ms=max(options.time_limit_ms, 20_000))
    result = plan(scenario, options)
    check_plan(scenario, result, options)
    return scenario, result


if __name__ == "__main__":  # `python -m tests.api.present_cases > docs/timeline.svg`
    import sys

    from api.present.timeline import timeline_svg

    scenario, result = golden(BOTH_WORKING)
    sys.stdout.write(timeline_svg(result, scenario, lang="en", today=scenario.as_of))

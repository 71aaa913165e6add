"""The timeline picture (api/present/timeline.py) of golden households, read back with xml.etree: one bar per
planned permit with its dates, open and employer-specific apart, markers for every deadline, no two labels
overlapping, escaped text, an accessible root, French words in French, and docs/timeline.svg up to date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from api.present.timeline import CHAR_WIDTH, timeline_svg
from solver.domain import Plan, Scenario
from tests.api.present_cases import BOTH_WORKING, EMPLOYER_SPECIFIC, golden

SVG = "{http://www.w3.org/2000/svg}"
DOCS_PICTURE = Path(__file__).parents[2] / "docs" / "timeline.svg"
Box = tuple[float, float, float, float]


def drawn(name: str, lang: str = "en", today: dt.date | None = None) -> tuple[Scenario, Plan, ET.Element]:
    scenario, plan = golden(name)
    svg = timeline_svg(plan, scenario, lang=lang, today=today or scenario.as_of)
    return scenario, plan, ET.fromstring(svg)


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def label_boxes(root: ET.Element) -> list[tuple[str, Box]]:
    """Each text's box from its attributes: the width a character may take at its size, anchored as drawn."""
    boxes = []
    for element in root.iter(f"{SVG}text"):
        content = element.text or ""
        x, y, size = (float(element.get(name, "0")) for name in ("x", "y", "font-size"))
        width = len(content) * size * CHAR_WIDTH
        left = {"start": x, "middle": x - width / 2, "end": x - width}[element.get("text-anchor", "start")]
        boxes.append((content, (left, y - size, left + width, y + 0.25 * size)))
    return boxes


def overlapping(boxes: list[tuple[str, Box]]) -> list[tuple[str, str]]:
    found = []
    for i, (a, (ax1, ay1, ax2, ay2)) in enumerate(boxes):
        for b, (bx1, by1, bx2, by2) in boxes[i + 1 :]:
            if ax1 < bx2 and bx1 < ax2 and ay1 < by2 and by1 < ay2:
                found.append((a, b))
    return found


@pytest.mark.parametrize("name", [BOTH_WORKING, EMPLOYER_SPECIFIC])
def test_one_bar_per_planned_permit_with_its_dates(name: str) -> None:
    _, plan, root = drawn(name)
    bars = [e for e in root.iter(f"{SVG}rect") if "permit" in classes(e)]
    assert sorted(
        (b.get("data-person"), b.get("data-code"), b.get("data-start"), b.get("data-end")) for b in bars
    ) == sorted((p.person.value, p.code, p.valid_from.isoformat(), p.valid_to.isoformat()) for p in plan.permits)
    for bar in bars:
        permit = next(
            p for p in plan.permits if p.code == bar.get("data-code") and p.person.value == bar.get("data-person")
        )
        assert ("open" in classes(bar)) is permit.open
        assert ("employer" in classes(bar)) is not permit.open


def test_open_and_employer_specific_bars_look_different_and_the_legend_names_both() -> None:
    _, _, both = drawn(BOTH_WORKING)
    _, _, employer = drawn(EMPLOYER_SPECIFIC)
    open_bar = next(e for e in both.iter(f"{SVG}rect") if "open" in classes(e))
    employer_bar = next(e for e in employer.iter(f"{SVG}rect") if "employer" in classes(e))
    assert open_bar.get("fill") != employer_bar.get("fill")
    legend = [e.text for e in both.iter(f"{SVG}text") if "legend-label" in classes(e)]
    assert {"Open work permit", "Employer-specific work permit", "No status", "Deadline", "PR ready", "Today"} <= set(
        legend
    )


def test_every_deadline_and_the_pr_ready_date_are_marked_in_their_lane() -> None:
    _, plan, root = drawn(BOTH_WORKING)
    marked = {
        (lane.get("data-person"), m.get("data-date"))
        for lane in root.iter(f"{SVG}g")
        if "lane" in classes(lane)
        for m in lane.iter(f"{SVG}polygon")
        if "deadline" in classes(m)
    }
    assert marked == {(d.person.value, d.date.isoformat()) for d in plan.deadlines}
    pr = [m for m in root.iter(f"{SVG}polygon") if "pr-ready" in classes(m)]
    assert plan.pr_ready_date is not None
    assert [m.get("data-date") for m in pr] == [plan.pr_ready_date.isoformat()]
    jobs = [e for e in root.iter(f"{SVG}rect") if "job" in classes(e)]
    assert sorted(j.get("data-start", "") for j in jobs) == sorted(j.start.isoformat() for j in plan.jobs)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", [BOTH_WORKING, EMPLOYER_SPECIFIC])
def test_no_two_labels_overlap(name: str, lang: str) -> None:
    _, _, root = drawn(name, lang)
    boxes = label_boxes(root)
    assert len(boxes) > 10
    assert overlapping(boxes) == []
    width = float(root.get("width", "0"))
    assert all(left >= 0 and right <= width for _, (left, _, right, _) in boxes)


def test_labels_crowded_on_one_day_go_to_rows_of_their_own() -> None:
    scenario, plan = golden(BOTH_WORKING)
    # Five deadlines of one person within a week: the laid-out labels still do not meet.
    first = plan.deadlines[0]
    crowded = tuple(dataclasses.replace(first, date=first.date + dt.timedelta(days=i)) for i in range(5))
    root = ET.fromstring(
        timeline_svg(dataclasses.replace(plan, deadlines=crowded), scenario, lang="en", today=scenario.as_of)
    )
    assert overlapping(label_boxes(root)) == []


def test_todays_line_is_where_it_is_told() -> None:
    _, _, root = drawn(BOTH_WORKING, today=dt.date(2027, 6, 1))
    today = next(g for g in root.iter(f"{SVG}g") if "today" in classes(g))
    assert today.get("data-date") == "2027-06-01"
    assert any("Jun 1, 2027" in (t.text or "") for t in today.iter(f"{SVG}text"))


def test_text_is_escaped_and_the_picture_is_accessible() -> None:
    scenario, plan = golden(BOTH_WORKING)
    hostile = dataclasses.replace(plan.permits[0], name='Work & "live" <here>')
    svg = timeline_svg(
        dataclasses.replace(plan, permits=(hostile, *plan.permits[1:])), scenario, lang="en", today=scenario.as_of
    )
    root = ET.fromstring(svg)  # parses: the name is escaped
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert any('Work & "live" <here>' in t for t in titles)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert root.get("aria-labelledby") == "timeline-title timeline-desc"
    assert "<script" not in svg and 'font-family="sans-serif"' in svg


def test_french_picture_speaks_french() -> None:
    _, _, root = drawn(BOTH_WORKING, "fr")
    words = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Aujourd'hui : 1 déc. 2026" in words
    assert "permis de travail postdiplôme" in words
    assert "Époux ou conjoint de fait" in words
    assert "Date limite" in words
    assert root.get("lang") == "fr"


def test_the_same_plan_draws_the_same_picture() -> None:
    scenario, plan = golden(BOTH_WORKING)
    assert timeline_svg(plan, scenario, lang="en", today=scenario.as_of) == timeline_svg(
        plan, scenario, lang="en", today=scenario.as_of
    )


def test_docs_timeline_is_the_golden_households_current_picture() -> None:
    scenario, plan = golden(BOTH_WORKING)
    expected = timeline_svg(plan, scenario, lang="en", today=scenario.as_of)
    assert DOCS_PICTURE.read_text(encoding="utf-8") == expected, (
        "docs/timeline.svg is stale: regenerate it with `python -m tests.api.present_cases > docs/timeline.svg`"
    )

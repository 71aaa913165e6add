"""The plan as a picture: an SVG timeline, one lane per person, written by hand (no script, no web font).

Each lane holds the person's permits as bars (open and employer-specific drawn apart, the processing from the
application day as a dashed lead-in), jobs as thin bars, status and work gaps as hatched bands, and markers for
the deadlines and the PR ready date; today's line crosses every lane and the axis below the title carries the
months. Marker labels are laid out in rows under their lane (`_Rows`: the first row where the label meets no
other and its leader line crosses none above), so no two labels overlap; text inside a bar is cut to the bar.

The same picture serves the page, the handout (fpdf2 draws it) and `Plan.timelineSvg`. Pure: the plan, its
scenario, the language and "today" in, a string out. Every permit bar carries `data-code`, `data-person`,
`data-start` and `data-end` (ISO days), and every text its box's inputs (x, y, font-size, text-anchor), so a
test or a script can read the picture back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final
from xml.sax.saxutils import escape

from api.present.words import Words
from solver.dates import add_months
from solver.domain import Plan, PlannedPermit, Role, Scenario

WIDTH: Final = 960
LEFT: Final = 190  # the lane titles' column
RIGHT: Final = 24
AXIS_Y: Final = 70
FONT: Final = 11
LABEL_FONT: Final = 10
# An upper bound of a sans-serif character's advance, as a share of the font size (labels are laid out with it).
CHAR_WIDTH: Final = 0.62
BAR: Final = 18
ROW: Final = 24
LABEL_ROW: Final = 15
PAD: Final = 6
LOOK_BACK_MONTHS: Final = 6

COLOURS: Final = {
    "open": "#2e7d32",
    "employer": "#1565c0",
    "job": "#8d6e63",
    "status-gap": "#c62828",
    "work-gap": "#ef6c00",
    "deadline": "#b71c1c",
    "pr": "#6a1b9a",
    "today": "#424242",
}


def text_width(text: str, size: float) -> float:
    """The width `text` may take at `size` (a bound, so boxes laid out with it do not meet once drawn)."""
    return len(text) * size * CHAR_WIDTH


def attr(value: object) -> str:
    """An attribute value, quoted and escaped."""
    return '"' + escape(str(value), {'"': "&quot;"}) + '"'


def text(x: float, y: float, content: str, *, size: float = FONT, anchor: str = "start", cls: str = "label") -> str:
    """A <text> with its box's inputs as attributes."""
    return (
        f"<text class={attr(cls)} x={attr(round(x, 1))} y={attr(round(y, 1))} font-size={attr(size)} "
        f"text-anchor={attr(anchor)}>{escape(content)}</text>"
    )


@dataclass(frozen=True)
class Axis:
    """Days to x: the chart's first and last day across the width left of the lane titles."""

    start: dt.date
    end: dt.date

    def x(self, day: dt.date) -> float:
        span = max((self.end - self.start).days, 1)
        clamped = min(max(day, self.start), self.end)
        return LEFT + (WIDTH - LEFT - RIGHT) * (clamped - self.start).days / span

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def ticks(self, words: Words) -> Iterator[tuple[dt.date, str]]:
        """First days of months, every 1, 2, 3, 6 or 12 months: the smallest step whose labels do not meet."""
        months = max(_months_between(self.start, self.end), 1)
        per_month = (WIDTH - LEFT - RIGHT) / months
        widest = max(text_width(words.month(dt.date(2027, m, 1)), LABEL_FONT) for m in range(1, 13))
        step = next((s for s in (1, 2, 3, 6, 12) if s * per_month * 0.95 >= widest + PAD), 12)
        day = dt.date(self.start.year, self.start.month, 1)
        while day <= self.end:
            if day >= self.start and (day.month - 1) % step == 0:
                yield day, words.month(day)
            day = add_months(day, 1)


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


@dataclass
class _Rows:
    """Label rows under a lane: each label goes in the first row where it meets no label and where its leader
    line (from the marker above) crosses no label of the rows above it."""

    rows: list[list[tuple[float, float]]] = field(default_factory=list)

    def place(self, anchor: float, left: float, right: float) -> int:
        for index, row in enumerate(self.rows):
            free = all(right + PAD <= a or left >= b + PAD for a, b in row)
            clear = all(not (a - 2 <= anchor <= b + 2) for above in self.rows[:index] for a, b in above)
            if free and clear:
                row.append((left, right))
                return index
        self.rows.append([(left, right)])
        return len(self.rows) - 1


@dataclass(frozen=True)
class _Marker:
    day: dt.date
    label: str
    kind: str  # "deadline" or "pr"
    title: str


def timeline_svg(plan: Plan, scenario: Scenario, *, lang: str | None, today: dt.date, flat: bool = False) -> str:
    """The plan's timeline as an SVG document (UTF-8 text), in `lang`, with today's line on `today`.

    `flat` draws solid fills instead of the stripes and hatching (for renderers without SVG patterns: fpdf2).
    """
    words = Words.of(lang)
    _ = words._
    axis = _axis(plan, scenario, today)
    body: list[str] = []
    y: float = AXIS_Y + 14
    for role in _roles(scenario):
        lane, height = _lane(plan, role, axis, words, y)
        body += lane
        y += height
    chart_bottom = y
    body += _today(axis, today, words, chart_bottom)
    legend, legend_height = _legend(words, chart_bottom + 14)
    height = chart_bottom + 14 + legend_height
    title = _("Plan timeline")
    desc = _describe(plan, axis, words)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="timeline-title timeline-desc" '
        f"width={attr(WIDTH)} height={attr(height)} viewBox={attr(f'0 0 {WIDTH} {height}')} "
        f'font-family="sans-serif" lang={attr(words.lang)}>',
        f'<title id="timeline-title">{escape(title)}</title>',
        f'<desc id="timeline-desc">{escape(desc)}</desc>',
        _defs(),
        f'<rect x="0" y="0" width={attr(WIDTH)} height={attr(height)} fill="#ffffff"/>',
        text(8, 20, title, size=14, cls="heading"),
    ]
    drawn = "\n".join([*head, *_axis_marks(axis, words, chart_bottom), *body, *legend, "</svg>"]) + "\n"
    return _flattened(drawn) if flat else drawn


# The solid fill of each pattern, for `flat` pictures.
FLAT_FILLS: Final = {
    "url(#stripes-employer)": "#90caf9",
    "url(#hatch-status-gap)": "#ef9a9a",
    "url(#hatch-work-gap)": "#ffcc80",
}


def _flattened(svg: str) -> str:
    svg = svg.replace(_defs() + "\n", "")
    svg = re.sub(r'<(title|desc) id="timeline-[a-z]+">.*?</\1>\n', "", svg)  # fpdf2 reads neither
    for pattern, colour in FLAT_FILLS.items():
        svg = svg.replace(f'fill="{pattern}"', f'fill="{colour}"')
    return svg.replace("…", "...")


def _roles(scenario: Scenario) -> list[Role]:
    """The lanes: the principal's, then the spouse's when there is one."""
    return [Role.PRINCIPAL] + ([Role.SPOUSE] if scenario.spouse is not None else [])


def _axis(plan: Plan, scenario: Scenario, today: dt.date) -> Axis:
    """From the first month of what the plan shows (at most LOOK_BACK_MONTHS before asOf) to the month after its
    last day."""
    days = [today, scenario.as_of]
    days += [d for p in plan.permits for d in (p.apply_on, p.valid_from, p.valid_to)]
    days += [j.start for j in plan.jobs] + [j.end for j in plan.jobs if j.end is not None]
    days += [d.date for d in plan.deadlines] + [s.date for s in plan.steps]
    days += [d for g in plan.status_gaps for d in (g.start, g.end)]
    if plan.pr_ready_date is not None:
        days.append(plan.pr_ready_date)
    first = max(min(days), add_months(min(today, scenario.as_of), -LOOK_BACK_MONTHS))
    last = max(days)
    return Axis(dt.date(first.year, first.month, 1), add_months(dt.date(last.year, last.month, 1), 1))


def _axis_marks(axis: Axis, words: Words, bottom: float) -> list[str]:
    out = [
        f'<g class="axis"><line x1={attr(LEFT)} y1={attr(AXIS_Y)} x2={attr(WIDTH - RIGHT)} y2={attr(AXIS_Y)} '
        'stroke="#616161"/>'
    ]
    for day, label in axis.ticks(words):
        x = round(axis.x(day), 1)
        if x + text_width(label, LABEL_FONT) / 2 > WIDTH:  # the last month's label would leave the picture
            continue
        out.append(f'<line x1={attr(x)} y1={attr(AXIS_Y - 4)} x2={attr(x)} y2={attr(bottom)} stroke="#e0e0e0"/>')
        out.append(text(x, AXIS_Y - 8, label, size=LABEL_FONT, anchor="middle", cls="label tick"))
    out.append("</g>")
    return out


def _pack(permits: Iterable[PlannedPermit]) -> list[tuple[PlannedPermit, int]]:
    """Permits in rows, a row per overlap (from the application day, so the lead-in never meets a bar)."""
    ends: list[dt.date] = []
    out: list[tuple[PlannedPermit, int]] = []
    for p in sorted(permits, key=lambda p: (p.apply_on, p.valid_from)):
        row = next((i for i, end in enumerate(ends) if end < p.apply_on), len(ends))
        if row == len(ends):
            ends.append(p.valid_to)
        else:
            ends[row] = p.valid_to
        out.append((p, row))
    return out


def _lane(plan: Plan, role: Role, axis: Axis, words: Words, top: float) -> tuple[list[str], float]:
    """One person's lane and its height."""
    out = [f'<g class="lane" data-person={attr(role.value)}>']
    out.append(text(8, top + 16, words.role(role), size=12, cls="label lane-title"))
    packed = _pack(p for p in plan.permits if p.person is role)
    rows = max((row for _, row in packed), default=-1) + 1
    for permit, row in packed:
        out += _permit_bar(permit, axis, words, top + 4 + row * ROW)
    y = top + 4 + max(rows, 1) * ROW
    jobs = [j for j in plan.jobs if j.person is role]
    for job in jobs:
        x1, x2 = axis.x(job.start), axis.x(job.end or axis.end)
        label = words._("Job {noc}").format(noc=job.noc_code)
        out.append(
            f'<rect class="job" data-start={attr(job.start.isoformat())} '
            f"data-end={attr(job.end.isoformat() if job.end else '')} x={attr(round(x1, 1))} y={attr(y)} "
            f'width={attr(round(max(x2 - x1, 1), 1))} height="12" fill={attr(COLOURS["job"])} rx="2">'
            f"<title>{escape(label)}</title></rect>"
        )
        out += _inner_label(label, x1, x2, y + 9.5, 9)
    y += 16 if jobs else 0
    gaps = [g for g in plan.status_gaps if g.person is role]
    for gap in gaps:
        kind = "work-gap" if gap.work_authorized else "status-gap"
        what = words._("No authorization to work") if gap.work_authorized else words._("No status")
        tip = words._("{what}: {start} to {end}").format(
            what=what, start=words.date(gap.start), end=words.date(gap.end)
        )
        x1, x2 = axis.x(gap.start), axis.x(gap.end + dt.timedelta(days=1))
        out.append(
            f"<rect class={attr(kind)} data-start={attr(gap.start.isoformat())} data-end={attr(gap.end.isoformat())} "
            f'x={attr(round(x1, 1))} y={attr(y)} width={attr(round(max(x2 - x1, 2), 1))} height="10" '
            f"fill={attr(f'url(#hatch-{kind})')} stroke={attr(COLOURS[kind])}><title>{escape(tip)}</title></rect>"
        )
    y += 14 if gaps else 0
    markers, height = _markers(_lane_markers(plan, role, words), axis, y)
    out += markers
    out.append(
        f'<line x1="0" y1={attr(round(y + height + 4, 1))} x2={attr(WIDTH)} y2={attr(round(y + height + 4, 1))} '
        'stroke="#bdbdbd"/>'
    )
    out.append("</g>")
    return out, y + height + 8 - top


def _permit_bar(permit: PlannedPermit, axis: Axis, words: Words, y: float) -> list[str]:
    kind = "open" if permit.open else "employer"
    x0, x1, x2 = axis.x(permit.apply_on), axis.x(permit.valid_from), axis.x(permit.valid_to)
    name = words.permit_name(permit.name)
    tip = words._("{name} ({code}): apply on {apply}, valid from {start} to {end}").format(
        name=name,
        code=permit.code,
        apply=words.date(permit.apply_on),
        start=words.date(permit.valid_from),
        end=words.date(permit.valid_to),
    )
    fill = COLOURS["open"] if permit.open else "url(#stripes-employer)"
    out = []
    if x1 - x0 >= 1:
        out.append(
            f'<line class="processing" x1={attr(round(x0, 1))} y1={attr(y + BAR / 2)} x2={attr(round(x1, 1))} '
            f'y2={attr(y + BAR / 2)} stroke={attr(COLOURS[kind])} stroke-dasharray="3 3"/>'
        )
    out.append(
        f'<circle class="application" cx={attr(round(x0, 1))} cy={attr(y + BAR / 2)} r="3" fill={attr(COLOURS[kind])}/>'
    )
    out.append(
        f"<rect class={attr(f'permit {kind}')} data-code={attr(permit.code)} data-person={attr(permit.person.value)} "
        f"data-apply={attr(permit.apply_on.isoformat())} data-start={attr(permit.valid_from.isoformat())} "
        f"data-end={attr(permit.valid_to.isoformat())} x={attr(round(x1, 1))} y={attr(y)} "
        f'width={attr(round(max(x2 - x1, 2), 1))} height={attr(BAR)} rx="3" fill={attr(fill)} '
        f"stroke={attr(COLOURS[kind])}><title>{escape(tip)}</title></rect>"
    )
    out += _inner_label(f"{permit.code} · {name}", x1, x2, y + 13, FONT, box=not permit.open)
    return out


def _inner_label(content: str, x1: float, x2: float, y: float, size: float, *, box: bool = False) -> list[str]:
    """The text inside a bar, cut to fit it (nothing when not even a few characters fit)."""
    room = int((x2 - x1 - 8) / (size * CHAR_WIDTH))
    if room < 4:
        return []
    shown = content if len(content) <= room else content[: room - 1].rstrip() + "…"
    if box:  # on the striped fill, a white ground keeps the text readable
        width = text_width(shown, size) + 4
        return [
            f'<rect class="text-ground" x={attr(round(x1 + 2, 1))} y={attr(round(y - size, 1))} '
            f'width={attr(round(width, 1))} height={attr(size + 3)} fill="#ffffff" opacity="0.85"/>',
            text(x1 + 4, y, shown, size=size, cls="label inner"),
        ]
    return [text(x1 + 4, y, shown, size=size, cls="label inner").replace("<text ", '<text fill="#ffffff" ', 1)]


def _lane_markers(plan: Plan, role: Role, words: Words) -> list[_Marker]:
    """The lane's deadlines (one marker per day and kind) and its PR ready date."""
    seen: set[tuple[dt.date, str]] = set()
    markers = []
    for d in plan.deadlines:
        if d.person is not role or (d.date, d.kind.value) in seen:
            continue
        seen.add((d.date, d.kind.value))
        what = words.deadline_kind(d)
        label = words._("{what}: {date}").format(what=what, date=words.date(d.date))
        markers.append(_Marker(d.date, label, "deadline", f"{label} ({d.rule_id})"))
    if plan.pr_ready_date is not None and plan.pr_applicant is role:
        label = words._("PR ready: {date}").format(date=words.date(plan.pr_ready_date))
        markers.append(_Marker(plan.pr_ready_date, label, "pr", label))
    return sorted(markers, key=lambda m: (m.day, m.kind))


def _markers(markers: list[_Marker], axis: Axis, top: float) -> tuple[list[str], float]:
    """The markers on one line and their labels in rows below it; the height they take."""
    if not markers:
        return [], 0
    rows = _Rows()
    placed: list[tuple[_Marker, float, int, str, float]] = []
    for m in markers:
        x = axis.x(m.day)
        width = text_width(m.label, LABEL_FONT)
        anchor, left = ("start", x - 1) if x + width <= WIDTH - 4 else ("end", x - width + 1)
        row = rows.place(x, left, left + width)
        placed.append((m, x, row, anchor, x - 1 if anchor == "start" else x + 1))
    leaders, shapes, labels = [], [], []
    marker_y = top + 6
    for m, x, row, anchor, tx in placed:
        label_y = top + 14 + (row + 1) * LABEL_ROW - 4
        leaders.append(
            f'<line class="leader" x1={attr(round(x, 1))} y1={attr(marker_y + 5)} x2={attr(round(x, 1))} '
            f'y2={attr(round(label_y - LABEL_FONT + 1, 1))} stroke="#9e9e9e" stroke-width="0.8"/>'
        )
        shapes.append(_marker_shape(m, x, marker_y))
        # A white ground under each label: a leader line passing behind a label of a row above stays hidden.
        left = tx if anchor == "start" else tx - text_width(m.label, LABEL_FONT)
        labels.append(
            f'<rect class="text-ground" x={attr(round(left - 1, 1))} y={attr(round(label_y - LABEL_FONT, 1))} '
            f"width={attr(round(text_width(m.label, LABEL_FONT) + 2, 1))} height={attr(LABEL_FONT + 3)} "
            'fill="#ffffff"/>'
        )
        labels.append(text(tx, label_y, m.label, size=LABEL_FONT, anchor=anchor))
    out = leaders + shapes + labels
    return out, 14 + len(rows.rows) * LABEL_ROW


def _marker_shape(m: _Marker, x: float, y: float) -> str:
    tip = f"<title>{escape(m.title)}</title>"
    if m.kind == "pr":
        points = f"{x:.1f},{y - 6} {x + 6:.1f},{y} {x:.1f},{y + 6} {x - 6:.1f},{y}"
        return (
            f'<polygon class="pr-ready" data-date={attr(m.day.isoformat())} points={attr(points)} '
            f"fill={attr(COLOURS['pr'])}>{tip}</polygon>"
        )
    points = f"{x:.1f},{y + 5} {x - 5:.1f},{y - 4} {x + 5:.1f},{y - 4}"
    return (
        f'<polygon class="deadline" data-date={attr(m.day.isoformat())} points={attr(points)} '
        f"fill={attr(COLOURS['deadline'])}>{tip}</polygon>"
    )


def _today(axis: Axis, today: dt.date, words: Words, bottom: float) -> list[str]:
    """Today's line across the lanes, its label above the axis's month labels."""
    if not axis.contains(today):
        return []
    x = axis.x(today)
    label = words._("Today: {date}").format(date=words.date(today))
    anchor = "start" if x + text_width(label, LABEL_FONT) <= WIDTH - 4 else "end"
    return [
        f'<g class="today" data-date={attr(today.isoformat())}>',
        f"<line x1={attr(round(x, 1))} y1={attr(AXIS_Y - 30)} x2={attr(round(x, 1))} y2={attr(bottom)} "
        f'stroke={attr(COLOURS["today"])} stroke-width="1.5" stroke-dasharray="6 3"/>',
        text(x + 3 if anchor == "start" else x - 3, AXIS_Y - 24, label, size=LABEL_FONT, anchor=anchor),
        "</g>",
    ]


def _legend(words: Words, top: float) -> tuple[list[str], float]:
    """The legend's swatches and words, wrapped to the width."""
    _ = words._
    items = [
        ("open", _("Open work permit")),
        ("employer", _("Employer-specific work permit")),
        ("processing", _("Application, then processing")),
        ("job", _("Job")),
        ("status-gap", _("No status")),
        ("work-gap", _("No authorization to work")),
        ("deadline", _("Deadline")),
        ("pr", _("PR ready")),
        ("today", _("Today")),
    ]
    out = ['<g class="legend">']
    x, y = 8.0, top
    for kind, label in items:
        width = 22 + text_width(label, LABEL_FONT) + 16
        if x + width > WIDTH - RIGHT:
            x, y = 8.0, y + 18
        out.append(_swatch(kind, x, y))
        out.append(text(x + 22, y + 9, label, size=LABEL_FONT, cls="label legend-label"))
        x += width
    out.append("</g>")
    return out, y - top + 22


def _swatch(kind: str, x: float, y: float) -> str:
    at = f"x={attr(x)} y={attr(y)}"
    if kind == "open":
        return f'<rect {at} width="16" height="10" rx="2" fill={attr(COLOURS["open"])}/>'
    if kind == "employer":
        stroke = attr(COLOURS["employer"])
        return f'<rect {at} width="16" height="10" rx="2" fill="url(#stripes-employer)" stroke={stroke}/>'
    if kind == "processing":
        return (
            f'<line x1={attr(x)} y1={attr(y + 5)} x2={attr(x + 16)} y2={attr(y + 5)} stroke="#616161" '
            f'stroke-dasharray="3 3"/><circle cx={attr(x + 2)} cy={attr(y + 5)} r="3" fill="#616161"/>'
        )
    if kind == "job":
        return f'<rect {at} width="16" height="8" rx="2" fill={attr(COLOURS["job"])}/>'
    if kind in ("status-gap", "work-gap"):
        return f'<rect {at} width="16" height="10" fill={attr(f"url(#hatch-{kind})")} stroke={attr(COLOURS[kind])}/>'
    if kind == "deadline":
        points = f"{x + 8},{y + 10} {x + 3},{y + 1} {x + 13},{y + 1}"
        return f"<polygon points={attr(points)} fill={attr(COLOURS['deadline'])}/>"
    if kind == "pr":
        points = f"{x + 8},{y} {x + 14},{y + 5} {x + 8},{y + 10} {x + 2},{y + 5}"
        return f"<polygon points={attr(points)} fill={attr(COLOURS['pr'])}/>"
    return (
        f"<line x1={attr(x + 8)} y1={attr(y - 1)} x2={attr(x + 8)} y2={attr(y + 11)} stroke={attr(COLOURS['today'])} "
        'stroke-width="1.5" stroke-dasharray="4 2"/>'
    )


def _defs() -> str:
    """The patterns: diagonal stripes for employer-specific permits, hatching for the gaps."""
    parts = ["<defs>"]
    parts.append(
        '<pattern id="stripes-employer" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#bbdefb"/>'
        f'<rect width="4" height="8" fill={attr(COLOURS["employer"])}/></pattern>'
    )
    for kind in ("status-gap", "work-gap"):
        parts.append(
            f'<pattern id={attr(f"hatch-{kind}")} width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(-45)"><rect width="6" height="6" fill="#ffffff"/>'
            f'<rect width="2" height="6" fill={attr(COLOURS[kind])}/></pattern>'
        )
    parts.append("</defs>")
    return "".join(parts)


def _describe(plan: Plan, axis: Axis, words: Words) -> str:
    """The picture in one or two sentences, for a reader who cannot see it."""
    _ = words._
    summary = _("From {start} to {end}: {permits} work permits, {deadlines} deadlines.").format(
        start=words.date(axis.start),
        end=words.date(axis.end),
        permits=len(plan.permits),
        deadlines=len(plan.deadlines),
    )
    if plan.pr_ready_date is None:
        return summary + " " + _("Permanent residence is not reachable within the horizon.")
    return summary + " " + _("Ready for permanent residence on {date}.").format(date=words.date(plan.pr_ready_date))

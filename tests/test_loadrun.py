"""The load test's judge (loadtests/run.py): marks missed are reported, and the loop lag is per phase."""

from __future__ import annotations

import math

from loadtests.run import PHASES, Row, judge, lag_p99_ms, paced
from loadtests.thresholds import REFERENCE_CEILING_RPS, slowness

INF = math.inf


def row(phase: str, name: str, *, count: int = 100, failures: int = 0, rps: float = 900.0, p95: float = 10.0) -> Row:
    return Row(phase=phase, name=name, count=count, failures=failures, rps=rps, p50=p95 / 2, p95=p95, p99=p95 * 2)


def test_marks_met_give_no_miss() -> None:
    rows = [row("reads", "Households"), row("reads", "PermitCategories"), row("reads", "Aggregated")]
    assert judge(rows, ["reads"]) == []


def test_each_missed_mark_is_named() -> None:
    rows = [
        row("reads", "Households", p95=70.0),
        row("reads", "PermitCategories", failures=1),
        row("reads", "Aggregated", rps=500.0),
    ]
    assert judge(rows, ["reads"]) == [
        "reads/Households: p95 70 ms > 50 ms",
        "reads/PermitCategories: failure ratio 0.010 > 0.0",
        "reads/Aggregated: 500.0 requests/s < 800",
    ]


def test_a_phase_without_requests_misses_and_phases_not_run_are_not_judged() -> None:
    assert judge([], ["cache"]) == ["cache/PlanScenario (hot): no requests recorded"]
    assert judge([], []) == []


def test_slow_busy_answers_miss() -> None:
    rows = [row("overload", "/healthz"), row("overload", "Households"), row("overload", "PlanScenario (busy)", p95=80)]
    assert judge(rows, ["overload"]) == ["overload/SOLVER_BUSY answers: p95 80 ms > 50 ms"]


def test_the_loop_lag_counts_only_the_samples_between_two_readings() -> None:
    # Before: 1000 samples of which 100 were slow (0.1 s); during: 1000 more, all within 5 ms.
    before = {0.005: 900.0, 0.02: 900.0, 0.1: 1000.0, INF: 1000.0}
    after = {0.005: 1900.0, 0.02: 1900.0, 0.1: 2000.0, INF: 2000.0}
    assert lag_p99_ms(before, after) == 5.0
    assert lag_p99_ms({}, after) == 100.0  # over the whole life, the slow start shows
    assert lag_p99_ms(after, after) is None


def test_a_slower_machine_is_judged_against_its_own_ceiling() -> None:
    # What the reference machine met, twice as slow: every time twice as long, every rate half.
    rows = [row("reads", "Households", p95=90.0), row("reads", "PermitCategories", p95=90.0)]
    rows.append(row("reads", "Aggregated", rps=450.0))
    assert judge(rows, ["reads"], slowness(REFERENCE_CEILING_RPS / 2)) == []
    assert judge(rows, ["reads"]) == [
        "reads/Households: p95 90 ms > 50 ms",
        "reads/PermitCategories: p95 90 ms > 50 ms",
        "reads/Aggregated: 450.0 requests/s < 800",
    ]
    # Slower still than the ceiling says: missed all the same.
    assert judge([*rows[:2], row("reads", "Aggregated", rps=300.0)], ["reads"], 2.0) == [
        "reads/Aggregated: 300.0 requests/s < 400"
    ]


def test_a_faster_machine_is_held_to_the_marks_as_written_and_pauses_scale_with_slowness() -> None:
    assert slowness(REFERENCE_CEILING_RPS * 3) == 1.0 and slowness(None) == 1.0
    reads = next(phase for phase in PHASES if phase.name == "reads")
    assert float(paced(reads, 2.0)["PERMITPATH_LOAD_PACING"]) == 2 * float(reads.env["PERMITPATH_LOAD_PACING"])
    assert paced(reads, 1.0) == {**reads.env, "PERMITPATH_LOAD_PACING": "0.0550"}

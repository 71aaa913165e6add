"""Metrics exposition and request-id logging."""

from __future__ import annotations

import json
import logging

from api.observability import JsonFormatter, Metrics, new_request_id, request_id_var


def test_metrics_render_in_prometheus_text_with_fresh_gauges() -> None:
    metrics = Metrics()
    metrics.requests.labels("PlanScenario", "ok").observe(0.03)
    metrics.plan_cache.labels("hit").inc()
    metrics.on_scrape(lambda: metrics.queue_depth.set(3))
    body, content_type = metrics.render()
    text = body.decode()
    assert content_type.startswith("text/plain")
    assert 'permitpath_graphql_request_seconds_count{operation="PlanScenario",outcome="ok"} 1.0' in text
    assert 'permitpath_plan_cache_total{result="hit"} 1.0' in text
    assert "permitpath_solver_queue_depth 3.0" in text


def test_two_metric_sets_do_not_collide() -> None:
    Metrics()
    Metrics()


def test_request_ids_are_kept_when_sane_and_made_otherwise() -> None:
    assert new_request_id("abc-12345678") == "abc-12345678"
    assert len(new_request_id(None)) == 32
    assert new_request_id("x\n" * 10) != "x\n" * 10


def test_log_lines_are_json_with_the_request_id() -> None:
    token = request_id_var.set("req-0000001")
    try:
        record = logging.LogRecord("permitpath", logging.INFO, __file__, 1, "solved %s", ("job-1",), None)
        record.duration_ms = 12.5
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert (line["request_id"], line["message"], line["duration_ms"], line["level"]) == (
        "req-0000001",
        "solved job-1",
        12.5,
        "info",
    )

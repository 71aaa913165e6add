"""Metrics exposition and request-id logging."""

from __future__ import annotations

import json
import logging

from api.keys import Role
from api.observability import JsonFormatter, Metrics, new_request_id, request_id_var
from api.view import OperationLabels
from tests.api.conftest import Service


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


def _count(service: Service, operation: str, outcome: str) -> float:
    registry = service.app.state.metrics.registry
    labels = {"operation": operation, "outcome": outcome}
    return registry.get_sample_value("permitpath_graphql_request_seconds_count", labels) or 0.0


async def test_every_graphql_request_is_timed_by_operation_and_status(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    before = _count(service, "Households", "200"), _count(service, "anonymous", "401")
    query = "query Households { households { edges { node { id } } } }"
    assert (await service.post({"query": query, "operationName": "Households"}, key)).status_code == 200
    assert (await service.post({"query": query}, "pp_000000000000_forged")).status_code == 401
    after = _count(service, "Households", "200"), _count(service, "anonymous", "401")
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)
    text = (await service.client.get("/metrics")).text
    assert 'permitpath_graphql_request_seconds_bucket{le="0.002",operation="Households",outcome="200"}' in text


def test_operation_labels_are_bounded() -> None:
    labels = OperationLabels(most=2)
    assert [labels.label(n) for n in ("A", "B", "C", "A", None, "", "x" * 101)] == [
        "A",
        "B",
        "other",
        "A",
        "anonymous",
        "anonymous",
        "other",
    ]

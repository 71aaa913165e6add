"""Cacheable answers and the rate limit as a client reads them.

A GET that names its document by id (documentId, or an APQ hash) and answers 200 without errors carries a weak
ETag and `Cache-Control: private, no-cache`; sending the ETag back in If-None-Match gets 304 without a body
until the answer changes. Every charged request carries RateLimit-Limit/-Remaining/-Reset; a plan is charged
the plan cost only when it solves (an invalid scenario, or a plan from the plan cache, costs a read). Both
databases, through the real app.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from api.keys import Role
from api.ratelimit import TokenBuckets
from schema.manifest import sha256_hex
from tests.api.conftest import BUILTIN_ID, GRAPHQL_RESPONSE, Service, serve, settings_for
from tests.api.test_auth import CREATE
from tests.api.test_http_ratelimit import INVALID_PLAN, BusyRunner, Clock
from tests.api.test_plan_jobs import START

CATEGORIES = {"documentId": BUILTIN_ID, "operationName": "PermitCategories"}
HOUSEHOLDS = "query Names { households(first: 10) { edges { node { name } } } }"
SCENARIO = Path(__file__).parents[1] / "fixtures" / "scenarios" / "p01-bachelor-pgwp-cec.json"
WEAK_TAG = re.compile(r'W/"[0-9a-f]{32}"')


def apq(text: str) -> dict[str, str]:
    """The query-string parameters of an APQ GET for `text` (its hash only)."""
    return {"extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(text)}})}


async def conditional_get(service: Service, params: dict[str, str], key: str, tag: str) -> Any:
    headers = {"Authorization": f"Bearer {key}", "Accept": GRAPHQL_RESPONSE, "If-None-Match": tag}
    return await service.client.get("/graphql", params=params, headers=headers)


async def test_a_get_by_document_id_has_an_etag_and_answers_304_when_unchanged(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.INTEGRATOR)
    first = await service.get(CATEGORIES, key)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert WEAK_TAG.fullmatch(tag)
    assert first.headers["cache-control"] == "private, no-cache"
    assert first.headers["vary"] == "Accept, Authorization, Accept-Encoding"

    again = await conditional_get(service, CATEGORIES, key, tag)
    assert (again.status_code, again.content) == (304, b"")
    assert (again.headers["etag"], again.headers["cache-control"]) == (tag, "private, no-cache")
    assert again.headers["vary"] == first.headers["vary"]  # as the 200 it stands for (gzipped: over 1 kB)
    listed = await conditional_get(service, CATEGORIES, key, f'"other", {tag.removeprefix("W/")}')
    assert listed.status_code == 304  # compared weakly, in a list
    stale = await conditional_get(service, CATEGORIES, key, 'W/"0123"')
    assert (stale.status_code, stale.json()) == (200, first.json())


async def test_the_etag_moves_when_the_answer_does(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    registered = {"query": HOUSEHOLDS, "extensions": json.loads(apq(HOUSEHOLDS)["extensions"])}
    assert (await service.post(registered, key)).status_code == 200  # APQ learns the text with its hash
    before = await service.get(apq(HOUSEHOLDS), key)
    assert (before.status_code, before.json()) == (200, {"data": {"households": {"edges": []}}})
    await service.data(CREATE, key)
    after = await conditional_get(service, apq(HOUSEHOLDS), key, before.headers["etag"])
    assert after.status_code == 200
    assert after.json() == {"data": {"households": {"edges": [{"node": {"name": "Haddad"}}]}}}
    assert after.headers["etag"] != before.headers["etag"]


async def test_posts_query_text_and_errors_carry_no_validators(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    posted = await service.post(CATEGORIES, key)
    text = await service.get({"query": "{ rulesVersion }"}, key)
    failed = await service.get({**CATEGORIES, "variables": json.dumps({"asOf": "not a date"})}, key)
    for response in (posted, text, failed):
        assert "etag" not in response.headers and "cache-control" not in response.headers
    assert (posted.status_code, text.status_code, failed.status_code) == (200, 200, 400)


async def test_every_charged_answer_says_what_is_left_of_the_rate(database_url: str) -> None:
    async with serve(settings_for(database_url)) as service:
        clock = Clock()
        service.app.state.gateway.buckets = TokenBuckets(5.0, 0.5, clock=clock)
        key = await service.key(await service.tenant(), Role.INTEGRATOR)
        seen = []
        for _ in range(6):
            response = await service.post(CATEGORIES, key)
            seen.append(
                (
                    response.status_code,
                    response.headers["ratelimit-limit"],
                    response.headers["ratelimit-remaining"],
                    response.headers["ratelimit-reset"],
                )
            )
        # Each read spends one token; the bucket refills at 0.5 a second: empty, it is full again in 10 s.
        assert seen == [
            (200, "5", "4", "2"),
            (200, "5", "3", "4"),
            (200, "5", "2", "6"),
            (200, "5", "1", "8"),
            (200, "5", "0", "10"),
            (429, "5", "0", "10"),
        ]
        clock.now += 3
        assert (await service.post(CATEGORIES, key)).headers["ratelimit-remaining"] == "0"  # 1.5 tokens, less 1
        unauthenticated = await service.post(CATEGORIES, None)
        assert unauthenticated.status_code == 401 and "ratelimit-limit" not in unauthenticated.headers


async def test_a_plan_costs_the_plan_cost_only_when_it_solves(database_url: str) -> None:
    async with serve(settings_for(database_url, plan_cost=10.0)) as service:
        clock = Clock()
        service.app.state.gateway.buckets = TokenBuckets(100.0, 0.001, clock=clock)
        key = await service.key(await service.tenant(), Role.CONSULTANT)

        async def remaining_after(body: dict[str, Any]) -> tuple[str, int]:
            response = await service.post(body, key)
            assert response.status_code == 200, response.json()
            return response.json()["data"]["planScenario"]["__typename"], int(response.headers["ratelimit-remaining"])

        assert await remaining_after(INVALID_PLAN) == ("InvalidScenario", 99)  # answered without solving
        scenario = json.loads(SCENARIO.read_text())["scenario"]
        valid = {**INVALID_PLAN, "variables": {"scenario": scenario, "options": {"timeLimitMs": 3000}}}
        assert await remaining_after(valid) == ("Plan", 89)  # solved
        assert await remaining_after(valid) == ("Plan", 88)  # the same question: from the plan cache
        started = await service.post({"query": START, "variables": valid["variables"]}, key)
        assert started.json()["data"]["startPlan"]["__typename"] == "PlanJob"
        assert started.headers["ratelimit-remaining"] == "87"  # a job the plan cache answers costs a read too


async def test_a_plan_the_solver_was_too_busy_to_take_costs_a_read(database_url: str) -> None:
    async with serve(settings_for(database_url, plan_cost=10.0)) as service:
        service.app.state.services.solve_runner = BusyRunner()
        service.app.state.gateway.buckets = TokenBuckets(100.0, 0.001, clock=Clock())
        key = await service.key(await service.tenant(), Role.INTEGRATOR)
        scenario = json.loads(SCENARIO.read_text())["scenario"]
        busy = await service.post({**INVALID_PLAN, "variables": {"scenario": scenario}}, key)
        assert (busy.status_code, busy.json()["errors"][0]["extensions"]) == (429, {"code": "SOLVER_BUSY"})
        assert busy.headers["ratelimit-remaining"] == "99"

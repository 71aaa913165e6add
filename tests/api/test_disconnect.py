"""A client that hangs up during a plan cancels its solve and frees the worker (api/view.py).

The app is called as an ASGI server would call it: the body, then (when the test says so) the
`http.disconnect` a server sends when the connection closes. The solve runs in a real worker process.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

from api.keys import Role
from loadtests.wire import scenario_json
from tests.api.conftest import serve, settings_for
from tests.api.slow import slow_household

PLAN = """query Plan($scenario: ScenarioInput!, $options: PlanOptionsInput) {
  planScenario(scenario: $scenario, options: $options) { __typename ... on Plan { status } } }"""
# A household whose search runs to its time limit (tests/api/slow.py): a solve that is still running when the
# client hangs up a moment after it started.
SLOW = slow_household()


class Client:
    """One HTTP exchange as the ASGI app sees it: `hang_up()` makes the next receive a disconnect."""

    def __init__(self, body: bytes) -> None:
        self._messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._messages.put_nowait({"type": "http.request", "body": body, "more_body": False})
        self.sent: list[dict[str, Any]] = []

    def hang_up(self) -> None:
        self._messages.put_nowait({"type": "http.disconnect"})

    async def receive(self) -> dict[str, Any]:
        return await self._messages.get()

    async def send(self, message: MutableMapping[str, Any]) -> None:
        self.sent.append(dict(message))


def scope(key: str, length: int) -> dict[str, Any]:
    headers = [
        (b"host", b"testserver"),
        (b"content-type", b"application/json"),
        (b"accept", b"application/json"),
        (b"authorization", f"Bearer {key}".encode()),
        (b"content-length", str(length).encode()),
    ]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


async def test_hanging_up_cancels_the_solve_and_frees_the_worker(database_url: str) -> None:
    async with serve(settings_for(database_url, solver_workers=1, solver_queue=1)) as service:
        key = await service.key(await service.tenant(), Role.CONSULTANT)
        runner = service.app.state.services.solve_runner
        variables = {"scenario": scenario_json(SLOW), "options": {"timeLimitMs": 9000}}
        body = json.dumps({"query": PLAN, "variables": variables}).encode()
        client = Client(body)
        request = asyncio.ensure_future(service.app(scope(key, len(body)), client.receive, client.send))
        while runner.busy_workers == 0:
            assert not request.done(), client.sent
            await asyncio.sleep(0.02)

        client.hang_up()
        await asyncio.wait_for(request, timeout=60)  # a safety net: the hang-up ends it at once

        assert runner.busy_workers == 0 and runner.queue_depth == 0
        assert client.sent[0]["status"] == 499
        # The freed worker solves the next plan.
        quick = {"scenario": scenario_json(SLOW), "options": {"timeLimitMs": 300}}
        answer = await service.post({"query": PLAN, "variables": quick}, key, accept="application/json")
        assert answer.json()["data"]["planScenario"]["__typename"] == "Plan"


async def test_a_client_that_stays_gets_its_plan(database_url: str) -> None:
    """The watch for a hang-up does not end a request whose client keeps waiting."""
    async with serve(settings_for(database_url, solver_workers=1, solver_queue=1)) as service:
        key = await service.key(await service.tenant(), Role.CONSULTANT)
        variables = {"scenario": scenario_json(SLOW), "options": {"timeLimitMs": 300}}
        body = json.dumps({"query": PLAN, "variables": variables}).encode()
        client = Client(body)
        await asyncio.wait_for(service.app(scope(key, len(body)), client.receive, client.send), timeout=120)
        assert client.sent[0]["status"] == 200
        answer = json.loads(b"".join(m.get("body", b"") for m in client.sent[1:]))
        assert answer["data"]["planScenario"]["__typename"] == "Plan"

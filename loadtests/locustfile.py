"""Locust personas for permitpath: the people and programs that call it.

- `Consultant`: an RCIC browsing the firm's households (people, permits, offers) and the permit catalog.
- `FrontendPlanner`: a frontend running what-if `planScenario` calls over generated households; a share
  of them repeat a small hot set (cache hits), the rest are fresh (cache misses), so the mix is controlled.
- `Integrator`: a partner system sending the contract's persisted documents by id over GET.
- `HealthProbe`: a load balancer polling /healthz.

Every request is named by its GraphQL operation; a 200 that carries `errors` counts as a failure. The users
are `FastHttpUser`s (geventhttpclient): the load generator shares the machine with the service, and the
cheaper each request is to send, the more of the machine the figures measure the service with.
Keys and the mix come from the environment (`loadtests/run.py` sets them): PERMITPATH_LOAD_CONSULTANT_KEY,
PERMITPATH_LOAD_INTEGRATOR_KEY, PERMITPATH_LOAD_HIT_RATIO, PERMITPATH_LOAD_SEED, PERMITPATH_LOAD_PACING
(a reader starts a request every so many seconds, so 50 readers at 0.055 s offer about 900 requests/s and
latency is measured at that rate, not at saturation; default: a 0.05-0.2 s pause after each answer), and
PERMITPATH_LOAD_PLANNER_PACING / PERMITPATH_LOAD_PLANNER_WAIT (a planner's pace, or its pause after an
answer), PERMITPATH_LOAD_SHAPE (`headline`: every planned household is a couple with 3 offers over 60 months;
default: the mixed generator).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, constant_pacing, task

from loadtests.generate import scenario
from loadtests.wire import scenario_json

OPERATIONS = (Path(__file__).parents[1] / "api" / "operations.graphql").read_bytes()
DOCUMENT_ID = "sha256:" + hashlib.sha256(OPERATIONS).hexdigest()
HOUSEHOLDS = """query Households($first: Int!) {
  households(first: $first) { edges { node { id name
    members { role name citizenships inCanada status { kind validTo permitCode }
      permits { code open validFrom validTo status } languageTests { test taken speaking } }
    offers { ref employerName nocCode province hoursPerWeek lmiaExemptCode } } } }
}"""
PERMIT_CATEGORIES = "query PermitCategories { permitCategories { code name program open requiresOffer } }"
PLAN_FIELDS = "status prReadyDate prProgram permits { code applyOn validTo } fees { total } solveMs"
PLAN_SCENARIO = f"""query PlanScenario($scenario: ScenarioInput!, $options: PlanOptionsInput) {{
  planScenario(scenario: $scenario, options: $options) {{
    __typename ... on Plan {{ {PLAN_FIELDS} }} ... on InvalidScenario {{ errors {{ path message }} }} }}
}}"""

SEED = int(os.environ.get("PERMITPATH_LOAD_SEED", "7"))
HIT_RATIO = float(os.environ.get("PERMITPATH_LOAD_HIT_RATIO", "0.5"))
PLANNER_WAIT = float(os.environ.get("PERMITPATH_LOAD_PLANNER_WAIT", "0.5"))
PLANNER_PACING = os.environ.get("PERMITPATH_LOAD_PLANNER_PACING")
BUSY_OK = os.environ.get("PERMITPATH_LOAD_BUSY_OK") == "1"
PACING = os.environ.get("PERMITPATH_LOAD_PACING")
HEADLINE = os.environ.get("PERMITPATH_LOAD_SHAPE") == "headline"
HOT_SET = 20
_fresh_seeds = itertools.count(10_000 * SEED + HOT_SET)
_user_numbers = itertools.count()


def _headers(key_env: str) -> dict[str, str]:
    key = os.environ.get(key_env)
    headers = {"Accept": "application/graphql-response+json, application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return headers


def _reader_wait() -> Any:
    """A reader's pace: one request every PERMITPATH_LOAD_PACING seconds when set, else a 0.05-0.2 s pause."""
    return constant_pacing(float(PACING)) if PACING is not None else between(0.05, 0.2)


def _error_code(response: Any) -> str:
    """The first error's extensions.code, or ''."""
    try:
        return str(response.json()["errors"][0]["extensions"]["code"])
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


def _check(response: Any, operation: str) -> None:
    """Marks the request failed on a non-200 or a body with errors (SOLVER_BUSY is named so)."""
    if response.status_code != 200:
        response.failure(f"{operation}: HTTP {response.status_code} {_error_code(response)}".strip())
        return
    try:
        body = response.json()
    except ValueError:
        response.failure(f"{operation}: body is not JSON")
        return
    if body.get("errors"):
        response.failure(f"{operation}: {body['errors'][0].get('message', 'error')[:120]}")
    else:
        response.success()


class Consultant(FastHttpUser):
    """Reads: the household list with everything nested, and the permit catalog."""

    weight = 3
    wait_time = _reader_wait()

    def on_start(self) -> None:
        self.headers = _headers("PERMITPATH_LOAD_CONSULTANT_KEY")

    def _post(self, operation: str, query: str, variables: dict[str, Any] | None = None) -> None:
        body = {"query": query, "operationName": operation, "variables": variables or {}}
        with self.client.post(
            "/graphql", json=body, headers=self.headers, name=operation, catch_response=True
        ) as response:
            _check(response, operation)

    @task(3)
    def browse_households(self) -> None:
        self._post("Households", HOUSEHOLDS, {"first": 20})

    @task(1)
    def permit_categories(self) -> None:
        self._post("PermitCategories", PERMIT_CATEGORIES)


class FrontendPlanner(FastHttpUser):
    """What-if plans: HIT_RATIO of the calls repeat one of HOT_SET households, the rest are new."""

    weight = 2
    # Paced (one plan every PERMITPATH_LOAD_PLANNER_PACING s) to measure latency at a rate; else a pause.
    wait_time = constant_pacing(float(PLANNER_PACING)) if PLANNER_PACING else between(0.0, PLANNER_WAIT)

    def on_start(self) -> None:
        self.headers = _headers("PERMITPATH_LOAD_CONSULTANT_KEY")
        self.rng = random.Random(SEED * 7919 + next(_user_numbers))

    @task
    def plan_scenario(self) -> None:
        hit = self.rng.random() < HIT_RATIO
        seed = self.rng.randrange(HOT_SET) + 10_000 * SEED if hit else next(_fresh_seeds)
        shape: dict[str, Any] = {"couple": True, "offers": 3, "horizon_months": 60} if HEADLINE else {}
        household = scenario(random.Random(seed), **shape)
        body = {
            "query": PLAN_SCENARIO,
            "operationName": "PlanScenario",
            "variables": {"scenario": scenario_json(household), "options": {"timeLimitMs": 2000}},
        }
        name = "PlanScenario (hot)" if hit else "PlanScenario (new)"
        sent = time.perf_counter()
        with self.client.post("/graphql", json=body, headers=self.headers, name=name, catch_response=True) as r:
            if BUSY_OK and _error_code(r) == "SOLVER_BUSY":
                # Under overload a quick refusal is the right answer: record its latency under its own name.
                r.success()
                self.environment.events.request.fire(
                    request_type="POST",
                    name="PlanScenario (busy)",
                    response_time=(time.perf_counter() - sent) * 1000,
                    response_length=len(r.content or b""),
                    exception=None,
                    context={},
                )
                # A frontend honours Retry-After, as the protocol asks, rather than asking again at once.
                time.sleep(float(r.headers.get("Retry-After") or 1))
            else:
                _check(r, name)


class Integrator(FastHttpUser):
    """Persisted documents by id over GET, as a cache in front of the service would see them."""

    weight = 2
    wait_time = _reader_wait()

    def on_start(self) -> None:
        self.headers = _headers("PERMITPATH_LOAD_INTEGRATOR_KEY")

    @task
    def permit_categories_by_id(self) -> None:
        params = {
            "documentId": DOCUMENT_ID,
            "operationName": "PermitCategories",
            "variables": json.dumps({"asOf": "2026-12-01"}),
        }
        with self.client.get(
            "/graphql", params=params, headers=self.headers, name="PermitCategories (GET by id)", catch_response=True
        ) as response:
            _check(response, "PermitCategories (GET by id)")


class BareEndpoint(FastHttpUser):
    """The ceiling: a bare Starlette endpoint (/healthz), no GraphQL, no database."""

    weight = 1
    wait_time = between(0.0, 0.0)

    @task
    def bare(self) -> None:
        with self.client.get("/healthz", name="ceiling: /healthz", catch_response=True) as response:
            _check_status(response)


class TrivialQuery(FastHttpUser):
    """The ceiling for GraphQL: `{ __typename }` through the whole endpoint (auth, limits, execution)."""

    weight = 1
    wait_time = between(0.0, 0.0)

    def on_start(self) -> None:
        self.headers = _headers("PERMITPATH_LOAD_CONSULTANT_KEY")

    @task
    def trivial(self) -> None:
        body = {"query": "query Trivial { __typename }", "operationName": "Trivial"}
        with self.client.post(
            "/graphql", json=body, headers=self.headers, name="ceiling: Trivial", catch_response=True
        ) as response:
            _check(response, "Trivial")


def _check_status(response: Any) -> None:
    if response.status_code == 200:
        response.success()
    else:
        response.failure(f"HTTP {response.status_code}")


class HealthProbe(FastHttpUser):
    """A load balancer's probe."""

    weight = 1
    wait_time = constant_pacing(0.1)

    @task
    def healthz(self) -> None:
        with self.client.get("/healthz", name="/healthz", catch_response=True) as response:
            _check_status(response)

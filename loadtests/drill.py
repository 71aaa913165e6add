"""The fault drill: re-runs each finding of the fault review (issue 10) against real services and prints what held.

    .venv/bin/python -m loadtests.drill [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

It starts `permitpath serve` twice, each on a fresh database of its own: once on PostgreSQL reached through a
TCP proxy this drill can cut (a database outage that the service cannot tell from a real one), once on an SQLite
file. Then it breaks things on purpose: it revokes a key during a subscription, asks for plans under a time
limit, bursts one firm's plans, kills workers and the service with SIGKILL, cuts the database, sends hostile
input and races writers. Each probe prints one line: the finding's number, what was observed, and HELD or
BROKEN. Traffic goes to 127.0.0.1 only; every wait is bounded, so the drill stops by itself (a few minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import itertools
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import psutil
import websocket
from sqlalchemy import text
from sqlalchemy.engine import make_url

from api.demo import DEMO_HOUSEHOLDS
from db.engine import make_engine
from loadtests.generate import scenario
from loadtests.run import BIN, KEY, free_port, permitpath
from loadtests.wire import scenario_json

PLAN = """query Plan($scenario: ScenarioInput!, $options: PlanOptionsInput) {
  planScenario(scenario: $scenario, options: $options) { __typename ... on Plan { status prReadyDate } } }"""
START = """mutation Start($scenario: ScenarioInput, $householdId: ID, $options: PlanOptionsInput) {
  startPlan(scenario: $scenario, householdId: $householdId, options: $options) { __typename ... on PlanJob { id } } }"""
JOB = "query Job($id: ID!) { planJob(id: $id) { __typename ... on PlanJob { state error plan { status } } } }"
WATCH = "subscription Watch($id: ID!) { planJobUpdates(id: $id) { __typename ... on PlanJob { id state } } }"
CREATE = """mutation Create($input: CreateHouseholdInput!, $key: String) {
  createHousehold(input: $input, idempotencyKey: $key) {
    __typename ... on HouseholdPayload { household { id members { id } } } } }"""
CREATE_PLAIN = """mutation Create($input: CreateHouseholdInput!) {
  createHousehold(input: $input) { __typename ... on HouseholdPayload { household { id members { id } } } } }"""
RENAME = """mutation Rename($id: ID!, $name: String!) {
  updateHousehold(id: $id, input: {name: $name}) { __typename } }"""
EDUCATION = """mutation Edu($memberId: ID!) { createEducation(memberId: $memberId, input: {credential: BACHELOR,
  institution: UNIVERSITY, canadian: true, start: "2019-09-01", completion: "2023-05-01"}) { __typename } }"""
AUDIT = """query Audit($id: ID!, $after: String) { auditLog(first: 100, recordId: $id, after: $after) {
  edges { node { action changes } } pageInfo { hasNextPage endCursor } } }"""
DELETE = "mutation Delete($id: ID!) { deleteHousehold(id: $id) { __typename } }"
# The demo's first household, as a client sends it: a worker with a spouse-less file.
HOUSEHOLD: dict[str, Any] = copy.deepcopy(DEMO_HOUSEHOLDS[0])
HOUSEHOLD.pop("spouse", None)
PRINCIPAL: dict[str, Any] = HOUSEHOLD["principal"]


@dataclass
class Outcome:
    finding: str
    observed: str
    held: bool


@dataclass
class Service:
    """A `permitpath serve` of the drill's, with its database URL, keys and base address."""

    url: str
    env: dict[str, str]
    base: str = ""
    process: subprocess.Popen[bytes] | None = None
    keys: dict[str, str] = field(default_factory=dict)

    def key(self, tenant: str, role: str = "consultant") -> str:
        name = f"{tenant}-{role}"
        if name not in self.keys:
            out = permitpath("keys", "create", "--tenant", tenant, "--role", role, "--name", name, env=self.env)
            found = KEY.search(out)
            assert found is not None, out
            self.keys[name] = found.group(0)
        return self.keys[name]

    def start(self) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(BIN / "permitpath"), "serve", "--port", str(port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    # the workers boot after readiness on older builds: one small plan warms them
                    return
            time.sleep(0.25)
        raise SystemExit("the service did not become ready")

    def stop(self) -> str:
        """Stops the service; returns what it logged at error level (lines)."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
            if self.process.poll() is None:
                self.process.kill()
        assert self.process.stderr is not None
        log = self.process.stderr.read().decode(errors="replace")
        return "\n".join(line for line in log.splitlines() if '"level": "error"' in line or "Traceback" in line)

    def gql(self, key: str, query: str, variables: dict[str, Any] | None = None, timeout: float = 90) -> httpx.Response:
        body = {"query": query, "variables": variables or {}}
        headers = {"Authorization": f"Bearer {key}"}
        return httpx.post(f"{self.base}/graphql", json=body, headers=headers, timeout=timeout)

    def metric(self, name: str) -> float:
        for line in httpx.get(f"{self.base}/metrics", timeout=10).text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        return float("nan")

    def workers(self) -> list[psutil.Process]:
        assert self.process is not None
        children = psutil.Process(self.process.pid).children(recursive=True)
        return [p for p in children if _alive(p) and "resource_tracker" not in _command(p)]


def _command(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def _alive(process: psutil.Process) -> bool:
    try:
        return bool(process.status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def code(response: httpx.Response) -> str:
    """The first error's code (or the result's __typename), for the report."""
    try:
        body = response.json()
    except ValueError:
        return f"non-JSON {response.text[:60]!r}"
    errors = body.get("errors") or []
    if errors:
        return str((errors[0].get("extensions") or {}).get("code", errors[0].get("message", "")[:60]))
    data = body.get("data") or {}
    first = next(iter(data.values()), None) if data else None
    return str(first.get("__typename", "ok")) if isinstance(first, dict) else "ok"


def heavy(seed: int, offers: int = 6) -> dict[str, Any]:
    return scenario_json(scenario(random.Random(seed), couple=True, offers=offers, horizon_months=120))


class Proxy:
    """A TCP proxy to PostgreSQL that can be cut (every connection closed, new ones refused) and restored."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self.restore()

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in self._writers:
            writer.transport.abort()
        self._writers.clear()

    def cut(self) -> None:
        self._call(self._cut())

    def restore(self) -> None:
        self._call(self._start())


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    name = f"permitpath_drill_{secrets.token_hex(4)}"

    async def admin(statement: str) -> None:
        engine = make_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def service_env(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "PERMITPATH_TENANT": "demo",
        "PERMITPATH_RATE_CAPACITY": "100000",
        "PERMITPATH_RATE_PER_SECOND": "100000",
        "PERMITPATH_SOLVER_WORKERS": "2",
        "PERMITPATH_SOLVER_QUEUE": "4",
        "PERMITPATH_LOG_LEVEL": "info",
        "PERMITPATH_RESPONSE_CACHE_ENTRIES": "0",
        **extra,
    }


def wait_for(condition: Callable[[], bool], seconds: float, step: float = 0.1) -> float | None:
    """Seconds until `condition()` held, or None when it did not within `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(step)
    return None


def create_household(service: Service, key: str, name: str = "Drill") -> tuple[str, str]:
    response = service.gql(key, CREATE_PLAIN, {"input": {**HOUSEHOLD, "name": name}})
    household = response.json()["data"]["createHousehold"]["household"]
    return household["id"], household["members"][0]["id"]


# --- the probes ----------------------------------------------------------------------------------------------


def probe_revocation(service: Service) -> list[Outcome]:
    key = service.key("ws")
    key_id = key.split("_")[1]
    jobs = []
    for seed in (11, 12):
        started = service.gql(key, START, {"scenario": heavy(seed, 8), "options": {"timeLimitMs": 8000}})
        jobs.append(started.json()["data"]["startPlan"]["id"])
    ws = websocket.create_connection(
        service.base.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"], timeout=20
    )
    ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}))
    assert json.loads(ws.recv())["type"] == "connection_ack"
    ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": WATCH, "variables": {"id": jobs[0]}}}))
    json.loads(ws.recv())  # the job as it is now
    asked = time.monotonic()
    permitpath("keys", "revoke", "--tenant", "ws", key_id, env=service.env)  # another process: no signal here
    revoked = time.monotonic()
    late: list[str] = []
    close_code: int | None = None
    with contextlib.suppress(Exception):
        ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": WATCH, "variables": {"id": jobs[1]}}}))
    while time.monotonic() - revoked < 20:
        try:
            opcode, frame = ws.recv_data_frame(control_frame=True)
        except (websocket.WebSocketException, OSError):
            break
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            close_code = int.from_bytes(frame.data[:2], "big") if len(frame.data) >= 2 else 1005
            break
        if opcode == websocket.ABNF.OPCODE_TEXT:
            message = json.loads(frame.data)
            # Messages sent while the revoking command ran may still be in flight; none may come a second
            # after it returned, and the job subscribed to after it must never answer.
            if message.get("type") == "next" and (message["id"] == "2" or time.monotonic() - revoked > 1.0):
                late.append(message["id"])
    closed_after = time.monotonic() - revoked
    ws.close()
    held = close_code == 4403 and not late and closed_after < 2
    observed = (
        f"closed with {close_code} {closed_after:.1f} s after the revoking command returned (it ran "
        f"{revoked - asked:.1f} s); {len(late)} messages later than 1 s or for a job subscribed after revoking"
    )
    return [Outcome("1 revoked key on an open socket", observed, held)]


def probe_time_limit(service: Service) -> list[Outcome]:
    key = service.key("time")
    worst: list[tuple[float, int]] = []
    for limit, count in ((2000, 3), (10000, 2)):
        walls = []
        for seed in range(count):
            sent = time.monotonic()
            response = service.gql(key, PLAN, {"scenario": heavy(100 + seed, 10), "options": {"timeLimitMs": limit}})
            walls.append(time.monotonic() - sent)
            assert response.status_code == 200, response.text
        worst.append((max(walls), limit))
    observed = ", ".join(f"timeLimitMs {limit}: worst wall {wall:.1f} s" for wall, limit in worst)
    held = all(wall * 1000 <= limit + 1500 for wall, limit in worst)
    return [Outcome("2 time limit is a bound (10 offers, 120 months)", observed, held)]


def probe_fairness(service: Service) -> list[Outcome]:
    burst, other = service.key("burst"), service.key("other")
    answers: list[str] = []

    def plan(seed: int) -> None:
        response = service.gql(burst, PLAN, {"scenario": heavy(200 + seed, 8), "options": {"timeLimitMs": 10000}})
        answers.append(code(response))

    with ThreadPoolExecutor(12) as pool:
        for seed in range(12):
            pool.submit(plan, seed)
        wait_for(lambda: service.metric("permitpath_solver_busy_workers") >= 2, 30)
        time.sleep(0.5)
        sent = time.monotonic()
        response = service.gql(other, PLAN, {"scenario": heavy(300, 1), "options": {"timeLimitMs": 2000}})
        other_code, other_wall = code(response), time.monotonic() - sent
    refused = sum(1 for a in answers if a == "SOLVER_BUSY")
    observed = (
        f"burst firm: {refused}/12 SOLVER_BUSY; other firm's plan during the burst: {other_code} in {other_wall:.1f} s"
    )
    return [Outcome("3 one firm cannot starve another", observed, other_code == "Plan")]


def probe_dead_idle_workers(service: Service) -> list[Outcome]:
    key = service.key("workers")
    service.gql(key, PLAN, {"scenario": heavy(400, 0), "options": {"timeLimitMs": 1000}})  # workers are up
    wait_for(lambda: service.metric("permitpath_solver_busy_workers") == 0, 180)
    victims = service.workers()
    for victim in victims:
        with contextlib.suppress(psutil.NoSuchProcess):
            victim.send_signal(signal.SIGKILL)
    time.sleep(1.0)
    zombies = sum(1 for v in victims if psutil.pid_exists(v.pid) and not _alive(v))
    gauge = service.metric("permitpath_solver_workers")
    codes = [
        code(service.gql(key, PLAN, {"scenario": heavy(401 + i, 0), "options": {"timeLimitMs": 1000}}))
        for i in range(2)
    ]
    live = len(service.workers())
    observed = (
        f"killed {len(victims)} idle workers; zombies {zombies}; gauge {gauge:g}; next plans {codes}; live after {live}"
    )
    return [Outcome("5 dead idle workers are noticed", observed, codes == ["Plan", "Plan"] and live == len(victims))]


def probe_deleted_household(service: Service) -> list[Outcome]:
    key, filler = service.key("deleted"), service.key("filler")
    household_id, _ = create_household(service, key, "Deleted while planned")
    # Another firm's long plans take both workers first, so the household's job waits for one (or runs).
    for seed in (500, 501):
        service.gql(filler, START, {"scenario": heavy(seed, 10), "options": {"timeLimitMs": 10000}})
    wait_for(lambda: service.metric("permitpath_solver_busy_workers") >= 2, 30)
    started = service.gql(key, START, {"householdId": household_id, "options": {"timeLimitMs": 10000}})
    job_id = started.json()["data"]["startPlan"].get("id")
    service.gql(key, DELETE, {"id": household_id})
    state = ""

    def ended() -> bool:
        nonlocal state
        data = service.gql(key, JOB, {"id": job_id}).json().get("data") or {}
        state = str((data.get("planJob") or {}).get("state"))
        return state in ("CANCELLED", "FAILED", "DONE")

    took = wait_for(ended, 90, 0.2)
    observed = f"job of the deleted household: {state} after {'-' if took is None else round(took, 1)} s"
    return [
        Outcome("4 a deleted household's job stops", observed, state == "CANCELLED" and took is not None and took < 3)
    ]


def probe_hostile_input(service: Service) -> list[Outcome]:
    key = service.key("hostile")
    outcomes = []
    deep = "[" * 5000 + "]" * 5000
    response = httpx.post(
        f"{service.base}/graphql",
        content=('{"query": "{ __typename }", "variables": {"x": ' + deep + "}}").encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        timeout=30,
    )
    outcomes.append(("JSON body nested 5,000 deep", response))
    small = heavy(600, 0)
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("planScenario asOf 9999-12-31", PLAN, {"scenario": {**small, "asOf": "9999-12-31"}}),
        ("permitCategories(asOf: 0001-01-01)", '{ permitCategories(asOf: "0001-01-01") { code } }', {}),
        (
            "crs drawType of 10,000 characters",
            "query C($s: JSON!, $d: String!) { crs(scenario: $s, drawType: $d) { __typename } }",
            {"s": small, "d": "x" * 10000},
        ),
        ("createHousehold name with NUL", CREATE_PLAIN, {"input": {**HOUSEHOLD, "name": "a\u0000b"}}),
        (
            "households(nameContains: NUL)",
            "query H($n: String) { households(nameContains: $n) { edges { node { id } } } }",
            {"n": "\u0000"},
        ),
        (
            "spouse born 9999-12-31",
            CREATE_PLAIN,
            {"input": {**HOUSEHOLD, "spouse": {**PRINCIPAL, "birthDate": "9999-12-31"}}},
        ),
    ]
    options_case = {"scenario": small, "options": {"itaWaitDays": 100000000}}
    cases.append(("planScenario itaWaitDays 100000000", PLAN, options_case))
    for label, query, variables in cases:
        outcomes.append((label, service.gql(key, query, variables)))
    result = []
    for label, response in outcomes:
        got = code(response)
        held = response.status_code < 500 and got not in (
            "INTERNAL_SERVER_ERROR",
            "HouseholdPayload",
            "Plan",
            "CrsScore",
        )
        if label.startswith("households(") and got == "ok":
            matched = len(response.json()["data"]["households"]["edges"])
            got = f"ok, matched {matched}"
            held = matched == 0
        result.append(Outcome(f"7 {label}", f"HTTP {response.status_code} {got}", held))
    return result


def probe_races(service: Service, sqlite: bool) -> list[Outcome]:
    key = service.key("races")
    outcomes = []
    household_id, member_id = create_household(service, key, "Race 0")
    with ThreadPoolExecutor(50) as pool:
        renames = list(
            pool.map(lambda i: code(service.gql(key, RENAME, {"id": household_id, "name": f"Race {i + 1}"})), range(50))
        )
    entries: list[dict[str, Any]] = []
    after = None
    while True:
        page = service.gql(key, AUDIT, {"id": household_id, "after": after}).json()["data"]["auditLog"]
        entries += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    updates = [e["changes"]["name"] for e in reversed(entries) if e["action"] == "update" and "name" in e["changes"]]
    false_from = sum(1 for before, now in itertools.pairwise(updates) if now["from"] != before["to"])
    outcomes.append(
        Outcome(
            "8 50 parallel updateHousehold: audit 'from' is what was there",
            f"{renames.count('HouseholdPayload')} succeeded, {len(updates)} audit rows, "
            f"{false_from} with a false 'from'",
            false_from == 0,
        )
    )
    with ThreadPoolExecutor(50) as pool:
        created = list(pool.map(lambda _: code(service.gql(key, EDUCATION, {"memberId": member_id})), range(50)))
    stored = created.count("EducationPayload")
    outcomes.append(Outcome("8 50 parallel createEducation (limit 20)", f"{stored} stored", stored <= 20))
    if sqlite:
        nested = {**HOUSEHOLD, "spouse": {**PRINCIPAL, "name": "Bo"}}
        with ThreadPoolExecutor(100) as pool:
            made = list(
                pool.map(
                    lambda i: code(service.gql(key, CREATE_PLAIN, {"input": {**nested, "name": f"N{i}"}})), range(100)
                )
            )
        failed = [m for m in made if m != "HouseholdPayload"]
        outcomes.append(
            Outcome(
                "7 100 concurrent nested createHousehold on SQLite",
                f"{len(failed)} failed {sorted(set(failed))}",
                not failed,
            )
        )
    key_name = secrets.token_hex(6)
    twice = [service.gql(key, CREATE, {"input": {**HOUSEHOLD, "name": "Idem"}, "key": key_name}) for _ in range(2)]
    ids = {json.dumps((t.json().get("data") or {}).get("createHousehold")) for t in twice}
    outcomes.append(
        Outcome(
            "8 createHousehold retried with one idempotencyKey",
            f"{[code(t) for t in twice]}, distinct answers {len(ids)}",
            all(code(t) == "HouseholdPayload" for t in twice) and len(ids) == 1,
        )
    )
    return outcomes


def probe_outage(service: Service, proxy: Proxy) -> list[Outcome]:
    key = service.key("outage")
    started = service.gql(key, START, {"scenario": heavy(700, 3), "options": {"timeLimitMs": 3000}})
    job_id = started.json()["data"]["startPlan"]["id"]
    proxy.cut()
    remembered = service.gql(key, "{ rulesVersion }", timeout=30)
    during = service.gql(key, "{ households { edges { node { id } } } }", timeout=30)
    ready = httpx.get(f"{service.base}/readyz", timeout=30)
    time.sleep(20)
    proxy.restore()
    state = ""

    def ended() -> bool:
        nonlocal state
        with contextlib.suppress(httpx.HTTPError, ValueError, KeyError, TypeError):
            state = str(service.gql(key, JOB, {"id": job_id}).json()["data"]["planJob"]["state"])
        return state in ("DONE", "FAILED", "CANCELLED")

    took = wait_for(ended, 90, 0.5)
    retry_after = during.headers.get("retry-after")
    leaked = bool(re.search(r"Error|postgres|permitpath_drill|role|database \"", ready.text))
    return [
        Outcome(
            "7 database down: { households }",
            f"HTTP {during.status_code} {code(during)} Retry-After {retry_after}",
            during.status_code == 503 and retry_after is not None,
        ),
        Outcome(
            "7 database down: { rulesVersion }",
            f"HTTP {remembered.status_code} {code(remembered)}",
            remembered.status_code in (200, 503) and code(remembered) != "INTERNAL_SERVER_ERROR",
        ),
        Outcome(
            "9 /readyz while down, anonymous",
            f"HTTP {ready.status_code} {ready.text[:90]!r}",
            ready.status_code == 503 and not leaked,
        ),
        Outcome(
            "6 job after a 20 s outage",
            f"{state} {'' if took is None else f'{took:.1f} s after the database returned'}",
            took is not None and state in ("DONE", "FAILED"),
        ),
    ]


def probe_orphans(service: Service) -> list[Outcome]:
    key = service.key("orphans")
    for seed in (800, 801):
        service.gql(key, START, {"scenario": heavy(seed, 10), "options": {"timeLimitMs": 10000}})
    wait_for(lambda: service.metric("permitpath_solver_busy_workers") >= 1, 30)
    workers = service.workers()
    assert service.process is not None
    service.process.kill()
    service.process.wait(10)
    gone = wait_for(lambda: not any(_alive(w) for w in workers), 15, 0.2)
    for worker in workers:
        with contextlib.suppress(psutil.NoSuchProcess):
            worker.kill()
    after = "still solving 15 s later" if gone is None else f"all gone after {gone:.1f} s"
    observed = f"{len(workers)} workers; {after}"
    return [Outcome("4 kill -9 of the service leaves no solver", observed, gone is not None and gone < 3)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    outcomes: list[Outcome] = []
    errors: dict[str, str] = {}

    def run(label: str, probe: Callable[[], list[Outcome]]) -> None:
        print(f"probe: {label}", file=sys.stderr, flush=True)
        try:
            outcomes.extend(probe())
        except Exception as error:  # a probe that cannot run is a result too
            outcomes.append(Outcome(label, f"probe failed: {type(error).__name__}: {error}"[:200], False))

    with tempfile.TemporaryDirectory() as tmp:
        sqlite = Service(f"sqlite+aiosqlite:///{tmp}/drill.db", {})
        sqlite.env = service_env(sqlite.url)
        permitpath("migrate", env=sqlite.env)
        sqlite.start()
        try:
            run("hostile input (SQLite)", lambda: probe_hostile_input(sqlite))
            run("races (SQLite)", lambda: probe_races(sqlite, sqlite=True))
        finally:
            errors["sqlite"] = sqlite.stop()
    with postgres_database(args.postgres) as url:
        target = make_url(url)
        proxy = Proxy(target.port or 5432)
        through = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        service = Service(through, service_env(through, PERMITPATH_INSTANCE="drill"))
        permitpath("migrate", env=service.env)
        service.start()
        try:
            run("revocation", lambda: probe_revocation(service))
            run("time limit", lambda: probe_time_limit(service))
            run("fairness", lambda: probe_fairness(service))
            run("dead idle workers", lambda: probe_dead_idle_workers(service))
            run("deleted household", lambda: probe_deleted_household(service))
            run("hostile input (PostgreSQL)", lambda: probe_hostile_input(service))
            run("races (PostgreSQL)", lambda: probe_races(service, sqlite=False))
            run("outage", lambda: probe_outage(service, proxy))
            run("orphans", lambda: probe_orphans(service))
        finally:
            errors["postgres"] = service.stop()
    width = max(len(o.finding) for o in outcomes)
    for outcome in outcomes:
        print(f"{'HELD  ' if outcome.held else 'BROKEN'} {outcome.finding:<{width}}  {outcome.observed}")
    for name, lines in errors.items():
        count = len(lines.splitlines()) if lines else 0
        print(f"error-level log lines ({name} service): {count}")
    broken = sum(1 for o in outcomes if not o.held)
    print(f"{len(outcomes) - broken} held, {broken} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())

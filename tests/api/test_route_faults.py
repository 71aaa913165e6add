"""The routes beside /graphql say "retry" too: while the database is gone, the handout PDF, the calendar feed, the
page and its sign-in answer 503 with Retry-After (the handout as GraphQL errors, the feed as plain text, the page
as its error page in the reader's language), log a warning and no error. Both databases: an SQLite file that is
deleted, a PostgreSQL whose connections are cut (`tests.tcp_proxy.TcpProxy`)."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from api.auth import Authenticator
from api.keys import Role
from api.session import COOKIE
from db.engine import make_engine, sqlite_url
from db.migrate import upgrade
from tests.api.conftest import Service, serve, settings_for
from tests.api.test_app import _join_sqlite_workers
from tests.api.test_faults import RETRY, WELL_FORMED, Clock, _no_errors_logged, _unavailable
from tests.api.test_plan_files import CREATE_FEED, _path, _planned
from tests.tcp_proxy import TcpProxy

Outage = Callable[[], Awaitable[None]]
FRENCH = "Le service ne peut pas joindre ses dossiers pour le moment ; réessayez dans un instant."
ENGLISH = "The service cannot reach its records for the moment; try again shortly."


@dataclass
class Served:
    """A served instance and how to take its database away."""

    service: Service
    outage: Outage


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def postgres(request: pytest.FixtureRequest) -> str | None:
    """The session's PostgreSQL database, or None for a test's own SQLite file."""
    url: str | None = request.getfixturevalue("postgres_database") if request.param == "postgres" else None
    return url


@pytest.fixture
async def served(postgres: str | None, tmp_path: Path) -> AsyncIterator[Served]:
    """A served instance whose database a test can take away: an SQLite file in a directory of its own, or the
    session's PostgreSQL database through a proxy."""
    limits = {"rate_capacity": 1e6, "rate_per_second": 1e6}
    if postgres is None:
        directory = tmp_path / "data"
        directory.mkdir()
        url = sqlite_url(directory / "permitpath.db")
        engine = make_engine(url)
        await upgrade(engine)
        await engine.dispose()
        async with serve(settings_for(url, **limits)) as service:

            async def lose_the_file() -> None:
                shutil.rmtree(directory)
                await service.app.state.engine.dispose()  # the open connections held the deleted file

            yield Served(service, lose_the_file)
        await asyncio.to_thread(_join_sqlite_workers)
        return
    async with TcpProxy() as proxy:
        url = make_url(postgres).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        async with serve(settings_for(url, **limits)) as service:

            async def cut() -> None:
                proxy.cut()
                await service.app.state.engine.dispose()

            yield Served(service, cut)
            proxy.restore()  # the app's engines close their connections on the way out


@dataclass
class Firm:
    """What a firm has made before the outage: a key (confirmed, and kept in grace), a stored plan, a calendar
    feed, and a page session (the client's cookie)."""

    key: str
    household_id: str
    plan_id: str
    feed: str


async def _firm(service: Service) -> Firm:
    # The key check's clock stands still: the confirmed key stays in its grace, so the routes meet the outage
    # in their own reads, past the key.
    authenticator: Authenticator = service.app.state.gateway.authenticator
    authenticator.clock = Clock()
    key = await service.key(await service.tenant(), Role.CONSULTANT)
    household_id, stored = await _planned(service, key, "Tanaka")
    feed = (await service.data(CREATE_FEED, key, {"id": household_id}))["createCalendarFeed"]["url"]
    assert (await service.client.post("/signin", data={"key": key})).status_code == 303
    return Firm(key, household_id, stored["id"], _path(feed))


def _retry_page(response: httpx.Response, message: str) -> None:
    assert (response.status_code, response.headers.get("retry-after")) == (503, "5"), response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert message in response.text


async def test_the_handout_and_the_calendar_feed_answer_503_while_the_database_is_gone(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    service = served.service
    firm = await _firm(service)
    auth = {"Authorization": f"Bearer {firm.key}"}
    assert (await service.client.get(firm.feed)).status_code == 200

    await served.outage()
    with caplog.at_level(logging.INFO):
        latest = await service.client.get(f"/households/{firm.household_id}/handout.pdf", headers=auth)
        by_id = await service.client.get(
            f"/households/{firm.household_id}/plans/{firm.plan_id}/handout.pdf", headers=auth
        )
        unknown_key = await service.client.get(
            f"/households/{firm.household_id}/handout.pdf", headers={"Authorization": f"Bearer {WELL_FORMED}"}
        )
        feed = await service.client.get(firm.feed)

    for response in (latest, by_id, unknown_key):
        _unavailable(response)
    assert (feed.status_code, feed.headers.get("retry-after"), feed.text) == (503, "5", f"{RETRY}\n")
    assert feed.headers["content-type"] == "text/plain; charset=utf-8"
    _no_errors_logged(caplog)


async def test_the_page_answers_its_retry_page_while_the_database_is_gone(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    service = served.service
    firm = await _firm(service)

    await served.outage()
    with caplog.at_level(logging.INFO):
        pages = [
            await service.client.get(path)
            for path in ("/", f"/households/{firm.household_id}", f"/plans/{firm.plan_id}")
        ]
        french = await service.client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
        signin = await service.client.post("/signin", data={"key": WELL_FORMED})  # never confirmed: not in grace

    for response in (*pages, signin):
        _retry_page(response, ENGLISH)
    _retry_page(french, FRENCH)
    assert COOKIE not in signin.cookies  # no session starts on a key nobody could check
    _no_errors_logged(caplog)

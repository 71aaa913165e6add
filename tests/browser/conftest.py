"""A real browser (Debian's chromium, driven by Playwright) against a `permitpath serve` this test starts.

Nothing is downloaded: Playwright drives the chromium at CHROMIUM. Without it the tests skip, and fail instead
under PERMITPATH_REQUIRE_BROWSER=1 (CI and `make test` as root install it with apt-get first). Every request the
page makes to anything but the server is blocked and recorded, so a page that needs the internet fails.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.api.conftest import dev_server

CHROMIUM = Path("/usr/bin/chromium")
# Chromium without a sandbox (containers), a GPU, or any traffic of its own (updates, sync, QUIC probes).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def needs_browser() -> pytest.MarkDecorator:
    """Skips without chromium, unless PERMITPATH_REQUIRE_BROWSER=1 (then the test runs and fails)."""
    required = os.environ.get("PERMITPATH_REQUIRE_BROWSER") == "1"
    return pytest.mark.skipif(
        not CHROMIUM.exists() and not required, reason=f"no chromium at {CHROMIUM} (apt-get install chromium)"
    )


@dataclass
class Served:
    """A running `permitpath serve --dev`: its base URL and an admin key made for the test."""

    base: str
    key: str


def serve(tmp_path: Path) -> Generator[Served]:
    """`permitpath serve --dev` on a free port and a fresh SQLite file, until the generator is closed."""
    with dev_server(tmp_path, {"PERMITPATH_SOLVER_WORKERS": "1"}) as base:
        # --dev admits a request without a key as the development firm's admin: it makes the key to sign in with.
        made = httpx.post(
            f"{base}/graphql",
            json={
                "query": 'mutation { createApiKey(name: "browser", role: ADMIN) { ... on CreatedApiKey { secret } } }'
            },
            headers={"Accept": "application/json"},
        ).json()
        yield Served(base, made["data"]["createApiKey"]["secret"])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The served page for one test."""
    yield from serve(tmp_path)


@dataclass
class Offline:
    """Blocks every request to a host other than the server's, remembering what was attempted."""

    attempted: list[str] = field(default_factory=list)

    def route(self, route: Any) -> None:
        """Playwright's route handler: local requests go on, others are aborted and recorded."""
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS or url.startswith("data:"):
            route.continue_()
        else:
            self.attempted.append(url)
            route.abort()


@pytest.fixture
def browser_page() -> Iterator[tuple[Any, Offline]]:
    """A chromium page with the network off (every non-local request blocked and recorded)."""
    from playwright.sync_api import sync_playwright

    offline = Offline()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(FLAGS), headless=True)
        try:
            context = browser.new_context(locale="en-CA")
            context.route("**/*", offline.route)
            yield context.new_page(), offline
        finally:
            browser.close()

"""CORS as a browser meets it: a page served from another origin preflights, then calls /graphql with its key.

Allowed origins come from PERMITPATH_CORS_ORIGINS (none by default); a refused origin gets no
Access-Control-Allow-Origin, so the browser keeps the answer from the page. Through the real app, both databases.
"""

from __future__ import annotations

import re

import pytest

from api.keys import Role
from api.settings import Settings, SettingsError
from tests.api.conftest import GRAPHQL_RESPONSE, Service, serve, settings_for

APP = "http://localhost:3000"
ELSEWHERE = "https://evil.example"
PREFLIGHT_VARY = (
    "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
)
ALLOWED_HEADERS = (
    "Accept, Accept-Language, Authorization, Content-Language, Content-Type, If-None-Match, X-Request-ID, "
    "apollo-require-preflight, apollographql-client-name, apollographql-client-version, x-apollo-operation-name"
)
EXPOSED = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, ETag, X-Request-ID"


def preflight(origin: str, headers: str = "authorization, content-type") -> dict[str, str]:
    """What a browser sends before a cross-origin POST with a key and a JSON body."""
    return {"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": headers}


def cors_settings(database_url: str, **overrides: object) -> Settings:
    return settings_for(database_url, cors_origins=(APP, "https://app.example.com"), cors_max_age=900, **overrides)


async def test_a_browser_on_an_allowed_origin_preflights_then_reads_the_answer(database_url: str) -> None:
    async with serve(cors_settings(database_url)) as service:
        key = await service.key(await service.tenant(), Role.CONSULTANT)
        answer = await service.client.options("/graphql", headers=preflight(APP))
        assert answer.status_code == 200
        assert {
            name: answer.headers.get(name)
            for name in (
                "access-control-allow-origin",
                "access-control-allow-methods",
                "access-control-allow-headers",
                "access-control-max-age",
                "access-control-allow-credentials",
                "vary",
            )
        } == {
            "access-control-allow-origin": APP,
            "access-control-allow-methods": "GET, POST",
            "access-control-allow-headers": ALLOWED_HEADERS,
            "access-control-max-age": "900",
            "access-control-allow-credentials": None,  # credentials are off unless configured
            "vary": PREFLIGHT_VARY,
        }

        response = await service.post({"query": "{ __typename }"}, key, headers={"Origin": APP})
        assert (response.status_code, response.json()) == (200, {"data": {"__typename": "Query"}})
        assert response.headers["access-control-allow-origin"] == APP
        assert response.headers["access-control-expose-headers"] == EXPOSED
        assert response.headers["vary"] == "Accept, Authorization, Origin"
        assert "access-control-allow-credentials" not in response.headers


async def test_a_refusal_carries_the_cors_headers_so_the_page_can_read_it(database_url: str) -> None:
    async with serve(cors_settings(database_url)) as service:
        response = await service.post({"query": "{ __typename }"}, None, headers={"Origin": APP})
        assert (response.status_code, response.headers["access-control-allow-origin"]) == (401, APP)
        assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_another_origin_gets_no_allow_origin(database_url: str) -> None:
    async with serve(cors_settings(database_url)) as service:
        key = await service.key(await service.tenant(), Role.CONSULTANT)
        answer = await service.client.options("/graphql", headers=preflight(ELSEWHERE))
        assert (answer.status_code, answer.text) == (400, "Disallowed CORS origin")
        assert "access-control-allow-origin" not in answer.headers
        # A request the browser sends anyway (a simple GET needs no preflight): answered, but unreadable to the page.
        response = await service.client.get(
            "/graphql",
            params={"query": "{ __typename }"},
            headers={"Origin": ELSEWHERE, "Authorization": f"Bearer {key}", "Accept": GRAPHQL_RESPONSE},
        )
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        assert response.headers["vary"] == "Accept, Authorization, Origin"


async def test_a_header_outside_the_list_fails_the_preflight(database_url: str) -> None:
    async with serve(cors_settings(database_url)) as service:
        answer = await service.client.options("/graphql", headers=preflight(APP, "authorization, x-secret"))
        assert (answer.status_code, answer.text) == (400, "Disallowed CORS headers")


async def test_credentials_are_allowed_only_when_configured(database_url: str) -> None:
    async with serve(cors_settings(database_url, cors_credentials=True)) as service:
        answer = await service.client.options("/graphql", headers=preflight(APP))
        assert (answer.headers["access-control-allow-credentials"], answer.headers["access-control-allow-origin"]) == (
            "true",
            APP,
        )


async def test_without_origins_there_is_no_cors(service: Service) -> None:
    answer = await service.client.options("/graphql", headers=preflight(APP))
    assert answer.status_code == 405  # the endpoint's own answer to OPTIONS: nothing in between
    assert "access-control-allow-origin" not in answer.headers


def test_origins_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "PERMITPATH_CORS_ORIGINS": "http://localhost:3000, https://app.example.com,https://[::1]:8443",
            "PERMITPATH_CORS_CREDENTIALS": "true",
            "PERMITPATH_CORS_MAX_AGE": "60",
        }
    )
    assert (settings.cors_origins, settings.cors_credentials, settings.cors_max_age) == (
        ("http://localhost:3000", "https://app.example.com", "https://[::1]:8443"),
        True,
        60,
    )
    defaults = Settings.from_env({})
    assert (defaults.cors_origins, defaults.cors_credentials, defaults.cors_max_age) == ((), False, 600)


@pytest.mark.parametrize("origin", ["*", "https://app.example.com/", "app.example.com", "https://*.example.com"])
def test_an_origin_that_is_not_exact_is_refused(origin: str) -> None:
    expected = f"PERMITPATH_CORS_ORIGINS must list exact origins .*; {re.escape(repr(origin))} is not one"
    with pytest.raises(SettingsError, match=expected):
        Settings.from_env({"PERMITPATH_CORS_ORIGINS": f"http://localhost:3000,{origin}"})

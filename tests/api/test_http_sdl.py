"""The SDL at GET /graphql/schema.graphql: the committed schema.graphql, for every role (integrators too, who
may not introspect), 401 without a key, with an ETag that answers 304 while the schema stands. Both databases."""

from __future__ import annotations

from pathlib import Path

from api.keys import Role
from tests.api.conftest import Service, serve, settings_for

COMMITTED = Path(__file__).parents[2] / "schema.graphql"


async def test_every_role_gets_the_committed_sdl(service: Service) -> None:
    tenant = await service.tenant()
    tags = set()
    for role in Role:
        key = await service.key(tenant, role)
        response = await service.client.get("/graphql/schema.graphql", headers={"Authorization": f"Bearer {key}"})
        assert (response.status_code, response.headers["content-type"]) == (200, "text/plain; charset=utf-8")
        assert response.text == COMMITTED.read_text()
        assert response.headers["cache-control"] == "private, no-cache"
        assert response.headers["ratelimit-limit"] == "100000"
        tags.add(response.headers["etag"])
    assert len(tags) == 1


async def test_the_sdl_answers_304_while_unchanged(service: Service) -> None:
    key = await service.key(await service.tenant(), Role.INTEGRATOR)
    headers = {"Authorization": f"Bearer {key}"}
    first = await service.client.get("/graphql/schema.graphql", headers=headers)
    conditional = {**headers, "If-None-Match": first.headers["etag"]}
    again = await service.client.get("/graphql/schema.graphql", headers=conditional)
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", first.headers["etag"])


async def test_the_sdl_needs_a_key(service: Service) -> None:
    response = await service.client.get("/graphql/schema.graphql")
    assert (response.status_code, response.headers["www-authenticate"]) == (401, 'Bearer realm="permitpath"')
    assert response.json()["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    posted = await service.client.post("/graphql/schema.graphql")
    assert posted.status_code == 405


async def test_a_database_that_cannot_check_the_key_is_503() -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:1/permitpath"  # nothing listens: the connection is refused
    async with serve(settings_for(url)) as service:
        response = await service.client.get(
            "/graphql/schema.graphql", headers={"Authorization": "Bearer pp_000000000000_" + "a" * 43}
        )
    assert (response.status_code, response.headers["retry-after"]) == (503, "5")
    assert response.json()["errors"][0]["extensions"] == {"code": "DATABASE_UNAVAILABLE"}

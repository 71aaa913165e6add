"""The ASGI application: routes, and the resources its lifespan makes (one engine per process)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Route

from api.demo import seed_demo
from api.health import healthz, readyz
from api.settings import Settings
from api.view import GraphQLView, TenantDefault
from db.engine import make_engine, make_sessions
from db.migrate import upgrade
from schema.root import schema

log = logging.getLogger("permitpath")


def create_app(settings: Settings) -> Starlette:
    """The service for `settings`; the database is opened (and migrated, when configured) on startup."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        sessions = make_sessions(engine)
        tenant = TenantDefault(sessions, settings.tenant_slug, settings.tenant_name)
        app.state.engine = engine
        app.state.sessions = sessions
        app.state.tenant = tenant
        services: dict[str, Any] = {}
        app.state.services = services
        try:
            if settings.migrates_on_start:
                await upgrade(engine)
                log.info("database migrated to the latest schema")
            if settings.dev:
                added = await seed_demo(sessions, await tenant.tenant_id())
                log.info("demo tenant %r: %d demo households added", settings.tenant_slug, added)
            yield
        finally:
            await engine.dispose()

    return Starlette(
        routes=[
            Route("/graphql", GraphQLView(schema), methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )

"""The ASGI application: routes, and the resources its lifespan makes (one engine per process)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.routing import Route

from api.auth import Authenticator, TenantDefault
from api.demo import seed_demo
from api.documents import DocumentResolver
from api.health import healthz, readyz
from api.ratelimit import TokenBuckets
from api.settings import Settings
from api.view import DatabaseDocuments, Gateway, GraphQLView
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
        # The solve time cap is the planner's to apply to its default; the endpoint refuses requests above it.
        services: dict[str, Any] = {"solve_time_cap_ms": settings.solve_time_cap_ms}
        app.state.services = services
        # The development tenant admits requests without a key only under `serve --dev`.
        authenticator = Authenticator(sessions, dev_tenant=tenant if settings.dev else None)
        app.state.gateway = Gateway(
            sessions=sessions,
            authenticator=authenticator,
            documents=DocumentResolver(DatabaseDocuments(sessions)),
            buckets=TokenBuckets(settings.rate_capacity, settings.rate_per_second),
            plan_cost=min(settings.plan_cost, settings.rate_capacity),
            services=services,
        )
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
            # Every method reaches the view, which answers 405 itself (with a GraphQL error body and Allow).
            Route("/graphql", GraphQLView(schema, settings.limits)),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )

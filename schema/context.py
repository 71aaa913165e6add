"""What every resolver gets: the tenant, the session factory and this request's DataLoaders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repositories.scoped import Actor, S
from schema.auth import Principal, actor_of
from schema.loaders import Loaders
from schema.services import Services


@dataclass
class Context:
    """Per request. `tenant_id` is the firm whose records the request may see (a dev default until auth)."""

    sessions: async_sessionmaker[AsyncSession]
    tenant_id: int
    loaders: Loaders
    # The HTTP request and response when served over HTTP (None in schema.execute calls).
    request: Any = None
    response: Any = None
    # Process-wide services the api layer hands to resolvers (the plan backend, the solve time cap).
    services: Services = field(default_factory=Services)
    # Who is asking (set by the api from the request's key); None for in-process callers.
    principal: Principal | None = None

    @classmethod
    def create(
        cls,
        sessions: async_sessionmaker[AsyncSession],
        tenant_id: int,
        *,
        request: Any = None,
        response: Any = None,
        services: Services | None = None,
        principal: Principal | None = None,
    ) -> Context:
        """A context with fresh DataLoaders (loaders cache per request, never across requests)."""
        return cls(
            sessions=sessions,
            tenant_id=tenant_id,
            loaders=Loaders(sessions, tenant_id),
            request=request,
            response=response,
            services=services if services is not None else Services(),
            principal=principal,
        )

    @property
    def actor(self) -> Actor:
        """Who the audit trail names for this request's changes."""
        return actor_of(self.principal)

    @asynccontextmanager
    async def reading(self, kind: type[S]) -> AsyncIterator[S]:
        """The repository `kind` on a short read-only session of its own."""
        async with self.sessions() as session:
            yield kind(session, tenant_id=self.tenant_id)

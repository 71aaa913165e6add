"""What every resolver gets: the tenant, the session factory and this request's DataLoaders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repository import Repository
from schema.loaders import Loaders


@dataclass
class Context:
    """Per request. `tenant_id` is the firm whose records the request may see (a dev default until auth)."""

    sessions: async_sessionmaker[AsyncSession]
    tenant_id: int
    loaders: Loaders
    # The HTTP request and response when served over HTTP (None in schema.execute calls).
    request: Any = None
    response: Any = None
    # Process-wide services the api layer hands to resolvers (e.g. the solve runner), by name.
    services: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        sessions: async_sessionmaker[AsyncSession],
        tenant_id: int,
        *,
        request: Any = None,
        response: Any = None,
        services: dict[str, Any] | None = None,
    ) -> Context:
        """A context with fresh DataLoaders (loaders cache per request, never across requests)."""
        return cls(
            sessions=sessions,
            tenant_id=tenant_id,
            loaders=Loaders(sessions, tenant_id),
            request=request,
            response=response,
            services=services or {},
        )

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Repository]:
        """A repository on a short read-only session of its own."""
        async with self.sessions() as session:
            yield Repository(session, tenant_id=self.tenant_id)

"""The GraphQL endpoint: strawberry's ASGI view, with a context per request (tenant, sessions, loaders)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from db.repository import ensure_tenant
from schema.context import Context


class TenantDefault:
    """The development-default tenant, created on first use and then remembered (auth will replace it)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], slug: str, name: str) -> None:
        self._sessions = sessions
        self._slug = slug
        self._name = name
        self._id: int | None = None
        self._lock = asyncio.Lock()

    async def tenant_id(self) -> int:
        """The tenant's id; looked up (or created) once, so a database that starts late is no problem."""
        if self._id is None:
            async with self._lock:
                if self._id is None:
                    async with self._sessions() as session, session.begin():
                        self._id = (await ensure_tenant(session, slug=self._slug, name=self._name)).id
        return self._id


class GraphQLView(GraphQL[Context, None]):
    """Serves the schema at /graphql (GraphiQL in a browser); resources come from the app's lifespan state."""

    def __init__(self, schema: Any) -> None:
        super().__init__(schema, graphql_ide="graphiql")

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        """A fresh context (and so fresh DataLoaders) for this request."""
        state = request.app.state
        tenant_id = await state.tenant.tenant_id()
        return Context.create(state.sessions, tenant_id, request=request, response=response, services=state.services)

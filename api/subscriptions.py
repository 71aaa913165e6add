"""GraphQL subscriptions over WebSocket (graphql-transport-ws) at /graphql: subscriptions only, with a key.

The key comes in the `connection_init` payload (`{"Authorization": "Bearer pp_..."}`) or the handshake's
Authorization header; an unknown key, or an integrator key (integrators send registered documents only,
which a socket does not carry), closes the socket with 4403 before any operation runs. Queries and mutations
are refused on the socket: they go over HTTP, where roles, documents and rate limits are checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from api.auth import Unauthenticated
from schema.auth import Principal, Role
from schema.context import Context
from schema.loaders import Loaders
from schema.root import Schema

# Until the socket's key is checked, the context acts for no tenant with the least role (never used: strawberry
# runs no operation before the connection is acknowledged).
_NOBODY = Principal(tenant_id=0, role=Role.READONLY, name="unauthenticated")


@dataclass
class SocketContext(Context):
    """A Context that strawberry fills with the `connection_init` payload."""

    connection_params: dict[str, Any] | None = field(default=None)


class SubscriptionsOnly:
    """The schema as a socket may use it: `stream` runs subscriptions and refuses any other operation."""

    def __init__(self, schema: Schema) -> None:
        self._schema = schema

    def __getattr__(self, name: str) -> Any:
        return getattr(self._schema, name)

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> Any:
        """strawberry's `stream`, for subscriptions only."""
        return await self._schema.stream(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            operation_extensions,
            allowed_operation_types={OperationType.SUBSCRIPTION},
        )


class SubscriptionEndpoint(GraphQL[SocketContext, None]):
    """The WebSocket side of /graphql."""

    def __init__(self, schema: Schema) -> None:
        super().__init__(
            SubscriptionsOnly(schema),  # type: ignore[arg-type]
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=10,
        )

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> SocketContext:
        """A context for no one yet; `on_ws_connect` makes it the key's."""
        gateway = request.app.state.gateway
        context = SocketContext.create(
            gateway.sessions, _NOBODY.tenant_id, request=request, services=gateway.services, principal=_NOBODY
        )
        assert isinstance(context, SocketContext)
        return context

    async def on_ws_connect(self, context: SocketContext) -> UnsetType:
        """Checks the key of the `connection_init` payload (or of the handshake) and binds the context to it."""
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        if not isinstance(header, str):
            header = context.request.headers.get("authorization")
        gateway = context.request.app.state.gateway
        principal = await gateway.authenticator.authenticate(header)
        if isinstance(principal, Unauthenticated) or not principal.role.may_send_any_document:
            raise ConnectionRejectionError()
        context.tenant_id = principal.tenant_id
        context.principal = principal
        context.loaders = Loaders(context.sessions, principal.tenant_id)
        acknowledged: UnsetType = UNSET  # a plain `connection_ack`
        return acknowledged

"""GraphQL subscriptions over WebSocket (graphql-transport-ws) at /graphql: subscriptions only, with a key.

The key comes in the `connection_init` payload (`{"Authorization": "Bearer pp_..."}`) or the handshake's
Authorization header; an unknown key, or an integrator key (integrators send registered documents only,
which a socket does not carry), closes the socket with 4403 before any operation runs. Queries and mutations
are refused on the socket: they go over HTTP, where roles, documents and rate limits are checked.

A socket lives for minutes; its key must not outlive its revocation. So the key (with its tenant and role) is
checked again before each `subscribe` and each `next` message, and a watcher per socket re-checks it every
`WATCH_INTERVAL_S` (reading only the tenant's revision, which any process's revocation moves), or at once when
this process revokes a key. A key that no longer stands closes the socket with 4403 and sends nothing more.
A database that cannot say, past the authenticator's grace, closes it with 1013 (try again later).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    _OperationStreamClosed,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
    SubscribeMessage,
)
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from api.auth import Authenticator, Standing, Unauthenticated
from schema.auth import Principal, Role
from schema.context import Context
from schema.errors import log_fault, unavailable
from schema.loaders import Loaders
from schema.root import Schema

# Until the socket's key is checked, the context acts for no tenant with the least role (never used: strawberry
# runs no operation before the connection is acknowledged).
_NOBODY = Principal(tenant_id=0, role=Role.READONLY, name="unauthenticated")
# How often an open socket re-reads its tenant's revision: a revocation elsewhere closes it within about this.
WATCH_INTERVAL_S = 0.5
FORBIDDEN = 4403  # graphql-transport-ws: the key does not (or no longer) admit the socket
TRY_AGAIN_LATER = 1013  # RFC 6455: the database cannot say whether the key stands; reconnect later
log = logging.getLogger("permitpath.subscriptions")


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


class KeyCheckingHandler(BaseGraphQLTransportWSHandler[SocketContext, None]):
    """graphql-transport-ws whose socket holds only as long as its key: checked before each subscription and
    each `next`, and watched in between."""

    _standing: Standing | None = None
    _watcher: asyncio.Task[None] | None = None
    _closed = False

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        """strawberry's `connection_init` (the key is checked in `on_ws_connect`), then the watcher starts."""
        try:
            await super().handle_connection_init(message)
        except Exception as error:
            if unavailable(error) is None:
                raise
            log_fault(error, "checking a socket's key")
            await self._close(TRY_AGAIN_LATER, "Database unavailable")
            return
        principal = self.context.principal
        if self.connection_acknowledged and principal is not None:
            self._standing = self._authenticator.standing(principal)
            self._watcher = asyncio.create_task(self._watch())

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        """Re-checks the key, then strawberry's `subscribe`."""
        if self.connection_acknowledged and not await self._key_stands():
            return
        await super().handle_subscribe(message)

    async def send_message(self, message: Message) -> None:
        """Sends `message`; a `next` only while the key stands (the socket closes when it does not)."""
        if self._closed or (message["type"] == "next" and not await self._key_stands()):
            raise _OperationStreamClosed  # the operation ends quietly: the socket is closed
        await super().send_message(message)

    async def shutdown(self) -> None:
        """Stops the watcher, then strawberry's shutdown (which cancels the operations)."""
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        await super().shutdown()

    @property
    def _authenticator(self) -> Authenticator:
        authenticator: Authenticator = self.context.request.app.state.gateway.authenticator
        return authenticator

    async def _watch(self) -> None:
        """Re-checks the key every WATCH_INTERVAL_S, or when this process changes a key, until it fails."""
        while True:
            await self._authenticator.wait_for_change(WATCH_INTERVAL_S)
            if not await self._key_stands(shared=True):
                return

    async def _key_stands(self, *, shared: bool = False) -> bool:
        """Whether the socket's key still stands; when not, the socket is closed (4403, or 1013 on a fault).

        `shared`: the watcher's periodic check may use the tenant's revision as read for another socket a
        moment ago; a subscription and each message read it afresh.
        """
        if self._closed:
            return False
        standing = self._standing
        if standing is None:
            return True  # not yet acknowledged: strawberry refuses operations itself
        try:
            stands = await self._authenticator.recheck(standing, shared=shared)
        except Exception as error:
            if unavailable(error) is None:
                raise
            log_fault(error, "re-checking a socket's key")
            await self._close(TRY_AGAIN_LATER, "Database unavailable")
            return False
        if not stands:
            log.info("closing a socket: its key %s was revoked or changed", standing.principal.key_id)
            await self._close(FORBIDDEN, "Forbidden")
            return False
        self.context.principal = standing.principal
        return True

    async def _close(self, code: int, reason: str) -> None:
        """Closes the socket once, after ending its operations (none of them sends again)."""
        if self._closed:
            return
        self._closed = True
        current = asyncio.current_task()
        for operation in list(self.operations.values()):
            if operation.task is not current:
                await self.cleanup_operation(operation.id)
        with contextlib.suppress(RuntimeError):  # the client hung up first
            await self.websocket.close(code=code, reason=reason)


class SubscriptionEndpoint(GraphQL[SocketContext, None]):
    """The WebSocket side of /graphql."""

    graphql_transport_ws_handler_class = KeyCheckingHandler

    def __init__(self, schema: Schema, *, allowed_origins: Sequence[str] = ()) -> None:
        """`allowed_origins`: other origins whose pages may open the socket (the CORS origins); a browser's
        handshake from any other origin is refused (strawberry's check against cross-site socket hijacking)."""
        super().__init__(
            SubscriptionsOnly(schema),  # type: ignore[arg-type]
            graphql_ide=None,
            # Only graphql-transport-ws: the legacy `graphql-ws` protocol (subscriptions-transport-ws) is
            # unmaintained since 2021 and has no ping/pong of its own; a client offering only it is refused.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=10,
            allowed_origins=allowed_origins,
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

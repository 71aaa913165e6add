"""The GraphQL endpoint: GraphQL over HTTP with keys, persisted documents and limits, then strawberry.

`GraphQLView.handle` runs a request through these stages, in order (a stage that refuses raises `Refused`):

1. check the method: GET or POST (405); a browser's GET without an operation gets GraphiQL;
2. negotiate the media type from Accept (406);
3. authenticate the key (401);
4. read the request: the body or query string (400, 413, 415) and the variables' limits (api/request.py);
5. resolve the document: a trusted document by id, an APQ hash, or text if the key may send any (403);
6. check the document: what the key's role may run (403, and 405 for a mutation over GET) and its
   literals' limits (api/shape.py);
7. admit a solve: for an operation that solves, whether the solver would take the firm's job
   (429 SOLVER_BUSY);
8. spend the key's tokens (429; a plan costs more, charged back to a read's cost when it did not solve);
9. answer from the read cache;
10. execute: strawberry's parse, validation (cached) and execution (a solve is cancelled when its caller
    hangs up, 499);
11. respond: strawberry's result as GraphQL over HTTP, and remember a read's answer in the cache;
12. validators: a GET by document id that answered 200 without errors gets an ETag and Cache-Control, and
    304 when the client already holds it (If-None-Match).

Every response carries the request id, and, once the key is known, its RateLimit headers; an unexpected
exception is logged with it and masked.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import math
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from api import protocol as p
from api.auth import Authenticator, Unauthenticated
from api.documents import DocumentError, DocumentResolver, Resolved
from api.faults import as_json, retry_later
from api.limits import LimitProblem, Limits, variables_problem
from api.observability import new_request_id, request_id_var
from api.ratelimit import SolveCharge, TokenBuckets, solve_charge
from api.request import Refused, read_params
from api.response_cache import Entry, Key, ResponseCache
from api.services import ApiServices
from api.session import COOKIE, PAGE_HEADER, SessionSigner
from api.shape import UNPARSED, DocumentShape, document_shape
from api.solve_runner import SolverBusy
from db.repositories.access import Access
from schema.admin import AUDIT_FIELDS, MANAGE_FIELDS
from schema.auth import Principal
from schema.context import Context
from schema.errors import PUBLIC_ERRORS, RETRY_AFTER_S, Unavailable, log_fault, unavailable

log = logging.getLogger("permitpath.http")
T = TypeVar("T")
# nginx's status for a request whose client closed the connection first (nobody reads the response).
CLIENT_CLOSED_REQUEST = 499
PUBLIC_ERRORS[SolverBusy] = p.SOLVER_BUSY


@functools.cache
def graphiql_page() -> str:
    """GraphiQL as strawberry's template draws it, with its scripts and styles served by this service
    (api/static/graphiql/, vendored from npm: its README), so it works where the internet does not."""
    return (resources.files("api") / "templates" / "graphiql.html").read_text(encoding="utf-8")


async def authenticate_request(
    gateway: Gateway, request: Request, *, page_header: bool = True
) -> Principal | Unauthenticated:
    """The principal of the Authorization header; without one, of the page's session cookie when the request
    carries the page's header too (a cross-site form cannot add it: api/session.py), or without that header when
    `page_header` is False (a GET of a file the page links to, which another site can make a browser send but
    never read); else the header's answer (the `--dev` default, or 401)."""
    authorization = request.headers.get("authorization")
    cookie = request.cookies.get(COOKIE)
    from_page = not page_header or request.headers.get(PAGE_HEADER) is not None
    if authorization is None and cookie is not None and from_page:
        session = gateway.signer.read(cookie)
        return await gateway.authenticator.authenticate_session(session.key_id if session else None)
    return await gateway.authenticator.authenticate(authorization)


class StampRequestId(logging.Filter):
    """Stamps each record with the request being served, when it is made (not when it is formatted)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Sets `record.request_id`; keeps every record."""
        record.request_id = request_id_var.get()
        return True


# strawberry logs the unexpected errors it masks on this logger; this module logs its own.
for _logger in ("strawberry.execution", log.name):
    logging.getLogger(_logger).addFilter(StampRequestId())


class DatabaseDocuments:
    """The tenants' registered documents, read from the database (revocation takes effect at once)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, tenant_id: str, digest: str) -> str | None:
        """The tenant's unrevoked document with this sha256, or None."""
        async with self._sessions() as session:
            return await Access(session, tenant_id=int(tenant_id)).trusted_document(digest)


@dataclass
class Gateway:
    """What the endpoint needs of the running service (made in the app's lifespan)."""

    sessions: async_sessionmaker[AsyncSession]
    authenticator: Authenticator
    documents: DocumentResolver
    buckets: TokenBuckets
    plan_cost: float = 10.0
    services: ApiServices = field(default_factory=ApiServices)
    # Whole responses of read queries (None: every request executes).
    responses: ResponseCache | None = None
    # Answers of at least this many bytes are gzipped by the app's middleware (0: none); a 304 names
    # Accept-Encoding in Vary exactly when the answer it stands for would have.
    gzip_min_bytes: int = 0
    # Signs the page's session cookies (api/session.py); accepted here with the page's header.
    signer: SessionSigner = field(default_factory=SessionSigner)


@dataclass(frozen=True, slots=True)
class Operation:
    """The request's GraphQL parameters, checked (what `read_request` returns)."""

    params: dict[str, Any]
    name: str | None
    variables: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CacheSlot:
    """Where a read that missed the cache stores its answer: the key, at the tenant's revision."""

    responses: ResponseCache
    key: Key
    revision: int


class GraphQLView:
    """The ASGI endpoint at /graphql (GraphiQL in a browser)."""

    def __init__(self, schema: strawberry.Schema, limits: Limits) -> None:
        self.schema = schema
        self.limits = limits
        self._operations = OperationLabels()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        request = Request(scope, receive)
        request_id = new_request_id(request.headers.get("x-request-id"))
        token = request_id_var.set(request_id)
        try:
            try:
                response = await self.handle(request, request_id)
            except Refused as refused:
                response = refused.response
            except Exception as error:
                response = self.unexpected(error, request, request_id)
            response.headers["X-Request-ID"] = request_id
            response.headers.setdefault("Vary", VARY)
            self.rate_headers(request, response)
            request.state.status = response.status_code
            await response(scope, receive, send)
        finally:
            request_id_var.reset(token)
            self.observe(request, started)

    async def handle(self, request: Request, request_id: str) -> Response:
        """The response to one request: the stages of the module docstring, in order (refusals raise `Refused`)."""
        self.check_method(request)
        if self.wants_ide(request):
            return HTMLResponse(graphiql_page())
        media = self.negotiate(request)
        gateway: Gateway = request.app.state.gateway
        principal = await self.authenticate(gateway, request, media)
        operation = await self.read_request(request, media)
        resolved = await self.resolve_document(gateway, operation, principal, media)
        shape = self.check_document(resolved.query, operation.name, request.method, principal, media)
        if shape.solves:
            self.admit(gateway, principal, media)
        request.state.rate_key = rate_key(principal)
        charged = self.spend(gateway, principal, shape.plans(operation.variables), media)
        cached = await self.answer_from_cache(gateway, principal, resolved, operation, shape, media)
        if isinstance(cached, Response):
            return self.validators(request, resolved, cached, failed=False)
        charge = SolveCharge()
        result = await self.execute(
            request, context_of(gateway, request, principal), resolved, operation, shape, media, charge
        )
        if shape.solves and (not charge.solved or refused_as_busy(result)):
            # Answered without solving (an invalid scenario, a cached plan, a solver too busy to take it): it
            # costs what a read costs.
            gateway.buckets.refund(rate_key(principal), charged - 1.0)
        if result is None:
            return Response(status_code=CLIENT_CLOSED_REQUEST)
        response = self.respond(result, media, request_id)
        if cached is not None:
            self.remember(cached, result, response, media)
        return self.validators(request, resolved, response, failed=bool(result.errors))

    # --- the stages, in order -------------------------------------------------------------------

    def check_method(self, request: Request) -> None:
        """Refuses any method but GET and POST with 405."""
        if request.method not in ("GET", "POST"):
            raise Refused(
                p.refusal(405, p.METHOD_NOT_ALLOWED, "/graphql takes GET and POST", headers={"Allow": "GET, POST"})
            )

    def wants_ide(self, request: Request) -> bool:
        """Whether a browser asks for GraphiQL: a GET accepting HTML that names no operation."""
        if request.method != "GET":
            return False
        accept = request.headers.get("accept", "")
        asks_operation = any(name in request.query_params for name in ("query", "documentId", "extensions"))
        return "text/html" in accept and not asks_operation

    def negotiate(self, request: Request) -> str:
        """The media type of the answer, from Accept, or 406."""
        media = p.negotiate(request.headers.get("accept"))
        if media is None:
            message = f"cannot answer in the accepted media types; accept {p.GRAPHQL_RESPONSE} or {p.JSON}"
            raise Refused(p.refusal(406, p.NOT_ACCEPTABLE, message))
        return media

    async def authenticate(self, gateway: Gateway, request: Request, media: str) -> Principal:
        """Who sends the request, from the Authorization header (or the page's session), or 401."""
        principal = await authenticate_request(gateway, request)
        if isinstance(principal, Unauthenticated):
            headers = {"WWW-Authenticate": 'Bearer realm="permitpath"'}
            raise Refused(p.refusal(401, p.UNAUTHENTICATED, principal.message, media_type=media, headers=headers))
        return principal

    async def read_request(self, request: Request, media: str) -> Operation:
        """The GraphQL parameters (api/request.py) and the variables within their limits."""
        params = await read_params(request, media, self.limits)
        name = params.get("operationName")
        request.state.operation = name
        variables = params.get("variables") or {}
        if variables:
            raw_size = len(json.dumps(variables, separators=(",", ":")))
            if problem := variables_problem(variables, raw_size, self.limits):
                raise Refused(self.input_error(media, problem))
        return Operation(params, name, variables)

    async def resolve_document(
        self, gateway: Gateway, operation: Operation, principal: Principal, media: str
    ) -> Resolved:
        """The document's text, from `query`, `documentId` or an APQ hash, as the key's role allows."""
        try:
            return await gateway.documents.resolve(
                operation.params,
                tenant_id=str(principal.tenant_id),
                ad_hoc_allowed=principal.role.may_send_any_document,
            )
        except DocumentError as error:
            if error.code == p.DOCUMENT_NOT_ALLOWED:
                raise Refused(p.refusal(403, error.code, error.message, media_type=media)) from None
            if error.code == p.BAD_REQUEST:  # a malformed id or a hash that is not the text's: not well formed
                raise Refused(p.refusal(400, error.code, error.message, media_type=media)) from None
            raise Refused(self.request_error(media, error.code, error.message)) from None

    def check_document(
        self, text: str, operation_name: str | None, method: str, principal: Principal, media: str
    ) -> DocumentShape:
        """What the key's role may run, and literal limits; the operation's shape."""
        shape = document_shape(text, operation_name, self.limits)
        if shape is None:
            return UNPARSED  # strawberry reports the syntax error
        role = principal.role

        def forbid(message: str) -> Refused:
            return Refused(p.refusal(403, p.FORBIDDEN, message, media_type=media))

        if shape.mutation:
            if method == "GET":
                raise Refused(self.not_allowed_over_get(media))
            if not role.may_write:
                raise forbid(f"a {role.value} key may not send mutations")
        roots = shape.roots
        if roots & MANAGE_FIELDS and not role.may_manage:
            raise forbid(
                f"a {role.value} key may not manage keys or documents ({', '.join(sorted(roots & MANAGE_FIELDS))})"
            )
        if roots & AUDIT_FIELDS and not role.may_read_audit:
            raise forbid(f"a {role.value} key may not read the audit trail")
        if not role.may_introspect and shape.introspects:
            raise forbid(f"introspection is off for {role.value} keys")
        if shape.problem:
            raise Refused(self.input_error(media, shape.problem))
        return shape

    def admit(self, gateway: Gateway, principal: Principal, media: str) -> None:
        """Refuses a solving operation with 429 SOLVER_BUSY when the solver would refuse the key's firm now.

        Asked before the rate limit, the read cache and execution: under a burst of plans the refusal costs
        no database query and no GraphQL work, so it stays as fast as the health check.
        """
        runner = gateway.services.solve_runner
        busy = runner.refusal(principal.tenant_id) if runner is not None else None
        if busy is None:
            return
        metrics = gateway.services.metrics
        if metrics is not None:
            metrics.solver_busy.inc()
        headers = {"Retry-After": str(max(1, math.ceil(busy.retry_after)))}
        raise Refused(p.refusal(429, p.SOLVER_BUSY, str(busy), media_type=media, headers=headers))

    def spend(self, gateway: Gateway, principal: Principal, plans: int, media: str) -> float:
        """Takes the operation's tokens from the key's bucket, or refuses with 429; answers the tokens taken.

        Each plan it solves costs `plan_cost` (alternatives: `count` plans), a read 1; never more than the
        bucket holds, so a costly operation waits for a full bucket instead of being refused for ever.
        """
        cost = min(gateway.plan_cost * plans, gateway.buckets.capacity) if plans else 1.0
        decision = gateway.buckets.take(rate_key(principal), cost)
        if not decision.allowed:
            retry = decision.retry_after
            seconds = 60 if math.isinf(retry) else max(1, math.ceil(retry))
            message = f"rate limit of this key reached; retry after {seconds} s"
            headers = {"Retry-After": str(seconds)}
            raise Refused(p.refusal(429, p.RATE_LIMITED, message, media_type=media, headers=headers))
        return cost

    async def answer_from_cache(
        self,
        gateway: Gateway,
        principal: Principal,
        resolved: Resolved,
        operation: Operation,
        shape: DocumentShape,
        media: str,
    ) -> Response | CacheSlot | None:
        """A cached read's response; else where to store this one's (None: not cached)."""
        responses = gateway.responses
        if responses is None or not responses.covers(shape.roots):
            return None
        key = responses.key(
            principal.tenant_id, principal.role.value, resolved.query, operation.name, operation.variables, media
        )
        revision = principal.revision
        if revision is None:  # no key (serve --dev): nothing read the revision yet
            revision = await revision_or_none(responses, principal.tenant_id)
        hit = responses.get(key, revision) if revision is not None else None
        self.count_cache(gateway, hit is not None)
        if hit is not None:
            return Response(hit.body, status_code=hit.status, media_type=f"{hit.media_type}; charset=utf-8")
        return CacheSlot(responses, key, revision) if revision is not None else None

    async def execute(
        self,
        request: Request,
        context: Context,
        resolved: Resolved,
        operation: Operation,
        shape: DocumentShape,
        media: str,
        charge: SolveCharge,
    ) -> ExecutionResult | None:
        """strawberry's result (None: the client went away during a solve, which was cancelled).

        `charge` learns from the plan service whether the operation really solved (api/ratelimit.py).
        """
        allowed = {StrawberryOperationType.QUERY}
        if request.method == "POST":
            allowed.add(StrawberryOperationType.MUTATION)
        token = solve_charge.set(charge)
        try:
            return await self._execute(request, context, resolved, operation, shape, media, allowed)
        finally:
            solve_charge.reset(token)

    async def _execute(
        self,
        request: Request,
        context: Context,
        resolved: Resolved,
        operation: Operation,
        shape: DocumentShape,
        media: str,
        allowed: set[StrawberryOperationType],
    ) -> ExecutionResult | None:
        execution = self.schema.execute(
            resolved.query,
            variable_values=operation.variables or None,
            context_value=context,
            operation_name=operation.name,
            allowed_operation_types=allowed,
        )
        try:
            if not shape.solves:
                return await execution
            # A solve holds a worker for seconds: when its caller hangs up, stop it and free the worker.
            found = await until_disconnected(execution, request.receive)
        except InvalidOperationTypeError as error:
            if error.operation_type is StrawberryOperationType.SUBSCRIPTION:
                raise Refused(self.subscription_over_http(media)) from error
            raise Refused(self.not_allowed_over_get(media)) from error
        except CannotGetOperationTypeError as error:
            raise Refused(self.request_error(media, p.VALIDATION_FAILED, error.as_http_error_reason())) from error
        if found is None:
            log.info("the client went away; its solve was cancelled")
        return found

    def respond(self, result: ExecutionResult, media: str, request_id: str) -> Response:
        """strawberry's result as GraphQL over HTTP: no `data` and 400 (graphql-response+json) when it failed
        before execution, 429 with Retry-After when the solver was too busy to run, 503 with Retry-After when
        a field met a database fault (the client retries the whole operation), otherwise 200.

        A busy solver is 429, not 503: the process is healthy and its reads are fast; a load balancer that
        takes a 503 for a failing backend must not eject it because its solve queue is full."""
        errors = result.errors or []
        failed_before = p.is_request_error(errors, result.data)
        body: dict[str, Any] = {} if failed_before else {"data": result.data}
        if errors:
            body["errors"] = [p.formatted(error, request_id) for error in errors]
        if result.extensions:
            body["extensions"] = result.extensions
        status = 400 if failed_before and media == p.GRAPHQL_RESPONSE else 200
        extra: dict[str, str] = {}
        busy = [e.original_error for e in errors if isinstance(e.original_error, SolverBusy)]
        if busy and result.data is None:
            status = 429
            extra["Retry-After"] = str(max(1, math.ceil(busy[0].retry_after)))
        if any(isinstance(e.original_error, Unavailable) for e in errors):
            status = 503
            extra["Retry-After"] = str(RETRY_AFTER_S)
        return p.graphql_response(body, status=status, media_type=media, headers=extra)

    def validators(self, request: Request, resolved: Resolved, response: Response, *, failed: bool) -> Response:
        """ETag and Cache-Control on a cacheable answer (a GET naming its document by id, 200, no errors), and
        304 without a body when the client's If-None-Match already names it.

        The answer is the tenant's own (it depends on the key), so it is `private`: a browser or the client's
        cache may keep it, a shared cache may not; `no-cache` makes it ask again each time, which costs a
        304 when nothing changed. The ETag is weak (a hash of the body): gzip may change the bytes sent, not
        the answer.
        """
        if request.method != "GET" or resolved.digest is None or failed or response.status_code != 200:
            return response
        tag = f'W/"{hashlib.sha256(bytes(response.body)).hexdigest()[:32]}"'
        headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
        if matches(request.headers.get("if-none-match"), tag):
            # The 304 varies as the 200 it stands for: gzip adds Accept-Encoding only to the bodies it sees.
            threshold = request.app.state.gateway.gzip_min_bytes
            if threshold and len(response.body) >= threshold:
                headers["Vary"] = f"{VARY}, Accept-Encoding"
            return Response(status_code=304, headers=headers)
        response.headers.update(headers)
        return response

    def rate_headers(self, request: Request, response: Response) -> None:
        """The key's RateLimit headers, once a request got far enough to be charged."""
        key = getattr(request.state, "rate_key", None)
        if key is not None:
            gateway: Gateway = request.app.state.gateway
            response.headers.update(gateway.buckets.quota(key).headers())

    def remember(self, slot: CacheSlot, result: ExecutionResult, response: Response, media: str) -> None:
        """Keeps a read's response in the cache when it answered 200 without errors."""
        if not result.errors and response.status_code == 200:
            slot.responses.put(slot.key, Entry(slot.revision, bytes(response.body), response.status_code, media))

    # --- around the stages ----------------------------------------------------------------------

    def unexpected(self, error: Exception, request: Request, request_id: str) -> Response:
        """503 with Retry-After for a database fault (a warning line), else a bug: logged with the request
        id, masked, 500."""
        fault = retry_later(error, request, as_json)
        if fault is not None:
            return fault
        log.exception("unexpected error serving %s %s", request.method, request.url.path)
        return p.refusal(500, p.INTERNAL, f"{p.MASKED_MESSAGE} (request id {request_id})")

    def observe(self, request: Request, started: float) -> None:
        """Counts the request in `permitpath_graphql_request_seconds` by operation name and HTTP status."""
        metrics = getattr(request.app.state, "metrics", None)
        if metrics is None:
            return
        operation = self._operations.label(getattr(request.state, "operation", None))
        status = str(getattr(request.state, "status", 0) or "disconnected")
        metrics.requests.labels(operation=operation, outcome=status).observe(time.perf_counter() - started)

    def count_cache(self, gateway: Gateway, hit: bool) -> None:
        """Counts a read cache lookup as a hit or a miss."""
        metrics = gateway.services.metrics
        if metrics is not None:
            metrics.response_cache.labels(result="hit" if hit else "miss").inc()

    def request_error(self, media: str, code: str, message: str) -> Response:
        """A request that failed before execution: 400 as graphql-response+json, 200 as application/json."""
        return p.refusal(400 if media == p.GRAPHQL_RESPONSE else 200, code, message, media_type=media)

    def input_error(self, media: str, problem: LimitProblem) -> Response:
        """A limit the variables or a literal went over, in the error contract (INVALID_INPUT with
        `extensions.fieldErrors`), answered as a request that failed before execution."""
        entry = p.error_entry(str(problem), p.INVALID_INPUT, fieldErrors=problem.field_errors())
        return p.graphql_response(
            {"errors": [entry]}, status=400 if media == p.GRAPHQL_RESPONSE else 200, media_type=media
        )

    def subscription_over_http(self, media: str) -> Response:
        """400 for a subscription sent over HTTP: it has its own transport."""
        message = "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql, not over HTTP"
        return p.refusal(400, p.BAD_REQUEST, message, media_type=media)

    def not_allowed_over_get(self, media: str) -> Response:
        """405 for a mutation sent with GET."""
        message = "mutations are sent with POST (GET only runs queries)"
        return p.refusal(405, p.METHOD_NOT_ALLOWED, message, media_type=media, headers={"Allow": "POST"})


# What every answer of the endpoint depends on besides the URL (CORS adds Origin, gzip Accept-Encoding).
VARY = "Accept, Authorization"
# Cacheable GET answers: a browser or client cache keeps them and revalidates each time (ETag, 304).
CACHE_CONTROL = "private, no-cache"


def rate_key(principal: Principal) -> str:
    """The bucket a principal's requests spend from: its key, or its tenant under `serve --dev`."""
    return principal.key_id or f"dev:{principal.tenant_id}"


def refused_as_busy(result: ExecutionResult | None) -> bool:
    """Whether the solver refused the operation's solve (SolverBusy): it asked for one, none ran."""
    errors = result.errors if result is not None else None
    return any(isinstance(error.original_error, SolverBusy) for error in errors or ())


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether If-None-Match names `tag` (or `*`), compared weakly as RFC 9110 asks for If-None-Match."""
    if not if_none_match:
        return False
    wanted = tag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def context_of(gateway: Gateway, request: Request, principal: Principal) -> Context:
    """The per-request context strawberry's resolvers get."""
    return Context.create(
        gateway.sessions, principal.tenant_id, request=request, services=gateway.services, principal=principal
    )


async def revision_or_none(responses: ResponseCache, tenant_id: int) -> int | None:
    """The tenant's revision, or None while the database cannot say (the request runs uncached, so one that
    needs no database, like `{ rulesVersion }`, still answers)."""
    try:
        return await responses.revision(tenant_id)
    except Exception as error:
        if unavailable(error) is None:
            raise
        log_fault(error, "reading the revision for the read cache")
        return None


async def until_disconnected(work: Awaitable[T], receive: Receive) -> T | None:
    """`work`'s result, or None (with `work` cancelled) when the client disconnects first.

    Call it once the request's body has been read: from then on the server's only message is the
    disconnect.
    """
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(disconnected(receive))
    try:
        await asyncio.wait((task, watcher), return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        watcher.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None


async def disconnected(receive: Receive) -> None:
    """Returns when the server reports that the client has gone."""
    while (await receive())["type"] != "http.disconnect":
        pass


class OperationLabels:
    """Operation names as metric labels: the first `most` distinct names, then "other" (a client names its
    operations, and an unbounded label would grow the metrics without end); no name is "anonymous"."""

    def __init__(self, most: int = 200) -> None:
        self._most = most
        self._seen: set[str] = set()

    def label(self, name: object) -> str:
        """The label for an operation name."""
        if not isinstance(name, str) or not name:
            return "anonymous"
        if name in self._seen:
            return name
        if len(self._seen) >= self._most or len(name) > 100:
            return "other"
        self._seen.add(name)
        return name

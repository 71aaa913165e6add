"""The GraphQL endpoint: GraphQL over HTTP with keys, persisted documents and limits, then strawberry.

A request goes through, in order: method (405), Accept (406), the key (401), the body or query string
(400, 413, 415), the variables' limits, the document (a trusted document by id, an APQ hash, or text if
the key may send any), what the key's role may run (403, and 405 for a mutation over GET), for an
operation that solves whether the solver would take the firm's job (429 SOLVER_BUSY), the key's
rate limit (429), and only then strawberry's parse, validation (cached) and execution. Every response
carries the request id; an unexpected exception is logged with it and masked.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import math
import time
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    visit,
)
from graphql.language import Visitor
from graphql.utilities import get_operation_ast
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from api import protocol as p
from api.auth import Authenticator, Unauthenticated
from api.documents import DocumentError, DocumentResolver, Resolved
from api.limits import Limits, document_problem, variables_problem
from api.observability import new_request_id, request_id_var
from api.ratelimit import TokenBuckets
from api.response_cache import Entry, Key, ResponseCache
from api.solve_runner import SolverBusy
from db.repositories.access import Access
from schema.admin import AUDIT_FIELDS, MANAGE_FIELDS
from schema.auth import Principal
from schema.context import Context
from schema.errors import PUBLIC_ERRORS, RETRY_AFTER_S, Unavailable, log_fault, unavailable
from schema.limits import MAX_TOKENS
from schema.plan_jobs import READING_FIELDS as JOB_READING_FIELDS
from schema.plan_jobs import SOLVING_FIELDS
from schema.root import CACHE_SIZE

log = logging.getLogger("permitpath.http")
T = TypeVar("T")
# nginx's status for a request whose client closed the connection first (nobody reads the response).
CLIENT_CLOSED_REQUEST = 499
PUBLIC_ERRORS[SolverBusy] = p.SOLVER_BUSY


class _StampRequestId(logging.Filter):
    """Stamps each record with the request being served, when it is made (not when it is formatted)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# strawberry logs the unexpected errors it masks on this logger; this module logs its own.
for _logger in ("strawberry.execution", log.name):
    logging.getLogger(_logger).addFilter(_StampRequestId())
_PARAMETERS = ("query", "operationName", "variables", "extensions", "documentId")
# Objects and lists inside each other in a body (the variables have their own, lower limit in api/limits.py);
# anything deeper is refused before it reaches code that recurses over it (json.dumps, the variables' walk).
MAX_JSON_NESTING = 32
# Root fields that solve (planScenario, and the planner's later plan operations) cost `plan_cost` tokens.
PLAN_FIELD_PREFIX = "plan"


def nesting(value: Any) -> int:
    """How many objects and lists deep `value` goes (0 for a scalar), counted without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_JSON_NESTING:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def solves(root_field: str) -> bool:
    """Whether a root field starts a solve: `plan...` fields but the job reads, and `startPlan`."""
    if root_field in SOLVING_FIELDS:
        return True
    return root_field.startswith(PLAN_FIELD_PREFIX) and root_field not in JOB_READING_FIELDS


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
    services: dict[str, Any] = field(default_factory=dict)
    # Whole responses of read queries (None: every request executes).
    responses: ResponseCache | None = None


class Refused(Exception):
    """A request answered before execution; carries the response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def parsed(text: str) -> DocumentNode | None:
    """The document, or None when strawberry will report why not.

    Parsed through strawberry's own parser cache with the schema's token limit (the same call its
    `ParserCache` makes), so the view and strawberry share one parse and one document per text.
    """
    try:
        document: DocumentNode = _get_parse_cache(CACHE_SIZE)(text, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return None
    return document


def root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> frozenset[str]:
    """The names of the root fields an operation selects (through fragments too)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    names: set[str] = set()

    def collect(selection_set: SelectionSetNode, seen: frozenset[str]) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                collect(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    collect(fragment.selection_set, seen | {selection.name.value})

    collect(operation.selection_set, frozenset())
    return frozenset(names)


def introspects(document: DocumentNode) -> bool:
    """Whether the document asks for the schema (`__schema`, `__type`)."""
    found: list[bool] = []

    class Introspection(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            if node.name.value in ("__schema", "__type"):
                found.append(True)

    visit(document, Introspection())
    return bool(found)


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
                response = self._unexpected(error, request, request_id)
            response.headers["X-Request-ID"] = request_id
            response.headers["Vary"] = "Accept, Authorization"
            request.state.status = response.status_code
            await response(scope, receive, send)
        finally:
            request_id_var.reset(token)
            self._observe(request, started)

    def _unexpected(self, error: Exception, request: Request, request_id: str) -> Response:
        """503 with Retry-After for a database fault (a warning line), else a bug: logged with the request
        id, masked, 500."""
        shown = unavailable(error)
        if shown is not None:
            log_fault(error, f"serving {request.method} {request.url.path}")
            return p.refusal(503, shown.code, str(shown), headers={"Retry-After": str(RETRY_AFTER_S)})
        log.exception("unexpected error serving %s %s", request.method, request.url.path)
        return p.refusal(500, p.INTERNAL, f"{p.MASKED_MESSAGE} (request id {request_id})")

    def _observe(self, request: Request, started: float) -> None:
        """Counts the request in `permitpath_graphql_request_seconds` by operation name and HTTP status."""
        metrics = getattr(request.app.state, "metrics", None)
        if metrics is None:
            return
        operation = self._operations.label(getattr(request.state, "operation", None))
        status = str(getattr(request.state, "status", 0) or "disconnected")
        metrics.requests.labels(operation=operation, outcome=status).observe(time.perf_counter() - started)

    async def handle(self, request: Request, request_id: str) -> Response:
        """The response to one request (refusals are raised as `Refused`)."""
        method = request.method
        if method not in ("GET", "POST"):
            raise Refused(
                p.refusal(405, p.METHOD_NOT_ALLOWED, "/graphql takes GET and POST", headers={"Allow": "GET, POST"})
            )
        if method == "GET" and self._wants_ide(request):
            return HTMLResponse(get_graphql_ide_html(graphql_ide="graphiql"))
        media = p.negotiate(request.headers.get("accept"))
        if media is None:
            message = f"cannot answer in the accepted media types; accept {p.GRAPHQL_RESPONSE} or {p.JSON}"
            raise Refused(p.refusal(406, p.NOT_ACCEPTABLE, message))
        gateway: Gateway = request.app.state.gateway
        principal = await gateway.authenticator.authenticate(request.headers.get("authorization"))
        if isinstance(principal, Unauthenticated):
            headers = {"WWW-Authenticate": 'Bearer realm="permitpath"'}
            raise Refused(p.refusal(401, p.UNAUTHENTICATED, principal.message, media_type=media, headers=headers))

        params = await self._params(request, media)
        request.state.operation = params.get("operationName")
        variables = params.get("variables") or {}
        if variables:
            raw_size = len(json.dumps(variables, separators=(",", ":")))
            if problem := variables_problem(variables, raw_size, self.limits):
                raise Refused(self._request_error(media, p.INVALID_INPUT, problem))
        resolved = await self._document(gateway, params, principal, media)
        operation_name = params.get("operationName")
        shape = self._check_document(resolved.query, operation_name, method, principal, media)

        if shape.solves:
            self._admit(gateway, principal, media)
        self._spend(gateway, principal, shape.solves, media)

        responses = gateway.responses
        cached: tuple[Key, int] | None = None
        if responses is not None and responses.covers(shape.roots):
            key = responses.key(
                principal.tenant_id, principal.role.value, resolved.query, operation_name, variables, media
            )
            revision = principal.revision
            if revision is None:  # no key (serve --dev): nothing read the revision yet
                revision = await _revision_or_none(responses, principal.tenant_id)
            hit = responses.get(key, revision) if revision is not None else None
            self._count_cache(gateway, hit is not None)
            if hit is not None:
                return Response(hit.body, status_code=hit.status, media_type=f"{hit.media_type}; charset=utf-8")
            cached = (key, revision) if revision is not None else None

        context = Context.create(
            gateway.sessions, principal.tenant_id, request=request, services=gateway.services, principal=principal
        )
        allowed = {StrawberryOperationType.QUERY}
        if method == "POST":
            allowed.add(StrawberryOperationType.MUTATION)
        execution = self.schema.execute(
            resolved.query,
            variable_values=variables or None,
            context_value=context,
            operation_name=operation_name,
            allowed_operation_types=allowed,
        )
        try:
            if shape.solves:
                # A solve holds a worker for seconds: when its caller hangs up, stop it and free the worker.
                found = await until_disconnected(execution, request.receive)
                if found is None:
                    log.info("the client went away; its solve was cancelled")
                    return Response(status_code=CLIENT_CLOSED_REQUEST)
                result = found
            else:
                result = await execution
        except InvalidOperationTypeError as error:
            raise Refused(self._not_allowed_over_get(media)) from error
        except CannotGetOperationTypeError as error:
            raise Refused(self._request_error(media, p.VALIDATION_FAILED, error.as_http_error_reason())) from error
        response = self._respond(result, media, request_id)
        if responses is not None and cached is not None and not result.errors and response.status_code == 200:
            key, revision = cached
            responses.put(key, Entry(revision, bytes(response.body), response.status_code, media))
        return response

    # --- the steps ------------------------------------------------------------------------------

    def _admit(self, gateway: Gateway, principal: Principal, media: str) -> None:
        """Refuses a solving operation with 429 SOLVER_BUSY when the solver would refuse the key's firm now.

        Asked before the rate limit, the read cache and execution: under a burst of plans the refusal costs
        no database query and no GraphQL work, so it stays as fast as the health check.
        """
        runner = gateway.services.get("solve_runner")
        busy = runner.refusal(principal.tenant_id) if runner is not None else None
        if busy is None:
            return
        metrics = gateway.services.get("metrics")
        if metrics is not None:
            metrics.solver_busy.inc()
        headers = {"Retry-After": str(max(1, math.ceil(busy.retry_after)))}
        raise Refused(p.refusal(429, p.SOLVER_BUSY, str(busy), media_type=media, headers=headers))

    def _spend(self, gateway: Gateway, principal: Principal, solving: bool, media: str) -> None:
        """Takes the operation's tokens from the key's bucket (a plan costs more), or refuses with 429."""
        cost = gateway.plan_cost if solving else 1.0
        decision = gateway.buckets.take(principal.key_id or f"dev:{principal.tenant_id}", cost)
        if not decision.allowed:
            retry = decision.retry_after
            seconds = 60 if math.isinf(retry) else max(1, math.ceil(retry))
            message = f"rate limit of this key reached; retry after {seconds} s"
            headers = {"Retry-After": str(seconds)}
            raise Refused(p.refusal(429, p.RATE_LIMITED, message, media_type=media, headers=headers))

    def _count_cache(self, gateway: Gateway, hit: bool) -> None:
        metrics = gateway.services.get("metrics")
        if metrics is not None:
            metrics.response_cache.labels(result="hit" if hit else "miss").inc()

    def _respond(self, result: ExecutionResult, media: str, request_id: str) -> Response:
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

    def _wants_ide(self, request: Request) -> bool:
        accept = request.headers.get("accept", "")
        asks_operation = any(name in request.query_params for name in ("query", "documentId", "extensions"))
        return "text/html" in accept and not asks_operation

    def _request_error(self, media: str, code: str, message: str) -> Response:
        """A request that failed before execution: 400 as graphql-response+json, 200 as application/json."""
        return p.refusal(400 if media == p.GRAPHQL_RESPONSE else 200, code, message, media_type=media)

    def _not_allowed_over_get(self, media: str) -> Response:
        message = "mutations are sent with POST (GET only runs queries)"
        return p.refusal(405, p.METHOD_NOT_ALLOWED, message, media_type=media, headers={"Allow": "POST"})

    async def _params(self, request: Request, media: str) -> dict[str, Any]:
        """The request's GraphQL parameters, from the query string (GET) or the JSON body (POST)."""
        if request.method == "GET":
            raw: dict[str, Any] = {k: v for k, v in request.query_params.items() if k in _PARAMETERS}
            for name in ("variables", "extensions"):
                if isinstance(raw.get(name), str):
                    raw[name] = self._json(raw[name], f"the {name} parameter", media)
        else:
            raw = await self._body(request, media)
        for name, kind, what in (
            ("query", str, "a string"),
            ("operationName", str, "a string"),
            ("documentId", str, "a string"),
            ("variables", dict, "an object"),
            ("extensions", dict, "an object"),
        ):
            if raw.get(name) is not None and not isinstance(raw[name], kind):
                raise Refused(p.refusal(400, p.BAD_REQUEST, f"`{name}` must be {what} or null", media_type=media))
        persisted = (raw.get("extensions") or {}).get("persistedQuery")
        if raw.get("query") is None and raw.get("documentId") is None and persisted is None:
            message = "the request names no operation: send `query`, `documentId` or extensions.persistedQuery"
            raise Refused(p.refusal(400, p.BAD_REQUEST, message, media_type=media))
        if raw.get("query") is not None and raw.get("documentId") is not None:
            message = "send either `query` or `documentId`, not both"
            raise Refused(p.refusal(400, p.BAD_REQUEST, message, media_type=media))
        return raw

    async def _body(self, request: Request, media: str) -> dict[str, Any]:
        content_type = request.headers.get("content-type", "")
        kind, _, params = content_type.partition(";")
        charset = params.partition("charset=")[2].strip().strip('"').lower()
        if kind.strip().lower() != p.JSON or charset not in ("", "utf-8", "utf8"):
            message = f"send the operation as {p.JSON} (UTF-8); got {content_type or 'no Content-Type'}"
            raise Refused(p.refusal(415, p.UNSUPPORTED_MEDIA_TYPE, message, media_type=media))
        limit = self.limits.max_body_bytes
        too_large = p.refusal(
            413, p.PAYLOAD_TOO_LARGE, f"the body is over the limit of {limit} bytes", media_type=media
        )
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise Refused(too_large)
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise Refused(too_large)
            chunks.append(chunk)
        body = self._json(b"".join(chunks), "the body", media)
        if not isinstance(body, dict):
            message = "the body must be one JSON object {query, variables, operationName} (batching is off)"
            raise Refused(p.refusal(400, p.BAD_REQUEST, message, media_type=media))
        return body

    def _json(self, raw: str | bytes, what: str, media: str) -> Any:
        too_deep = f"{what} is nested too deep (at most {MAX_JSON_NESTING} levels of objects and lists)"
        try:
            # Decoded as UTF-8 first: json.loads would guess UTF-16 or UTF-32 from the first bytes.
            value = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
        except ValueError as error:  # UnicodeDecodeError is a ValueError too
            raise Refused(p.refusal(400, p.BAD_REQUEST, f"{what} is not JSON: {error}", media_type=media)) from None
        except RecursionError:  # the decoder recurses once per level: thousands of levels exhaust the stack
            raise Refused(p.refusal(400, p.BAD_REQUEST, too_deep, media_type=media)) from None
        if nesting(value) > MAX_JSON_NESTING:
            raise Refused(p.refusal(400, p.BAD_REQUEST, too_deep, media_type=media))
        return value

    async def _document(
        self, gateway: Gateway, params: Mapping[str, Any], principal: Principal, media: str
    ) -> Resolved:
        try:
            return await gateway.documents.resolve(
                params, tenant_id=str(principal.tenant_id), ad_hoc_allowed=principal.role.may_send_any_document
            )
        except DocumentError as error:
            if error.code == p.DOCUMENT_NOT_ALLOWED:
                raise Refused(p.refusal(403, error.code, error.message, media_type=media)) from None
            raise Refused(self._request_error(media, error.code, error.message)) from None

    def _check_document(
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
                raise Refused(self._not_allowed_over_get(media))
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
            raise Refused(self._request_error(media, p.INVALID_INPUT, shape.problem))
        return shape


async def _revision_or_none(responses: ResponseCache, tenant_id: int) -> int | None:
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
    watcher = asyncio.ensure_future(_disconnect(receive))
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


async def _disconnect(receive: Receive) -> None:
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
        if not isinstance(name, str) or not name:
            return "anonymous"
        if name in self._seen:
            return name
        if len(self._seen) >= self._most or len(name) > 100:
            return "other"
        self._seen.add(name)
        return name


@dataclass(frozen=True)
class DocumentShape:
    """What the endpoint checks of an operation before running it, whoever sends it."""

    mutation: bool
    roots: frozenset[str]
    introspects: bool
    problem: str | None

    @property
    def solves(self) -> bool:
        """Whether the operation starts a solve (it costs `plan_cost` and its caller's hang-up cancels it)."""
        return any(solves(name) for name in self.roots)


# A document that does not parse: nothing to check here, strawberry answers with the syntax error.
UNPARSED = DocumentShape(mutation=False, roots=frozenset(), introspects=False, problem=None)


@functools.lru_cache(maxsize=CACHE_SIZE)
def document_shape(text: str, operation_name: str | None, limits: Limits) -> DocumentShape | None:
    """The shape of the operation `operation_name` of `text` (None when it does not parse), computed once per
    document like strawberry's parse and validation: a frontend sends the same few documents all day."""
    document = parsed(text)
    if document is None:
        return None
    operation = get_operation_ast(document, operation_name)
    return DocumentShape(
        mutation=operation is not None and operation.operation is OperationType.MUTATION,
        roots=root_fields(document, operation) if operation is not None else frozenset(),
        introspects=introspects(document),
        problem=document_problem(document, limits),
    )

"""The served schema as SDL at `GET /graphql/schema.graphql`, for every authenticated role.

Codegen and schema registries need the schema; introspection needs query text, which an integrator key may not
send. The SDL is the same text as the committed `schema.graphql` (`permitpath export-schema`), printed once per
process, with a strong ETag (its sha256): a tool that polls it gets 304 until a release changes it.
"""

from __future__ import annotations

import functools
import hashlib
import math

from starlette.requests import Request
from starlette.responses import Response

from api import protocol as p
from api.auth import Unauthenticated
from api.faults import answering_faults
from api.observability import new_request_id
from api.view import CACHE_CONTROL, Gateway, matches, rate_key
from schema.root import sdl

MEDIA_TYPE = "text/plain; charset=utf-8"


@functools.cache
def served_sdl() -> tuple[bytes, str]:
    """The SDL's bytes and their ETag, made once: the schema does not change while the process runs."""
    body = sdl().encode()
    return body, f'"{hashlib.sha256(body).hexdigest()}"'


async def schema_document(request: Request) -> Response:
    """The SDL for any valid key (401 without one), charged one token like a read, 304 when unchanged; 503 with
    Retry-After when the database cannot say whether the key stands."""
    request_id = new_request_id(request.headers.get("x-request-id"))
    response = await _answer(request)
    response.headers["X-Request-ID"] = request_id
    response.headers["Vary"] = "Authorization"
    return response


@answering_faults
async def _answer(request: Request) -> Response:
    gateway: Gateway = request.app.state.gateway
    principal = await gateway.authenticator.authenticate(request.headers.get("authorization"))
    if isinstance(principal, Unauthenticated):
        headers = {"WWW-Authenticate": 'Bearer realm="permitpath"'}
        return p.refusal(401, p.UNAUTHENTICATED, principal.message, headers=headers)
    key = rate_key(principal)
    decision = gateway.buckets.take(key)
    if not decision.allowed:
        seconds = max(1, math.ceil(decision.retry_after))
        message = f"rate limit of this key reached; retry after {seconds} s"
        response = p.refusal(429, p.RATE_LIMITED, message, headers={"Retry-After": str(seconds)})
    else:
        body, tag = served_sdl()
        headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
        if matches(request.headers.get("if-none-match"), tag):
            response = Response(status_code=304, headers=headers)
        else:
            response = Response(body, media_type=MEDIA_TYPE, headers=headers)
    response.headers.update(gateway.buckets.quota(key).headers())
    return response

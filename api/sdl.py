"""The served schema as SDL at `GET /graphql/schema.graphql`, for every authenticated role.

Codegen and schema registries need the schema; introspection needs query text, which an integrator key may not
send. The SDL is the same text as the committed `schema.graphql` (`permitpath export-schema`), printed once per
process, with a strong ETag (its sha256): a tool that polls it gets 304 until a release changes it.
"""

from __future__ import annotations

import functools
import hashlib

from starlette.requests import Request
from starlette.responses import Response

from api import protocol as p
from api.auth import Unauthenticated
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
    """The SDL for any valid key (401 without one), charged one token like a read, 304 when unchanged."""
    request_id = new_request_id(request.headers.get("x-request-id"))
    gateway: Gateway = request.app.state.gateway
    principal = await gateway.authenticator.authenticate(request.headers.get("authorization"))
    if isinstance(principal, Unauthenticated):
        response = p.refusal(
            401, p.UNAUTHENTICATED, principal.message, headers={"WWW-Authenticate": 'Bearer realm="permitpath"'}
        )
    else:
        key = rate_key(principal)
        decision = gateway.buckets.take(key)
        if not decision.allowed:
            seconds = max(1, int(decision.retry_after + 0.999))
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
    response.headers["X-Request-ID"] = request_id
    response.headers["Vary"] = "Authorization"
    return response

"""Database faults on every HTTP route, as /graphql answers them: 503 with Retry-After, never 500.

`db/faults.py` tells a fault (the database is down, refuses the login, is locked or full) from a bug and
`schema.errors.unavailable` words it for the client; this is where a route's answer gets the status and the
header. A route wraps its endpoint in `answering_faults` with the body it speaks (GraphQL's JSON errors, plain
text, the page's HTML); any other exception goes on up, to be logged and masked as a 500.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api import protocol as p
from schema.errors import RETRY_AFTER_S, Unavailable, log_fault, unavailable

Endpoint = Callable[[Request], Awaitable[Response]]
# The 503 in the route's own form (GraphQL's JSON errors, plain text, the page's HTML); Retry-After is added here.
Answer = Callable[[Request, Unavailable], Response]
UNAVAILABLE_STATUS = 503


def as_json(_request: Request, shown: Unavailable) -> Response:
    """A GraphQL error body with the fault's code, as /graphql refuses."""
    return p.refusal(UNAVAILABLE_STATUS, shown.code, str(shown))


def as_text(_request: Request, shown: Unavailable) -> Response:
    """The fault's message as plain text, for a route whose other refusals are plain text."""
    return PlainTextResponse(f"{shown}\n", status_code=UNAVAILABLE_STATUS)


def retry_later(error: BaseException, request: Request, answer: Answer) -> Response | None:
    """`answer`'s 503 with Retry-After when `error` is a database fault, else None (a bug).

    The fault is logged in one warning line where it was met: a driver's error here, an `Unavailable` (the page's
    own call to /graphql) by the endpoint that met it.
    """
    if isinstance(error, Unavailable):
        shown: Unavailable | None = error
    else:
        shown = unavailable(error)
        if shown is not None:
            log_fault(error, f"serving {request.method} {request.url.path}")
    if shown is None:
        return None
    response = answer(request, shown)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def answering_faults(endpoint: Endpoint, answer: Answer = as_json) -> Endpoint:
    """`endpoint`, answering a database fault it meets with `answer` (503, Retry-After)."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        try:
            return await endpoint(request)
        except Exception as error:
            response = retry_later(error, request, answer)
            if response is None:
                raise
            return response

    return guarded

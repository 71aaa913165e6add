"""GraphQL over HTTP: media types, status codes and error bodies (graphql/graphql-over-http).

`application/graphql-response+json` is served when the client accepts it: a request that fails before
execution (parse, validation, unknown document, bad variables) answers 400, a response with data 200.
`application/json` keeps the older rule: 200 for every well-formed request. Requests that are not
well-formed (bad JSON, wrong parameter types), and refusals of the transport (401, 403, 405, 406, 413,
415, 429) get their status under either media type. Every error carries a stable `extensions.code`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError
from starlette.responses import Response

from db import faults
from schema.errors import CONFLICT as CONFLICT  # re-exported: the `Conflict` result member's code
from schema.errors import PUBLIC_ERRORS

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"

# Stable extensions.code values (docs/integrators.md lists them; CONFLICT, imported above, is the `code` of
# a mutation's `Conflict` result: a stale `version` or a reused `idempotencyKey`).
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
DOCUMENT_NOT_ALLOWED = "DOCUMENT_NOT_ALLOWED"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
RATE_LIMITED = "RATE_LIMITED"
SOLVER_BUSY = "SOLVER_BUSY"
INVALID_INPUT = "INVALID_INPUT"
BAD_REQUEST = "BAD_REQUEST"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL = "INTERNAL_SERVER_ERROR"
# 503 with Retry-After: the database cannot serve for the moment (db/faults.py); retrying is right.
DATABASE_UNAVAILABLE = faults.DATABASE_UNAVAILABLE
STORAGE_FULL = faults.STORAGE_FULL
MASKED_MESSAGE = "Unexpected error."


def negotiate(accept: str | None) -> str | None:
    """The media type to answer in, or None when the Accept header allows neither (406).

    The client's preference (q) decides, and on a tie the newer `application/graphql-response+json`
    when it is named. `*/*`, `application/*` and no Accept header mean `application/json` (what
    clients that predate the newer type expect, and what the graphql-http audit asks for).
    """
    if accept is None or not accept.strip():
        return JSON
    candidates: list[tuple[float, int, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q, charset_ok = 1.0, True
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            name, value = name.strip().lower(), value.strip().strip('"').lower()
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
            elif name == "charset":
                charset_ok = value in ("utf-8", "utf8")
        if q <= 0 or not charset_ok:
            continue
        if media == GRAPHQL_RESPONSE:
            candidates.append((q, 1, -position, GRAPHQL_RESPONSE))
        elif media in (JSON, "*/*", "application/*"):
            candidates.append((q, 0, -position, JSON))
    # Higher q first; among equals graphql-response+json, then the client's order.
    return max(candidates)[3] if candidates else None


def error_entry(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    """One entry of a response's `errors`."""
    return {"message": message, "extensions": {"code": code, **extensions}}


def code_of(error: GraphQLError) -> str:
    """The stable code of an error strawberry returned."""
    if error.extensions and isinstance(error.extensions.get("code"), str):
        return str(error.extensions["code"])
    original = error.original_error
    if original is not None:
        code = getattr(original, "code", None)
        if isinstance(code, str):
            return code
        for kind, public_code in PUBLIC_ERRORS.items():
            if isinstance(original, kind):
                return public_code
        if isinstance(original, GraphQLError):
            return INVALID_INPUT  # raised on purpose for the client, e.g. an argument that is not a global id
    if error.path is not None:
        return INTERNAL
    message = error.message
    if message.startswith("Syntax Error: Document contains more than"):
        return QUERY_TOO_COMPLEX
    if message.startswith("Syntax Error"):
        return PARSE_FAILED
    if message.startswith("Variable '$"):
        return INVALID_INPUT
    return VALIDATION_FAILED


def formatted(error: GraphQLError, request_id: str) -> dict[str, Any]:
    """An error as the response shows it, with its code (and the request id when it was masked)."""
    entry = dict(error.formatted)
    code = code_of(error)
    extensions: dict[str, Any] = dict(error.extensions or {})
    extensions["code"] = code
    if code == INTERNAL:
        extensions["requestId"] = request_id
    entry["extensions"] = extensions
    return entry


def is_request_error(errors: list[GraphQLError], data: object) -> bool:
    """True when the operation failed before execution: no data and no error from a field."""
    return data is None and bool(errors) and all(error.path is None for error in errors)


def graphql_response(
    body: Mapping[str, Any], *, status: int, media_type: str, headers: Mapping[str, str] | None = None
) -> Response:
    """A GraphQL response body in the negotiated media type."""
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(content, status_code=status, media_type=f"{media_type}; charset=utf-8", headers=dict(headers or {}))


def refusal(
    status: int, code: str, message: str, *, media_type: str = JSON, headers: Mapping[str, str] | None = None
) -> Response:
    """A refusal before execution: a GraphQL error body with its code, and the HTTP status."""
    return graphql_response(
        {"errors": [error_entry(message, code)]}, status=status, media_type=media_type, headers=headers
    )

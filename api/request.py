"""Reading a GraphQL request: its parameters from the query string (GET) or the JSON body (POST).

Each problem is refused before any GraphQL work: a body that is not UTF-8 JSON (415), over the size limit
(413), not JSON, nested too deep, not one object, or with parameters of the wrong type (400).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from api import protocol as p
from api.limits import Limits

PARAMETERS = ("query", "operationName", "variables", "extensions", "documentId")
# Objects and lists inside each other in a body (the variables have their own, lower limit in api/limits.py);
# anything deeper is refused before it reaches code that recurses over it (json.dumps, the variables' walk).
MAX_JSON_NESTING = 32


class Refused(Exception):
    """A request answered before execution; carries the response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


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


async def read_params(request: Request, media: str, limits: Limits) -> dict[str, Any]:
    """The request's GraphQL parameters, from the query string (GET) or the JSON body (POST)."""
    if request.method == "GET":
        raw: dict[str, Any] = {k: v for k, v in request.query_params.items() if k in PARAMETERS}
        for name in ("variables", "extensions"):
            if isinstance(raw.get(name), str):
                raw[name] = decode_json(raw[name], f"the {name} parameter", media)
    else:
        raw = await read_body(request, media, limits)
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


async def read_body(request: Request, media: str, limits: Limits) -> dict[str, Any]:
    """The POST body as one JSON object, read up to the body limit."""
    content_type = request.headers.get("content-type", "")
    kind, _, params = content_type.partition(";")
    charset = params.partition("charset=")[2].strip().strip('"').lower()
    if kind.strip().lower() != p.JSON or charset not in ("", "utf-8", "utf8"):
        message = f"send the operation as {p.JSON} (UTF-8); got {content_type or 'no Content-Type'}"
        raise Refused(p.refusal(415, p.UNSUPPORTED_MEDIA_TYPE, message, media_type=media))
    limit = limits.max_body_bytes
    too_large = p.refusal(413, p.PAYLOAD_TOO_LARGE, f"the body is over the limit of {limit} bytes", media_type=media)
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
    body = decode_json(b"".join(chunks), "the body", media)
    if not isinstance(body, dict):
        message = "the body must be one JSON object {query, variables, operationName} (batching is off)"
        raise Refused(p.refusal(400, p.BAD_REQUEST, message, media_type=media))
    return body


def decode_json(raw: str | bytes, what: str, media: str) -> Any:
    """`raw` decoded as UTF-8 JSON at most `MAX_JSON_NESTING` deep; `what` names it in the refusal."""
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

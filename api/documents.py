"""Persisted documents: trusted documents by id, and Apollo's automatic persisted queries (APQ).

A request names its document in one of three ways, all resolved here to the operation text:
- `documentId: "sha256:<hex>"` (GraphQL-over-HTTP, Appendix A): a trusted document of the tenant's
  registered manifests, or of the built-in manifest every tenant has (the contract's operations file);
- `extensions.persistedQuery.sha256Hash` without `query` (APQ): a trusted document, or a document this
  process has seen with that hash before; unknown hashes answer PERSISTED_QUERY_NOT_FOUND so the client
  resends hash and text;
- `query` text: an ad-hoc document, allowed only for keys that may send any operation.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from api.lru import Lru
from api.protocol import BAD_REQUEST
from schema.manifest import SHA256_HEX, manifest_entries, sha256_hex

__all__ = [
    "APQCache",
    "DocumentError",
    "DocumentResolver",
    "Resolved",
    "TrustedDocuments",
    "builtin_manifest",
    "parse_document_id",
    "parse_manifest",
    "sha256_hex",
]

BUILTIN_OPERATIONS = Path(__file__).with_name("operations.graphql")
_SHA256 = SHA256_HEX


class DocumentError(Exception):
    """A request's document could not be resolved; `code` is the stable extensions.code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def builtin_manifest() -> dict[str, str]:
    """The contract's operations file as one trusted document, keyed by the sha256 of its bytes."""
    data = BUILTIN_OPERATIONS.read_bytes()
    return {hashlib.sha256(data).hexdigest(): data.decode()}


def parse_manifest(raw: str | bytes) -> dict[str, str]:
    """Reads a `{sha256: operation text}` manifest (as Relay and Apollo tooling emit) and checks every hash.

    Keys may carry the `sha256:` prefix. Raises ValueError naming the first bad entry.
    """
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"the manifest is not JSON: {exc}") from None
    return manifest_entries(doc)


def parse_document_id(document_id: str) -> str:
    """The hex digest of a `sha256:<hex>` document id; DocumentError (BAD_REQUEST) for any other form.

    A malformed id is the client's mistake, not a document to register: PERSISTED_QUERY_NOT_FOUND would send
    an APQ client into registering it, which can never work.
    """
    digest = document_id.removeprefix("sha256:")
    if not document_id.startswith("sha256:") or not _SHA256.match(digest):
        shown = document_id if len(document_id) <= 80 else document_id[:80] + "..."
        raise DocumentError(BAD_REQUEST, f"documentId {shown!r} is not of the form sha256:<64 lowercase hex>")
    return digest


class TrustedDocuments(Protocol):
    """Where a tenant's registered documents live (the database in the service)."""

    async def get(self, tenant_id: str, digest: str) -> str | None: ...


@dataclass(frozen=True)
class Resolved:
    query: str
    trusted: bool
    digest: str | None


class APQCache(Lru[str, str]):
    """Documents seen by hash in this process (APQ registers a hash by sending hash and text once)."""

    def __init__(self, capacity: int = 10_000) -> None:
        super().__init__(capacity)


class DocumentResolver:
    """Turns a request's documentId / persistedQuery / query into the operation text to run."""

    def __init__(self, trusted: TrustedDocuments, apq: APQCache | None = None) -> None:
        self._trusted = trusted
        self._builtin = builtin_manifest()
        self._apq = apq or APQCache()

    @property
    def builtin_ids(self) -> tuple[str, ...]:
        return tuple(f"sha256:{digest}" for digest in self._builtin)

    async def _trusted_text(self, tenant_id: str | None, digest: str) -> str | None:
        if digest in self._builtin:
            return self._builtin[digest]
        if tenant_id is None:
            return None
        return await self._trusted.get(tenant_id, digest)

    async def resolve(self, body: Mapping[str, Any], *, tenant_id: str | None, ad_hoc_allowed: bool) -> Resolved:
        """The document a request body names; DocumentError with a stable code when it cannot run."""
        query = body.get("query")
        document_id = body.get("documentId")
        extensions = body.get("extensions") or {}
        persisted = extensions.get("persistedQuery") if isinstance(extensions, Mapping) else None
        if document_id is not None:
            if not isinstance(document_id, str):
                raise DocumentError(BAD_REQUEST, "documentId must be a string")
            digest = parse_document_id(document_id)
            text = await self._trusted_text(tenant_id, digest)
            if text is None:
                raise DocumentError(
                    "PERSISTED_QUERY_NOT_FOUND", f"no registered document has id {document_id}; register it first"
                )
            return Resolved(text, trusted=True, digest=digest)
        if isinstance(persisted, Mapping):
            digest = str(persisted.get("sha256Hash", ""))
            if not _SHA256.match(digest):
                raise DocumentError(BAD_REQUEST, "extensions.persistedQuery.sha256Hash must be 64 lowercase hex")
            text = await self._trusted_text(tenant_id, digest)
            if text is not None:
                return Resolved(text, trusted=True, digest=digest)
            if isinstance(query, str):
                if sha256_hex(query) != digest:
                    raise DocumentError(
                        BAD_REQUEST,
                        "extensions.persistedQuery.sha256Hash does not match the query: it must be the sha256 "
                        "of the query text's UTF-8 bytes, in lowercase hex",
                    )
                if not ad_hoc_allowed:
                    raise DocumentError("DOCUMENT_NOT_ALLOWED", "this key may only send registered documents")
                self._apq.put(digest, query)
                return Resolved(query, trusted=False, digest=digest)
            cached = self._apq.get(digest) if ad_hoc_allowed else None
            if cached is None:
                raise DocumentError("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
            return Resolved(cached, trusted=False, digest=digest)
        if isinstance(query, str):
            if not ad_hoc_allowed:
                raise DocumentError(
                    "DOCUMENT_NOT_ALLOWED", "this key may only send registered documents (documentId: sha256:...)"
                )
            return Resolved(query, trusted=False, digest=None)
        raise DocumentError("PERSISTED_QUERY_NOT_FOUND", "the request has no query, documentId or persistedQuery")

"""Trusted-document manifests: `{sha256 hex: operation text}`, as Relay and Apollo tooling emit them.

Shared by the admin mutation (`registerDocuments`) and `permitpath documents register`; the api's
document resolver looks the registered texts up by digest.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from graphql import GraphQLError, GraphQLSchema, parse, validate

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def sha256_hex(text: str) -> str:
    """The lowercase hex sha256 of the text's UTF-8 bytes."""
    return hashlib.sha256(text.encode()).hexdigest()


def manifest_entries(doc: object) -> dict[str, str]:
    """The checked entries of a decoded manifest; ValueError naming the first bad entry.

    Keys may carry the `sha256:` prefix; `{"operations": {...}}` (a wrapped manifest) is accepted too.
    """
    if isinstance(doc, dict) and isinstance(doc.get("operations"), dict):
        doc = doc["operations"]
    if not isinstance(doc, dict) or not doc:
        raise ValueError('a manifest is a non-empty JSON object {"<sha256 hex>": "<operation text>"}')
    out: dict[str, str] = {}
    for key, text in doc.items():
        digest = str(key).removeprefix("sha256:")
        if not SHA256_HEX.match(digest):
            raise ValueError(f"manifest key {key!r} is not a sha256 hex digest (64 lowercase hex characters)")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"manifest entry {key!r} must map to the operation text")
        if sha256_hex(text) != digest:
            raise ValueError(f"manifest entry {key!r}: the sha256 of its text is {sha256_hex(text)}")
        out[digest] = text
    return out


def digest_of(document_id: str) -> str | None:
    """The hex digest of a `sha256:<hex>` id (or of a bare hex digest), else None."""
    digest = document_id.removeprefix("sha256:")
    return digest if SHA256_HEX.match(digest) else None


def invalid_operations(schema: GraphQLSchema, manifest: Mapping[str, str]) -> list[str]:
    """Why entries of a manifest would not run against `schema` (parse and validation), one line each."""
    problems: list[str] = []
    for digest, text in manifest.items():
        try:
            errors = validate(schema, parse(text))
        except GraphQLError as error:
            errors = [error]
        problems += [f"sha256:{digest}: {error.message}" for error in errors]
    return problems

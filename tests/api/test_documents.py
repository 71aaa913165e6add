"""Persisted documents: manifests, document ids, APQ registration, and who may send what."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from api.documents import (
    APQCache,
    DocumentError,
    DocumentResolver,
    Resolved,
    builtin_manifest,
    parse_document_id,
    parse_manifest,
    sha256_hex,
)

CONTRACT_OPERATIONS = Path(__file__).parents[1] / "fixtures" / "contract" / "operations.graphql"
QUERY = "query Version { rulesVersion }"
DIGEST = sha256_hex(QUERY)


class Store:
    def __init__(self, docs: dict[tuple[str, str], str]) -> None:
        self.docs = docs

    async def get(self, tenant_id: str, digest: str) -> str | None:
        return self.docs.get((tenant_id, digest))


def resolver() -> DocumentResolver:
    return DocumentResolver(Store({("t1", DIGEST): QUERY}))


def test_the_builtin_manifest_is_the_contract_file_keyed_by_its_bytes() -> None:
    data = CONTRACT_OPERATIONS.read_bytes()
    assert builtin_manifest() == {hashlib.sha256(data).hexdigest(): data.decode()}


def test_manifest_entries_are_checked_against_their_hash() -> None:
    assert parse_manifest(json.dumps({f"sha256:{DIGEST}": QUERY})) == {DIGEST: QUERY}
    assert parse_manifest(json.dumps({"operations": {DIGEST: QUERY}})) == {DIGEST: QUERY}
    with pytest.raises(ValueError, match="the sha256 of its text is"):
        parse_manifest(json.dumps({DIGEST: QUERY + " "}))
    with pytest.raises(ValueError, match="not a sha256 hex digest"):
        parse_manifest(json.dumps({"abc": QUERY}))
    with pytest.raises(ValueError, match="not JSON"):
        parse_manifest("{")
    with pytest.raises(ValueError, match="non-empty JSON object"):
        parse_manifest("[]")


def test_document_ids_use_the_sha256_scheme() -> None:
    assert parse_document_id(f"sha256:{DIGEST}") == DIGEST
    for bad in (DIGEST, f"md5:{DIGEST}", "sha256:ABC"):
        with pytest.raises(DocumentError) as err:
            parse_document_id(bad)
        assert err.value.code == "BAD_REQUEST"  # a malformed id is not a document to register


async def test_document_id_finds_the_tenant_document_and_the_builtin() -> None:
    r = resolver()
    assert await r.resolve({"documentId": f"sha256:{DIGEST}"}, tenant_id="t1", ad_hoc_allowed=False) == Resolved(
        QUERY, True, DIGEST
    )
    builtin_id = r.builtin_ids[0]
    got = await r.resolve({"documentId": builtin_id}, tenant_id="t2", ad_hoc_allowed=False)
    assert got.trusted and "query PlanScenario" in got.query


async def test_another_tenants_document_is_not_found() -> None:
    with pytest.raises(DocumentError) as err:
        await resolver().resolve({"documentId": f"sha256:{DIGEST}"}, tenant_id="t2", ad_hoc_allowed=True)
    assert err.value.code == "PERSISTED_QUERY_NOT_FOUND"


async def test_integrators_may_not_send_text() -> None:
    with pytest.raises(DocumentError) as err:
        await resolver().resolve({"query": "{ __typename }"}, tenant_id="t1", ad_hoc_allowed=False)
    assert err.value.code == "DOCUMENT_NOT_ALLOWED"


async def test_apq_round_trip_registers_then_serves_by_hash() -> None:
    r = DocumentResolver(Store({}), APQCache())
    text = "{ __typename }"
    body_hash_only = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(text)}}}
    with pytest.raises(DocumentError) as err:
        await r.resolve(body_hash_only, tenant_id="t1", ad_hoc_allowed=True)
    assert (err.value.code, err.value.message) == ("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
    registered = await r.resolve({**body_hash_only, "query": text}, tenant_id="t1", ad_hoc_allowed=True)
    assert registered == Resolved(text, False, sha256_hex(text))
    assert await r.resolve(body_hash_only, tenant_id="t1", ad_hoc_allowed=True) == registered


async def test_apq_hash_must_match_the_text() -> None:
    body = {"query": "{ a }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": DIGEST}}}
    with pytest.raises(DocumentError, match="does not match"):
        await DocumentResolver(Store({})).resolve(body, tenant_id="t1", ad_hoc_allowed=True)


def test_apq_cache_forgets_the_least_recently_used() -> None:
    cache = APQCache(capacity=2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"
    cache.put("c", "C")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("A", None, "C")

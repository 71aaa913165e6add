"""Administration over GraphQL: a tenant's API keys and trusted documents, and its audit trail.

Keys and documents need an admin key; the audit trail an admin or consultant key (`schema/auth.py`).
Everything goes through the tenant's repositories (`db.repositories.access.Access`), so an admin of one
firm never sees another's keys, and every change (a key created or revoked, a document registered) lands
in the audit trail itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, cast

import strawberry
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.scalars import JSON

from db import models
from db.repositories.access import Access
from schema.auth import Principal, Role, generate_key, require
from schema.enums import AuditAction
from schema.errors import FieldError, FieldErrorCode, InvalidFields, InvalidInput, NotFound, shown
from schema.ids import record_key, split
from schema.manifest import digest_of, invalid_operations, manifest_entries
from schema.mutations import mutation
from schema.queries import DEFAULT_PAGE_SIZE, described, page_size
from schema.types import Info
from schema.writes import TYPE_NAMES, Refusal, run

ApiKeyRole = strawberry.enum(Role, name="ApiKeyRole", description="What a key may do.")

# The audit trail names records by their GraphQL type where they have one: the household's records, and the
# stored plans and plan jobs (Nodes too), so every `recordId` it shows resolves by `node(id:)`.
_TYPE_OF_MODEL = {model.__name__: name for model, name in TYPE_NAMES.items()} | {
    models.StoredPlan.__name__: "StoredPlan",
    models.PlanJob.__name__: "PlanJob",
}
_MODEL_OF_TYPE = {name: model for model, name in _TYPE_OF_MODEL.items()}
_AUDIT_CURSOR = "audit"


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment is None or moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@strawberry.type(description="An API key of your firm (its secret is never shown again after creation).")
class ApiKey:
    key_id: str
    name: str
    role: Role
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: models.ApiKey) -> ApiKey:
        """The GraphQL view of a stored key."""
        created = _utc(row.created_at)
        assert created is not None
        return cls(
            key_id=row.key_id, name=row.name, role=Role(row.role), created_at=created, revoked_at=_utc(row.revoked_at)
        )


@strawberry.type(description="A new key: `secret` is the whole key to send as `Authorization: Bearer`, shown once.")
class CreatedApiKey:
    api_key: ApiKey
    secret: str


@strawberry.type(description="A trusted document of your firm: send `documentId` to run it.")
class PersistedDocument:
    id: str = strawberry.field(description="`sha256:` and the sha256 (hex) of the text")
    text: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @classmethod
    def from_row(cls, row: models.PersistedDocument) -> PersistedDocument:
        """The GraphQL view of a stored document."""
        created = _utc(row.created_at)
        assert created is not None
        return cls(id=f"sha256:{row.digest}", text=row.text, created_at=created, revoked_at=_utc(row.revoked_at))


@strawberry.type
class RegisteredDocuments:
    documents: list[PersistedDocument]


@strawberry.type(description="One stored change: who made it, with which key, when, and what changed.")
class AuditEntry:
    at: dt.datetime
    actor: str = strawberry.field(description="The key's name (or `system` for the command line)")
    key_id: str | None
    action: str = strawberry.field(description="create, update or delete (actionKind is the same as an enum)")
    record_type: str
    record_id: strawberry.ID | None = strawberry.field(description="The record's global id, when it is a node")
    changes: JSON = strawberry.field(description="create/delete: the values; update: {field: {from, to}}")

    @described("`action` as an enum.")
    def action_kind(self) -> AuditAction:
        return AuditAction(self.action)

    @classmethod
    def from_row(cls, row: models.AuditEntry) -> AuditEntry:
        """The GraphQL view of an audit row."""
        type_name = _TYPE_OF_MODEL.get(row.record_type)
        record_id = strawberry.ID(relay.to_base64(type_name, row.record_id)) if type_name else None
        at = _utc(row.at)
        assert at is not None
        return cls(
            at=at,
            actor=row.actor,
            key_id=row.key_id,
            action=row.action,
            record_type=type_name or row.record_type,
            record_id=record_id,
            changes=cast("JSON", row.changes),
        )


@strawberry.type
class AuditEntryEdge:
    cursor: str
    node: AuditEntry


@strawberry.type(description="A page of the audit trail, newest first.")
class AuditEntryConnection:
    edges: list[AuditEntryEdge]
    page_info: relay.PageInfo


CreateApiKeyResult = Annotated[CreatedApiKey | InvalidInput, strawberry.union("CreateApiKeyResult")]
RevokeApiKeyResult = Annotated[ApiKey | NotFound, strawberry.union("RevokeApiKeyResult")]
RegisterDocumentsResult = Annotated[RegisteredDocuments | InvalidInput, strawberry.union("RegisterDocumentsResult")]
RevokeDocumentResult = Annotated[PersistedDocument | NotFound, strawberry.union("RevokeDocumentResult")]


def _principal(info: Info) -> Principal | None:
    principal: Principal | None = info.context.principal
    return principal


def _manage(info: Info) -> None:
    require(_principal(info), lambda role: role.may_manage, "manage keys or documents (an admin key may)")


def _before_id(after: str | None) -> int | None:
    if after is None:
        return None
    parts = split(after)
    key = record_key(parts[1]) if parts is not None and parts[0] == _AUDIT_CURSOR else None
    if key is None:
        message = f"{shown(after)} is not a cursor of the audit log; pass an endCursor it returned"
        raise InvalidFields([("after", FieldErrorCode.INVALID_VALUE, message)])
    return key


def _record_filter(record_id: str | None) -> tuple[str | None, int | None]:
    """(model name, database id) of a global id to filter on; an id of no record type finds nothing."""
    if record_id is None:
        return None, None
    parts = split(record_id)
    model = _MODEL_OF_TYPE.get(parts[0]) if parts is not None else None
    key = record_key(parts[1]) if parts is not None else None
    return (model, key) if model is not None and key is not None else ("", -1)


@strawberry.type
class AdminQuery:
    @described("Your firm's API keys (admin keys only).")
    async def api_keys(self, info: Info) -> list[ApiKey]:
        _manage(info)
        async with info.context.reading(Access) as repo:
            return [ApiKey.from_row(row) for row in await repo.api_keys()]

    @described("Your firm's registered trusted documents (admin keys only).")
    async def persisted_documents(self, info: Info) -> list[PersistedDocument]:
        _manage(info)
        async with info.context.reading(Access) as repo:
            return [PersistedDocument.from_row(row) for row in await repo.documents()]

    @described("Your firm's stored changes, newest first, optionally of one record (admin and consultant keys).")
    async def audit_log(
        self,
        info: Info,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        record_id: strawberry.ID | None = None,
    ) -> AuditEntryConnection:
        require(
            _principal(info), lambda role: role.may_read_audit, "read the audit trail (admin and consultant keys may)"
        )
        size = page_size(first)
        record_type, record_pk = _record_filter(record_id)
        async with info.context.reading(Access) as repo:
            rows = await repo.audit_entries(
                before_id=_before_id(after), limit=size + 1, record_type=record_type, record_id=record_pk
            )
        shown = rows[:size]
        edges = [
            AuditEntryEdge(cursor=to_base64(_AUDIT_CURSOR, row.id), node=AuditEntry.from_row(row)) for row in shown
        ]
        page_info = relay.PageInfo(
            has_next_page=len(rows) > size,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return AuditEntryConnection(edges=edges, page_info=page_info)


def _invalid(path: str, message: str) -> InvalidInput:
    return InvalidInput(errors=[FieldError(path=path, message=message)])


@strawberry.type
class AdminMutation:
    @mutation("A new API key of your firm; the whole key is in `secret`, shown only now.")
    async def create_api_key(self, info: Info, name: str, role: Role) -> CreateApiKeyResult:
        _manage(info)
        if not name.strip() or len(name) > 200:
            return _invalid("name", "a key needs a name of 1 to 200 characters (who or what uses it)")
        new = generate_key()
        values: dict[str, Any] = {
            "key_id": new.key_id,
            "name": name,
            "role": role.value,
            "secret_hash": new.secret_hash,
        }
        outcome = await run(info.context, lambda repo: repo.add(models.ApiKey, values))
        if isinstance(outcome, Refusal):
            return _invalid("name", "could not store the key; retry")
        return CreatedApiKey(api_key=ApiKey.from_row(outcome), secret=new.plaintext)

    @mutation("Revoke a key of your firm: requests with it get 401 from now on.")
    async def revoke_api_key(self, info: Info, key_id: str) -> RevokeApiKeyResult:
        _manage(info)
        row = await run(info.context, lambda repo: repo.sibling(Access).revoke_api_key(key_id))
        if row is None or isinstance(row, Refusal):
            return NotFound(path="keyId", id=strawberry.ID(key_id), message=f"no key {key_id!r} in your firm")
        if (keys_changed := info.context.services.keys_changed) is not None:
            keys_changed()  # this process's open sockets re-check their keys now, not at their next poll
        return ApiKey.from_row(row)

    @mutation("Register a manifest {sha256: operation text} (as Relay and Apollo tooling emit) for your firm.")
    async def register_documents(self, info: Info, manifest: JSON) -> RegisterDocumentsResult:
        _manage(info)
        try:
            entries = manifest_entries(manifest)
        except ValueError as error:
            return _invalid("manifest", str(error))
        if problems := invalid_operations(info.schema._schema, entries):
            # A document that cannot run is refused now, not when an integrator first sends its id.
            return InvalidInput(errors=[FieldError(path="manifest", message=problem) for problem in problems])
        rows = await run(info.context, lambda repo: repo.sibling(Access).register_documents(entries))
        if isinstance(rows, Refusal):
            return rows if isinstance(rows, InvalidInput) else _invalid("manifest", "could not store it; retry")
        return RegisteredDocuments(documents=[PersistedDocument.from_row(row) for row in rows])

    @mutation("Revoke a trusted document of your firm (`sha256:<hex>`); it runs no more.")
    async def revoke_document(self, info: Info, id: str) -> RevokeDocumentResult:
        _manage(info)
        digest = digest_of(id)
        row = await run(info.context, lambda repo: repo.sibling(Access).revoke_document(digest)) if digest else None
        if row is None or isinstance(row, Refusal):
            return NotFound(path="id", id=strawberry.ID(id), message=f"no document {id!r} registered by your firm")
        return PersistedDocument.from_row(row)


# The root fields above, by name, for the api's checks before execution (which role may send what).
MANAGE_FIELDS = frozenset(
    {"apiKeys", "persistedDocuments", "createApiKey", "revokeApiKey", "registerDocuments", "revokeDocument"}
)
AUDIT_FIELDS = frozenset({"auditLog"})

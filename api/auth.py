"""Authentication: a request's bearer key resolved to a `Principal` (tenant, role, key), or a refusal.

A key is `pp_<key id>_<secret>`: the id finds the stored row (of whichever tenant), the secret must match
its hash, and the key must not be revoked. Unknown, forged, mistyped and revoked keys all get the same
401, so a caller learns nothing about which key ids exist; and they cost the same work as a wrong secret
(one statement reading the key row with its tenant's revision, one hash comparison), so timing tells no
more. Only `permitpath serve --dev` lets a request without a key in, as an admin of the development tenant.

The statement also reads the tenant's revision (db/models.py `Tenant.revision`, bumped in the transaction
of every audited change, revoking a key included), which goes on to the read cache; a revocation takes
effect at the next request. A key found valid is remembered, for three uses:
- a request with a remembered key and its matching secret reads nothing while its tenant's revision is known
  not to have moved since the row was read (`api/revisions.py`: on SQLite the file's change counter, read
  per request; on PostgreSQL the tenant's revision bumps announced by NOTIFY and this process's own commits
  that bumped it). Any audited change of the tenant, a revocation included, moves the revision, and the next
  request reads the row again, as before;
- an open WebSocket re-checks its key (`recheck`) by reading only the revision, and the key row again only
  when the revision moved;
- while the database cannot be reached, a key confirmed less than `grace_s` (15 s) ago is still admitted,
  so requests that need no database (`{ rulesVersion }`) keep answering through a short outage. Past the
  grace the fault is raised (503, DATABASE_UNAVAILABLE): a key whose revocation cannot be read is not
  trusted for longer. A revocation made before the outage was seen at once by every request that read it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.keys import Role, bearer_token, hash_secret, secret_matches, split_key
from api.lru import Lru
from api.revisions import Revisions
from db.faults import fault_code
from db.repositories.access import KeyStanding, find_api_key_with_revision
from db.repositories.tenants import ensure_tenant, tenant_revision
from schema.auth import Principal

DEV_NAME = "dev"
_INVALID_KEY = "the API key is not valid (unknown, revoked or mistyped); ask your firm's admin for a key"
_SESSION_ENDED = "the session has ended (signed out, expired, or its key was revoked); sign in again with an API key"
# Compared against when no key row exists, so a forged id costs the same time as a wrong secret.
_NO_SUCH_HASH = hash_secret("no such key")
# How long a key confirmed valid is still admitted while the database cannot say whether it stands.
GRACE_S = 15.0
# How long one read of a tenant's revision answers for all of the tenant's open sockets (real time, so a test's
# stopped clock cannot hold a stale answer).
REVISION_SHARED_S = 0.25


@dataclass(frozen=True)
class Unauthenticated:
    """Why a request has no principal; answered with 401 and extensions.code UNAUTHENTICATED."""

    message: str


class TenantDefault:
    """The development tenant of `serve --dev`, created on first use and then remembered."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], slug: str, name: str) -> None:
        self._sessions = sessions
        self._slug = slug
        self._name = name
        self._id: int | None = None
        self._lock = asyncio.Lock()

    async def tenant_id(self) -> int:
        """The tenant's id; looked up (or created) once, so a database that starts late is no problem."""
        if self._id is None:
            async with self._lock:
                if self._id is None:
                    async with self._sessions() as session, session.begin():
                        self._id = (await ensure_tenant(session, slug=self._slug, name=self._name)).id
        return self._id


@dataclass(frozen=True)
class _Known:
    """A key row found valid, the tenant's revision read with it, and when (the authenticator's clock)."""

    tenant_id: int
    role: str
    name: str
    secret_hash: str
    revision: int
    confirmed_at: float


@dataclass
class Standing:
    """An open socket's key as last confirmed: the principal (with the revision read) and when."""

    principal: Principal
    confirmed_at: float


class Authenticator:
    """Resolves the Authorization header of a request; `dev_tenant` admits requests without one."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        dev_tenant: TenantDefault | None,
        remembered: int = 10_000,
        grace_s: float = GRACE_S,
        clock: Callable[[], float] = time.monotonic,
        revisions: Revisions | None = None,
    ) -> None:
        self._sessions = sessions
        # The tenants' revisions known current without a query (None: every request reads the key row).
        self._current = revisions
        self._dev_tenant = dev_tenant
        self._known: Lru[str, _Known] = Lru(remembered)
        self._grace_s = grace_s
        self.clock = clock
        self._changed = asyncio.Event()
        # Each tenant's revision as last read for the open sockets: when the read started, and its answer.
        self._revisions: dict[int, tuple[float, asyncio.Future[int]]] = {}

    async def authenticate(self, authorization: str | None) -> Principal | Unauthenticated:
        """The principal the header names, or why there is none (a database fault past the grace is raised)."""
        if authorization is None:
            if self._dev_tenant is not None:
                return Principal(tenant_id=await self._dev_tenant.tenant_id(), role=Role.ADMIN, name=DEV_NAME)
            return Unauthenticated("this endpoint needs an API key: send `Authorization: Bearer pp_...`")
        token = bearer_token(authorization)
        if token is None:
            return Unauthenticated("the Authorization header must read `Bearer <API key>`")
        parts = split_key(token)
        if parts is None:
            return Unauthenticated(_INVALID_KEY)
        key_id, secret = parts
        known = await self._admitted(key_id, secret)
        if known is None:
            return Unauthenticated(_INVALID_KEY)
        try:
            role = Role(known.role)
        except ValueError:
            return Unauthenticated(_INVALID_KEY)  # a role this version does not know: never more than asked
        return Principal(tenant_id=known.tenant_id, role=role, name=known.name, key_id=key_id, revision=known.revision)

    async def authenticate_session(self, key_id: str | None) -> Principal | Unauthenticated:
        """The principal of a signed page session (`api/session.py`), whose key's secret was checked at sign-in.

        The key row is read as for a bearer key (remembered, with the same grace through an outage), so a
        revoked key or a changed role ends the session at the next request.
        """
        if key_id is None:
            return Unauthenticated(_SESSION_ENDED)
        try:
            known = await self._look_up(key_id)
        except Exception as error:
            known = self._within_grace(key_id, error)
        if known is None:
            return Unauthenticated(_SESSION_ENDED)
        try:
            role = Role(known.role)
        except ValueError:
            return Unauthenticated(_SESSION_ENDED)
        return Principal(tenant_id=known.tenant_id, role=role, name=known.name, key_id=key_id, revision=known.revision)

    def standing(self, principal: Principal) -> Standing:
        """A socket's standing, confirmed now (just after `authenticate` admitted `principal`)."""
        return Standing(principal, self.clock())

    async def recheck(self, standing: Standing, *, shared: bool = False) -> bool:
        """Whether the socket's key still stands, with its tenant and role; refreshes `standing`.

        Reads the tenant's revision (`shared`: a read made for another of the tenant's sockets less than
        `REVISION_SHARED_S` ago will do, as for the periodic watch), and the key row only when it moved. A
        database fault is raised once the key was last confirmed more than the grace ago; within it the key
        stands.
        """
        principal = standing.principal
        if principal.key_id is None:
            return True  # serve --dev: no key to revoke
        try:
            if shared:
                revision = await self._shared_revision(principal.tenant_id)
            else:
                revision = await self._read_revision(principal.tenant_id)
            if revision != principal.revision:
                async with self._sessions() as session:
                    found = await find_api_key_with_revision(session, principal.key_id)
                if found is None or not _same_standing(found, principal):
                    self._known.pop(principal.key_id)
                    return False
                standing.principal = dataclasses.replace(principal, revision=found.revision)
        except Exception as error:
            if fault_code(error) is None or self.clock() - standing.confirmed_at > self._grace_s:
                raise
            return True
        standing.confirmed_at = self.clock()
        return True

    def keys_changed(self) -> None:
        """Wakes the sockets' watchers now: this process revoked a key (others' revocations are polled)."""
        self._revisions.clear()
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def _shared_revision(self, tenant_id: int) -> int:
        """The tenant's revision, read at most once per `REVISION_SHARED_S` for all of its open sockets.

        Every socket re-checks its key twice a second and before each message; a firm with many sockets
        open would otherwise read the same number many times over.
        """
        now = time.monotonic()
        shared = self._revisions.get(tenant_id)
        if shared is None or now - shared[0] >= REVISION_SHARED_S:
            shared = (now, asyncio.ensure_future(self._read_revision(tenant_id)))
            self._revisions[tenant_id] = shared
        return await asyncio.shield(shared[1])

    async def _read_revision(self, tenant_id: int) -> int:
        async with self._sessions() as session:
            return await tenant_revision(session, tenant_id)

    async def wait_for_change(self, timeout_s: float) -> None:
        """Returns when `keys_changed` is called or after `timeout_s`, whichever comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout_s)

    async def _admitted(self, key_id: str, secret: str) -> _Known | None:
        """The row of `key_id` when it stands and `secret` matches it, else None (the secret hashed once).

        A remembered row whose tenant's revision has not moved answers without a query when the secret
        matches. Otherwise, a wrong secret included, the row is read as for an unknown id: a refusal costs
        the same work whatever the id.
        """
        remembered = self._still_current(key_id)
        if remembered is not None and secret_matches(secret, remembered.secret_hash):
            return self._confirmed(key_id, remembered)
        try:
            known = await self._look_up(key_id)
        except Exception as error:
            known = self._within_grace(key_id, error)
        stored_hash = known.secret_hash if known is not None else _NO_SUCH_HASH
        if remembered is not None and remembered.secret_hash == stored_hash:
            return None  # this secret was compared with this hash above, and did not match
        return known if secret_matches(secret, stored_hash) and known is not None else None

    def _still_current(self, key_id: str) -> _Known | None:
        """The remembered row of `key_id` when its tenant's revision has not moved since it was read
        (`revisions`: nothing committed since), so it needs no query; else None."""
        known = self._known.get(key_id)
        if known is None or self._current is None or self._current.revision(known.tenant_id) != known.revision:
            return None
        return known

    def _confirmed(self, key_id: str, known: _Known) -> _Known:
        """The remembered key, confirmed now as a read would: the database said nothing changed since."""
        confirmed = dataclasses.replace(known, confirmed_at=self.clock())
        self._known.put(key_id, confirmed)
        return confirmed

    async def _look_up(self, key_id: str) -> _Known | None:
        """The stored row of `key_id` when it exists and is not revoked (remembered), else None."""
        stamp = None if self._current is None else self._current.stamp()
        async with self._sessions() as session:
            found = await find_api_key_with_revision(session, key_id)
        if found is None or found.revoked:
            self._known.pop(key_id)
            return None
        known = _Known(found.tenant_id, found.role, found.name, found.secret_hash, found.revision, self.clock())
        self._known.put(key_id, known)
        if self._current is not None:
            self._current.remember(found.tenant_id, found.revision, stamp)
        return known

    def _within_grace(self, key_id: str, error: Exception) -> _Known | None:
        """The remembered row of `key_id` when `error` is a database fault and the key was confirmed within
        the grace; otherwise `error` is raised again."""
        known = self._known.get(key_id)
        if fault_code(error) is None or known is None or self.clock() - known.confirmed_at > self._grace_s:
            raise error
        return known


def _same_standing(row: KeyStanding, principal: Principal) -> bool:
    return not row.revoked and row.tenant_id == principal.tenant_id and row.role == principal.role.value

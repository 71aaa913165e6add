"""Who is asking: the roles of API keys, and the principal a request acts as (tenant, role, key).

The api layer resolves a bearer key (or the `--dev` default) to a `Principal` and puts it in the context;
resolvers of guarded fields call `require`. A context without a principal is an in-process caller (tests,
the demo seeding, the command line), which is trusted.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from db.repositories.scoped import SYSTEM, Actor
from schema.errors import PublicError


class Role(enum.Enum):
    ADMIN = "admin"
    CONSULTANT = "consultant"
    INTEGRATOR = "integrator"
    READONLY = "readonly"

    @property
    def may_write(self) -> bool:
        """Mutations of the tenant's records (plans included)."""
        return self in (Role.ADMIN, Role.CONSULTANT, Role.INTEGRATOR)

    @property
    def may_send_any_document(self) -> bool:
        """Ad-hoc operation text (and APQ registration); integrators may only send registered documents."""
        return self is not Role.INTEGRATOR

    @property
    def may_manage(self) -> bool:
        """Keys and trusted documents."""
        return self is Role.ADMIN

    @property
    def may_introspect(self) -> bool:
        """The schema's introspection fields (`__schema`, `__type`)."""
        return self is not Role.INTEGRATOR

    @property
    def may_read_audit(self) -> bool:
        """The tenant's audit trail."""
        return self in (Role.ADMIN, Role.CONSULTANT)


@dataclass(frozen=True)
class Principal:
    """The tenant a request acts for, with which role, through which key (None: the `--dev` default)."""

    tenant_id: int
    role: Role
    name: str
    key_id: str | None = None
    # The tenant's revision (db/models.py Tenant.revision) read while authenticating, when it was.
    revision: int | None = None

    @property
    def actor(self) -> Actor:
        """How the audit trail names this principal."""
        return Actor(self.name, self.key_id)


@dataclass(frozen=True)
class NewKey:
    key_id: str
    secret_hash: str
    plaintext: str


def generate_key() -> NewKey:
    """A fresh key: its id, the hash to store and the plaintext to show once."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return NewKey(key_id=key_id, secret_hash=hash_secret(secret), plaintext=f"pp_{key_id}_{secret}")


def hash_secret(secret: str) -> str:
    """The stored form of a key's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Forbidden(PublicError):
    """The key's role does not allow this; the message says which role would."""

    code = "FORBIDDEN"


def actor_of(principal: Principal | None) -> Actor:
    """The audit actor of a principal; in-process callers are the system."""
    return SYSTEM if principal is None else principal.actor


def require(principal: Principal | None, permitted: Callable[[Role], bool], action: str) -> None:
    """Raises Forbidden unless the principal's role is permitted `action` (in-process callers always are)."""
    if principal is not None and not permitted(principal.role):
        raise Forbidden(f"a {principal.role.value} key may not {action}")

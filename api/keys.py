"""API keys: how they look, how they are stored (hashed), and what each role may do.

A key reads `pp_<id>_<secret>`: the id finds the stored row, the secret is checked against its sha256.
Only the hash is stored; the whole key is shown once, when it is created.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

_KEY = re.compile(r"^pp_([0-9a-f]{12})_([A-Za-z0-9_-]{32,64})$")


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
        return self is not Role.INTEGRATOR


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
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(plaintext: str) -> tuple[str, str] | None:
    """(key id, secret) of a well-formed key, or None."""
    match = _KEY.match(plaintext)
    return (match.group(1), match.group(2)) if match else None


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented secret with the stored hash."""
    return hmac.compare_digest(hash_secret(secret), stored_hash)

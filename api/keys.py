"""API keys: how they look, how they are stored (hashed), and what each role may do.

A key reads `pp_<id>_<secret>`: the id finds the stored row, the secret is checked against its sha256.
Only the hash is stored; the whole key is shown once, when it is created.
"""

from __future__ import annotations

import hmac
import re

from schema.auth import NewKey, Role, generate_key, hash_secret

__all__ = ["NewKey", "Role", "bearer_token", "generate_key", "hash_secret", "secret_matches", "split_key"]

_KEY = re.compile(r"^pp_([0-9a-f]{12})_([A-Za-z0-9_-]{32,64})$")


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

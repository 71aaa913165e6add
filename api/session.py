"""The page's sign-in session: a cookie the server signs, naming the API key the user signed in with.

The cookie holds the key's id and when it was issued, signed with HMAC-SHA256 under the service's session
secret (`Settings.session_secret`, else one made per process). It never holds the key's secret: the server
checked the secret once, at sign-in, and its signature vouches for that since; every request still looks the
key row up (`Authenticator.authenticate_session`), so a revoked key ends its sessions at once. The cookie is
HttpOnly, SameSite=Lax, and Secure when the page is served over https.

Forgery across sites: a request authenticated by the cookie alone is never enough.
- `/graphql` accepts the cookie only with the `X-PermitPath-Page` header, which a page of another origin cannot
  add without a CORS preflight the service refuses (the header is not in `api.app.CORS_HEADERS`);
- the page's own forms carry a token derived from the cookie (`csrf_token`), checked on every POST.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

COOKIE: Final = "permitpath_session"
LANGUAGE_COOKIE: Final = "permitpath_lang"
PAGE_HEADER: Final = "X-PermitPath-Page"
# How long a sign-in lasts: a working day and then some.
MAX_AGE_S: Final = 12 * 3600


@dataclass(frozen=True)
class Session:
    """A signed-in user: the id of the key they signed in with, and when (seconds since the epoch)."""

    key_id: str
    issued_at: int


class SessionSigner:
    """Signs and reads session cookies under one secret; `clock` (seconds since the epoch) is injectable."""

    def __init__(
        self, secret: bytes | None = None, *, max_age_s: int = MAX_AGE_S, clock: Callable[[], float] = time.time
    ) -> None:
        self._secret = secret or secrets.token_bytes(32)
        self.max_age_s = max_age_s
        self._clock = clock

    def issue(self, key_id: str) -> str:
        """A new cookie value for a user who just proved they hold `key_id`'s secret."""
        payload = json.dumps({"k": key_id, "t": int(self._clock())}, separators=(",", ":")).encode()
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self._sign(body)}"

    def read(self, value: str | None) -> Session | None:
        """The session of a cookie value, or None when it is missing, forged, malformed or expired."""
        if not value or "." not in value:
            return None
        body, _, signature = value.rpartition(".")
        if not hmac.compare_digest(signature, self._sign(body)):
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            session = Session(key_id=str(payload["k"]), issued_at=int(payload["t"]))
        except (ValueError, KeyError, TypeError):
            return None
        age = self._clock() - session.issued_at
        return session if 0 <= age <= self.max_age_s else None

    def csrf_token(self, value: str) -> str:
        """The token the page's forms carry for the session `value`: only a page that read it can send it."""
        return self._sign("csrf:" + value)

    def csrf_matches(self, value: str | None, token: str | None) -> bool:
        """Whether a form's `token` is the one of the session cookie `value`."""
        return bool(value and token) and hmac.compare_digest(self.csrf_token(value or ""), token or "")

    def _sign(self, text: str) -> str:
        digest = hmac.new(self._secret, text.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

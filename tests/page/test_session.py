"""The page's session cookie (api/session.py): signed, expiring, and useless once altered."""

from __future__ import annotations

import base64
import json

import pytest

from api.session import SessionSigner
from api.settings import Settings, SettingsError


class Clock:
    """A clock the test moves by hand (seconds since the epoch)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_cookie_reads_back_as_its_key_until_it_expires() -> None:
    clock = Clock(1_800_000_000)
    signer = SessionSigner(b"s" * 32, max_age_s=3600, clock=clock)
    cookie = signer.issue("0123456789ab")
    session = signer.read(cookie)
    assert session is not None and session.key_id == "0123456789ab"
    clock.now += 3600
    assert signer.read(cookie) is not None
    clock.now += 1
    assert signer.read(cookie) is None


def test_an_altered_or_foreign_cookie_is_nobody() -> None:
    signer = SessionSigner(b"s" * 32, clock=Clock(1_800_000_000))
    cookie = signer.issue("0123456789ab")
    body, _, signature = cookie.rpartition(".")
    forged_body = base64.urlsafe_b64encode(json.dumps({"k": "ba9876543210", "t": 1_800_000_000}).encode()).decode()
    assert signer.read(f"{forged_body.rstrip('=')}.{signature}") is None
    assert signer.read(f"{body}.{signature[:-2]}xx") is None
    assert SessionSigner(b"o" * 32, clock=Clock(1_800_000_000)).read(cookie) is None
    for junk in ("", ".", "no-dot", "a.b.c", None):
        assert signer.read(junk) is None


def test_the_form_token_belongs_to_its_session() -> None:
    signer = SessionSigner(b"s" * 32, clock=Clock(1_800_000_000))
    mine, theirs = signer.issue("0123456789ab"), signer.issue("ba9876543210")
    assert signer.csrf_matches(mine, signer.csrf_token(mine))
    assert not signer.csrf_matches(mine, signer.csrf_token(theirs))
    assert not signer.csrf_matches(mine, None) and not signer.csrf_matches(None, signer.csrf_token(mine))


def test_the_session_secret_setting_is_long_enough_and_never_printed() -> None:
    with pytest.raises(SettingsError, match="PERMITPATH_SESSION_SECRET must be at least 32 characters"):
        Settings.from_env({"PERMITPATH_SESSION_SECRET": "too short"})
    secret = "0123456789abcdef" * 4
    settings = Settings.from_env({"PERMITPATH_SESSION_SECRET": secret})
    assert settings.session_secret == secret and secret not in repr(settings)

"""API key format, hashing and roles."""

from __future__ import annotations

import pytest

from api.keys import Role, bearer_token, generate_key, hash_secret, secret_matches, split_key


def test_a_new_key_splits_back_into_its_id_and_a_secret_matching_the_stored_hash() -> None:
    key = generate_key()
    parts = split_key(key.plaintext)
    assert parts is not None
    key_id, secret = parts
    assert key_id == key.key_id
    assert secret_matches(secret, key.secret_hash)
    assert key.secret_hash == hash_secret(secret)
    assert secret not in key.secret_hash


def test_keys_are_unique() -> None:
    assert len({generate_key().plaintext for _ in range(50)}) == 50


@pytest.mark.parametrize(
    "bad", ["", "pp_", "pp_zzzzzzzzzzzz_" + "a" * 40, "xx_0123456789ab_" + "a" * 40, "pp_0123456789ab_short"]
)
def test_malformed_keys_do_not_split(bad: str) -> None:
    assert split_key(bad) is None


def test_a_wrong_secret_does_not_match() -> None:
    key = generate_key()
    assert not secret_matches("x" * 43, key.secret_hash)


@pytest.mark.parametrize(
    ("header", "token"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None), (None, None)],
)
def test_bearer_token(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_what_each_role_may_do() -> None:
    table = {r: (r.may_write, r.may_send_any_document, r.may_manage, r.may_introspect) for r in Role}
    assert table == {
        Role.ADMIN: (True, True, True, True),
        Role.CONSULTANT: (True, True, False, True),
        Role.INTEGRATOR: (True, False, False, False),
        Role.READONLY: (False, True, False, True),
    }

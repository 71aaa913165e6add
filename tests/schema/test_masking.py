"""Unexpected errors are logged with their cause and masked for the client; expected ones are not."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schema.context import Context
from schema.root import schema


def _broken_sessions() -> AsyncSession:
    raise RuntimeError("database password is hunter2")


async def test_a_bug_is_logged_and_masked(caplog: pytest.LogCaptureFixture) -> None:
    broken: async_sessionmaker[AsyncSession] = _broken_sessions  # type: ignore[assignment]
    with caplog.at_level(logging.ERROR):
        result = await schema.execute("{ households { edges { cursor } } }", context_value=Context.create(broken, 1))
    assert result.data is None
    assert [error.message for error in result.errors or []] == ["Unexpected error."]
    assert "database password is hunter2" in caplog.text


async def test_request_errors_are_shown() -> None:
    result = await schema.execute("{ households { nope } }", context_value=None)
    assert [error.message for error in result.errors or []] == [
        "Cannot query field 'nope' on type 'HouseholdConnection'."
    ]

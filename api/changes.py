"""A live record's changes, for the readers that follow it (a plan job's or a caseload re-plan's updates)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field


@dataclass
class Changes:
    """How many changes a record has had, and a signal at each: a reader waits for the next change past the last
    one it saw, so a change made between two waits is never missed."""

    version: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def announce(self) -> None:
        """One more change: wakes every reader waiting for it."""
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def after(self, seen: int | None, timeout: float) -> int:
        """The version once it has moved past `seen`, or after `timeout` seconds when it has not (at once when it
        already has, or when `seen` is None: the reader has seen nothing yet)."""
        if self.version == seen:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)
        return self.version

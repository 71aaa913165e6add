"""The read cache: whole GraphQL responses of read queries, kept until the tenant's records change.

A consultant's screen asks the same reads again and again (the household list, the permit catalog), and
every consultant of a firm asks the same ones. A query whose root fields are all in `CACHEABLE_ROOTS` is
answered from memory when the same question was answered under the tenant's current revision:

- the key is the tenant, the key's role, the document text, the operation name, the variables (canonical
  JSON: key order and whitespace do not matter), the response media type, today's date (fields default
  `asOf` to it) and the rules version;
- the tenant's `revision` (db/models.py) is bumped in the transaction of every audited change, and read
  once per cacheable request: an entry made under an older revision is never served. A change committed
  while a response was being computed moves the revision past the one the entry was stored under, so a
  response is never newer-keyed than the data it shows.

Only answers without errors are kept. Fields that change without an audited change (plan jobs, the audit
trail, keys) are not in `CACHEABLE_ROOTS`. Hits and misses count in `permitpath_response_cache_total`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.repositories.tenants import tenant_revision
from solver.rules.registry import load_rules

# Root query fields whose answer is a function of the tenant's records, the rules and the arguments.
CACHEABLE_ROOTS = frozenset(
    {
        "__typename",  # alongside another root: alone it is cheaper to answer than to look up
        "households",
        "household",
        "permits",
        "permitCategories",
        "permitCategory",
        "rules",
        "rulesVersion",
        "eligibility",
        "householdEligibility",
        "crs",
        "householdPlans",
        "storedPlan",
    }
)
# Responses larger than this are not kept (one entry must not crowd out the rest), and all the entries
# together stay under MAX_TOTAL_BYTES (the least recently used go first).
MAX_ENTRY_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024

Key = tuple[int, str, str, str, str, str, str, str]


@dataclass(frozen=True)
class Entry:
    """A response body and what it was computed under."""

    revision: int
    body: bytes
    status: int
    media_type: str


class ResponseCache:
    """An LRU of `max_entries` responses by `Key`, each valid while its tenant's revision stands."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        max_entries: int = 4096,
        max_total_bytes: int = MAX_TOTAL_BYTES,
    ) -> None:
        self._sessions = sessions
        self._max_entries = max_entries
        self._max_total_bytes = max_total_bytes
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._bytes = 0

    @staticmethod
    def covers(roots: frozenset[str]) -> bool:
        """Whether an operation with these root fields may be answered from the cache."""
        return roots <= CACHEABLE_ROOTS and bool(roots - {"__typename"})  # `{ __typename }` costs less than a lookup

    @staticmethod
    def key(
        tenant_id: int, role: str, text: str, operation: str | None, variables: Mapping[str, Any], media: str
    ) -> Key:
        """The key of one question (see the module docstring for what it holds)."""
        document = hashlib.sha256(text.encode()).hexdigest()
        canonical = json.dumps(variables, sort_keys=True, separators=(",", ":"), default=str)
        today = dt.date.today().isoformat()
        return (tenant_id, role, document, operation or "", canonical, media, today, load_rules().version)

    async def revision(self, tenant_id: int) -> int:
        """The tenant's current revision (one short query)."""
        async with self._sessions() as session:
            return await tenant_revision(session, tenant_id)

    def get(self, key: Key, revision: int) -> Entry | None:
        """The entry for `key` if it was made under `revision`."""
        entry = self._entries.get(key)
        if entry is None or entry.revision != revision:
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: Key, entry: Entry) -> None:
        """Keeps `entry` (unless it is too large), dropping the least recently used beyond either bound."""
        if len(entry.body) > MAX_ENTRY_BYTES:
            return
        replaced = self._entries.pop(key, None)
        if replaced is not None:
            self._bytes -= len(replaced.body)
        self._entries[key] = entry
        self._bytes += len(entry.body)
        while len(self._entries) > self._max_entries or self._bytes > self._max_total_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= len(dropped.body)

    @property
    def size_bytes(self) -> int:
        """The bytes of the responses kept."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

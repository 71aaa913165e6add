"""Reading the ids the API hands out: base64 of `Type:number` (Relay global ids), opaque to clients.

Every reader of a client's id goes through here, so an id that cannot name a record (malformed, another
type, a number outside the id columns' range) finds nothing, the same as an id never handed out, instead of
reaching the database: PostgreSQL refuses an INTEGER parameter past 2^31 - 1 as an error, which a client must
never be able to cause.
"""

from __future__ import annotations

from strawberry.relay.utils import from_base64

# Record ids are INTEGER columns (db/models.py).
MAX_RECORD_ID = 2**31 - 1


def record_key(node_id: str) -> int | None:
    """The database id a global id's node part names, or None when it names none (not a positive integer
    within the id columns' range, in ASCII digits)."""
    if not (node_id.isascii() and node_id.isdigit()):
        return None
    key = int(node_id)
    return key if 1 <= key <= MAX_RECORD_ID else None


def split(raw: str) -> tuple[str, str] | None:
    """(type name, node part) of a global id, or None when `raw` is not one."""
    try:
        type_name, node_id = from_base64(raw)
    except ValueError:  # not base64, not UTF-8, or no `:`
        return None
    return type_name, node_id


def decode(raw: str, type_name: str) -> int | None:
    """The database id inside a global id of `type_name`, or None when it is not one (which finds nothing)."""
    parts = split(raw)
    if parts is None or parts[0] != type_name:
        return None
    return record_key(parts[1])

"""Reading records: `node(id:)`, one household by id, and cursor-paged lists with the filters consultants use."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar, cast

import strawberry
from strawberry import relay
from strawberry.relay.utils import to_base64
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.nodes import SelectedField, Selection

from db.models import Household as HouseholdRow
from db.models import Permit as PermitRow
from db.repositories.households import Households
from schema.enums import PermitStatus
from schema.errors import FieldErrorCode, InvalidFields, shown
from schema.ids import record_key, split
from schema.loaders import Wanted
from schema.types import Household, HouseholdConnection, Info, Permit, PermitConnection
from solver.fields import check_text

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_CURSOR_PREFIX = "cursor"
MAX_NAME_FILTER = 200  # the longest name a household or member may have (schema/checks.py)

F = TypeVar("F", bound=Callable[..., Any])
N = TypeVar("N", bound=relay.Node)


def described(description: str) -> Callable[[F], F]:
    """`strawberry.field(description=...)` typed as the resolver it decorates."""
    return cast("Callable[[F], F]", strawberry.field(description=description))


def page_size(first: int) -> int:
    """`first`, checked against the page-size cap."""
    if not 0 <= first <= MAX_PAGE_SIZE:
        message = f"must be between 0 and {MAX_PAGE_SIZE}; got {first}"
        raise InvalidFields([("first", FieldErrorCode.OUT_OF_RANGE, message)], f"first {message}")
    return first


def name_filter(text: str | None) -> str | None:
    """`nameContains`, checked: names are at most MAX_NAME_FILTER characters of text without control characters."""
    if text is None:
        return None
    if len(text) > MAX_NAME_FILTER:
        too_long = f"is {len(text)} characters; names have at most {MAX_NAME_FILTER}"
        raise InvalidFields([("nameContains", FieldErrorCode.TOO_LONG, too_long)], f"nameContains {too_long}")
    if unsafe := check_text(text):
        raise InvalidFields([("nameContains", FieldErrorCode.INVALID_TEXT, unsafe)], f"nameContains {unsafe}")
    return text


def after_id(after: str | None) -> int | None:
    """The record id inside a cursor of these connections."""
    if after is None:
        return None
    # A cursor is read like an id (schema/ids.py): a number past the id column's range is no cursor.
    parts = split(after)
    key = record_key(parts[1]) if parts is not None and parts[0] == _CURSOR_PREFIX else None
    if key is None:
        message = f"{shown(after)} is not a cursor of this connection; pass an endCursor it returned"
        raise InvalidFields([("after", FieldErrorCode.INVALID_VALUE, message)])
    return key


def page(rows: Sequence[Any], first: int, after: str | None, to_node: Callable[[Any], N]) -> tuple[Any, Any]:
    """Edges and page info from up to `first + 1` rows (the extra row only says there is a next page)."""
    shown = rows[:first]
    edges = [relay.Edge(cursor=to_base64(_CURSOR_PREFIX, row.id), node=to_node(row)) for row in shown]
    info = relay.PageInfo(
        has_next_page=len(rows) > first,
        has_previous_page=after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return edges, info


def node_type(info: Info, type_name: str) -> type[relay.Node] | None:
    """The Node type of the schema named `type_name`, or None (an unknown name, an interface, a type that is not
    a Node: no record has such an id)."""
    definition = info.schema.get_type_by_name(type_name)
    if not isinstance(definition, StrawberryObjectDefinition) or definition.is_interface:
        return None
    origin = definition.origin
    return origin if isinstance(origin, type) and issubclass(origin, relay.Node) else None


async def find_node(info: Info, raw: str) -> relay.Node | None:
    """The record a global id names in the tenant, or None: ids are opaque, so an id that is malformed, of a
    type that has no records, another firm's, or of a record since deleted all find nothing alike."""
    parts = split(raw)
    if parts is None:
        return None
    type_name, node_id = parts
    cls = node_type(info, type_name)
    if cls is None:
        return None
    # Every Node type of this schema resolves its ids on the request's loaders: a coroutine of a list.
    resolve = cast("Callable[..., Awaitable[list[relay.Node | None]]]", cls.resolve_nodes)
    return (await resolve(info=info, node_ids=[node_id], required=False))[0]


@strawberry.type
class RecordsQuery:
    @described(
        "Any record by the `id` the API gave it: a household, member, record, offer, permit, stored plan or plan"
        " job. Null when the id names nothing of your firm (never an error; see docs/integrators.md, Not found)."
    )
    async def node(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="A record's `id`.")]
    ) -> relay.Node | None:
        return await find_node(info, id)

    @described(
        f"Records by the `id`s the API gave them, in the order asked (at most {MAX_PAGE_SIZE}): each as `node(id:)`"
        " answers it, null for an id that names nothing of your firm. One query per kind of record."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description=f"At most {MAX_PAGE_SIZE} ids.")],
    ) -> list[relay.Node | None]:
        if len(ids) > MAX_PAGE_SIZE:
            message = f"{len(ids)} ids; at most {MAX_PAGE_SIZE} a request (ask in several)"
            raise InvalidFields([("ids", FieldErrorCode.TOO_MANY, message)], f"ids: {message}")
        # Together, so that each kind's loader batches its ids into one query.
        return list(await asyncio.gather(*(find_node(info, raw) for raw in ids)))

    @described("One household by its global id (null when not in your firm).")
    async def household(self, info: Info, id: strawberry.ID) -> Household | None:
        nodes = await Household.resolve_nodes(info=info, node_ids=[_node_id(id, "Household")])
        return nodes[0]

    @described(
        f"Households by id, {DEFAULT_PAGE_SIZE} a page (at most {MAX_PAGE_SIZE}). `nameContains` matches the"
        " household's or a member's name (any case); `permitExpiringBefore` keeps households with an approved"
        " permit valid to before that date."
    )
    async def households(
        self,
        info: Info,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        name_contains: str | None = None,
        permit_expiring_before: dt.date | None = None,
    ) -> HouseholdConnection:
        size = page_size(first)
        async with info.context.reading(Households) as repo:
            rows = await repo.list_households(
                after_id=after_id(after),
                limit=size + 1,
                name_contains=name_filter(name_contains),
                permit_expiring_before=permit_expiring_before,
            )
        edges, page_info = page(rows, size, after, _household)
        nodes = _fields(_fields(_fields(info.selected_fields).get("households", [])).get("edges", []))
        await info.context.loaders.prefetch_households(
            [row.id for row in rows[:size]], household_wants(nodes.get("node", []))
        )
        return HouseholdConnection(edges=edges, page_info=page_info)

    @described(
        f"Permits by id, {DEFAULT_PAGE_SIZE} a page (at most {MAX_PAGE_SIZE}), optionally only those valid to"
        " before `expiringBefore`, or in one status."
    )
    async def permits(
        self,
        info: Info,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        expiring_before: dt.date | None = None,
        status: PermitStatus | None = None,
    ) -> PermitConnection:
        size = page_size(first)
        async with info.context.reading(Households) as repo:
            rows = await repo.list_permits(
                after_id=after_id(after), limit=size + 1, expiring_before=expiring_before, status=status
            )
        edges, page_info = page(rows, size, after, _permit)
        return PermitConnection(edges=edges, page_info=page_info)


def _fields(selections: Sequence[Selection]) -> dict[str, list[Selection]]:
    """The sub-selections of each field selected, by field name, through fragments and aliases."""
    out: dict[str, list[Selection]] = {}
    for selection in selections:
        if isinstance(selection, SelectedField):
            out.setdefault(selection.name, []).extend(selection.selections)
        else:  # a fragment spread or an inline fragment
            for name, below in _fields(selection.selections).items():
                out.setdefault(name, []).extend(below)
    return out


# A household's fields that resolve to its members (all three read the same loader).
MEMBER_FIELDS = ("members", "principal", "spouse")


def household_wants(selections: Sequence[Selection]) -> Wanted:
    """What a selection of a household asks below it (members, offers, and the members' records)."""
    fields = _fields(selections)
    member_selections = [s for name in MEMBER_FIELDS for s in fields.get(name, [])]
    return Wanted(
        members=any(name in fields for name in MEMBER_FIELDS),
        offers="offers" in fields,
        member_fields=frozenset(_fields(member_selections)),
    )


def _household(row: HouseholdRow) -> Household:
    return Household.from_row(row)


def _permit(row: PermitRow) -> Permit:
    return Permit.from_row(row)


def _node_id(raw: str, type_name: str) -> str:
    """The database id inside a global id of `type_name` ('' when it is not one, which finds nothing)."""
    try:
        global_id = relay.GlobalID.from_id(raw)
    except ValueError:
        return ""
    return global_id.node_id if global_id.type_name == type_name else ""

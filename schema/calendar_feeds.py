"""Calendar feeds: a consultant subscribes a calendar app to the deadlines of the firm's plans, or of one household's.

`createCalendarFeed` stores a token (its secret hashed, like an API key's) and answers the feed's URL with the
secret, once; `revokeCalendarFeed` ends it (the feed answers 404 from then on, as for an unknown token). Both go
through `schema/writes.run` (one transaction, audited, the tenant's revision moved). The feed itself is served by
the api (`GET /calendar/<token>.ics`, `api/plan_files.py`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any

import strawberry
from strawberry.relay.utils import to_base64

from db import models
from db.repositories.calendars import Calendars
from schema.auth import hash_secret, require
from schema.errors import NotFound
from schema.ids import decode
from schema.mutations import mutation
from schema.queries import described
from schema.types import Info
from schema.writes import Refusal, run

FEED_TYPE = "CalendarFeed"


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    return moment if moment is None or moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


@strawberry.type(description="A calendar feed of plan deadlines: the firm's, or one household's.")
class CalendarFeed:
    id: strawberry.ID = strawberry.field(description="The feed's id (revokeCalendarFeed takes it).")
    household_id: strawberry.ID | None = strawberry.field(
        description="The household whose deadlines it shows; null for every household of the firm."
    )
    created_at: dt.datetime = strawberry.field(description="When it was created.")
    revoked_at: dt.datetime | None = strawberry.field(description="When it was revoked; null while it serves.")

    @classmethod
    def from_row(cls, row: models.CalendarToken) -> CalendarFeed:
        """The GraphQL view of a stored feed token (never its secret)."""
        created = _utc(row.created_at)
        assert created is not None
        household = None if row.household_id is None else strawberry.ID(to_base64("Household", row.household_id))
        return cls(
            id=strawberry.ID(to_base64(FEED_TYPE, row.id)),
            household_id=household,
            created_at=created,
            revoked_at=_utc(row.revoked_at),
        )


@strawberry.type(description="A new calendar feed and its URL, which holds the secret: shown only now.")
class CreatedCalendarFeed:
    feed: CalendarFeed = strawberry.field(description="The feed as listed by calendarFeeds.")
    url: str = strawberry.field(
        description="The address a calendar app subscribes to (iCalendar); whoever has it reads the deadlines."
    )


CreateCalendarFeedResult = Annotated[CreatedCalendarFeed | NotFound, strawberry.union("CreateCalendarFeedResult")]
RevokeCalendarFeedResult = Annotated[CalendarFeed | NotFound, strawberry.union("RevokeCalendarFeedResult")]


def feed_path(token: str) -> str:
    """The path of a feed's token."""
    return f"/calendar/{token}.ics"


def _url(info: Info, token: str) -> str:
    """The feed's absolute URL when served over HTTP (the request's base), else its path."""
    request: Any = info.context.request
    base = str(request.base_url).rstrip("/") if request is not None and hasattr(request, "base_url") else ""
    return base + feed_path(token)


def _feed_not_found(path: str, raw: str, what: str) -> NotFound:
    return NotFound(path=path, id=strawberry.ID(raw), message=f"no {what} with id {raw!r} in your firm")


@strawberry.type
class CalendarFeedsQuery:
    @described("Your firm's calendar feeds, oldest first (revoked ones included, marked); never their secrets.")
    async def calendar_feeds(self, info: Info) -> list[CalendarFeed]:
        async with info.context.reading(Calendars) as repo:
            return [CalendarFeed.from_row(row) for row in await repo.tokens()]


@strawberry.type
class CalendarFeedsMutation:
    @mutation(
        "A calendar feed of the deadlines of the latest plan of each household of your firm, or of one household; "
        "its URL (with the secret) is shown only now."
    )
    async def create_calendar_feed(
        self,
        info: Info,
        household_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="The household whose deadlines it shows; null for every household."),
        ] = None,
    ) -> CreateCalendarFeedResult:
        require(info.context.principal, lambda role: role.may_write, "create calendar feeds")
        record_id = None
        if household_id is not None:
            record_id = decode(household_id, "Household")
            if record_id is None:
                return _feed_not_found("householdId", household_id, "Household")
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        values = {"token_id": token_id, "household_id": record_id, "secret_hash": hash_secret(secret)}

        async def add(repo: Any) -> models.CalendarToken | None:
            if record_id is not None and await repo.get(models.Household, record_id, lock=True) is None:
                return None
            row: models.CalendarToken = await repo.add(models.CalendarToken, values)
            return row

        row = await run(info.context, add)
        if row is None or isinstance(row, Refusal):
            return _feed_not_found("householdId", household_id or "", "Household")
        return CreatedCalendarFeed(feed=CalendarFeed.from_row(row), url=_url(info, f"{token_id}_{secret}"))

    @mutation("Revoke a calendar feed of your firm: its URL answers 404 from now on.")
    async def revoke_calendar_feed(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The feed's id (CalendarFeed.id).")],
    ) -> RevokeCalendarFeedResult:
        require(info.context.principal, lambda role: role.may_write, "revoke calendar feeds")
        record_id = decode(id, FEED_TYPE)
        if record_id is None:
            return _feed_not_found("id", id, FEED_TYPE)
        row = await run(info.context, lambda repo: repo.sibling(Calendars).revoke(record_id))
        if row is None or isinstance(row, Refusal):
            return _feed_not_found("id", id, FEED_TYPE)
        return CalendarFeed.from_row(row)

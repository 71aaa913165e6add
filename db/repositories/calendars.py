"""Calendar feeds: a tenant's revocable feed tokens, and what a feed shows (each household's latest plan)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CalendarToken, Household, StoredPlan
from db.repositories.plans import Plans
from db.repositories.scoped import TenantScoped


async def find_calendar_token(session: AsyncSession, token_id: str) -> CalendarToken | None:
    """The token with `token_id`, of whichever tenant (the token is what names the tenant), revoked or not."""
    return await session.scalar(select(CalendarToken).where(CalendarToken.token_id == token_id))


class Calendars(TenantScoped):
    """The tenant's calendar feed tokens and the plans a feed shows."""

    async def tokens(self) -> Sequence[CalendarToken]:
        """The tenant's feed tokens, oldest first (revoked ones included, marked)."""
        return (await self.session.scalars(self._scoped(CalendarToken).order_by(CalendarToken.id))).all()

    async def revoke(self, record_id: int) -> CalendarToken | None:
        """Revokes the tenant's feed `record_id` (idempotent); None when the tenant has no such feed."""
        row = await self.get(CalendarToken, record_id)
        if row is not None and row.revoked_at is None:
            await self.update(row, {"revoked_at": dt.datetime.now(dt.UTC)})
        return row

    async def latest_plans(self, household_id: int | None) -> list[tuple[Household, StoredPlan]]:
        """Each household's newest stored plan (of one household, or of every household of the tenant), by
        household id; a household never planned is left out."""
        query = self._scoped(Household).order_by(Household.id)
        if household_id is not None:
            query = query.where(Household.id == household_id)
        households = (await self.session.scalars(query)).all()
        pages = await self.sibling(Plans).stored_plan_pages([h.id for h in households], before_id=None, limit=1)
        return [(h, pages[h.id][0]) for h in households if pages.get(h.id)]

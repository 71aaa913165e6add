"""A plan as files: the client handout (PDF) and the deadlines' calendar feed (iCalendar), over plain HTTP.

- `GET /households/{householdId}/handout.pdf` (the household's latest stored plan) and
  `GET /households/{householdId}/plans/{planId}/handout.pdf`: the key as for /graphql (`Authorization: Bearer`,
  `authenticate`), the firm's own records only (another firm's ids answer 404, like an unknown one);
  `?lang=fr` or Accept-Language chooses the language (`api.i18n.negotiate`).
- `GET /calendar/{token}.ics`: no key, the token is the credential (`schema/calendar_feeds.py` makes and revokes
  them). An unknown, forged or revoked token answers 404 after the same work (one row read, one hash compared).

A database fault answers 503 with Retry-After (`api/faults.py`): the handout's as /graphql's errors, the feed's
as plain text like its 404.

The PDF is drawn off the event loop (a worker thread): fpdf2 takes a few hundred milliseconds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import Unauthenticated
from api.faults import answering_faults, as_text
from api.i18n import negotiate
from api.keys import hash_secret, secret_matches
from api.present.calendar import HouseholdPlan, calendar_ics
from api.present.handout import handout_pdf
from api.present.words import Words
from api.view import authenticate_request
from db import models
from db.plan_json import from_plain
from db.repositories.calendars import Calendars, find_calendar_token
from db.repositories.plans import Plans
from schema.auth import Principal
from schema.ids import decode
from schema.stored_plans import global_id
from solver import domain

Endpoint = Callable[[Request], Awaitable[Response]]
Clock = Callable[[], dt.datetime]

_TOKEN_ID = re.compile(r"^[0-9a-f]{12}$")
# Compared against when no token row exists, so a forged id costs the same as a wrong secret.
_NO_SUCH_HASH = hash_secret("no such calendar token")


def _language(request: Request) -> str:
    return negotiate(choice=request.query_params.get("lang"), accept_language=request.headers.get("accept-language"))


async def authenticate(request: Request) -> Principal | Response:
    """The request's principal, by the same key check as /graphql, or by the page's session cookie (a link on the
    page: these are reads by GET, which a cross-site page can make a browser send but never read); else the 401."""
    principal = await authenticate_request(request.app.state.gateway, request, page_header=False)
    if isinstance(principal, Unauthenticated):
        body = {"errors": [{"message": principal.message, "extensions": {"code": "UNAUTHENTICATED"}}]}
        return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": 'Bearer realm="permitpath"'})
    result: Principal = principal
    return result


def _not_found(what: str) -> Response:
    body = {"errors": [{"message": f"no {what} in your firm", "extensions": {"code": "NOT_FOUND"}}]}
    return JSONResponse(body, status_code=404)


def handout_endpoint(clock: Clock) -> Endpoint:
    """The handout of a stored plan (the household's latest without a plan id), prepared on `clock`'s day."""

    async def handout(request: Request) -> Response:
        principal = await authenticate(request)
        if isinstance(principal, Response):
            return principal
        household_id = decode(request.path_params["household_id"], "Household")
        raw_plan = request.path_params.get("plan_id")
        plan_id = decode(raw_plan, "StoredPlan") if raw_plan is not None else None
        if household_id is None or (raw_plan is not None and plan_id is None):
            return _not_found("such household or plan")
        async with request.app.state.sessions() as session:
            repo = Plans(session, tenant_id=principal.tenant_id)
            household = await repo.get(models.Household, household_id)
            if plan_id is not None:
                row = await repo.get(models.StoredPlan, plan_id)
            else:
                latest = await repo.stored_plans(household_id, limit=1)
                row = latest[0] if latest else None
        if household is None or row is None or row.household_id != household_id:
            return _not_found("such household or plan")
        lang = _language(request)
        pdf = await asyncio.to_thread(
            handout_pdf,
            from_plain(row.plan, domain.Plan),
            from_plain(row.scenario, domain.Scenario),
            lang=lang,
            prepared_on=clock().date(),
            household=household.name,
        )
        headers = {
            "Content-Disposition": f'attachment; filename="plan-{row.id}.pdf"',
            "Content-Language": lang,
            "Cache-Control": "private, no-store",
        }
        return Response(pdf, media_type="application/pdf", headers=headers)

    return answering_faults(handout)


def calendar_endpoint(clock: Clock) -> Endpoint:
    """The iCalendar feed of a token: every deadline of the latest plan of its household, or of its firm's."""

    async def calendar(request: Request) -> Response:
        token_id, _, secret = str(request.path_params["token"]).partition("_")
        async with request.app.state.sessions() as session:
            row = await find_calendar_token(session, token_id) if _TOKEN_ID.match(token_id) else None
        stored = row.secret_hash if row is not None else _NO_SUCH_HASH
        if not secret_matches(secret, stored) or row is None or row.revoked_at is not None:
            return Response("no such calendar feed\n", status_code=404, media_type="text/plain")
        async with request.app.state.sessions() as session:
            found = await Calendars(session, tenant_id=row.tenant_id).latest_plans(row.household_id)
        plans = [HouseholdPlan(global_id("Household", h.id), h.name, from_plain(p.plan, domain.Plan)) for h, p in found]
        lang = _language(request)
        words = Words.of(lang)
        if row.household_id is not None and found:
            title = words._("Plan deadlines: {household}").format(household=found[0][0].name)
        else:
            title = words._("Plan deadlines")
        body = calendar_ics(plans, lang=lang, title=title, generated_at=clock())
        headers = {"Cache-Control": "private, max-age=300", "Content-Language": lang}
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)

    return answering_faults(calendar, as_text)

"""Probes for load balancers: `/healthz` says the process is up, `/readyz` that the database is usable."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse

from db.engine import ping
from db.migrate import current, head


async def healthz(_request: Request) -> JSONResponse:
    """200 while the process serves requests."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """200 when the database answers and has the latest schema, 503 (with the reason) when not."""
    engine: AsyncEngine = request.app.state.engine
    problem = await ping(engine)
    if problem is None:
        revision, latest = await current(engine), head()
        if revision != latest:
            problem = f"schema at revision {revision}, expected {latest}: run `permitpath migrate`"
    if problem is not None:
        return JSONResponse({"status": "unavailable", "database": problem}, status_code=503)
    return JSONResponse({"status": "ready", "database": "ok"})

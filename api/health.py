"""Probes for load balancers: `/healthz` says the process is up, `/readyz` that the database is usable.

Anyone may call them, so `/readyz` answers only ready (200) or not (503): the driver's error names the
database, its host and the role, which are the operator's to read, in the log (warning).
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse

from db.engine import ping
from db.migrate import current, head

log = logging.getLogger("permitpath.health")


async def healthz(_request: Request) -> JSONResponse:
    """200 while the process serves requests."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """200 when the database answers and has the latest schema, 503 when not (the reason goes to the log)."""
    engine: AsyncEngine = request.app.state.engine
    problem = await ping(engine)
    if problem is None:
        revision, latest = await current(engine), head()
        if revision != latest:
            problem = f"schema at revision {revision}, expected {latest}: run `permitpath migrate`"
    if problem is not None:
        log.warning("not ready: %s", problem)
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ready", "database": "ok"})

"""Probes for load balancers: `/healthz` says the process is up, `/readyz` that it serves at full speed.

Ready means the database is usable and the solver workers are warm (each has imported the solver and planned
a small household, so the first plan sent to the service costs what later ones do). Anyone may call them, so
a database problem answers only "unavailable" (503): the driver's error names the database, its host and
the role, which are the operator's to read, in the log (warning). Warming workers are no secret: the body
says so (`"solver": "warming up"`).
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
    """200 when the database answers and has the latest schema and the solver workers are warm, else 503."""
    engine: AsyncEngine = request.app.state.engine
    problem = await ping(engine)
    if problem is None:
        revision, latest = await current(engine), head()
        if revision != latest:
            problem = f"schema at revision {revision}, expected {latest}: run `permitpath migrate`"
    if problem is not None:
        log.warning("not ready: %s", problem)
        return JSONResponse({"status": "unavailable"}, status_code=503)
    runner = request.app.state.services.solve_runner
    if runner is not None and not runner.ready:
        return JSONResponse({"status": "unavailable", "solver": "warming up"}, status_code=503)
    return JSONResponse({"status": "ready", "database": "ok"})

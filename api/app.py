"""The ASGI application: routes, and the resources its lifespan makes (one engine per process)."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from api.auth import Authenticator, TenantDefault
from api.dask_runner import DaskRunner
from api.demo import seed_demo
from api.documents import DocumentResolver
from api.health import healthz, readyz
from api.observability import Metrics, watch_event_loop
from api.page import page_routes
from api.plan_files import calendar_endpoint, handout_endpoint
from api.plan_service import POOL_SIZE, PlanService
from api.ratelimit import TokenBuckets
from api.replan_service import ReplanService
from api.response_cache import ResponseCache
from api.revisions import Revisions, watch_for
from api.sdl import schema_document
from api.services import ApiServices, SolveBackend
from api.session import SessionSigner
from api.settings import Settings
from api.solve_runner import ProcessRunner
from api.subscriptions import SubscriptionEndpoint
from api.view import DatabaseDocuments, Gateway, GraphQLView
from db.engine import make_engine, make_sessions
from db.migrate import upgrade
from schema.root import schema
from solver.job import warm_up
from solver.rules.registry import use_overrides

log = logging.getLogger("permitpath")


def create_app(settings: Settings, *, clock: Callable[[], dt.datetime] | None = None) -> Starlette:
    """The service for `settings`; the database is opened (and migrated, when configured) on startup.

    `clock` (UTC now by default) is what the plan jobs' heartbeats are read against, the day a handout is
    prepared on and a calendar feed's stamp (tests fix it).
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The firm's rule files first: a bad one stops the start (RuleError), and the workers inherit them.
        use_overrides(settings.rules_overrides_dir)
        engine = make_engine(settings.database_url)
        sessions = make_sessions(engine)
        tenant = TenantDefault(sessions, settings.tenant_slug, settings.tenant_name)
        app.state.engine = engine
        app.state.sessions = sessions
        app.state.tenant = tenant
        # The solve time cap is the planner's to apply to its default; the endpoint refuses requests above it.
        services = ApiServices(solve_time_cap_ms=settings.solve_time_cap_ms)
        app.state.services = services
        # The plan service's own small pool: however many plans are in flight, their cache reads, cache writes
        # and job writes wait for these connections, never for the ones requests read with.
        plan_engine = make_engine(settings.database_url, pool_size=POOL_SIZE, max_overflow=0)
        # The tenants' revisions known current without a query (moved by any process's commits).
        revisions = app.state.revisions = Revisions(watch_for(settings.database_url, engine, plan_engine))
        await revisions.start()
        # The development tenant admits requests without a key only under `serve --dev`.
        authenticator = Authenticator(sessions, dev_tenant=tenant if settings.dev else None, revisions=revisions)
        services.keys_changed = authenticator.keys_changed
        app.state.gateway = Gateway(
            sessions=sessions,
            authenticator=authenticator,
            documents=DocumentResolver(DatabaseDocuments(sessions)),
            buckets=TokenBuckets(settings.rate_capacity, settings.rate_per_second),
            plan_cost=min(settings.plan_cost, settings.rate_capacity),
            services=services,
            responses=(
                ResponseCache(sessions, max_entries=settings.response_cache_entries)
                if settings.response_cache_entries
                else None
            ),
            gzip_min_bytes=settings.gzip_min_bytes,
            signer=SessionSigner(settings.session_secret.encode() if settings.session_secret else None),
        )
        metrics = Metrics()
        app.state.metrics = metrics
        services.metrics = metrics
        runner = make_runner(settings)
        if runner is not None:
            await runner.start()
            services.solve_runner = runner
        metrics.on_scrape(lambda: _refresh_gauges(metrics, runner, engine))
        lag_watch = asyncio.create_task(watch_event_loop(metrics.loop_lag))
        plans = PlanService(make_sessions(plan_engine), services, owner=settings.instance_name, clock=clock)
        heartbeats: asyncio.Task[None] | None = None
        services.plans = plans
        replans = ReplanService(make_sessions(plan_engine), services, owner=settings.instance_name, clock=clock)
        services.replans = replans
        try:
            if settings.migrates_on_start:
                await upgrade(engine)
                log.info("database migrated to the latest schema")
            await _fail_unfinished_jobs(plans)
            await _resume_replans(replans)
            heartbeats = asyncio.create_task(plans.keep_beating())
            if settings.dev:
                added = await seed_demo(sessions, await tenant.tenant_id())
                log.info("demo tenant %r: %d demo households added", settings.tenant_slug, added)
            if settings.freeze_heap_after_start:
                _freeze_startup_objects()
            yield
        finally:
            lag_watch.cancel()
            if heartbeats is not None:
                heartbeats.cancel()
            await replans.close()
            await plans.close()
            if runner is not None:
                await runner.close()
            await revisions.close()
            await plan_engine.dispose()
            await engine.dispose()

    now = clock or (lambda: dt.datetime.now(dt.UTC))
    return Starlette(
        routes=[
            # Every method reaches the view, which answers 405 itself (with a GraphQL error body and Allow).
            Route("/graphql", GraphQLView(schema, settings.limits)),
            Route("/graphql/schema.graphql", schema_document, methods=["GET"]),
            WebSocketRoute("/graphql", SubscriptionEndpoint(schema, allowed_origins=settings.cors_origins)),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
            Mount("/static", StaticFiles(packages=[("api", "static")]), name="static"),
            *page_routes(),
            # A plan as files (api/plan_files.py): the client handout and the deadlines' calendar feed.
            Route("/households/{household_id}/handout.pdf", handout_endpoint(now), methods=["GET"]),
            Route("/households/{household_id}/plans/{plan_id}/handout.pdf", handout_endpoint(now), methods=["GET"]),
            Route("/calendar/{token}.ics", calendar_endpoint(now), methods=["GET"]),
        ],
        middleware=http_middleware(settings),
        lifespan=lifespan,
    )


# What a browser page may send across origins: the key (Authorization), JSON bodies, content negotiation, the
# caller's request id, revalidation, and the headers Apollo Client's links add (client awareness, and the
# header that makes a request preflighted on purpose).
CORS_HEADERS = (
    "Authorization",
    "Content-Type",
    "Accept",
    "X-Request-ID",
    "If-None-Match",
    "apollographql-client-name",
    "apollographql-client-version",
    "apollo-require-preflight",
    "x-apollo-operation-name",
)
# What its script may read of a response: the rate limit, the validators and the request id to quote.
CORS_EXPOSED = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After", "ETag", "X-Request-ID")


def http_middleware(settings: Settings) -> list[Middleware]:
    """CORS (outermost, so refusals carry it too and a browser can read them) when origins are configured,
    then gzip when enabled. Both pass WebSocket scopes through untouched: the subscription socket is neither
    compressed nor subject to CORS (browsers do not preflight sockets; its key is checked on connection_init).
    """
    middleware: list[Middleware] = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=("GET", "POST"),
                allow_headers=CORS_HEADERS,
                allow_credentials=settings.cors_credentials,
                expose_headers=CORS_EXPOSED,
                max_age=settings.cors_max_age,
            )
        )
    if settings.gzip_min_bytes:
        # Level 6: most of level 9's ratio on JSON (the full introspection: 185 kB to 18 kB) for much less CPU.
        middleware.append(Middleware(GZipMiddleware, minimum_size=settings.gzip_min_bytes, compresslevel=6))
    return middleware


def _freeze_startup_objects() -> None:
    """Moves what startup made (modules, the schema, the rules, the catalog) out of the collector's sight.

    A full collection scans every tracked object; with these in view it paused the event loop for 45-80 ms
    several times a minute under load (gc callbacks, measured during the overload phase of the load test),
    which was the whole p95 of SOLVER_BUSY answers. They live as long as the process, so they are never
    garbage: `gc.freeze()` keeps the later collections to what requests make.
    """
    gc.collect()
    gc.freeze()


def make_runner(settings: Settings) -> SolveBackend | None:
    """The solve backend the settings choose (the one place it is chosen): a Dask cluster when a scheduler is
    named, else the embedded process pool, else none (plans are solved in a thread of this process)."""
    if settings.dask_scheduler is not None:
        log.info(
            "solving on the Dask cluster at %s, %d solves in flight at most",
            settings.dask_scheduler,
            settings.dask_in_flight,
        )
        return DaskRunner(
            settings.dask_scheduler, in_flight=settings.dask_in_flight, tenant_share=settings.solver_tenant_share
        )
    if settings.solver_workers <= 0:
        return None
    log.info(
        "%d solver worker processes, queue of %d, %d solves at most per firm",
        settings.solver_workers,
        settings.solver_queue,
        settings.solver_tenant_share or max(1, settings.solver_queue),
    )
    return ProcessRunner(
        settings.solver_workers,
        settings.solver_queue,
        niceness=settings.solver_niceness,
        tenant_share=settings.solver_tenant_share,
        jobs_per_worker=settings.solver_jobs_per_worker,
        warm_up=warm_up,
    )


async def _resume_replans(replans: ReplanService) -> None:
    """A caseload re-plan outlives its process: what this service left running goes on where it stopped."""
    try:
        resumed = len(await replans.resume_unfinished_runs())
    except (OSError, SQLAlchemyError) as error:
        log.warning("could not resume the caseload re-plans a previous process left unfinished: %s", error)
        return
    if resumed:
        log.warning("%d caseload re-plans left unfinished by the previous process resumed", resumed)


async def _fail_unfinished_jobs(plans: PlanService) -> None:
    """No job survives its process: what a previous one left queued or running is FAILED, saying why."""
    try:
        stale = await plans.fail_unfinished_jobs()
    except (OSError, SQLAlchemyError) as error:  # the process comes up without its database (readyz says so)
        log.warning("could not mark the plan jobs a previous process left unfinished: %s", error)
        return
    if stale:
        log.warning("%d plan jobs left unfinished by the previous process marked FAILED", stale)


async def metrics_endpoint(request: Request) -> Response:
    """Prometheus exposition of the service's metrics."""
    body, content_type = request.app.state.metrics.render()
    return Response(body, media_type=content_type)


def _refresh_gauges(metrics: Metrics, runner: SolveBackend | None, engine: Any) -> None:
    if runner is not None:
        metrics.workers.set(runner.workers)
        metrics.busy_workers.set(runner.busy_workers)
        metrics.queue_depth.set(runner.queue_depth)
    checked_out = getattr(engine.sync_engine.pool, "checkedout", None)
    if callable(checked_out):
        metrics.db_pool_in_use.set(checked_out())

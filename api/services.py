"""The services of the running service: what the schema's resolvers may use (`schema.services.Services`) and
what only the api reads (the solve runner, the metrics). Made and filled by the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from api.dask_runner import DaskRunner
from api.observability import Metrics
from api.present.sentences import say
from api.present.timeline import timeline_svg
from api.solve_runner import ProcessRunner
from schema.services import Sayer, Services, TimelineDrawer

# The solve backends behind the one `Runner` interface: the embedded process pool, or a Dask cluster.
SolveBackend = ProcessRunner | DaskRunner


@dataclass
class ApiServices(Services):
    """The schema's services, plus the solve runner (None: plans are solved in a worker thread) and metrics."""

    solve_runner: SolveBackend | None = None
    metrics: Metrics | None = None
    timeline: TimelineDrawer | None = timeline_svg
    say: Sayer | None = say

"""No Docker engine runs here, so the Dockerfile's promises are checked as text."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instructions(name: str) -> list[str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(f"{name} ")]


def test_multi_stage_slim_build_from_the_lock_file() -> None:
    assert _instructions("FROM") == ["python:3.11-slim AS build", "python:3.11-slim AS runtime"]
    assert "pip install -r requirements.lock" in _instructions("RUN")
    assert "--from=build /opt/venv /opt/venv" in _instructions("COPY")
    for package in ("api", "schema", "db", "solver"):
        assert f"{package} ./{package}" in _instructions("COPY")
        assert (ROOT / package / "__init__.py").exists()


def test_runs_the_service_as_a_non_root_user_with_a_health_check() -> None:
    assert _instructions("USER") == ["permitpath"]
    assert json.loads(_instructions("ENTRYPOINT")[0]) == ["permitpath", "serve", "--host", "0.0.0.0"]
    (healthcheck,) = _instructions("HEALTHCHECK")
    assert re.search(r"CMD python -c .*/healthz", healthcheck)
    # DATABASE_URL is read by api/settings.py; the image must not pin a database of its own.
    assert "DATABASE_URL=" not in "".join(_instructions("ENV"))


def test_the_image_can_start_a_dask_scheduler_and_a_permitpath_worker() -> None:
    """The runtime holds the locked `distributed` (its `dask` command) and `permitpath worker`; the header says how."""
    assert re.search(r"^distributed==", (ROOT / "requirements.lock").read_text(), re.MULTILINE)
    assert "docker run --entrypoint permitpath permitpath worker --scheduler tcp://" in DOCKERFILE
    assert "docker run --entrypoint dask" in DOCKERFILE
    assert "8786" in _instructions("EXPOSE")[0].split()

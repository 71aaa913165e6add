"""Settings come from the environment once, and flags override them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from api.settings import Settings, SettingsError


def test_defaults_serve_the_embedded_sqlite_file_locally() -> None:
    settings = Settings.from_env({})
    workers = os.cpu_count() or 1
    assert settings == Settings(
        database_url="sqlite+aiosqlite:///permitpath.db",
        host="127.0.0.1",
        port=8000,
        solver_workers=workers,
        solver_queue=2 * workers,
    )
    assert settings.migrates_on_start is True


def test_solver_pool_size_and_queue() -> None:
    assert Settings().solver_workers == 0  # embedded use and tests solve in a thread
    settings = Settings.from_env({"PERMITPATH_SOLVER_WORKERS": "3", "PERMITPATH_SOLVER_QUEUE": "0"})
    assert (settings.solver_workers, settings.solver_queue) == (3, 0)
    assert Settings.from_env({"PERMITPATH_SOLVER_WORKERS": "1"}).solver_queue == 2
    with pytest.raises(SettingsError, match=r"PERMITPATH_SOLVER_WORKERS must be a whole number of 0 or more, not '-1'"):
        Settings.from_env({"PERMITPATH_SOLVER_WORKERS": "-1"})
    assert Settings.from_env({}).solver_tenant_share is None  # the runner's default: the queue's length
    assert Settings.from_env({"PERMITPATH_SOLVER_TENANT_SHARE": "5"}).solver_tenant_share == 5
    with pytest.raises(SettingsError, match=r"PERMITPATH_SOLVER_TENANT_SHARE must be a positive number, not '0'"):
        Settings.from_env({"PERMITPATH_SOLVER_TENANT_SHARE": "0"})
    assert Settings.from_env({}).solver_jobs_per_worker == 500
    assert Settings.from_env({"PERMITPATH_SOLVER_JOBS_PER_WORKER": "40"}).solver_jobs_per_worker == 40
    assert Settings.from_env({"PERMITPATH_SOLVER_JOBS_PER_WORKER": "0"}).solver_jobs_per_worker is None


def test_environment_and_flags() -> None:
    env = {
        "DATABASE_URL": "postgresql+asyncpg://app@db:5432/permitpath",
        "PERMITPATH_HOST": "0.0.0.0",
        "PERMITPATH_PORT": "9000",
        "PERMITPATH_DEV": "false",
        "PERMITPATH_TENANT": "acme",
        "PERMITPATH_LOG_LEVEL": "WARNING",
    }
    settings = Settings.from_env(env)
    assert (settings.database_url, settings.host, settings.port, settings.dev) == (
        "postgresql+asyncpg://app@db:5432/permitpath",
        "0.0.0.0",
        9000,
        False,
    )
    assert (settings.tenant_slug, settings.log_level, settings.migrates_on_start) == ("acme", "warning", False)
    flagged = settings.with_overrides(port=8100, host=None, dev=True)
    assert (flagged.port, flagged.host, flagged.dev, flagged.migrates_on_start) == (8100, "0.0.0.0", True, True)
    assert Settings.from_env({**env, "PERMITPATH_MIGRATE_ON_START": "1"}).migrates_on_start is True


def test_a_bad_port_is_explained() -> None:
    with pytest.raises(SettingsError, match=r"PERMITPATH_PORT must be a port number \(e.g. 8000\), not 'http'"):
        Settings.from_env({"PERMITPATH_PORT": "http"})


def test_rule_overrides_directory(tmp_path: Path) -> None:
    assert Settings.from_env({}).rules_overrides_dir is None
    settings = Settings.from_env({"PERMITPATH_RULES_OVERRIDES_DIR": str(tmp_path)})
    assert settings.rules_overrides_dir == tmp_path
    with pytest.raises(SettingsError, match="PERMITPATH_RULES_OVERRIDES_DIR must name a directory"):
        Settings.from_env({"PERMITPATH_RULES_OVERRIDES_DIR": str(tmp_path / "missing")})


def test_a_dask_scheduler_chooses_the_distributed_backend() -> None:
    from api.app import make_runner
    from api.dask_runner import DaskRunner
    from api.solve_runner import ProcessRunner

    assert Settings.from_env({}).dask_scheduler is None
    assert isinstance(make_runner(Settings.from_env({"PERMITPATH_SOLVER_WORKERS": "1"})), ProcessRunner)
    assert make_runner(Settings.from_env({"PERMITPATH_SOLVER_WORKERS": "0"})) is None
    env = {"PERMITPATH_DASK_SCHEDULER": "tcp://scheduler:8786", "PERMITPATH_DASK_IN_FLIGHT": "8"}
    settings = Settings.from_env(env)
    assert (settings.dask_scheduler, settings.dask_in_flight) == ("tcp://scheduler:8786", 8)
    assert isinstance(make_runner(settings), DaskRunner)
    with pytest.raises(SettingsError, match="PERMITPATH_DASK_SCHEDULER must be a Dask scheduler address"):
        Settings.from_env({"PERMITPATH_DASK_SCHEDULER": "scheduler:8786"})
    with pytest.raises(SettingsError, match="PERMITPATH_DASK_IN_FLIGHT must be a positive number"):
        Settings.from_env({"PERMITPATH_DASK_IN_FLIGHT": "0"})

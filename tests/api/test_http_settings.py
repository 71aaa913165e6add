"""The endpoint's limits come from the environment (PERMITPATH_*), and a served app honours them."""

from __future__ import annotations

import pytest

from api.keys import Role
from api.limits import Limits
from api.settings import Settings, SettingsError
from tests.api.conftest import serve, settings_for


def test_limits_from_the_environment() -> None:
    env = {
        "PERMITPATH_MAX_BODY_BYTES": "1000",
        "PERMITPATH_MAX_VARIABLES_BYTES": "500",
        "PERMITPATH_SOLVE_TIME_CAP_MS": "3000",
        "PERMITPATH_RATE_CAPACITY": "30",
        "PERMITPATH_RATE_PER_SECOND": "0.5",
        "PERMITPATH_PLAN_COST": "5",
    }
    settings = Settings.from_env(env)
    assert settings.limits == Limits(max_body_bytes=1000, max_variables_bytes=500, solve_time_cap_ms=3000)
    assert (settings.rate_capacity, settings.rate_per_second, settings.plan_cost) == (30.0, 0.5, 5.0)
    defaults = Settings.from_env({})
    assert defaults.limits == Limits(max_body_bytes=2_000_000, max_variables_bytes=1_500_000, solve_time_cap_ms=10_000)
    assert (defaults.rate_capacity, defaults.rate_per_second, defaults.plan_cost) == (120.0, 10.0, 10.0)


@pytest.mark.parametrize("value", ["0", "-3", "lots"])
def test_a_limit_that_is_not_a_positive_number_is_explained(value: str) -> None:
    with pytest.raises(SettingsError, match=f"PERMITPATH_MAX_BODY_BYTES must be a positive number, not '{value}'"):
        Settings.from_env({"PERMITPATH_MAX_BODY_BYTES": value})


async def test_a_served_app_uses_its_limits(database_url: str) -> None:
    async with serve(settings_for(database_url, max_body_bytes=200, max_variables_bytes=40)) as service:
        key = await service.key(await service.tenant(), Role.CONSULTANT)
        big = await service.post({"query": "{ rulesVersion }", "variables": {"pad": "x" * 300}}, key)
        assert (big.status_code, big.json()["errors"][0]["message"]) == (
            413,
            "the body is over the limit of 200 bytes",
        )
        wordy = await service.post({"query": "{ rulesVersion }", "variables": {"pad": "x" * 50}}, key)
        assert (wordy.status_code, wordy.json()["errors"][0]) == (
            400,
            {
                "message": "pad: the variables are 60 bytes; the limit is 40 bytes",
                "extensions": {
                    "code": "INVALID_INPUT",
                    # The path names the largest variable: the one to shrink.
                    "fieldErrors": [
                        {"path": "pad", "code": "LIMIT", "message": "the variables are 60 bytes; the limit is 40 bytes"}
                    ],
                },
            },
        )

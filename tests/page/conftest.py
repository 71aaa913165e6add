"""The page's tests use the served app of tests/api (no `--dev`: a key signs in)."""

from tests.api.conftest import service

__all__ = ["service"]

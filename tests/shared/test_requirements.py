"""Says why the shared-budget tests did not run (or fails CI, which must run them)."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest


def test_redis_server_and_package_are_there() -> None:
    missing = [name for name, ok in (
        ("redis-server", shutil.which("redis-server") is not None),
        ("the redis package", importlib.util.find_spec("redis") is not None)) if not ok]
    if missing and os.environ.get("VICIDIAL_REQUIRE_REDIS") != "1":
        pytest.skip(f"shared-budget tests skipped: {', '.join(missing)} not installed "
                    "(apt install redis-server; pip install -e '.[redis]')")
    assert not missing, f"VICIDIAL_REQUIRE_REDIS=1 but {', '.join(missing)} is missing"

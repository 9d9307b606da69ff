"""What `import vicidial_async` gives and loads: the client, its configuration, the errors and the
generic result shapes; the bulk loader, the poller and the fake server only when used."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import vicidial_async


def _loaded_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint(*sorted(sys.modules), sep='\\n')"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {m for m in done.stdout.split() if m.startswith("vicidial_async")}


def test_importing_the_package_does_not_load_bulk_poll_testing_or_webhooks() -> None:
    loaded = _loaded_after("import vicidial_async\nfrom vicidial_async import VicidialClient, RetryPolicy")
    heavy = {m for m in loaded if m.split(".")[1:2] in (["bulk"], ["poll"], ["testing"], ["webhooks"])}
    assert heavy == set()
    assert "vicidial_async.client" in loaded


def test_the_lazy_subpackages_load_on_first_use() -> None:
    loaded = _loaded_after("import vicidial_async\nvicidial_async.bulk.BulkLeadLoader")
    assert "vicidial_async.bulk.loader" in loaded
    assert not any(m.startswith(("vicidial_async.poll", "vicidial_async.testing")) for m in loaded)


def test_every_root_name_resolves() -> None:
    for name in vicidial_async.__all__:
        assert getattr(vicidial_async, name) is not None, name


@pytest.mark.parametrize("name", sorted(vicidial_async.MOVED))
def test_a_moved_name_says_where_it_lives_now(name: str) -> None:
    module = vicidial_async.MOVED[name]
    assert hasattr(importlib.import_module(module), name)
    with pytest.raises(ImportError, match=rf"use `from {module} import {name}`"):
        exec(f"from vicidial_async import {name}", {})
    assert name not in vicidial_async.__all__


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        vicidial_async.no_such_name  # noqa: B018
    assert not hasattr(vicidial_async, "no_such_name")


def test_the_root_exports_the_whole_exception_tree() -> None:
    from vicidial_async import errors

    tree = {name for name, obj in vars(errors).items()
            if isinstance(obj, type) and issubclass(obj, BaseException) and obj.__module__ == errors.__name__}
    assert set(errors.__all__) == tree
    assert tree <= set(vicidial_async.__all__)

"""rich is the `cli` extra: the library and `vicidial fake-server` run without it, and the commands
that draw with it say which extra to install."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import vicidial_async

PACKAGE = Path(vicidial_async.__file__).parent
# Runs Python as if rich were not installed (an import of it fails like a missing package).
WITHOUT_RICH = "import sys; sys.modules['rich'] = None\n"


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_RICH + code], capture_output=True, text=True, timeout=120
    )


def test_the_library_and_its_testing_bulk_and_poll_parts_import_without_rich() -> None:
    done = _python(
        "import vicidial_async, vicidial_async.testing, vicidial_async.bulk, vicidial_async.poll\n"
        "from vicidial_async.testing import FakeVicidial\n"
        "FakeVicidial().call('version')\n"
        "print('ok')"
    )
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["demo"],
        ["stats", "watch", "--url", "http://127.0.0.1:9"],
        ["leads", "load", "x.csv", "--list-id", "101"],
    ],
)
def test_commands_that_draw_say_which_extra_is_missing(argv: list[str]) -> None:
    done = _python(f"from vicidial_async.cli import main\nsys.exit(main({argv!r}))")
    assert done.returncode == 2
    assert "pip install 'vicidial-async[cli]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_fake_server_help_works_without_rich() -> None:
    done = _python("from vicidial_async.cli import main\nsys.exit(main(['fake-server', '--help']))")
    assert done.returncode == 0, done.stderr
    assert "usage: vicidial fake-server" in done.stdout


def test_rich_is_imported_only_by_the_cli() -> None:
    importers = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(n == "rich" or n.startswith("rich.") for n in names):
                importers.append(path.relative_to(PACKAGE).parts[0])
    assert importers and set(importers) == {"cli"}

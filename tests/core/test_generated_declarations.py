"""The committed ``protocol/_declarations.py`` is exactly what ``tools/gen_specs.py`` writes.

``test_registry.py`` checks the declarations fact by fact against the reference; this checks the
file as a whole, so a hand edit of the generated file (or a generator change nobody re-ran) fails
here with the command that fixes it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from ..conftest import REFERENCE_DIR, ROOT

GENERATOR = ROOT / "tools" / "gen_specs.py"
COMMITTED = ROOT / "vicidial_async" / "protocol" / "_declarations.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_specs", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regenerating_the_declarations_gives_the_committed_file() -> None:
    generated = _generator().build(Path(REFERENCE_DIR))
    assert generated == COMMITTED.read_text(), (
        "vicidial_async/protocol/_declarations.py differs from what tools/gen_specs.py writes for "
        "tests/samples/api-reference: run `python tools/gen_specs.py tests/samples/api-reference`")

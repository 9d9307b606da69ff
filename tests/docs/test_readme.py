"""README.md checks: the function tables match the code, and the examples compile and run.

Conventions (also stated in the README, section "Conventions of this README"):

* The two function tables sit between ``<!-- BEGIN functions:API -->`` and ``<!-- END functions:API -->``
  markers and are generated from ``REGISTRY`` and the endpoint methods' return annotations. After
  changing an endpoint, rewrite them with::

      .venv/bin/python tests/docs/test_readme.py --write

* Every ```` ```python ```` block must compile (top-level ``await`` allowed, as in ``python -m asyncio``).
* A python block whose first line is exactly ``# runs as is`` needs no server (it uses the in-process
  fake, or nothing) and is executed here, each block on its own, in a fresh namespace and a
  temporary working directory. A block with top-level ``await`` is run with ``asyncio.run``.
* A ```` ```toml ```` block is a ``vicidial stats watch`` servers file and must load.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import logging
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import AgentSession
from vicidial_async.client import VicidialClient
from vicidial_async.endpoints.agent import Agents
from vicidial_async.poll.config import parse_config
from vicidial_async.protocol.registry import REGISTRY, Safety

README = Path(__file__).resolve().parents[2] / "README.md"
RUN_MARKER = "# runs as is"

# vd.<attr> of each Non-Agent reference group, in the order the README lists them.
GROUP_ATTR = {
    "leads": "leads", "lists": "lists", "campaigns": "campaigns", "users": "users", "phones": "phones",
    "dids": "dids", "dnc": "dnc", "stats": "stats", "recordings": "recordings", "system": "system",
    "agent_control": "system",  # blind_monitor, the one Non-Agent function of that group
}
MODULE_ORDER = ["leads", "lists", "campaigns", "users", "phones", "dids", "dnc", "stats", "recordings",
                "system"]
ROW = re.compile(r"^\| `(?:vd\.(?P<attr>\w+)|a)\.(?P<function>\w+)\(\)` \|", re.MULTILINE)


# -- the function tables -------------------------------------------------------------------------


def _endpoint_class(attr: str) -> type:
    """The class behind ``vd.<attr>`` (endpoints/<attr>.py, named in the client's annotation)."""
    name = VicidialClient.__dict__[attr].func.__annotations__["return"]
    return getattr(importlib.import_module(f"vicidial_async.endpoints.{attr}"), name)


def _returns(cls: type, function: str) -> str:
    method = getattr(cls, function)
    annotation = inspect.signature(method).return_annotation
    return annotation if isinstance(annotation, str) else annotation.__name__


def _safety(spec: Any) -> str:
    """The safety class, plus the options that make one call of a resendable write UNSAFE."""
    text = spec.safety.name
    if spec.safety is not Safety.UNSAFE:
        lowering = [p.name for p in spec.params if spec.safety_for({p.name: "Y"}) is Safety.UNSAFE]
        if lowering:
            text += "; UNSAFE with " + ", ".join(f"`{name}`" for name in lowering)
    return text


def non_agent_table() -> str:
    rows = []
    for (api, function), spec in REGISTRY.items():
        if api != "non_agent":
            continue
        attr = GROUP_ATTR[spec.group]
        rows.append((MODULE_ORDER.index(attr), function, attr, spec))
    lines = ["| method | safety | returns |", "|---|---|---|"]
    for _, function, attr, spec in sorted(rows, key=lambda r: (r[0], r[1])):
        result = _returns(_endpoint_class(attr), function)
        lines.append(f"| `vd.{attr}.{function}()` | {_safety(spec)} | `{result}` |")
    return "\n".join(lines)


def agent_table() -> str:
    specs = {function: spec for (api, function), spec in REGISTRY.items() if api == "agent"}
    agentless = sorted(f for f in specs if f in vars(Agents))
    session = sorted(f for f in specs if f not in vars(Agents))
    lines = ["| method | safety | returns | also on `vd.agents` |", "|---|---|---|---|"]
    for function in agentless + session:
        also = "yes" if function in agentless else ""
        lines.append(f"| `a.{function}()` | {_safety(specs[function])} | "
                     f"`{_returns(AgentSession, function)}` | {also} |")
    return "\n".join(lines)


TABLES = {"non_agent": non_agent_table, "agent": agent_table}


def _table_span(text: str, api: str) -> tuple[int, int]:
    """Where the generated table of ``api`` sits in the README (between its two marker lines)."""
    m = re.search(rf"^<!-- BEGIN functions:{api} -->\n(.*?)^<!-- END functions:{api} -->$", text,
                  re.MULTILINE | re.DOTALL)
    assert m is not None, f"README.md has no functions:{api} markers"
    return m.start(1), m.end(1)


def readme_table(text: str, api: str) -> str:
    start, stop = _table_span(text, api)
    return text[start:stop].removesuffix("\n")


def write_tables() -> None:
    text = README.read_text()
    for api, render in TABLES.items():
        start, stop = _table_span(text, api)
        text = text[:start] + render() + "\n" + text[stop:]
    README.write_text(text)


@pytest.mark.parametrize("api", ["non_agent", "agent"])
def test_function_table_names_every_registry_function(api: str) -> None:
    table = readme_table(README.read_text(), api)
    named = [m["function"] for m in ROW.finditer(table)]
    known = {function for (a, function) in REGISTRY if a == api}
    missing = sorted(known - set(named))
    unknown = sorted(set(named) - known)
    assert not missing, f"README {api} table misses {missing}"
    assert not unknown, f"README {api} table names functions not in REGISTRY: {unknown}"
    assert len(named) == len(set(named)), f"README {api} table lists a function twice"
    if api == "non_agent":
        # Each row's group is the one the client serves the function from.
        for m in ROW.finditer(table):
            assert m["attr"] == GROUP_ATTR[REGISTRY[api, m["function"]].group], m.group(0)


@pytest.mark.parametrize("api", ["non_agent", "agent"])
def test_function_table_matches_the_code(api: str) -> None:
    assert readme_table(README.read_text(), api) == TABLES[api](), (
        "the README function table is out of date: run .venv/bin/python tests/docs/test_readme.py --write")


def test_function_counts() -> None:
    text = README.read_text()
    assert len(ROW.findall(readme_table(text, "non_agent"))) == 61
    assert len(ROW.findall(readme_table(text, "agent"))) == 30


# -- code blocks -----------------------------------------------------------------------------------

FENCE = re.compile(r"^```(\w+)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[tuple[int, str]]:
    """(line number, source) of each fenced block of ``language`` in the README."""
    text = README.read_text()
    return [(text.count("\n", 0, m.start()) + 2, m.group(2)) for m in FENCE.finditer(text)
            if m.group(1) == language]


PYTHON = blocks("python")
RUNNABLE = [(line, src) for line, src in PYTHON if src.startswith(RUN_MARKER + "\n")]


def _compile(line: int, src: str) -> Any:
    return compile(src, f"README.md:{line}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


def test_readme_has_runnable_examples() -> None:
    assert len(PYTHON) >= 10
    assert len(RUNNABLE) >= 8


def test_examples_using_the_fake_are_run() -> None:
    """A block that builds a fake server must carry the marker (a typo would skip it silently)."""
    for line, src in PYTHON:
        if "FakeVicidial(" in src or "FakeServerProcess(" in src:
            assert src.startswith(RUN_MARKER + "\n"), f"README.md:{line} uses the fake but is not run"


@pytest.mark.parametrize(("line", "src"), PYTHON, ids=[f"line{line}" for line, _ in PYTHON])
def test_python_block_compiles(line: int, src: str) -> None:
    _compile(line, src)


@pytest.mark.parametrize(("line", "src"), PYTHON, ids=[f"line{line}" for line, _ in PYTHON])
def test_python_block_imports_exist(line: int, src: str) -> None:
    """Names imported from vicidial_async exist, also in blocks that need a real server."""
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("vicidial_async"):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                assert hasattr(module, alias.name), f"README.md:{line}: {node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                importlib.import_module(alias.name)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Undo what an example does to logging (the secrets example adds a handler and a level)."""
    loggers = [logging.getLogger(), *(x for x in logging.root.manager.loggerDict.values()
                                      if isinstance(x, logging.Logger))]
    saved = {id(x): (x.level, x.handlers[:], x.filters[:]) for x in loggers}
    yield
    for x in [logging.getLogger(), *logging.root.manager.loggerDict.values()]:
        if isinstance(x, logging.Logger):
            level, handlers, filters = saved.get(id(x), (logging.NOTSET, [], []))
            x.setLevel(level)
            x.handlers[:] = handlers
            x.filters[:] = filters


@pytest.mark.parametrize(("line", "src"), RUNNABLE, ids=[f"line{line}" for line, _ in RUNNABLE])
@pytest.mark.usefixtures("restore_logging")
def test_runnable_python_block_runs(line: int, src: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    result = eval(_compile(line, src), namespace)
    if inspect.iscoroutine(result):
        asyncio.run(result)


@pytest.mark.parametrize(("line", "src"), blocks("toml"), ids=[f"line{line}" for line, _ in blocks("toml")])
def test_toml_block_is_a_valid_servers_file(line: int, src: str) -> None:
    data = tomllib.loads(src)
    env = {name: "s3cretPass" for server in data["servers"].values()
           for name in [server.get("password_env")] if name}
    config = parse_config(data, env)
    assert config.servers


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_tables()
    else:
        for api, render in TABLES.items():
            print(f"<!-- BEGIN functions:{api} -->\n{render()}\n<!-- END functions:{api} -->\n")

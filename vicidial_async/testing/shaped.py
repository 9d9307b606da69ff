"""A well-formed answer of a function's declared format, filled from the request.

Stand-in for the three functions not emulated yet (blind_monitor, did_log_export,
recording_lookup); each registers it in its own group package. Goes when they are emulated.
"""

from __future__ import annotations

import re

from ..protocol.registry import REGISTRY, FunctionSpec
from . import filters as f
from .core import Call, Reply, agent_denied
from .wire import Line, picker_page, table

_FLAGS = (
    "vdc_agent_api_access",
    "view_reports",
    "modify_users",
    "modify_campaigns",
    "modify_lists",
    "ast_admin_access",
    "modify_inbound_dids",
    "modify_remoteagents",
)
_PERMS: dict[tuple[str, str], tuple[int, tuple[str, ...], tuple[int, ...] | None, Line | None]] = {}


def _requirements(spec: FunctionSpec) -> tuple[int, tuple[str, ...], tuple[int, ...] | None, Line | None]:
    """What the reference's permission text asks of the API user, and the refusal line."""
    found = _PERMS.get(spec.key)
    if found is None:
        text = spec.permissions
        m = re.search(r"user_level (?:>= ?)?(\d)", text)
        level = int(m.group(1)) if m else 0
        flags = tuple(fl for fl in _FLAGS if f"{fl} = 1" in text or f"{fl}=1" in text)
        m2 = re.search(r"modify_leads (?:in )?(\d)-(\d)", text)
        leads = tuple(range(int(m2.group(1)), int(m2.group(2)) + 1)) if m2 else None
        refusal = next(
            (
                Line(t.text)
                for e in spec.response.errors
                for t in e.lines
                if "PERMISSION" in t.text and t.text.startswith("ERROR")
            ),
            None,
        )
        found = _PERMS[spec.key] = (level, flags, leads, refusal)
    return found


def non_agent_denied(call: Call, spec: FunctionSpec) -> str | None:
    """The function's own permission refusal when the API user lacks what the reference lists."""
    level, flags, leads, refusal = _requirements(spec)
    u = call.user
    ok = (
        u.user_level >= level
        and all(getattr(u, fl) == 1 for fl in flags)
        and (leads is None or u.modify_leads in leads)
    )
    if ok or refusal is None:
        return None
    return refusal.denied(u.user) + "\n"


def _fill(spec: FunctionSpec, call: Call, fields: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in fields:
        if name == "user":
            values[name] = call.uname
        elif name in call.params:
            values[name] = f.value(call.params[name]) if spec.api == "agent" else call.params[name]
        elif name in ("epoch",):
            values[name] = str(int(call.state.now()))
        else:
            values[name] = "0" if name.endswith(("count", "_id", "rows")) else ""
    return values


def shaped_answer(call: Call) -> str | Reply:
    """A well-formed answer of the function's declared format, filled from the request."""
    spec = REGISTRY[call.api, call.function]
    if spec.api == "agent" and (denied := agent_denied(call)) is not None:
        return denied
    if spec.api == "non_agent" and (denied := non_agent_denied(call, spec)) is not None:
        return denied
    r = spec.response
    if r.format == "table":
        row = _fill(spec, call, r.columns)
        return table(
            r.columns,
            [[row[c] for c in r.columns]],
            call.params,
            stages=r.stages or ("pipe",),
            header_param=r.header_param,
        )
    if r.format == "html":
        return picker_page(call.get("comments"), [])
    if r.format in ("status", "text", "key_value") and r.success:
        t = Line(r.success[0].text)
        return t.kw(**_fill(spec, call, t.fields)) + ("" if r.format == "text" else "\n")
    return ""

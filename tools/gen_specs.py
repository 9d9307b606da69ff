"""Regenerate ``vicidial_async/protocol/_declarations.py`` from ``../shared/api-reference``.

The package never reads the reference JSON at run time: it carries its own declarations, written by
this script and checked against the JSON by ``tests/core/test_registry.py`` so the two cannot drift;
``tests/core/test_generated_declarations.py`` fails when the committed file is not what this script
writes today.

Run from the project root::

    python tools/gen_specs.py [path/to/api-reference]

The one judgement this script makes is ``error_kind``: which exception class each ERROR template of
the reference maps to. It is written out explicitly per template, so a reviewer reads the mapping in
the generated file, and the decoder never guesses from loose substrings at run time.
"""

from __future__ import annotations

import json
import pprint
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "vicidial_async" / "protocol" / "_declarations.py"

# Ordered rules: the first rule whose needle occurs in the template's reason wins.
# Order matters: "NOT AN ALLOWED LIST ID" is a permission problem, not "NOT ... VALID".
_KIND_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("locked", ("Too many login attempts",)),
    ("ip_blocked", ("IP Address is not allowed", "IPBLOCK")),
    ("authentication", ("Login incorrect", "Invalid Username/Password")),
    # A system or campaign setting switches the function or option off: not the API user's rights.
    ("disabled", ("System API NOT ACTIVE", "Notifications are disabled", "CONTROL IS NOT ACTIVE",
                  "ARE NOT ENABLED", "options disabled", "not allowed on this system",
                  "not allowed on this campaign", "campaign does not allow",
                  "dial_method does not allow", "manual dial list undefined")),
    ("permission_denied", ("PERMISSION", "NOT AN ALLOWED", "NOT ALLOWED FOR USER", "is not allowed to",
                           "does not allow", "not allowed on this", "is not allowed on this")),
    ("duplicate", ("DUPLICATE",)),
    ("dnc", ("IN DNC", "IN CAMPAIGN DNC")),
    ("already_exists", ("ALREADY EXISTS", "already in this agents", "NON-ARCHIVED LEAD FOUND")),
    ("not_logged_in", ("is not logged in", "NOT LOGGED IN", "NO LOGGED IN AGENTS", "user not logged in")),
    ("not_paused", ("is not paused", "agent is not paused")),
    ("agent_state", ("does not have a live call", "is not on a phone call", "does not have a lead on",
                     "active 3-way", "call is not inbound", "not in a call", "is paused",
                     "is not in a", "no active", "not on a live", "audio already playing",
                     "no audio playing", "does not match lead_id",
                     # The agent's session lacks what the command needs (no recording to stop,
                     # no login-call or webphone data): a state of the agent, not a bad parameter.
                     "stop recording error", "no session data", "entry is empty",
                     "webphone url is empty")),
    ("not_found", ("NOT FOUND", "not found", "DOES NOT EXIST", "does not exist", "NO RECORDS",
                   "NO MATCHES", "NO RESULTS", "NO RECORDINGS", "no user found", "NO LEADS IN THE HOPPER",
                   "NO LEADS DEFINED", "HAS NO ENTRIES", "NO VIEWABLE", "NO AVAILABLE", "no matching", "no fronter")),
    ("invalid_parameter", ("INVALID", "Invalid", "not valid", "NOT VALID", "MUST", "REQUIRED", "NO VALID",
                           "NOT A DEFINED", "NO UPDATES", "NO ENTRY TYPE", "NO CONTAINER TYPE", "Missing",
                           "NO DIDS ADDED", "undefined", "is empty", "must", "NOT A VALID",
                           "are required", "have been defined", "FAILURE", "invalid request", "NOT SET TO",
                           "OPTIONAL FIELD")),
    ("unknown_function", ("NO FUNCTION SPECIFIED",)),
)


# Facets of an ERROR template that say what the answer means besides its kind, so no code compares
# reason strings: "nothing found" (a search or listing with no rows) and "no updates" (nothing to
# change). Checked in order, on the first line, like the kinds.
_FACET_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("no_updates", ("NO UPDATES", "NO RECORDS UPDATED")),
    ("nothing_found", ("NO RECORDS", "NO MATCHES", "NO RESULTS", "NO RECORDINGS",
                       "NO LEADS IN THE HOPPER", "NO LOGGED IN AGENTS", "HAS NO ENTRIES")),
)


def error_facet(template: str) -> str:
    """``nothing_found``, ``no_updates`` or ``""`` for one ERROR (or NOTICE) template."""
    first = template.split("\n", 1)[0]
    for facet, needles in _FACET_RULES:
        if any(n in first for n in needles):
            return facet
    return ""


def _error(template: str) -> list[str]:
    """``[template, kind]``, plus the facet where there is one."""
    facet = error_facet(template)
    return [template, error_kind(template), facet] if facet else [template, error_kind(template)]


def error_kind(template: str) -> str:
    """Classify one ERROR template (only its first line: a multi-line template shares one kind)."""
    first = template.split("\n", 1)[0]
    for kind, needles in _KIND_RULES:
        if any(n in first for n in needles):
            return kind
    return "api"


_PARAM_KEYS = ("name", "required", "kind", "min_len", "max_len", "min", "max", "choices", "default",
               "separator")


def _param(p: dict) -> dict:
    return {k: p[k] for k in _PARAM_KEYS if k in p}


def _function(fn: dict) -> dict:
    r = fn["response"]
    return {
        "api": fn["api"],
        "name": fn["name"],
        "group": fn["group"],
        "summary": fn["summary"],
        "permissions": fn["permissions"],
        "effect": fn["effect"],
        "retry_safe": fn["retry_safe"],
        "custom_fields": fn["custom_fields"],
        "params": [_param(p) for p in fn["params"]],
        "format": r["format"],
        "stages": r.get("stages") or [],
        "header_param": bool(r.get("header_param", False)),
        "columns": r.get("columns") or [],
        "success": r.get("success") or [],
        "notices": r.get("notices") or [],
        "notice_facets": [error_facet(line) for text in r.get("notices") or []
                          for line in text.split("\n") if line.strip()],
        "errors": [_error(e) for e in r.get("errors") or []],
    }


def build(ref_dir: Path) -> str:
    apis = {}
    for name in ("non_agent", "agent"):
        data = json.loads((ref_dir / f"{name}.json").read_text())
        apis[name] = {
            "path": data["path"],
            "common_params": [_param(p) for p in data["common"]["params"]],
            "common_errors": [_error(e) for e in data["common"]["errors"]],
            "functions": [_function(fn) for fn in data["functions"]],
        }
    body = pprint.pformat(apis, width=110, sort_dicts=False)
    return (
        '"""Declarations of every VICIdial API function (generated by tools/gen_specs.py; do not edit).\n\n'
        "Source: ../shared/api-reference (VICIdial SVN r3884). tests/test_registry.py checks this file\n"
        'against the reference JSON.\n"""\n\n'
        "from typing import Any\n\n"
        f"DECLARATIONS: dict[str, Any] = {body}\n"
    )


def main() -> None:
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "api-reference"
    OUT.write_text(build(ref))
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

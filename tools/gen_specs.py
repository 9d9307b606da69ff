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


# What a line means besides its words, so no code compares reason strings: each SUCCESS, NOTICE and
# ERROR template gets a facet (or none). Ordered: the first rule whose tags include the template's
# tag and one of whose needles occurs after the tag in the template's first line wins. Facets name
# outcomes that the result models and the bulk loader decide by (``line.facet``, ``exc.facet``); a
# facet used by one function only names that function's outcome (``reset`` is the password of
# update_user, the hopper of update_campaign, the leads of update_list: one kind per function).
# A new facet is also added to ``Facet`` in ``vicidial_async/protocol/registry.py``.
_FACET_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # NOTICE and ERROR: nothing to change, nothing found (the errors' no_updates / nothing_found).
    ("no_updates", ("NOTICE", "ERROR"), ("NO UPDATES", "NO RECORDS UPDATED")),
    ("nothing_found", ("NOTICE", "ERROR"), ("NO RECORDS", "NO MATCHES", "NO RESULTS", "NO RECORDINGS",
                                            "NO LEADS IN THE HOPPER", "NO LOGGED IN AGENTS",
                                            "HAS NO ENTRIES")),
    # ERROR: the list the call names is unusable, so every call naming it fails the same way.
    ("list_not_found", ("ERROR",), ("NOT A DEFINED LIST ID", "LIST DOES NOT EXIST")),
    ("list_not_allowed", ("ERROR",), ("NOT AN ALLOWED LIST ID",)),
    # SUCCESS of the Agent API: handed over to the agent's screen or the dialer, not done yet.
    ("over_ccc", ("SUCCESS",), ("command sent over CCC",)),
    ("queued", ("SUCCESS",), ("function set", "function sent", " SENT", "request sent", "queued")),
    ("hung_up", ("SUCCESS",), ("ra_call_control hungup",)),
    # NOTICE lines of add_lead and update_lead: the hopper, custom fields, callback and alt phones
    # of the lead, the leads update_lead found.
    ("hopper_refused", ("NOTICE",), ("NOT ADDED TO HOPPER", "NOT REMOVED FROM HOPPER")),
    ("hopper_added", ("NOTICE",), ("ADDED TO HOPPER",)),
    ("hopper_removed", ("NOTICE",), ("REMOVED FROM HOPPER",)),
    ("custom_added", ("NOTICE",), ("CUSTOM FIELDS VALUES ADDED",)),
    ("custom_updated", ("NOTICE",), ("CUSTOM FIELDS VALUES UPDATED",)),
    ("custom_entry_deleted", ("NOTICE",), ("CUSTOM FIELDS ENTRY DELETED",)),
    ("custom_data_deleted", ("NOTICE",), ("CUSTOM FIELDS DATA HAS BEEN DELETED",)),
    ("custom_refused", ("NOTICE",), ("CUSTOM FIELDS NOT ADDED",)),
    ("callback_added", ("NOTICE",), ("SCHEDULED CALLBACK ADDED",)),
    ("callback_updated", ("NOTICE",), ("SCHEDULED CALLBACK UPDATED",)),
    ("callback_deleted", ("NOTICE",), ("SCHEDULED CALLBACK DELETED",)),
    ("callback_refused", ("NOTICE",), ("SCHEDULED CALLBACK NOT",)),
    ("alt_phones_loaded", ("NOTICE",), ("MULTI-ALT-PHONE NUMBERS LOADED",)),
    ("nanpa_disabled", ("NOTICE",), ("NANPA options disabled",)),
    ("leads_found", ("NOTICE",), ("LEADS FOUND IN THE SYSTEM",)),
    # NOTICE lines of update_list (the list is created instead, a custom-field command was sent).
    ("sent_to_add_list", ("NOTICE",), ("SENDING TO add_list",)),
    ("field_add_sent", ("NOTICE",), ("ADD CUSTOM FIELD COMMAND SENT",)),
    ("field_update_sent", ("NOTICE",), ("UPDATE CUSTOM FIELD COMMAND SENT",)),
    ("field_delete_sent", ("NOTICE",), ("DELETE CUSTOM FIELD COMMAND SENT",)),
    ("fields_copy_sent", ("NOTICE",), ("COPY CUSTOM FIELDS COMMAND SENT",)),
    ("leads_deleted", ("NOTICE",), ("LEADS IN LIST HAVE BEEN DELETED",)),
    # What was done to the record the call names.
    ("added", ("SUCCESS", "NOTICE"), ("HAS BEEN ADDED", "HAVE BEEN ADDED", "lead added")),
    ("deleted", ("SUCCESS", "NOTICE"), ("HAS BEEN DELETED", "HAVE BEEN DELETED")),
    ("updated", ("SUCCESS",), ("HAS BEEN UPDATED", "HAVE BEEN UPDATED", "lead updated")),
    ("already_exists", ("NOTICE",), ("ALREADY EXISTS", "REMOTE AGENT IS ALREADY")),
    ("reset", ("NOTICE",), ("PASSWORD HAS BEEN RESET", "HOPPER HAS BEEN RESET",
                            "LEADS IN LIST HAVE BEEN RESET")),
    ("reset_failed", ("NOTICE",), ("RESET FAILED",)),
    ("campaign_ranks_updated", ("NOTICE",), ("CAMPAIGN RANKS/GRADES HAVE BEEN UPDATED",)),
    ("ingroup_ranks_updated", ("NOTICE",), ("IN-GROUP RANKS/GRADES HAVE BEEN UPDATED",)),
    ("delete_refused", ("NOTICE",), ("DOES NOT HAVE PERMISSION TO DELETE",)),
    # NOTICE lines of the Agent API.
    ("recording_active", ("NOTICE",), ("recording active",)),
    ("not_recording", ("NOTICE",), ("not recording",)),
    ("ingroup_not_found", ("NOTICE",), ("dial_ingroup not found",)),
    ("playback_stopped", ("NOTICE",), ("previous playback stopped",)),
    ("date_replaced", ("NOTICE",), ("Invalid notification date",)),
    ("type_resolved", ("NOTICE",), ("found {recipient} as",)),
    # Any other NOTICE that says a requested action was not carried out.
    ("not_done", ("NOTICE",), ("NOT", "MISSING", "HAS NO", "FAILED")),
)


def facet_of(template: str) -> str:
    """The facet of one SUCCESS, NOTICE or ERROR template line (``""`` when no rule fits).

    Only the first line counts (a multi-line template shares one facet), and only rules for the
    tag the line carries, looked for in the words after the tag ("NOT" is not in "NOTICE: ").
    """
    first = template.split("\n", 1)[0]
    found = [(first.find(f"{t}: "), t) for t in ("SUCCESS", "NOTICE", "ERROR") if f"{t}: " in first]
    if not found:
        return ""
    at, tag = min(found)
    words = first[at + len(tag) + 2:]
    for facet, tags, needles in _FACET_RULES:
        if tag in tags and any(n in words for n in needles):
            return facet
    return ""


def _error(template: str) -> list[str]:
    """``[template, kind]``, plus the facet where there is one."""
    facet = facet_of(template)
    return [template, error_kind(template), facet] if facet else [template, error_kind(template)]


def _facets(texts: list[str]) -> list[str]:
    """The facet of each line of ``texts`` (the templates are split into lines as the registry does)."""
    return [facet_of(line) for text in texts for line in text.split("\n") if line.strip()]


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
        "success_facets": _facets(r.get("success") or []),
        "notices": r.get("notices") or [],
        "notice_facets": _facets(r.get("notices") or []),
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

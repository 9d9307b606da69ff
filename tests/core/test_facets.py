"""Every SUCCESS, NOTICE and ERROR template of the reference is found again in an answer line, with
the facet the generator gives it; and the code that decides by facets decides as the reason-text
tests it replaced did, on every recorded real answer and on every template of the reference."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from vicidial_async import errors
from vicidial_async.bulk import loader, preflight
from vicidial_async.models import agent as agent_models
from vicidial_async.models import leads as lead_models
from vicidial_async.models import lists as list_models
from vicidial_async.models._outcome import action_of
from vicidial_async.protocol._declarations import DECLARATIONS
from vicidial_async.protocol.lines import StatusLine, error_from_line, message_lines, parse_line
from vicidial_async.protocol.registry import FACETS, REGISTRY, FunctionSpec, Template

from ..conftest import REAL_ANSWERS, ROOT, load_reference

_TAGS = ("SUCCESS", "NOTICE", "ERROR")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_specs", ROOT / "tools" / "gen_specs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()
REFERENCE = load_reference()


def _tag(line: str) -> str:
    found = [(line.find(f"{t}: "), t) for t in _TAGS if f"{t}: " in line]
    return min(found)[1] if found else ""


def _render(line: str) -> str:
    t = Template.compile(line)
    return t.render(*["7"] * len(t.fields))


def _reference_lines() -> Iterator[tuple[str, str, str, str, str, str]]:
    """``(api, function, tag, line, facet, kind)`` of every tagged line of every template: the
    expected facet and error kind as the generator derives them from the reference JSON."""
    for api, ref in REFERENCE.items():
        common = ref["common"]["errors"]
        for fn in ref["functions"]:
            response = fn["response"]
            for key, tag in (("success", "SUCCESS"), ("notices", "NOTICE")):
                for text in response.get(key) or []:
                    for line in text.split("\n"):
                        if _tag(line) == tag:
                            yield api, fn["name"], tag, line, GEN.facet_of(line), ""
            for text in [*(response.get("errors") or []), *common]:
                for line in text.split("\n"):
                    if _tag(line) == "ERROR":
                        yield (api, fn["name"], "ERROR", line, GEN.facet_of(text),
                               GEN.error_kind(text))


REFERENCE_LINES = list(_reference_lines())

# Template lines that a line of another template of the same function fits as well, so the decoder
# names the other (its best fit); each pair means the same (same facet, same error kind). The
# reference writes the common permission error once with a literal function name and once with
# {function}, and the Agent API's once with {lead_id} where the other has {value}; external_status'
# "!!!!" form is the general form with empty callback fields.
_PERMISSION = "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION"
ALIKE = {
    ("ingroup_list", _PERMISSION + ": |{user}|ingroup_list|"),
    ("callmenu_list", _PERMISSION + ": |{user}|callmenu_list|"),
    ("external_status",
     "SUCCESS: external_status function set - {value}!!!!{qm_dispo_code}|{agent_user}"),
}
_AGENT_PERMISSION = _PERMISSION + " - {lead_id}|"


def _alike(function: str, line: str) -> bool:
    return (function, line) in ALIKE or line.startswith(_AGENT_PERMISSION)


def _declared_facets() -> set[str]:
    found = {""}
    for decl in DECLARATIONS.values():
        found |= {e[2] for e in decl["common_errors"] if len(e) > 2}
        for fn in decl["functions"]:
            found |= set(fn["success_facets"]) | set(fn["notice_facets"])
            found |= {e[2] for e in fn["errors"] if len(e) > 2}
    return found


def test_the_facet_type_names_every_facet_of_the_declarations() -> None:
    assert _declared_facets() == FACETS


def test_every_facet_rule_of_the_generator_names_some_template() -> None:
    given = {facet for *_, facet, _kind in REFERENCE_LINES}
    assert {facet for facet, _tags, _needles in GEN._FACET_RULES} <= given


@pytest.mark.parametrize("api,function", sorted({(x[0], x[1]) for x in REFERENCE_LINES}))
def test_every_template_of_the_reference_is_found_with_its_facet(api: str, function: str) -> None:
    spec = REGISTRY[api, function]
    for _, _, tag, text, facet, kind in (x for x in REFERENCE_LINES if x[:2] == (api, function)):
        rendered = _render(text)
        line = parse_line(rendered, spec)
        assert line is not None and line.tag == tag, text
        assert line.template == text or _alike(function, text), (text, line.template)
        assert line.facet == facet, text
        if tag == "ERROR":
            exc = error_from_line(spec, line, rendered)
            assert (exc.template, exc.facet) == (line.template, facet), text
            assert type(exc) is errors.error_class_for_kind(kind), text
            assert exc.nothing_found is (facet == "nothing_found")
            assert exc.no_updates is (facet == "no_updates")


def test_an_error_keeps_its_template_and_facet_through_pickling() -> None:
    import pickle

    spec = REGISTRY["non_agent", "add_lead"]
    body = "ERROR: add_lead NOT A DEFINED LIST ID, LIST EXISTS CHECK ENABLED - 3125551212|98765\n"
    line = parse_line(body.strip(), spec)
    assert line is not None
    exc = pickle.loads(pickle.dumps(error_from_line(spec, line, body)))
    assert exc.facet == "list_not_found"
    assert exc.template == ("ERROR: add_lead NOT A DEFINED LIST ID, LIST EXISTS CHECK ENABLED - "
                            "{phone_number}|{list_id}")


def test_update_list_reads_the_lines_of_add_list_it_hands_over_to() -> None:
    """With insert_if_not_found, update_list goes on as add_list: add_list's own lines follow."""
    update_list, add_list = REGISTRY["non_agent", "update_list"], REGISTRY["non_agent", "add_list"]
    assert update_list.handover is add_list
    own = {t.text for t in (*update_list.response.success, *update_list.response.notices,
                            *update_list.error_lines)}
    checked = 0
    for api, function, tag, text, facet, kind in REFERENCE_LINES:
        if (api, function) != ("non_agent", "add_list") or text in own:
            continue
        rendered = _render(text)
        line = parse_line(rendered, update_list)
        assert line is not None and (line.template, line.facet) == (text, facet), text
        if tag == "ERROR":
            exc = error_from_line(update_list, line, rendered)
            assert exc.function == "add_list" and type(exc) is errors.error_class_for_kind(kind), text
        checked += 1
    assert checked > 10


# -- the converted places decide as the reason-text tests did ---------------------------------------
#
# Each decision: the functions it is made for, the tag of the lines it reads, the reason-text test
# the library used before facets (kept here only as the oracle) and the library's decision now.

def _old_action(line: StatusLine) -> str:
    return "added" if "ADDED" in line.reason else "deleted" if "DELETED" in line.reason else "updated"


_OLD_QUEUED = ("function set", "function sent", " SENT", "request sent", "sent over CCC", "queued")
_OLD_REFUSALS = ("NOT", "MISSING", "HAS NO", "FAILED")
_OLD_COMMANDS = {"ADD CUSTOM FIELD COMMAND SENT": "add", "UPDATE CUSTOM FIELD COMMAND SENT": "update",
                 "DELETE CUSTOM FIELD COMMAND SENT": "delete", "COPY CUSTOM FIELDS COMMAND SENT": "copy"}
_AGENT_SUCCESS = {spec.name for spec in REGISTRY.for_api("agent")}


def _words(words: str) -> Callable[[StatusLine], bool]:
    return lambda line: words in line.reason


def _facet(*facets: str) -> Callable[[StatusLine], bool]:
    return lambda line: line.facet in facets


def _update_list_outcome_old(line: StatusLine) -> str:
    r = line.reason.removeprefix("update_list ")
    if r == "LEADS IN LIST HAVE BEEN RESET":
        return "reset"
    if r.startswith("LIST RESET FAILED"):
        return "reset_failed"
    if r == "LIST HAS BEEN DELETED":
        return "list_deleted"
    if r == "LEADS IN LIST HAVE BEEN DELETED":
        return "leads_deleted"
    return _OLD_COMMANDS.get(r, "")


def _update_list_outcome_new(line: StatusLine) -> str:
    facet = line.facet
    if facet in ("reset", "reset_failed", "leads_deleted"):
        return facet
    if facet == "deleted":
        return "list_deleted"
    return list_models._COMMANDS.get(facet, "")


def _lead_notice_old(line: StatusLine) -> tuple[str, Any]:
    """add_lead / update_lead notices as the reason text sorted them, and the outcome built."""
    fn = line.reason.split(" ", 1)[0]
    r = line.reason.removeprefix(fn + " ")
    lead_id = lead_models.opt_int(line.get("lead_id"))
    if "HOPPER" in r:
        if r == "ADDED TO HOPPER":
            return "hopper", lead_models.HopperOutcome(True, lead_models.opt_int(line.get("hopper_id")),
                                                       lead_id=lead_id)
        if r == "REMOVED FROM HOPPER":
            return "hopper", lead_models.HopperOutcome(False, removed=True, lead_id=lead_id,
                                                       hopper_status=line.get("hopper_status"))
        return "hopper", lead_models.HopperOutcome(False, reason=r, lead_id=lead_id,
                                                   hopper_status=line.get("hopper_status"))
    if r.startswith("CUSTOM FIELDS"):
        if r in ("CUSTOM FIELDS VALUES ADDED", "CUSTOM FIELDS VALUES UPDATED"):
            rows = line.get("affected_rows") or line.get("entry_list_id_update_count")
            outcome = lead_models.CustomFieldsOutcome(True, rows=lead_models.opt_int(rows), lead_id=lead_id)
        elif r in ("CUSTOM FIELDS ENTRY DELETED", "CUSTOM FIELDS DATA HAS BEEN DELETED"):
            rows = line.get("rows_deleted") or line.get("custom_rows_deleted")
            outcome = lead_models.CustomFieldsOutcome(False, deleted=True, rows=lead_models.opt_int(rows),
                                                      lead_id=lead_id)
        else:
            outcome = lead_models.CustomFieldsOutcome(False, r, lead_id=lead_id)
        return ("custom added" if r == "CUSTOM FIELDS VALUES ADDED" else "custom"), outcome
    if r.startswith("SCHEDULED CALLBACK"):
        if r == "SCHEDULED CALLBACK DELETED":
            return "callback", "deleted"
        ok = r in ("SCHEDULED CALLBACK ADDED", "SCHEDULED CALLBACK UPDATED")
        return "callback", (ok, "" if ok else r,
                            ("updated" if r.endswith("UPDATED") else "added") if ok else "refused")
    if r.startswith("MULTI-ALT-PHONE"):
        return "alt phones", None
    if r.startswith("NANPA options disabled"):
        return "nanpa", None
    if r == "LEADS FOUND IN THE SYSTEM":
        return "found", None
    if r == "NO MATCHES FOUND IN THE SYSTEM":
        return "no match", None
    return "", None


def _lead_notice_new(line: StatusLine) -> tuple[str, Any]:
    fn = line.reason.split(" ", 1)[0]
    if line.facet in lead_models._HOPPER:
        return "hopper", lead_models._hopper(line, fn)
    if line.facet in lead_models._CUSTOM:
        return ("custom added" if line.facet == "custom_added" else "custom"), lead_models._custom(line, fn)
    if line.facet in lead_models._CALLBACK:
        cb = lead_models._callback(line, fn)
        assert cb is not None
        return "callback", cb.action if cb.action == "deleted" else (cb.added, cb.reason, cb.action)
    return {"alt_phones_loaded": "alt phones", "nanpa_disabled": "nanpa", "leads_found": "found",
            "nothing_found": "no match"}.get(line.facet, ""), None


def _lead_success_old(line: StatusLine) -> str:
    r = line.reason.removeprefix("update_lead ")
    return "added" if r == "LEAD HAS BEEN ADDED" else "deleted" if r.startswith(
        "LEAD HAS BEEN DELETED") else "updated"


Decision = tuple[frozenset[str], str, Callable[[StatusLine], Any], Callable[[StatusLine], Any]]
DECISIONS: dict[str, Decision] = {
    "action": (frozenset({"add_phone", "update_phone", "add_phone_alias", "update_phone_alias",
                          "add_did", "update_did", "update_presets", "update_alt_url"}),
               "SUCCESS", _old_action, action_of),
    "user updated": (frozenset({"update_user"}), "SUCCESS", _words("UPDATED"), _facet("updated")),
    "user deleted": (frozenset({"update_user"}), "SUCCESS", _words("DELETED"), _facet("deleted")),
    "queued": (frozenset(_AGENT_SUCCESS), "SUCCESS",
               lambda line: any(w in line.reason for w in _OLD_QUEUED), agent_models._queued),
    "hung up": (frozenset({"ra_call_control"}), "SUCCESS", _words("hungup"), _facet("hung_up")),
    "over CCC": (frozenset({"force_fronter_leave_3way", "force_fronter_audio_stop"}), "SUCCESS",
                 _words("over CCC"), _facet("over_ccc")),
    "password reset": (frozenset({"update_user"}), "NOTICE", _words("PASSWORD HAS BEEN RESET"),
                       _facet("reset")),
    "password reset failed": (frozenset({"update_user"}), "NOTICE", _words("PASSWORD RESET FAILED"),
                              _facet("reset_failed")),
    "campaign ranks": (frozenset({"update_user"}), "NOTICE", _words("CAMPAIGN RANKS"),
                       _facet("campaign_ranks_updated")),
    "in-group ranks": (frozenset({"update_user"}), "NOTICE", _words("IN-GROUP RANKS"),
                       _facet("ingroup_ranks_updated")),
    "hopper reset": (frozenset({"update_campaign"}), "NOTICE", _words("HOPPER HAS BEEN RESET"),
                     _facet("reset")),
    "remote agent already": (frozenset({"update_remote_agent"}), "NOTICE", _words("ALREADY"),
                             _facet("already_exists")),
    "delete refused": (frozenset({"update_phone", "update_phone_alias"}), "NOTICE",
                       _words("DOES NOT HAVE PERMISSION TO DELETE"), _facet("delete_refused")),
    "recording notice": (frozenset({"recording"}), "NOTICE", _words("recording"),
                         _facet("recording_active", "not_recording")),
    "recording active": (frozenset({"recording"}), "NOTICE",
                         lambda line: line.reason.startswith("recording active"),
                         _facet("recording_active")),
    "dial_ingroup dropped": (frozenset({"external_dial"}), "NOTICE", _words("dial_ingroup not found"),
                             _facet("ingroup_not_found")),
    "playback stopped": (frozenset({"audio_playback"}), "NOTICE", _words("previous playback stopped"),
                         _facet("playback_stopped")),
    "notification date": (frozenset({"send_notification"}), "NOTICE", _words("notification date"),
                          _facet("date_replaced")),
    "DID copied": (frozenset({"copy_did"}), "NOTICE", _words("HAS BEEN ADDED"), _facet("added")),
    "DID existed": (frozenset({"copy_did"}), "NOTICE", _words("ALREADY EXISTS"),
                    _facet("already_exists")),
    "list problems": (frozenset({"update_list"}), "NOTICE",
                      lambda line: (any(w in line.reason for w in _OLD_REFUSALS)
                                    and "SENDING TO add_list" not in line.reason),
                      _facet(*list_models._REFUSALS)),
    "list outcome": (frozenset({"update_list"}), "NOTICE", _update_list_outcome_old,
                     _update_list_outcome_new),
    "list added instead": (frozenset({"update_list"}), "SUCCESS",
                           lambda line: line.reason.startswith("add_list "), _facet("added")),
    "lead notices": (frozenset({"add_lead", "update_lead"}), "NOTICE", _lead_notice_old,
                     _lead_notice_new),
    "update_lead success": (frozenset({"update_lead"}), "SUCCESS", _lead_success_old, action_of),
}


def _fatal_old(exc: errors.APIError) -> bool:
    return isinstance(exc, loader._FATAL) or "LIST ID" in exc.reason


def _missing_list_old(exc: errors.APIError) -> bool:
    # Narrowed on purpose from "any NotFoundError or DOES NOT EXIST": the API user's missing
    # user_group is not a missing list (tests/bulk/test_preflight.py).
    return "LIST DOES NOT EXIST" in exc.reason


ERROR_DECISIONS: dict[str, tuple[frozenset[str], Callable[[errors.APIError], bool],
                                 Callable[[errors.APIError], bool]]] = {
    "loader: fatal for the whole file": (frozenset({"add_lead"}), _fatal_old, loader._is_fatal),
    "preflight: the list is missing": (frozenset({"list_info"}), _missing_list_old,
                                       preflight._list_missing),
}


def _real_lines() -> Iterator[tuple[FunctionSpec, str, str]]:
    """``(spec, line, body)`` of every line of every recorded answer (send_notification's messages
    split as its result splits them)."""
    for text in REAL_ANSWERS.read_text().splitlines():
        rec = json.loads(text)
        spec = REGISTRY.get((rec["api"], rec["function"]))
        if spec is None:
            continue
        body = rec["body"]
        for part in message_lines(spec, body):
            if part.strip():
                yield spec, part, body


def _template_lines() -> Iterator[tuple[FunctionSpec, str, str]]:
    for api, function, _, text, *_ in REFERENCE_LINES:
        rendered = _render(text)
        yield REGISTRY[api, function], rendered, rendered


SOURCES = {"real answers": _real_lines, "reference templates": _template_lines}


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("decision", sorted(DECISIONS))
def test_a_facet_decides_as_the_reason_text_did(decision: str, source: str) -> None:
    functions, tag, old, new = DECISIONS[decision]
    seen = 0
    for spec, text, _body in SOURCES[source]():
        line = parse_line(text, spec)
        if spec.name not in functions or line is None or line.tag != tag:
            continue
        seen += 1
        assert new(line) == old(line), (spec.name, text)
    if source == "reference templates":
        assert seen, f"no template of the reference reaches {decision!r}"


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("decision", sorted(ERROR_DECISIONS))
def test_an_error_facet_decides_as_the_reason_text_did(decision: str, source: str) -> None:
    functions, old, new = ERROR_DECISIONS[decision]
    seen = 0
    for spec, text, body in SOURCES[source]():
        line = parse_line(text, spec)
        if spec.name not in functions or line is None or line.tag != "ERROR":
            continue
        exc = error_from_line(spec, line, body)
        seen += 1
        assert new(exc) == old(exc), (spec.name, text)
    assert seen, f"no {source} reach {decision!r}"


def test_the_real_answers_reach_the_decisions_they_can() -> None:
    """The recorded answers hold lines for most decisions (the rest are covered by the templates)."""
    reached = set()
    for spec, text, _body in _real_lines():
        line = parse_line(text, spec)
        for name, (functions, tag, _old, _new) in DECISIONS.items():
            if line is not None and spec.name in functions and line.tag == tag:
                reached.add(name)
    assert {"action", "queued", "hung up", "recording notice", "DID copied", "list problems",
            "list outcome", "lead notices", "update_lead success"} <= reached

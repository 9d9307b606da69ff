"""List operations of the Non-Agent API: add_list, update_list, list_info, list_custom_fields."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ..models.lists import AddListResult, ListCustomFieldsRow, ListInfoRow, UpdateListResult
from ..protocol.lines import StatusAnswer
from ..protocol.params import BLANK
from ..protocol.registry import FunctionSpec
from ._core import Form, Operation, answer_only, rows_of
from ._rules import blank, no_empty, refuse, refuse_if

__all__ = ["ADD_LIST", "LIST_CUSTOM_FIELDS", "LIST_INFO", "UPDATE_LIST"]

# Characters besides ASCII letters and digits the server keeps (it drops the others silently).
_KEPT = {
    "list_name": " -+.:/@?&_",
    "web_form_address": " -%=+.:/@?&_",
    "web_form_address_two": " -%=+.:/@?&_",
    "web_form_address_three": " -%=+.:/@?&_",
    "xferconf_one": "-_",
    "xferconf_two": "-_",
    "xferconf_three": "-_",
    "xferconf_four": "-_",
    "xferconf_five": "-_",
}
_BLANKABLE_ADD = frozenset({"list_description", "web_form_address", "web_form_address_two",
                            "web_form_address_three"})
_BLANKABLE_UPDATE = _BLANKABLE_ADD | frozenset({
    "script", "am_message", "drop_inbound_group", "xferconf_one", "xferconf_two", "xferconf_three",
    "xferconf_four", "xferconf_five", "field_default", "field_options", "field_description",
    "field_help",
})
_FIELD_LABEL = re.compile(r"[A-Za-z0-9_]+")
_HHMM = re.compile(r"([01]\d|2[0-3])[0-5]\d")
_CUSTOM_NEEDS = {"custom_fields_add": ("field_label", "field_name", "field_size", "field_type",
                                       "field_rank"),
                 "custom_fields_update": ("field_label",), "custom_fields_delete": ("field_label",)}
_CUSTOM_ACTIONS = ("custom_fields_add", "custom_fields_update", "custom_fields_delete",
                   "custom_fields_copy")


def reset_times(function: str, value: Any) -> str:
    """``["0900", time(17, 0)]`` -> ``"0900-1700"``; each time must be HHMM."""
    items = [value] if isinstance(value, (str, dt.time)) else list(value)
    out: list[str] = []
    for item in items:
        parts = [item.strftime("%H%M")] if isinstance(item, dt.time) else item.split("-")
        for part in parts:
            if not _HHMM.fullmatch(part):
                raise refuse(function, "reset_time", f"reset times are HHMM (e.g. 0900), got {part!r}")
            out.append(part)
    return "-".join(out)


def _lines(function: str, value: Any) -> str:
    return value if isinstance(value, str) else "\n".join(value)


def _kept_text(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    for name, kept in _KEPT.items():
        value = form.get(name)
        if not value or value == BLANK:
            continue
        bad = sorted({c for c in value if not ((c.isascii() and c.isalnum()) or c in kept)})
        if bad:
            raise refuse(spec.name, name, "the server would drop " + " ".join(map(repr, bad)))
        if name.startswith("web_form") and "%3a%2f%2f" in value.lower():
            raise refuse(spec.name, name, "a URL-encoded address (%3A%2F%2F) is decoded once more "
                                          "by the server, turning spaces into '+': send it decoded")


def _custom_field_actions(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    for flag, required in _CUSTOM_NEEDS.items():
        if form.get(flag) == "Y":
            for need in required:
                if not form.get(need):
                    raise refuse(spec.name, need, f"{flag} needs {need}")
    if form.get("insert_if_not_found") == "Y" and any(
            form.get(k) and form.get(k) != "N" for k in _CUSTOM_ACTIONS):
        raise refuse(spec.name, "insert_if_not_found", "the server never adds the list when a "
                                                       "custom field action is requested too")


def _update_list_result(answer: StatusAnswer, form: Form) -> UpdateListResult:
    return UpdateListResult.from_answer(answer, int(form["list_id"]))


ADD_LIST = Operation(
    "add_list",
    encode={"reset_time": reset_times},
    rules=[_kept_text, blank(*_BLANKABLE_ADD)],
    result=answer_only(AddListResult.from_answer),
)

UPDATE_LIST = Operation(
    "update_list",
    encode={"reset_time": reset_times, "field_options": _lines},
    rules=[
        _kept_text,
        blank(*_BLANKABLE_UPDATE),
        no_empty(_BLANKABLE_UPDATE, what="setting"),
        refuse_if("reset_time", lambda f: "reset_time" in f and "expiration_date" in f,
                  "the server drops reset_time when expiration_date is sent too: send them in "
                  "two calls"),
        refuse_if("field_label", lambda f: bool(f.get("field_label"))
                  and not _FIELD_LABEL.fullmatch(f["field_label"]),
                  "only letters, digits and _ are allowed"),
        _custom_field_actions,
        refuse_if("", lambda f: not set(f) - {"list_id", "archived_lead", "use_internal_webserver"},
                  "nothing to update: name a setting or an action"),
    ],
    result=_update_list_result,
)

LIST_INFO = Operation("list_info", result=rows_of(ListInfoRow.from_row))
LIST_CUSTOM_FIELDS = Operation("list_custom_fields", result=rows_of(ListCustomFieldsRow.from_row))

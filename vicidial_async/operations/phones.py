"""Phone operations of the Non-Agent API: phones, phone aliases and group aliases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import PermissionDeniedError
from ..models._outcome import notice
from ..models.phones import GroupAliasResult, PhoneAliasResult, PhoneResult
from ..protocol.lines import StatusAnswer
from ..protocol.registry import FunctionSpec
from ._core import Form, Operation, answer_only
from ._rules import ID_CHARS, blank, chars, deletes_alone, items, refuse

__all__ = ["ADD_GROUP_ALIAS", "ADD_PHONE", "ADD_PHONE_ALIAS", "UPDATE_PHONE", "UPDATE_PHONE_ALIAS"]

_ALIAS_TEXT = r"A-Za-z0-9 \-+.:/@_"
_ALIAS_WHAT = "letters, digits, space and - + . : / @ _"
_PHONE_FIELDS = [
    chars("extension", ID_CHARS, "letters, digits, - and _"),
    chars("server_ip", r"A-Za-z0-9.:\-_", "letters, digits and . : - _"),
    chars("dialplan_number", "A-Za-z0-9*#", "letters, digits, * and #"),
    chars("voicemail_id", "A-Za-z0-9", "letters and digits"),
    chars("phone_full_name", r"A-Za-z0-9 \-+._", "letters, digits, space and - + . _", blank=True),
]
_LOGINS = items("phone_logins", ",", f"[{ID_CHARS}]+", "a phone login")


def gmt(function: str, value: Any) -> str:
    """A ``local_gmt`` number formatted as the server lists it (``-5`` -> ``-5.00``)."""
    return value if isinstance(value, str) else f"{value:.2f}"


def _refused_by_notice(function: str, answer: StatusAnswer) -> None:
    """The delete-permission message is a NOTICE, but it ends the request: report it as refused."""
    refused = notice(answer, "delete_refused")
    if refused is not None and not answer.success:
        raise PermissionDeniedError(function, refused.reason, refused.data, fields=refused.fields,
                                    line=refused.text, raw=answer.raw)


def _phone_result(answer: StatusAnswer, form: Form) -> PhoneResult:
    _refused_by_notice("update_phone", answer)
    return PhoneResult.from_answer(answer)


def _alias_result(answer: StatusAnswer, form: Form) -> PhoneAliasResult:
    _refused_by_notice(answer.function, answer)
    if not answer.success and answer.no_updates:
        return PhoneAliasResult("unchanged", form["alias_id"], notices=answer.notices, raw=answer.raw)
    return PhoneAliasResult.from_answer(answer, form["alias_id"])


def _alias_change(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    other = "phone_logins" in form or "alias_name" in form
    if form.get("delete_alias") == "Y" and other:
        raise refuse(spec.name, "delete_alias", "cannot be combined with other settings (the server "
                                                "deletes and ignores the rest)")
    if form.get("delete_alias") != "Y" and not other:
        raise refuse(spec.name, "phone_logins", "needs phone_logins, alias_name or delete_alias")


def _two_characters(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    for name in ("group_alias_id", "group_alias_name"):
        if name in form and len(form[name]) < 2:
            raise refuse(spec.name, name, "needs 2+ characters (the server would use the caller ID "
                                          "number instead)")


def _added_alias(answer: StatusAnswer, form: Form) -> PhoneAliasResult:
    return PhoneAliasResult.from_answer(answer, form["alias_id"])


ADD_GROUP_ALIAS = Operation(
    "add_group_alias",
    rules=[
        blank(),
        _two_characters,
        chars("group_alias_id", "A-Za-z0-9_", "letters, digits and _"),
        *(chars(name, r"A-Za-z0-9 \-_", "letters, digits, space, - and _ ('+' would become a space)")
          for name in ("group_alias_name", "caller_id_name")),
    ],
    result=answer_only(GroupAliasResult.from_answer),
)
ADD_PHONE = Operation("add_phone", encode={"local_gmt": gmt},
                      rules=[blank("template_id"), *_PHONE_FIELDS],
                      result=answer_only(PhoneResult.from_answer))
UPDATE_PHONE = Operation(
    "update_phone",
    encode={"local_gmt": gmt},
    rules=[deletes_alone("delete_phone", "extension", "server_ip"),
           blank("registration_password", "phone_full_name", "phone_context", "email", "template_id"),
           *_PHONE_FIELDS, chars("outbound_alt_cid", "0-9", "digits")],
    result=_phone_result,
)
ADD_PHONE_ALIAS = Operation(
    "add_phone_alias",
    rules=[blank(), _LOGINS, chars("alias_name", _ALIAS_TEXT, _ALIAS_WHAT)],
    result=_added_alias,
)
UPDATE_PHONE_ALIAS = Operation(
    "update_phone_alias",
    rules=[_alias_change, blank(), _LOGINS, chars("alias_name", _ALIAS_TEXT, _ALIAS_WHAT)],
    result=_alias_result,
)

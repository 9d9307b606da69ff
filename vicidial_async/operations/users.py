"""User operations of the Non-Agent API: agent_ingroup_info, agent_campaigns, user_details,
add_user, copy_user, update_user, update_remote_agent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import APIError
from ..models import users as results
from ..models._outcome import notice
from ..models._rows import rows_of_table
from ..models._table import TableResult
from ..protocol.decode import Answer
from ..protocol.lines import StatusAnswer
from ..protocol.registry import FunctionSpec
from ..protocol.tables import Table
from ._core import Form, Operation, Rule, answer_only, table_of
from ._rules import ID_CHARS, blank, chars, deletes_alone, flag01, items, needs, refuse, refuse_if

__all__ = ["ADD_USER", "AGENT_CAMPAIGNS", "AGENT_INGROUP_INFO", "COPY_USER", "UPDATE_REMOTE_AGENT",
           "UPDATE_USER", "USER_DETAILS"]

_NAME_CHARS = r"A-Za-z0-9 \-+.:/@_"
_NAME_WHAT = "letters, digits, space and - + . : / @ _"
_ID_WHAT = "letters, digits, - and _"


def _account_fields(*, blanks: bool = False) -> list[Rule]:
    return [
        chars("agent_pass", ID_CHARS, _ID_WHAT),
        chars("agent_full_name", _NAME_CHARS, _NAME_WHAT, blank=blanks),
        chars("phone_login", ID_CHARS, _ID_WHAT, blank=blanks),
        chars("phone_pass", ID_CHARS, _ID_WHAT, blank=blanks),
        chars("voicemail_id", "A-Za-z0-9", "letters and digits"),
        items("in_groups", "|", f"[{ID_CHARS}]+", "an in-group id"),
    ]


def _ingroup_info(answer: Answer, form: Form) -> results.AgentIngroupInfo:
    return results.AgentIngroupInfo.from_text(answer.raw, form["agent_user"])


def _user_details(table: Table, form: Form) -> TableResult[results.UserDetailsRow]:
    return rows_of_table(results.UserDetailsRow, table, free_text="full_name", stage=form.get("stage"))


def _something_to_update(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    if form.get("delete_user") != "Y" and not set(form) - {"agent_user", "delete_user"}:
        raise refuse(spec.name, "agent_user", "nothing to update")


def _reset_length(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    reset = form.get("reset_password", "")
    if reset.isdigit() and 0 < int(reset) < 8:
        raise refuse(spec.name, "reset_password", "must be 0 or at least 8 (the server ignores "
                                                  "shorter lengths)")


def _updated_user(answer: StatusAnswer, form: Form) -> results.UpdateUserResult:
    ok = answer.success[0] if answer.success else None
    return results.UpdateUserResult.from_lines(ok, answer.notices, answer.raw, form["agent_user"])


def _user_unchanged(exc: APIError, form: Form) -> results.UpdateUserResult | None:
    """NO UPDATES DEFINED after NOTICE lines that say why (e.g. a setting already held)."""
    if exc.no_updates and exc.notices:
        return results.UpdateUserResult.from_lines(None, exc.notices, exc.raw, form["agent_user"])
    return None


def _updated_remote_agent(answer: StatusAnswer, form: Form) -> results.UpdateRemoteAgentResult:
    ok = answer.success[0] if answer.success else None
    already = notice(answer, "already_exists")
    return results.UpdateRemoteAgentResult((ok.get("agent_user") if ok else "") or form["agent_user"],
                                           ok is not None, notices=answer.notices, raw=answer.raw,
                                           already=already.get("status") if already is not None else "")


def _remote_agent_unchanged(exc: APIError, form: Form) -> results.UpdateRemoteAgentResult | None:
    already = notice(exc.notices, "already_exists")
    if exc.no_updates and already is not None:
        return results.UpdateRemoteAgentResult(form["agent_user"], False, already=already.get("status"),
                                               notices=exc.notices, raw=exc.raw)
    return None


AGENT_INGROUP_INFO = Operation("agent_ingroup_info", result=_ingroup_info)
AGENT_CAMPAIGNS = Operation("agent_campaigns", result=table_of(results.AgentCampaignsRow))
USER_DETAILS = Operation("user_details", result=_user_details)
ADD_USER = Operation(
    "add_user",
    encode=dict.fromkeys(("hotkeys_active", "agent_choose_ingroups", "agent_choose_blended",
                          "closer_default_blended"), flag01),
    rules=[blank(), *_account_fields()],
    result=answer_only(results.AddUserResult.from_answer),
)
COPY_USER = Operation("copy_user", rules=[blank(), *_account_fields()],
                      result=answer_only(results.CopyUserResult.from_answer))
UPDATE_USER = Operation(
    "update_user",
    encode=dict.fromkeys(("hotkeys_active", "camp_rg_only", "ingrp_rg_only"), flag01),
    rules=[
        deletes_alone("delete_user", "agent_user"),
        _something_to_update,
        _reset_length,
        needs("campaign_id", lambda f: f.get("camp_rg_only") == "1", "is needed with camp_rg_only"),
        needs("group_id", lambda f: f.get("ingrp_rg_only") == "1", "is needed with ingrp_rg_only"),
        blank("agent_full_name", "phone_login", "phone_pass", "email", "custom_one", "custom_two",
              "custom_three", "custom_four", "custom_five"),
        *_account_fields(blanks=True),
    ],
    recover=_user_unchanged,
    result=_updated_user,
)
UPDATE_REMOTE_AGENT = Operation(
    "update_remote_agent",
    rules=[refuse_if("status", lambda f: not {"status", "campaign_id", "number_of_lines"} & set(f),
                     "nothing to update"),
           blank()],
    recover=_remote_agent_unchanged,
    result=_updated_remote_agent,
)

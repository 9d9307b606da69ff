"""user functions of the Non-Agent API (``vd.users``): method name = VICIdial function name.

Table answers (``agent_campaigns``, ``user_details``) are asked for as ``stage="tab"`` with
``header=True`` unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from ..errors import APIError
from ..models._outcome import lines_of, notice
from ..models._rows import rows_of_table
from ..models._table import TableResult
from ..models.users import (
    AddUserResult,
    AgentCampaignsRow,
    AgentIngroupInfo,
    CopyUserResult,
    UpdateRemoteAgentResult,
    UpdateUserResult,
    UserDetailsRow,
)
from ..protocol.other import Picker, TextAnswer
from ..protocol.params import build_form, check_blank
from ._base import EndpointGroup, wire_params
from ._guards import ID_CHARS, Stage, check_chars, check_items, flag01, refuse

__all__ = ["Users"]

_NAME_CHARS = r"A-Za-z0-9 \-+.:/@_"
_NAME_WHAT = "letters, digits, space and - + . : / @ _"
_ALNUM = "A-Za-z0-9"
Flag = bool | Literal["0", "1"]
"""A 0/1 switch: ``True``/``False`` or the wire text."""


def _check_account_fields(fn: str, form: dict[str, str], *, blank: bool = False) -> None:
    check_chars(fn, form, "agent_pass", ID_CHARS, "letters, digits, - and _")
    check_chars(fn, form, "agent_full_name", _NAME_CHARS, _NAME_WHAT, blank=blank)
    check_chars(fn, form, "phone_login", ID_CHARS, "letters, digits, - and _", blank=blank)
    check_chars(fn, form, "phone_pass", ID_CHARS, "letters, digits, - and _", blank=blank)
    check_chars(fn, form, "voicemail_id", _ALNUM, "letters and digits")
    check_items(fn, form, "in_groups", "|", f"[{ID_CHARS}]+", "an in-group id")


class Users(EndpointGroup):
    """User functions: ``vd.users.user_details(...)``, ``vd.users.add_user(...)`` ..."""

    async def agent_ingroup_info(
        self,
        *,
        agent_user: str,
        stage: Literal["info", "change", "text"] = "text",
        timeout: float | None = None,
    ) -> AgentIngroupInfo:
        """A logged-in agent's selected in-groups and outbound-autodial (blended) state (VICIdial
        ``agent_ingroup_info``).

        Needs user_level >= 7 and vdc_agent_api_access, and the agent in the API user's viewable
        user groups; the ``change`` form also needs change_agent_campaign (its "set as default"
        control modify_users). ``stage="text"`` (the default here) asks for plain lines;
        ``info`` and ``change`` return an HTML fragment meant for a browser, kept in ``html``
        and parsed the same way. An agent that is unknown, not visible or not logged in raises
        :class:`~vicidial_async.InvalidParameterError` with ``sent=True`` (the server answers
        INVALID USER ID for all three).
        """
        params = wire_params(locals())
        answer: Picker | TextAnswer = await self._call("agent_ingroup_info", params, timeout=timeout)
        return AgentIngroupInfo.from_text(answer.raw, agent_user)

    async def agent_campaigns(
        self,
        *,
        agent_user: str,
        campaign_id: str | None = None,
        ignore_agentdirect: bool | None = None,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[AgentCampaignsRow]:
        """The active campaigns and in-groups an agent may use (VICIdial ``agent_campaigns``).

        Needs user_level >= 8, view_reports, vdc_agent_api_access and modify_users, and the agent
        in the API user's viewable groups. ``campaign_id`` limits the answer to one campaign;
        ``ignore_agentdirect=True`` leaves out in-groups whose id starts with AGENTDIRECT.
        An agent without campaigns raises :class:`~vicidial_async.NotFoundError`.
        """
        params = wire_params(locals())
        table = await self._call("agent_campaigns", params, timeout=timeout)
        return rows_of_table(AgentCampaignsRow, table)

    async def user_details(
        self,
        *,
        agent_user: str,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[UserDetailsRow]:
        """Full name, user group, level and active flag of one user (VICIdial ``user_details``).

        Needs user_level >= 7, view_reports and vdc_agent_api_access, and the user in the API
        user's viewable groups (otherwise :class:`~vicidial_async.NotFoundError`).
        """
        params = wire_params(locals())
        table = await self._call("user_details", params, timeout=timeout)
        return rows_of_table(UserDetailsRow, table, free_text="full_name", stage=stage)

    async def add_user(
        self,
        *,
        agent_user: str,
        agent_pass: str,
        agent_user_level: int,
        agent_full_name: str,
        agent_user_group: str,
        phone_login: str | None = None,
        phone_pass: str | None = None,
        hotkeys_active: Flag | None = None,
        voicemail_id: str | None = None,
        email: str | None = None,
        custom_one: str | None = None,
        custom_two: str | None = None,
        custom_three: str | None = None,
        custom_four: str | None = None,
        custom_five: str | None = None,
        wrapup_seconds_override: int | None = None,
        agent_choose_ingroups: Flag | None = None,
        agent_choose_blended: Flag | None = None,
        closer_default_blended: Flag | None = None,
        in_groups: str | Sequence[str] | None = None,
        timeout: float | None = None,
    ) -> AddUserResult:
        """Create a user account (VICIdial ``add_user``).

        Needs user_level >= 8, modify_users and vdc_agent_api_access; the new level must be below
        the API user's own (level 9 may create level 9 with modify_same_user_level), and the
        group must exist and be visible to it. An ``agent_user`` containing ``AUTOGENERA`` (e.g.
        ``"AUTOGENERATED"``) lets the server pick the next free numeric id: the result says which.
        ``in_groups`` become the user's selected in-groups. Ids, passwords and phone logins keep
        only letters, digits, ``-`` and ``_`` on the server and the full name letters, digits,
        space and ``- + . : / @ _``: other characters are refused here.

        Not resent after a lost answer (a second call would fail with ALREADY EXISTS, or create a
        second auto-numbered user).
        """
        params = wire_params(locals())
        for name in ("hotkeys_active", "agent_choose_ingroups", "agent_choose_blended",
                     "closer_default_blended"):
            params[name] = flag01(params[name])
        form = build_form(self._spec("add_user"), params)
        check_blank(self._spec("add_user"), form, ())
        _check_account_fields("add_user", form)
        answer = await self._call("add_user", params, timeout=timeout, form=form)
        return AddUserResult.from_answer(answer)

    async def copy_user(
        self,
        *,
        agent_user: str,
        agent_pass: str,
        agent_full_name: str,
        source_user: str,
        timeout: float | None = None,
    ) -> CopyUserResult:
        """Create a user with every setting, campaign rank and in-group rank of ``source_user``
        (VICIdial ``copy_user``).

        Needs user_level >= 8, modify_users and vdc_agent_api_access, with the same level rules
        as :meth:`add_user` (compared with the source user's level). The server does not check
        that ``source_user`` exists: a missing one ends in "USER GROUP DOES NOT EXIST"
        (:class:`~vicidial_async.NotFoundError`). ``AUTOGENERA`` in ``agent_user`` lets the
        server pick the id.
        """
        params = wire_params(locals())
        form = build_form(self._spec("copy_user"), params)
        check_blank(self._spec("copy_user"), form, ())
        _check_account_fields("copy_user", form)
        answer = await self._call("copy_user", params, timeout=timeout, form=form)
        return CopyUserResult.from_answer(answer)

    async def update_user(
        self,
        *,
        agent_user: str,
        delete_user: bool | None = None,
        agent_pass: str | None = None,
        agent_user_level: int | None = None,
        agent_full_name: str | None = None,
        agent_user_group: str | None = None,
        phone_login: str | None = None,
        phone_pass: str | None = None,
        hotkeys_active: Flag | None = None,
        voicemail_id: str | None = None,
        email: str | None = None,
        custom_one: str | None = None,
        custom_two: str | None = None,
        custom_three: str | None = None,
        custom_four: str | None = None,
        custom_five: str | None = None,
        active: bool | None = None,
        wrapup_seconds_override: int | None = None,
        campaign_rank: int | None = None,
        campaign_grade: int | None = None,
        camp_rg_only: Flag | None = None,
        campaign_id: str | None = None,
        ingroup_rank: int | None = None,
        ingroup_grade: int | None = None,
        ingrp_rg_only: Flag | None = None,
        group_id: str | None = None,
        reset_password: int | None = None,
        timeout: float | None = None,
    ) -> UpdateUserResult:
        """Change a user's settings, its campaign / in-group ranks and grades, reset its
        password by email, or delete it (VICIdial ``update_user``).

        Needs user_level >= 8, modify_users and vdc_agent_api_access; the user must be below the
        API user's level (or equal with modify_same_user_level) and in a visible group;
        ``delete_user=True`` also needs delete_users and takes no other setting.

        ``campaign_rank``/``campaign_grade`` are written on every campaign, or only on
        ``campaign_id`` with ``camp_rg_only=True`` (same for the in-group ones with ``group_id``
        and ``ingrp_rg_only``). ``reset_password=N`` (N >= 8) emails a random N-character password
        to the user's email and forces a change at next login (a new one on every call).
        ``agent_full_name``, ``phone_login``, ``phone_pass``, ``email`` and the ``custom_*``
        fields can be emptied with ``"--BLANK--"`` (``voicemail_id`` cannot: the server would
        store ``BLANK``).
        """
        params = wire_params(locals())
        fn = "update_user"
        for name in ("hotkeys_active", "camp_rg_only", "ingrp_rg_only"):
            params[name] = flag01(params[name])
        spec = self._spec(fn)
        form = build_form(spec, params)
        changes = [k for k in form if k not in ("agent_user", "delete_user")]
        if delete_user and changes:
            raise refuse(fn, changes[0], "cannot be combined with delete_user (the server deletes "
                                         "and ignores the rest)")
        if not delete_user and not changes:
            raise refuse(fn, "agent_user", "nothing to update")
        reset = form.get("reset_password", "")
        if reset.isdigit() and 0 < int(reset) < 8:
            raise refuse(fn, "reset_password", "must be 0 or at least 8 (the server ignores "
                                               "shorter lengths)")
        if camp_rg_only in (True, "1") and not campaign_id:
            raise refuse(fn, "campaign_id", "is needed with camp_rg_only")
        if ingrp_rg_only in (True, "1") and not group_id:
            raise refuse(fn, "group_id", "is needed with ingrp_rg_only")
        check_blank(spec, form, ("agent_full_name", "phone_login", "phone_pass", "email",
                                 "custom_one", "custom_two", "custom_three", "custom_four",
                                 "custom_five"))
        _check_account_fields(fn, form, blank=True)
        try:
            answer = await self._call(fn, params, timeout=timeout, form=form)
        except APIError as exc:
            if exc.reason == "update_user NO UPDATES DEFINED":
                notices = tuple(x for x in lines_of(spec, exc.raw) if x.tag == "NOTICE")
                if notices:
                    return UpdateUserResult.from_lines(None, notices, exc.raw, agent_user)
            raise
        ok = answer.success[0] if answer.success else None
        return UpdateUserResult.from_lines(ok, answer.notices, answer.raw, agent_user)

    async def update_remote_agent(
        self,
        *,
        agent_user: str,
        status: Literal["ACTIVE", "INACTIVE"] | None = None,
        campaign_id: str | None = None,
        number_of_lines: int | None = None,
        timeout: float | None = None,
    ) -> UpdateRemoteAgentResult:
        """Change the status, campaign or line count of a remote agent entry (VICIdial
        ``update_remote_agent``; ``agent_user`` is the entry's user_start).

        Needs user_level >= 8, modify_remoteagents and vdc_agent_api_access; the entry's user
        must be below the API user's level and in a visible group. Setting the status it already
        has changes nothing: the result's ``already`` says so.
        """
        params = wire_params(locals())
        fn = "update_remote_agent"
        if status is None and campaign_id is None and number_of_lines is None:
            raise refuse(fn, "status", "nothing to update")
        spec = self._spec(fn)
        check_blank(spec, build_form(spec, params), ())
        extra: dict[str, Any] = {}
        try:
            answer = await self._call(fn, params, timeout=timeout)
        except APIError as exc:
            notices = tuple(x for x in lines_of(spec, exc.raw) if x.tag == "NOTICE")
            already = notice(notices, "ALREADY")
            if exc.reason == f"{fn} NO UPDATES DEFINED" and already is not None:
                return UpdateRemoteAgentResult(agent_user, False, already=already.get("status"),
                                               notices=notices, raw=exc.raw)
            raise
        ok = answer.success[0] if answer.success else None
        already = notice(answer, "ALREADY")
        extra["already"] = already.get("status") if already is not None else ""
        return UpdateRemoteAgentResult((ok.get("agent_user") if ok else "") or agent_user,
                                       ok is not None, notices=answer.notices, raw=answer.raw,
                                       **extra)

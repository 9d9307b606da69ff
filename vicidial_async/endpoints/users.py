"""user functions of the Non-Agent API (``vd.users``): method name = VICIdial function name.

Table answers (``agent_campaigns``, ``user_details``) are asked for as ``stage="tab"`` with
``header=True`` unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

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
from ..operations.users import (
    ADD_USER,
    AGENT_CAMPAIGNS,
    AGENT_INGROUP_INFO,
    COPY_USER,
    UPDATE_REMOTE_AGENT,
    UPDATE_USER,
    USER_DETAILS,
)
from ._base import EndpointGroup, Stage

__all__ = ["Users"]

Flag = bool | Literal["0", "1"]
"""A 0/1 switch: ``True``/``False`` or the wire text."""


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
        return await self._run(AGENT_INGROUP_INFO, {
            "agent_user": agent_user, "stage": stage}, timeout=timeout)

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
        return await self._run(AGENT_CAMPAIGNS, {
            "agent_user": agent_user, "campaign_id": campaign_id, "ignore_agentdirect": ignore_agentdirect,
            "stage": stage, "header": header}, timeout=timeout)

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
        return await self._run(USER_DETAILS, {
            "agent_user": agent_user, "stage": stage, "header": header}, timeout=timeout)

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
        return await self._run(ADD_USER, {
            "agent_user": agent_user, "agent_pass": agent_pass, "agent_user_level": agent_user_level,
            "agent_full_name": agent_full_name, "agent_user_group": agent_user_group,
            "phone_login": phone_login, "phone_pass": phone_pass, "hotkeys_active": hotkeys_active,
            "voicemail_id": voicemail_id, "email": email, "custom_one": custom_one, "custom_two": custom_two,
            "custom_three": custom_three, "custom_four": custom_four, "custom_five": custom_five,
            "wrapup_seconds_override": wrapup_seconds_override,
            "agent_choose_ingroups": agent_choose_ingroups, "agent_choose_blended": agent_choose_blended,
            "closer_default_blended": closer_default_blended, "in_groups": in_groups}, timeout=timeout)

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
        return await self._run(COPY_USER, {
            "agent_user": agent_user, "agent_pass": agent_pass, "agent_full_name": agent_full_name,
            "source_user": source_user}, timeout=timeout)

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
        return await self._run(UPDATE_USER, {
            "agent_user": agent_user, "delete_user": delete_user, "agent_pass": agent_pass,
            "agent_user_level": agent_user_level, "agent_full_name": agent_full_name,
            "agent_user_group": agent_user_group, "phone_login": phone_login, "phone_pass": phone_pass,
            "hotkeys_active": hotkeys_active, "voicemail_id": voicemail_id, "email": email,
            "custom_one": custom_one, "custom_two": custom_two, "custom_three": custom_three,
            "custom_four": custom_four, "custom_five": custom_five, "active": active,
            "wrapup_seconds_override": wrapup_seconds_override, "campaign_rank": campaign_rank,
            "campaign_grade": campaign_grade, "camp_rg_only": camp_rg_only, "campaign_id": campaign_id,
            "ingroup_rank": ingroup_rank, "ingroup_grade": ingroup_grade, "ingrp_rg_only": ingrp_rg_only,
            "group_id": group_id, "reset_password": reset_password}, timeout=timeout)

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
        return await self._run(UPDATE_REMOTE_AGENT, {
            "agent_user": agent_user, "status": status, "campaign_id": campaign_id,
            "number_of_lines": number_of_lines}, timeout=timeout)

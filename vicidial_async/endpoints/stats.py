"""stats functions of the Non-Agent API (``vd.stats``): method name = VICIdial function name.

Table answers: unless told otherwise these methods ask for ``stage="tab"`` with ``header=True``.
Tabs are the delimiter least likely to occur inside a value (names and campaign names may hold
``|`` or ``,``, and the server never escapes them), and the header row makes the answer name its
own columns, so optional columns (``show_sub_status``, ``include_ip``, ``detail``,
``group_by_campaign``) always land in the right fields. Pass ``stage``/``header`` to change that;
the result is decoded the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from ..models._table import TableResult
from ..models.stats import (
    AgentStatsRow,
    AgentStatusRow,
    CallDispoReport,
    CallidInfoRow,
    CallStatusStatsRow,
    InGroupStatusRow,
    LoggedInAgentRow,
    PhoneNumberLogRow,
    UserGroupStatusRow,
)
from ..operations import stats as ops
from ._base import EndpointGroup, Stage

__all__ = ["Stats"]

Ids = str | Sequence[str]
"""One id, or several (joined with the function's separator)."""


class Stats(EndpointGroup):
    """Real-time and report functions: ``vd.stats.logged_in_agents()``, ``vd.stats.agent_status(...)``.

    Every method here is a read: the client may resend it after a lost answer.
    """

    async def logged_in_agents(
        self,
        *,
        campaigns: Ids | None = None,
        user_groups: Ids | None = None,
        show_sub_status: bool | None = None,
        stage: Stage = "tab",
        header: bool = True,
        time_format: str | None = None,
        timeout: float | None = None,
    ) -> TableResult[LoggedInAgentRow]:
        """Agents logged in now: campaign, session, status, lead and calls today (VICIdial
        ``logged_in_agents``).

        Needs an API user with user_level >= 7, view_reports and vdc_agent_api_access; the rows
        are limited to the campaigns and user groups that user may see. ``campaigns`` and
        ``user_groups`` narrow the list; ``show_sub_status=True`` adds ``pause_code`` and
        ``sub_status`` (costs the server extra log lookups). ``time_format`` is accepted by the
        server but changes nothing.

        Nobody logged in (or nobody matching) is answered with an error by the server and raises
        :class:`~vicidial_async.NotLoggedInError`.

        >>> agents = await vd.stats.logged_in_agents(show_sub_status=True)   # doctest: +SKIP
        >>> [(a.user, a.status, a.sub_status) for a in agents]                # doctest: +SKIP
        [('agent001', 'PAUSED', 'DISPO')]
        """
        return await self._run(ops.LOGGED_IN_AGENTS, {
            "campaigns": campaigns, "user_groups": user_groups, "show_sub_status": show_sub_status,
            "stage": stage, "header": header, "time_format": time_format}, timeout=timeout)

    async def agent_status(
        self,
        *,
        agent_user: str,
        include_ip: bool | None = None,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[AgentStatusRow]:
        """Live status of one logged-in agent (VICIdial ``agent_status``): one row.

        Needs user_level >= 7, view_reports and vdc_agent_api_access, and the agent in one of the
        API user's viewable user groups. ``include_ip=True`` adds ``computer_ip`` (empty when the
        server finds no login event for it). An unknown agent raises
        :class:`~vicidial_async.NotFoundError`, one not logged in
        :class:`~vicidial_async.NotLoggedInError`.
        """
        return await self._run(ops.AGENT_STATUS, {
            "agent_user": agent_user, "include_ip": include_ip, "stage": stage,
            "header": header}, timeout=timeout)

    async def user_group_status(
        self,
        *,
        user_groups: Ids,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[UserGroupStatusRow]:
        """Agent counts of one or more user groups right now (VICIdial ``user_group_status``).

        Always one row, zeros for a group with nobody logged in (an unknown group too). Its
        ``calls_waiting`` counts every live call the API user may see, not only the groups'.
        Needs user_level >= 7, view_reports and vdc_agent_api_access.
        """
        return await self._run(ops.USER_GROUP_STATUS, {
            "user_groups": user_groups, "stage": stage, "header": header}, timeout=timeout)

    async def in_group_status(
        self,
        *,
        in_groups: Ids,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[InGroupStatusRow]:
        """Calls queued and agents available for one or more in-groups (VICIdial
        ``in_group_status``): one row.

        Agent counts cover logged-in agents with any of the in-groups selected. Needs
        user_level >= 7, view_reports and vdc_agent_api_access.
        """
        return await self._run(ops.IN_GROUP_STATUS, {
            "in_groups": in_groups, "stage": stage, "header": header}, timeout=timeout)

    async def agent_stats_export(
        self,
        *,
        datetime_start: dt.datetime | str,
        datetime_end: dt.datetime | str,
        agent_user: str | None = None,
        campaign_id: str | None = None,
        time_format: Literal["HF", "H", "M", "S"] | None = None,
        group_by_campaign: bool | None = None,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[AgentStatsRow]:
        """Per-agent activity totals over a time window (VICIdial ``agent_stats_export``).

        Needs user_level >= 7, view_reports and vdc_agent_api_access. ``group_by_campaign=True``
        gives one row per agent and campaign, with ``campaign_id`` filled. Durations come back as
        seconds whatever ``time_format`` says (it only changes the wire text). A window without
        activity raises :class:`~vicidial_async.NotFoundError`. The server may scan millions of
        log rows: the call gets the client's long report timeout.
        """
        return await self._run(ops.AGENT_STATS_EXPORT, {
            "datetime_start": datetime_start, "datetime_end": datetime_end, "agent_user": agent_user,
            "campaign_id": campaign_id, "time_format": time_format, "group_by_campaign": group_by_campaign,
            "stage": stage, "header": header}, timeout=timeout)

    async def phone_number_log(
        self,
        *,
        phone_number: str | Sequence[str],
        detail: Literal["ALL", "LAST"] | None = None,
        type: Literal["OUT", "IN", "ALL"] | None = None,
        archived_lead: bool | None = None,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[PhoneNumberLogRow]:
        """Calls placed to (``type="OUT"``, the default), from (``"IN"``) or both ways for one or
        more phone numbers (VICIdial ``phone_number_log``).

        Needs user_level >= 7, view_reports and vdc_agent_api_access. ``detail="LAST"`` keeps only
        the newest call per number and log; ``archived_lead=True`` reads the lead columns from the
        archive. Numbers are digits only and at least 4 long (the server silently drops shorter
        ones, so they are refused here). No call found is not an error: the result is empty and
        carries the server's NOTICE in ``notices``.
        """
        return await self._run(ops.PHONE_NUMBER_LOG, {
            "phone_number": phone_number, "detail": detail, "type": type, "archived_lead": archived_lead,
            "stage": stage, "header": header}, timeout=timeout)

    async def callid_info(
        self,
        *,
        call_id: str,
        detail: bool | None = None,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[CallidInfoRow]:
        """Customer talk time of one call, by its caller code (VICIdial ``callid_info``).

        ``call_id`` starts with Y, J, V, M, DC, S, LP, VH or XL and holds letters and digits only
        (18-39 characters). ``detail=True`` adds the call's date, phone, type, campaign, list,
        status and agent. Needs user_level >= 7, view_reports and vdc_agent_api_access.
        """
        return await self._run(ops.CALLID_INFO, {
            "call_id": call_id, "detail": detail, "stage": stage, "header": header}, timeout=timeout)

    async def call_status_stats(
        self,
        *,
        campaigns: Ids,
        query_date: dt.date | None = None,
        ingroups: Ids | None = None,
        statuses: Ids | None = None,
        query_time: dt.time | str | None = None,
        end_date: dt.date | None = None,
        end_time: dt.time | str | None = None,
        timeout: float | None = None,
    ) -> TableResult[CallStatusStatsRow]:
        """Calls, human-answered calls, hourly and per-status counts for each campaign, then each
        in-group, over a day or a range (VICIdial ``call_status_stats``).

        Needs user_level 9 (the server checks > 8) and view_reports; vdc_agent_api_access is not
        checked. ``campaigns`` may be ``"---ALL---"``; ``ingroups`` defaults to the in-groups of
        those campaigns. ``query_date`` defaults to today on the server; ``query_time``,
        ``end_date`` and ``end_time`` (``HH:MM:SS`` or :class:`datetime.time`) narrow the range.
        Lists are joined with ``-``, so an id holding ``-`` is refused. The answer has no header
        and a fixed layout, so there is no ``stage``.
        """
        return await self._run(ops.CALL_STATUS_STATS, {
            "campaigns": campaigns, "query_date": query_date, "ingroups": ingroups, "statuses": statuses,
            "query_time": query_time, "end_date": end_date, "end_time": end_time}, timeout=timeout)

    async def call_dispo_report(
        self,
        *,
        campaigns: Ids | None = None,
        ingroups: Ids | None = None,
        did_ids: str | None = None,
        did_patterns: str | None = None,
        query_date: dt.date | None = None,
        end_date: dt.date | None = None,
        query_time: dt.time | str | None = None,
        end_time: dt.time | str | None = None,
        statuses: Ids | None = None,
        categories: Ids | None = None,
        users: Ids | None = None,
        user_groups: Ids | None = None,
        status_breakdown: bool | None = None,
        show_percentages: bool | None = None,
        file_download: bool | None = None,
        timeout: float | None = None,
    ) -> CallDispoReport:
        """Total calls per campaign, in-group or DID over a date range, optionally per status
        (VICIdial ``call_dispo_report``).

        One of ``campaigns``, ``ingroups``, ``did_ids`` or ``did_patterns`` is required (each
        accepts its ``---ALL---`` word: ALLCAMPAIGNS, ALLGROUPS, ALLDIDS, ALLPATTERNS). With
        ``ingroups`` the DID options are ignored by the server. The server strips ``-`` from
        ``did_ids``/``did_patterns``, so only one DID id or pattern can be sent. Lists are joined
        with ``-``. ``status_breakdown=True`` adds a count per status, ``show_percentages=True``
        (needs ``status_breakdown``) the share of each. ``file_download`` only changes the HTTP
        content type. Needs user_level 9 and view_reports.

        The answer is always CSV with a header and a closing ``TOTAL`` line; the server writes the
        counts sorted by status code, and :class:`CallDispoReport` matches them to statuses that
        way (the header's own order can differ).
        """
        return await self._run(ops.CALL_DISPO_REPORT, {
            "campaigns": campaigns, "ingroups": ingroups, "did_ids": did_ids, "did_patterns": did_patterns,
            "query_date": query_date, "end_date": end_date, "query_time": query_time, "end_time": end_time,
            "statuses": statuses, "categories": categories, "users": users, "user_groups": user_groups,
            "status_breakdown": status_breakdown, "show_percentages": show_percentages,
            "file_download": file_download}, timeout=timeout)

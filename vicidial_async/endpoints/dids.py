"""DID functions of the Non-Agent API (``vd.dids``): method name = VICIdial function name.

The write functions need an API user with user_level >= 8, modify_inbound_dids and
vdc_agent_api_access; ``did_log_export`` needs user_level >= 7, view_reports and
vdc_agent_api_access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from ..models._table import TableResult
from ..models.dids import CopyDidResult, DidLogRow, DidResult
from ..operations import dids as ops
from ._base import EndpointGroup, Stage

__all__ = ["Dids"]

DidRoute = Literal["EXTEN", "VOICEMAIL", "AGENT", "PHONE", "IN_GROUP", "CALLMENU", "VMAIL_NO_INST"]
class Dids(EndpointGroup):
    """DID functions: ``vd.dids.did_log_export(...)``, ``vd.dids.add_did(...)`` ..."""

    async def did_log_export(
        self,
        *,
        phone_number: str,
        date: dt.date | str,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[DidLogRow]:
        """Inbound calls that arrived on one DID during one day (VICIdial ``did_log_export``;
        at most 100000, by call date).

        ``phone_number`` is the DID number (digits only). Asks for ``stage="tab"`` with a header
        unless told otherwise. A day without calls raises :class:`~vicidial_async.NotFoundError`.
        """
        return await self._run(ops.DID_LOG_EXPORT, {
            "phone_number": phone_number, "date": date, "stage": stage, "header": header}, timeout=timeout)

    async def add_did(
        self,
        *,
        did_pattern: str,
        did_description: str | None = None,
        active: bool | None = None,
        did_route: DidRoute | None = None,
        record_call: Literal["Y", "N", "Y_QUEUESTOP"] | bool | None = None,
        extension: str | None = None,
        exten_context: str | None = None,
        voicemail_ext: str | None = None,
        phone_extension: str | None = None,
        server_ip: str | None = None,
        group: str | None = None,
        menu_id: str | None = None,
        filter_clean_cid_number: str | None = None,
        call_handle_method: str | None = None,
        agent_search_method: Literal["LO", "LB", "SO"] | None = None,
        list_id: int | str | None = None,
        entry_list_id: int | str | None = None,
        campaign_id: str | None = None,
        phone_code: int | str | None = None,
        timeout: float | None = None,
    ) -> DidResult:
        """Create an inbound DID with its routing (VICIdial ``add_did``).

        ``did_pattern`` keeps letters, digits and ``: + * # . _`` (a ``+`` is sent encoded, as the
        server needs). ``did_route`` picks what the other settings mean: EXTEN uses ``extension``
        and ``exten_context``, VOICEMAIL ``voicemail_ext``, PHONE ``phone_extension`` and
        ``server_ip``, IN_GROUP ``group`` with ``call_handle_method``, ``agent_search_method``,
        ``list_id``, ``entry_list_id``, ``campaign_id`` and ``phone_code``, CALLMENU ``menu_id``.
        ``group``, ``menu_id`` and ``server_ip`` must exist. Not resent after a lost answer.
        """
        return await self._run(ops.ADD_DID, {
            "did_pattern": did_pattern, "did_description": did_description, "active": active,
            "did_route": did_route, "record_call": record_call, "extension": extension,
            "exten_context": exten_context, "voicemail_ext": voicemail_ext,
            "phone_extension": phone_extension, "server_ip": server_ip, "group": group, "menu_id": menu_id,
            "filter_clean_cid_number": filter_clean_cid_number, "call_handle_method": call_handle_method,
            "agent_search_method": agent_search_method, "list_id": list_id, "entry_list_id": entry_list_id,
            "campaign_id": campaign_id, "phone_code": phone_code}, timeout=timeout)

    async def copy_did(
        self,
        *,
        source_did_pattern: str,
        new_dids: str | Sequence[str],
        did_description: str | None = None,
        timeout: float | None = None,
    ) -> CopyDidResult:
        """Create DIDs copying every setting of an existing one (VICIdial ``copy_did``).

        The source must be in a user group the API user may see. Each of ``new_dids`` that
        exists already is skipped (listed in ``already_existed``); none added at all raises an
        error whose ``raw`` holds the per-DID notices. ``did_description`` left out copies the
        source's. Not resent after a lost answer.
        """
        return await self._run(ops.COPY_DID, {
            "source_did_pattern": source_did_pattern, "new_dids": new_dids,
            "did_description": did_description}, timeout=timeout)

    async def update_did(
        self,
        *,
        did_pattern: str,
        delete_did: bool | None = None,
        did_description: str | None = None,
        active: bool | None = None,
        did_route: DidRoute | None = None,
        record_call: Literal["Y", "N", "Y_QUEUESTOP"] | bool | None = None,
        extension: str | None = None,
        exten_context: str | None = None,
        voicemail_ext: str | None = None,
        phone_extension: str | None = None,
        server_ip: str | None = None,
        group: str | None = None,
        menu_id: str | None = None,
        filter_clean_cid_number: str | None = None,
        call_handle_method: str | None = None,
        agent_search_method: Literal["LO", "LB", "SO"] | None = None,
        list_id: int | str | None = None,
        entry_list_id: int | str | None = None,
        campaign_id: str | None = None,
        phone_code: int | str | None = None,
        timeout: float | None = None,
    ) -> DidResult:
        """Change the routing of an inbound DID, or delete it (VICIdial ``update_did``).

        The DID must be in a user group the API user may see; ``delete_did=True`` also needs
        delete_inbound_dids and takes no other setting. The settings mean what they mean for
        :meth:`add_did`. Nothing to change gives ``action="unchanged"``.
        """
        return await self._run(ops.UPDATE_DID, {
            "did_pattern": did_pattern, "delete_did": delete_did, "did_description": did_description,
            "active": active, "did_route": did_route, "record_call": record_call, "extension": extension,
            "exten_context": exten_context, "voicemail_ext": voicemail_ext,
            "phone_extension": phone_extension, "server_ip": server_ip, "group": group, "menu_id": menu_id,
            "filter_clean_cid_number": filter_clean_cid_number, "call_handle_method": call_handle_method,
            "agent_search_method": agent_search_method, "list_id": list_id, "entry_list_id": entry_list_id,
            "campaign_id": campaign_id, "phone_code": phone_code}, timeout=timeout)

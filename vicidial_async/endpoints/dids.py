"""DID functions of the Non-Agent API (``vd.dids``): method name = VICIdial function name.

The write functions need an API user with user_level >= 8, modify_inbound_dids and
vdc_agent_api_access; ``did_log_export`` needs user_level >= 7, view_reports and
vdc_agent_api_access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from ..models._rows import rows_of_table
from ..models._table import TableResult
from ..models.dids import CopyDidResult, DidLogRow, DidResult
from ..protocol.params import build_form, check_blank
from ._base import EndpointGroup, wire_params
from ._guards import ID_CHARS, Stage, check_chars, check_items, refuse

__all__ = ["Dids"]

DidRoute = Literal["EXTEN", "VOICEMAIL", "AGENT", "PHONE", "IN_GROUP", "CALLMENU", "VMAIL_NO_INST"]
_PATTERN_CHARS = r"A-Za-z0-9:+*#._"
_PATTERN_WHAT = "letters, digits and : + * # . _"


def _check_did_fields(fn: str, form: dict[str, str]) -> None:
    check_chars(fn, form, "did_pattern", _PATTERN_CHARS, _PATTERN_WHAT)
    check_chars(fn, form, "did_description", r"A-Za-z0-9 \-.,_", "letters, digits, space and - . , _")
    check_chars(fn, form, "extension", ID_CHARS, "letters, digits, - and _")
    check_chars(fn, form, "voicemail_ext", "A-Za-z0-9*#._", "letters, digits and * # . _")
    check_chars(fn, form, "phone_extension", ID_CHARS, "letters, digits, - and _")
    check_chars(fn, form, "server_ip", r"A-Za-z0-9.:\-_", "letters, digits and . : - _")


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
        params = wire_params(locals())
        table = await self._call("did_log_export", params, timeout=timeout)
        return rows_of_table(DidLogRow, table)

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
        params = wire_params(locals())
        form = build_form(self._spec("add_did"), params)
        check_blank(self._spec("add_did"), form, ())
        _check_did_fields("add_did", form)
        answer = await self._call("add_did", params, timeout=timeout, form=form)
        return DidResult.from_answer(answer, did_pattern)

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
        params = wire_params(locals())
        fn = "copy_did"
        form = build_form(self._spec(fn), params)
        check_blank(self._spec(fn), form, ())
        check_chars(fn, form, "source_did_pattern", _PATTERN_CHARS, _PATTERN_WHAT)
        check_items(fn, form, "new_dids", ",", f"[{_PATTERN_CHARS}]+", "a DID pattern "
                    f"({_PATTERN_WHAT})")
        check_chars(fn, form, "did_description", r"A-Za-z0-9 \-.,_",
                    "letters, digits, space and - . , _")
        answer = await self._call(fn, params, timeout=timeout, form=form)
        return CopyDidResult.from_answer(answer)

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
        params: dict[str, Any] = wire_params(locals())
        fn = "update_did"
        form = build_form(self._spec(fn), params)
        check_blank(self._spec(fn), form, ())
        changes = [k for k in form if k not in ("did_pattern", "delete_did")]
        if delete_did and changes:
            raise refuse(fn, changes[0], "cannot be combined with delete_did (the server deletes "
                                         "and ignores the rest)")
        _check_did_fields(fn, form)
        answer = await self._call(fn, params, timeout=timeout, form=form)
        return DidResult.from_answer(answer, did_pattern)

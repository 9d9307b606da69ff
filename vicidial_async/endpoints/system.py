"""system functions of the Non-Agent API (``vd.system``): method name = VICIdial function name.

Also home of ``blind_monitor``, the only Non-Agent function of the reference group
``agent_control``. The pickers (``sounds_list``, ``moh_list``, ``vm_list``, ``container_list``,
``callmenu_list``) answer HTML pages meant for the admin screens; they are parsed into typed rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeVar

from ..models._table import TableResult
from ..models.system import (
    BlindMonitorResult,
    CallMenuChoice,
    ContainerChoice,
    MohChoice,
    ServerRefreshResult,
    SoundFile,
    VersionInfo,
    VoicemailChoice,
)
from ..protocol.other import HtmlRow, KeyValues, Picker
from ..protocol.params import build_form
from ._base import EndpointGroup, wire_params
from ._guards import check_chars

__all__ = ["System"]

T = TypeVar("T")
_COMMENTS_CHARS = r"^;#\"+"


def _picked(picker: Picker, make: Callable[[HtmlRow], T], columns: tuple[str, ...]) -> TableResult[T]:
    return TableResult(rows=tuple(make(r) for r in picker.rows), columns=columns, raw=picker.raw)


class System(EndpointGroup):
    """System functions: ``vd.system.version()``, ``vd.system.sounds_list()`` ...; also
    ``vd.system.blind_monitor(...)`` (reference group agent_control)."""

    def _check_comments(self, function: str, params: dict[str, object]) -> None:
        form = build_form(self._spec(function), params)
        check_chars(function, form, "comments", _COMMENTS_CHARS,
                    "characters other than ; # \" and + ('+' would become a space)")

    async def version(self, *, timeout: float | None = None) -> VersionInfo:
        """The API's version and build, the server time and time zone (VICIdial ``version``).

        Needs no permission: the server answers it before checking the login.
        """
        kv: KeyValues = await self._call("version", {}, timeout=timeout)
        return VersionInfo.from_values(kv)

    async def sounds_list(
        self,
        *,
        format: Literal["tab", "link", "selectframe"] = "tab",
        stage: Literal["date", "name", "size"] = "name",
        comments: str | None = None,
        timeout: float | None = None,
    ) -> TableResult[SoundFile]:
        """Audio files of the central audio store (VICIdial ``sounds_list``).

        Needs user_level >= 7 and the sounds_central_control_active system setting (otherwise
        :class:`~vicidial_async.FeatureDisabledError` or the reference's error for it). ``format``
        defaults to ``tab`` here (the server prints nothing without a format); ``stage`` is the
        order: ``name``, ``date`` (newest first) or ``size`` (largest first). ``link`` gives each
        file's URL, ``selectframe`` an HTML picker (``comments`` names its target field). The
        server pauses one second before answering.
        """
        params = wire_params(locals())
        self._check_comments("sounds_list", params)
        picker: Picker = await self._call("sounds_list", params, timeout=timeout)
        return _picked(picker, SoundFile.from_html_row, SoundFile.COLUMNS)

    async def moh_list(
        self, *, comments: str | None = None, timeout: float | None = None,
    ) -> TableResult[MohChoice]:
        """Active music-on-hold classes and their files (VICIdial ``moh_list``, an HTML picker).

        Needs user_level >= 7 and sounds_central_control_active; lists classes of ``---ALL---``
        or of the API user's viewable groups. ``comments`` names the picker's target field.
        """
        params = wire_params(locals())
        self._check_comments("moh_list", params)
        picker: Picker = await self._call("moh_list", params, timeout=timeout)
        return _picked(picker, MohChoice.from_html_row, MohChoice.COLUMNS)

    async def vm_list(
        self, *, comments: str | None = None, timeout: float | None = None,
    ) -> TableResult[VoicemailChoice]:
        """Voicemail boxes, then the voicemail ids of active phones (VICIdial ``vm_list``, an
        HTML picker). Needs user_level >= 7; limited to the API user's viewable groups."""
        params = wire_params(locals())
        self._check_comments("vm_list", params)
        picker: Picker = await self._call("vm_list", params, timeout=timeout)
        return _picked(picker, VoicemailChoice.from_html_row, VoicemailChoice.COLUMNS)

    async def container_list(
        self, *, type: str, comments: str | None = None, timeout: float | None = None,
    ) -> TableResult[ContainerChoice]:
        """Settings containers of one container ``type`` (VICIdial ``container_list``, an HTML
        picker). Needs user_level >= 7; limited to the API user's viewable groups. An unknown type
        gives an empty list."""
        params = wire_params(locals())
        self._check_comments("container_list", params)
        picker: Picker = await self._call("container_list", params, timeout=timeout)
        return _picked(picker, ContainerChoice.from_html_row, ContainerChoice.COLUMNS)

    async def callmenu_list(
        self, *, comments: str | None = None, timeout: float | None = None,
    ) -> TableResult[CallMenuChoice]:
        """Call menus as ``(menu_id, menu_name)`` rows (VICIdial ``callmenu_list``, an HTML
        picker). Needs user_level >= 7 and the function in the API user's allowed functions."""
        params = wire_params(locals())
        picker: Picker = await self._call("callmenu_list", params, timeout=timeout)
        return _picked(picker, CallMenuChoice.from_html_row, CallMenuChoice.COLUMNS)

    async def server_refresh(
        self, *, stage: Literal["REFRESH"] = "REFRESH", timeout: float | None = None,
    ) -> ServerRefreshResult:
        """Ask every telephony server to rebuild its configuration files (VICIdial
        ``server_refresh``).

        Needs user_level >= 8, ast_admin_access and vdc_agent_api_access. Not resent after a lost
        answer.
        """
        params = wire_params(locals())
        answer = await self._call("server_refresh", params, timeout=timeout)
        return ServerRefreshResult.from_answer(answer)

    async def blind_monitor(
        self,
        *,
        phone_login: str,
        session_id: str | int,
        server_ip: str,
        stage: Literal["MONITOR", "BARGE", "BARGESWAP", "WHISPER", "HIJACK"] | None = None,
        timeout: float | None = None,
    ) -> BlindMonitorResult:
        """Ring a manager's phone and join it to an agent's conference to listen (``MONITOR``,
        the server default), talk to both (``BARGE``, ``BARGESWAP``) or to the agent only
        (``WHISPER``, needs the agent_whisper_enabled setting, else it is a plain monitor)
        (VICIdial ``blind_monitor``).

        This is the one Non-Agent function of the reference group ``agent_control``; it lives on
        ``vd.system``. Needs user_level >= 7 and vdc_agent_api_access; ``phone_login`` must be
        an existing phone, ``session_id`` the agent's 7-digit conference on ``server_ip``.
        ``HIJACK`` is accepted but documented as not working. Not resent after a lost answer
        (it would ring the phone again).
        """
        params = wire_params(locals())
        form = build_form(self._spec("blind_monitor"), params)
        check_chars("blind_monitor", form, "server_ip", r"A-Za-z0-9.:\-_",
                    "letters, digits and . : - _")
        answer = await self._call("blind_monitor", params, timeout=timeout, form=form)
        return BlindMonitorResult.from_answer(answer)

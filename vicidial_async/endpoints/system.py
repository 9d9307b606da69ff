"""system functions of the Non-Agent API (``vd.system``): method name = VICIdial function name.

Also home of ``blind_monitor``, the only Non-Agent function of the reference group
``agent_control``. The pickers (``sounds_list``, ``moh_list``, ``vm_list``, ``container_list``,
``callmenu_list``) answer HTML pages meant for the admin screens; they are parsed into typed rows.
"""

from __future__ import annotations

from typing import Literal

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
from ..operations import system as ops
from ._base import EndpointGroup

__all__ = ["System"]

class System(EndpointGroup):
    """System functions: ``vd.system.version()``, ``vd.system.sounds_list()`` ...; also
    ``vd.system.blind_monitor(...)`` (reference group agent_control)."""

    async def version(self, *, timeout: float | None = None) -> VersionInfo:
        """The API's version and build, the server time and time zone (VICIdial ``version``).

        Needs no permission: the server answers it before checking the login.
        """
        return await self._run(ops.VERSION, {}, timeout=timeout)

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
        return await self._run(ops.SOUNDS_LIST, {
            "format": format, "stage": stage, "comments": comments}, timeout=timeout)

    async def moh_list(
        self, *, comments: str | None = None, timeout: float | None = None,
    ) -> TableResult[MohChoice]:
        """Active music-on-hold classes and their files (VICIdial ``moh_list``, an HTML picker).

        Needs user_level >= 7 and sounds_central_control_active; lists classes of ``---ALL---``
        or of the API user's viewable groups. ``comments`` names the picker's target field.
        """
        return await self._run(ops.MOH_LIST, {"comments": comments}, timeout=timeout)

    async def vm_list(
        self, *, comments: str | None = None, timeout: float | None = None,
    ) -> TableResult[VoicemailChoice]:
        """Voicemail boxes, then the voicemail ids of active phones (VICIdial ``vm_list``, an
        HTML picker). Needs user_level >= 7; limited to the API user's viewable groups."""
        return await self._run(ops.VM_LIST, {"comments": comments}, timeout=timeout)

    async def container_list(
        self, *, type: str, comments: str | None = None, timeout: float | None = None,
    ) -> TableResult[ContainerChoice]:
        """Settings containers of one container ``type`` (VICIdial ``container_list``, an HTML
        picker). Needs user_level >= 7; limited to the API user's viewable groups. An unknown type
        gives an empty list."""
        return await self._run(ops.CONTAINER_LIST, {"type": type, "comments": comments}, timeout=timeout)

    async def callmenu_list(
        self, *, comments: str | None = None, timeout: float | None = None,
    ) -> TableResult[CallMenuChoice]:
        """Call menus as ``(menu_id, menu_name)`` rows (VICIdial ``callmenu_list``, an HTML
        picker). Needs user_level >= 7 and the function in the API user's allowed functions."""
        return await self._run(ops.CALLMENU_LIST, {"comments": comments}, timeout=timeout)

    async def server_refresh(
        self, *, stage: Literal["REFRESH"] = "REFRESH", timeout: float | None = None,
    ) -> ServerRefreshResult:
        """Ask every telephony server to rebuild its configuration files (VICIdial
        ``server_refresh``).

        Needs user_level >= 8, ast_admin_access and vdc_agent_api_access. Not resent after a lost
        answer.
        """
        return await self._run(ops.SERVER_REFRESH, {"stage": stage}, timeout=timeout)

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
        return await self._run(ops.BLIND_MONITOR, {
            "phone_login": phone_login, "session_id": session_id, "server_ip": server_ip,
            "stage": stage}, timeout=timeout)

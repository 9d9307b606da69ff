"""phone functions of the Non-Agent API (``vd.phones``): method name = VICIdial function name.

Every function here needs an API user with user_level >= 8, ast_admin_access and
vdc_agent_api_access. Adding or changing a phone flags its server to rebuild its configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..models.phones import GroupAliasResult, PhoneAliasResult, PhoneResult
from ..operations import phones as ops
from ._base import EndpointGroup

__all__ = ["Phones"]

PhoneProtocol = Literal["IAX2", "SIP", "Zap", "EXTERNAL"]
WebPhone = Literal["Y", "N", "Y_API_LAUNCH"]
GMT_OFFSETS: tuple[str, ...] = (
    "12.75", "12.00", "11.00", "10.00", "9.50", "9.00", "8.00", "7.00", "6.50", "6.00", "5.75",
    "5.50", "5.00", "4.50", "4.00", "3.50", "3.00", "2.00", "1.00", "0.00", "-1.00", "-2.00",
    "-3.00", "-3.50", "-4.00", "-5.00", "-6.00", "-7.00", "-8.00", "-9.00", "-10.00", "-11.00",
    "-12.00")
"""The ``local_gmt`` values the server accepts (a number is formatted to one of these)."""

class Phones(EndpointGroup):
    """Phone functions: ``vd.phones.add_phone(...)``, ``vd.phones.update_phone_alias(...)`` ..."""

    async def add_group_alias(
        self,
        *,
        caller_id_number: str,
        group_alias_id: str | None = None,
        group_alias_name: str | None = None,
        caller_id_name: str | None = None,
        active: bool | None = None,
        admin_user_group: str | None = None,
        timeout: float | None = None,
    ) -> GroupAliasResult:
        """Create a group alias: a caller ID number and name agents may choose for outbound
        calls (VICIdial ``add_group_alias``).

        ``caller_id_number`` is 6-20 digits. Left out, ``group_alias_id`` and
        ``group_alias_name`` default to the number on the server; given, they need 2+ characters
        (a shorter one would silently become the number). The id keeps letters, digits and ``_``;
        the names letters, digits, space, ``-`` and ``_`` (``+`` would become a space). Not
        resent after a lost answer.
        """
        return await self._run(ops.ADD_GROUP_ALIAS, {
            "caller_id_number": caller_id_number, "group_alias_id": group_alias_id,
            "group_alias_name": group_alias_name, "caller_id_name": caller_id_name, "active": active,
            "admin_user_group": admin_user_group}, timeout=timeout)

    async def add_phone(
        self,
        *,
        extension: str,
        dialplan_number: str,
        voicemail_id: str,
        phone_login: str,
        phone_pass: str,
        server_ip: str,
        protocol: PhoneProtocol,
        registration_password: str,
        phone_full_name: str,
        local_gmt: float | str,
        outbound_cid: str,
        phone_context: str | None = None,
        email: str | None = None,
        admin_user_group: str | None = None,
        is_webphone: WebPhone | None = None,
        webphone_auto_answer: bool | None = None,
        use_external_server_ip: bool | None = None,
        template_id: str | None = None,
        on_hook_agent: bool | None = None,
        timeout: float | None = None,
    ) -> PhoneResult:
        """Create a phone (extension) on a telephony server (VICIdial ``add_phone``).

        ``local_gmt`` is one of :data:`GMT_OFFSETS` (a number such as ``-5`` is sent as
        ``"-5.00"``). ``server_ip`` must be a known server and ``phone_login`` unused.
        ``template_id`` (2+ characters) must exist; ``"--BLANK--"`` stores it empty. Not resent
        after a lost answer.
        """
        return await self._run(ops.ADD_PHONE, {
            "extension": extension, "dialplan_number": dialplan_number, "voicemail_id": voicemail_id,
            "phone_login": phone_login, "phone_pass": phone_pass, "server_ip": server_ip,
            "protocol": protocol, "registration_password": registration_password,
            "phone_full_name": phone_full_name, "local_gmt": local_gmt, "outbound_cid": outbound_cid,
            "phone_context": phone_context, "email": email, "admin_user_group": admin_user_group,
            "is_webphone": is_webphone, "webphone_auto_answer": webphone_auto_answer,
            "use_external_server_ip": use_external_server_ip, "template_id": template_id,
            "on_hook_agent": on_hook_agent}, timeout=timeout)

    async def update_phone(
        self,
        *,
        extension: str,
        server_ip: str,
        delete_phone: bool | None = None,
        dialplan_number: str | None = None,
        voicemail_id: str | None = None,
        phone_login: str | None = None,
        phone_pass: str | None = None,
        protocol: PhoneProtocol | None = None,
        registration_password: str | None = None,
        phone_full_name: str | None = None,
        local_gmt: float | str | None = None,
        outbound_cid: str | None = None,
        outbound_alt_cid: str | None = None,
        phone_context: str | None = None,
        email: str | None = None,
        admin_user_group: str | None = None,
        active: bool | None = None,
        phone_ring_timeout: int | None = None,
        delete_vm_after_email: bool | None = None,
        is_webphone: WebPhone | None = None,
        webphone_auto_answer: bool | None = None,
        use_external_server_ip: bool | None = None,
        template_id: str | None = None,
        on_hook_agent: bool | None = None,
        timeout: float | None = None,
    ) -> PhoneResult:
        """Change a phone's settings, or delete it (VICIdial ``update_phone``).

        The phone is found by ``extension`` and ``server_ip`` and must be in a user group the API
        user may see; ``delete_phone=True`` also needs ast_delete_phones and takes no other
        setting (a refused delete raises :class:`~vicidial_async.PermissionDeniedError`).
        ``registration_password``, ``phone_full_name``, ``phone_context``, ``email`` and
        ``template_id`` can be emptied with ``"--BLANK--"``; ``voicemail_id`` and
        ``outbound_alt_cid`` cannot (the server would store or refuse ``BLANK``).
        """
        return await self._run(ops.UPDATE_PHONE, {
            "extension": extension, "server_ip": server_ip, "delete_phone": delete_phone,
            "dialplan_number": dialplan_number, "voicemail_id": voicemail_id, "phone_login": phone_login,
            "phone_pass": phone_pass, "protocol": protocol, "registration_password": registration_password,
            "phone_full_name": phone_full_name, "local_gmt": local_gmt, "outbound_cid": outbound_cid,
            "outbound_alt_cid": outbound_alt_cid, "phone_context": phone_context, "email": email,
            "admin_user_group": admin_user_group, "active": active, "phone_ring_timeout": phone_ring_timeout,
            "delete_vm_after_email": delete_vm_after_email, "is_webphone": is_webphone,
            "webphone_auto_answer": webphone_auto_answer, "use_external_server_ip": use_external_server_ip,
            "template_id": template_id, "on_hook_agent": on_hook_agent}, timeout=timeout)

    async def add_phone_alias(
        self,
        *,
        alias_id: str,
        phone_logins: str | Sequence[str],
        alias_name: str,
        timeout: float | None = None,
    ) -> PhoneAliasResult:
        """Create a phone alias grouping several phone logins under one login (VICIdial
        ``add_phone_alias``).

        Every login of ``phone_logins`` must exist. ``alias_name`` keeps letters, digits, space
        and ``- + . : / @ _``. Not resent after a lost answer.
        """
        return await self._run(ops.ADD_PHONE_ALIAS, {
            "alias_id": alias_id, "phone_logins": phone_logins, "alias_name": alias_name}, timeout=timeout)

    async def update_phone_alias(
        self,
        *,
        alias_id: str,
        phone_logins: str | Sequence[str] | None = None,
        alias_name: str | None = None,
        delete_alias: bool | None = None,
        timeout: float | None = None,
    ) -> PhoneAliasResult:
        """Change the name or the logins of a phone alias, or delete it (VICIdial
        ``update_phone_alias``).

        Needs at least one of ``phone_logins``, ``alias_name`` or ``delete_alias``;
        ``delete_alias=True`` also needs ast_delete_phones (a refused delete raises
        :class:`~vicidial_async.PermissionDeniedError`) and takes no other setting.
        """
        return await self._run(ops.UPDATE_PHONE_ALIAS, {
            "alias_id": alias_id, "phone_logins": phone_logins, "alias_name": alias_name,
            "delete_alias": delete_alias}, timeout=timeout)

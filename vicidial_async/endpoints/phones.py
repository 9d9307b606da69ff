"""phone functions of the Non-Agent API (``vd.phones``): method name = VICIdial function name.

Every function here needs an API user with user_level >= 8, ast_admin_access and
vdc_agent_api_access. Adding or changing a phone flags its server to rebuild its configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..errors import PermissionDeniedError
from ..models._outcome import notice
from ..models.phones import GroupAliasResult, PhoneAliasResult, PhoneResult
from ..protocol.lines import StatusAnswer
from ..protocol.params import build_form, check_blank
from ._base import EndpointGroup, wire_params
from ._guards import ID_CHARS, check_chars, check_items, refuse

__all__ = ["Phones"]

PhoneProtocol = Literal["IAX2", "SIP", "Zap", "EXTERNAL"]
WebPhone = Literal["Y", "N", "Y_API_LAUNCH"]
GMT_OFFSETS: tuple[str, ...] = (
    "12.75", "12.00", "11.00", "10.00", "9.50", "9.00", "8.00", "7.00", "6.50", "6.00", "5.75",
    "5.50", "5.00", "4.50", "4.00", "3.50", "3.00", "2.00", "1.00", "0.00", "-1.00", "-2.00",
    "-3.00", "-3.50", "-4.00", "-5.00", "-6.00", "-7.00", "-8.00", "-9.00", "-10.00", "-11.00",
    "-12.00")
"""The ``local_gmt`` values the server accepts (a number is formatted to one of these)."""

_IP_CHARS = r"A-Za-z0-9.:\-_"
_ID_WHAT = "letters, digits, - and _"


def _gmt(value: float | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return f"{value:.2f}"


def _check_phone_fields(fn: str, form: dict[str, str]) -> None:
    check_chars(fn, form, "extension", ID_CHARS, _ID_WHAT)
    check_chars(fn, form, "server_ip", _IP_CHARS, "letters, digits and . : - _")
    check_chars(fn, form, "dialplan_number", "A-Za-z0-9*#", "letters, digits, * and #")
    check_chars(fn, form, "voicemail_id", "A-Za-z0-9", "letters and digits")
    check_chars(fn, form, "phone_full_name", r"A-Za-z0-9 \-+._", "letters, digits, space and - + . _",
                blank=True)


def _raise_notice_refusal(fn: str, answer: StatusAnswer) -> None:
    """The delete-permission message is a NOTICE, but it ends the request: report it as refused."""
    refused = notice(answer, "DOES NOT HAVE PERMISSION TO DELETE")
    if refused is not None and not answer.success:
        raise PermissionDeniedError(fn, refused.reason, refused.data, fields=refused.fields,
                                    line=refused.text, raw=answer.raw)


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
        params = wire_params(locals())
        fn = "add_group_alias"
        form = build_form(self._spec(fn), params)
        check_blank(self._spec(fn), form, ())
        for name in ("group_alias_id", "group_alias_name"):
            if name in form and len(form[name]) < 2:
                raise refuse(fn, name, "needs 2+ characters (the server would use the caller ID "
                                       "number instead)")
        check_chars(fn, form, "group_alias_id", "A-Za-z0-9_", "letters, digits and _")
        for name in ("group_alias_name", "caller_id_name"):
            check_chars(fn, form, name, r"A-Za-z0-9 \-_", "letters, digits, space, - and _ "
                                                         "('+' would become a space)")
        answer = await self._call(fn, params, timeout=timeout, form=form)
        return GroupAliasResult.from_answer(answer)

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
        params = wire_params(locals())
        fn = "add_phone"
        params["local_gmt"] = _gmt(local_gmt)
        spec = self._spec(fn)
        form = build_form(spec, params)
        check_blank(spec, form, ("template_id",))
        _check_phone_fields(fn, form)
        answer = await self._call(fn, params, timeout=timeout, form=form)
        return PhoneResult.from_answer(answer)

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
        params = wire_params(locals())
        fn = "update_phone"
        params["local_gmt"] = _gmt(local_gmt)
        spec = self._spec(fn)
        form = build_form(spec, params)
        changes = [k for k in form if k not in ("extension", "server_ip", "delete_phone")]
        if delete_phone and changes:
            raise refuse(fn, changes[0], "cannot be combined with delete_phone (the server deletes "
                                         "and ignores the rest)")
        check_blank(spec, form, ("registration_password", "phone_full_name", "phone_context",
                                 "email", "template_id"))
        _check_phone_fields(fn, form)
        check_chars(fn, form, "outbound_alt_cid", "0-9", "digits")
        answer = await self._call(fn, params, timeout=timeout, form=form)
        _raise_notice_refusal(fn, answer)
        return PhoneResult.from_answer(answer)

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
        params = wire_params(locals())
        fn = "add_phone_alias"
        form = build_form(self._spec(fn), params)
        check_blank(self._spec(fn), form, ())
        check_items(fn, form, "phone_logins", ",", f"[{ID_CHARS}]+", "a phone login")
        check_chars(fn, form, "alias_name", r"A-Za-z0-9 \-+.:/@_",
                    "letters, digits, space and - + . : / @ _")
        answer = await self._call(fn, params, timeout=timeout, form=form)
        return PhoneAliasResult.from_answer(answer, alias_id)

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
        params = wire_params(locals())
        fn = "update_phone_alias"
        if delete_alias and (phone_logins is not None or alias_name is not None):
            raise refuse(fn, "delete_alias", "cannot be combined with other settings (the server "
                                             "deletes and ignores the rest)")
        if not delete_alias and phone_logins is None and alias_name is None:
            raise refuse(fn, "phone_logins", "needs phone_logins, alias_name or delete_alias")
        form = build_form(self._spec(fn), params)
        check_blank(self._spec(fn), form, ())
        check_items(fn, form, "phone_logins", ",", f"[{ID_CHARS}]+", "a phone login")
        check_chars(fn, form, "alias_name", r"A-Za-z0-9 \-+.:/@_",
                    "letters, digits, space and - + . : / @ _")
        answer = await self._call(fn, params, timeout=timeout, form=form)
        _raise_notice_refusal(fn, answer)
        if not answer.success and notice(answer, "NO UPDATES DEFINED") is not None:
            return PhoneAliasResult("unchanged", alias_id, notices=answer.notices, raw=answer.raw)
        return PhoneAliasResult.from_answer(answer, alias_id)

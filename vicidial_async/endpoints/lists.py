"""List functions of the Non-Agent API (``vd.lists``): method name = VICIdial function name."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from ..errors import APIError, InvalidParameterError
from ..models._table import TableResult, table_result
from ..models.lists import AddListResult, ListCustomFieldsRow, ListInfoRow, UpdateListResult
from ..protocol.lines import error_from_line, parse_line
from ..protocol.params import BLANK, build_form, check_blank
from ..protocol.registry import REGISTRY
from ._base import EndpointGroup, wire_params

__all__ = ["ALL_LISTS", "Lists"]

ALL_LISTS = "---ALL---"
"""``list_custom_fields(list_id=ALL_LISTS)`` reports every list the API user may see."""

TzMethod = Literal["COUNTRY_AND_AREA_CODE", "POSTAL_CODE", "NANPA_PREFIX", "OWNER_TIME_ZONE_CODE"]
ResetTime = str | dt.time
"""A daily reset time: ``"0900"`` or ``datetime.time(9, 0)``."""

# Characters besides ASCII letters and digits the server keeps (it drops the others silently).
_KEPT = {
    "list_name": " -+.:/@?&_",
    "web_form_address": " -%=+.:/@?&_",
    "web_form_address_two": " -%=+.:/@?&_",
    "web_form_address_three": " -%=+.:/@?&_",
    "xferconf_one": "-_",
    "xferconf_two": "-_",
    "xferconf_three": "-_",
    "xferconf_four": "-_",
    "xferconf_five": "-_",
}
_BLANKABLE_ADD = frozenset({"list_description", "web_form_address", "web_form_address_two",
                            "web_form_address_three"})
_BLANKABLE_UPDATE = _BLANKABLE_ADD | frozenset({
    "script", "am_message", "drop_inbound_group", "xferconf_one", "xferconf_two", "xferconf_three",
    "xferconf_four", "xferconf_five", "field_default", "field_options", "field_description",
    "field_help",
})
_HHMM = re.compile(r"([01]\d|2[0-3])[0-5]\d")
_FIELD_LABEL = re.compile(r"[A-Za-z0-9_]+")


def _refuse(function: str, name: str, why: str) -> InvalidParameterError:
    return InvalidParameterError(function, why, parameter=name, sent=False)


def _reset_times(function: str, value: ResetTime | Sequence[ResetTime] | None) -> str | None:
    """``["0900", time(17, 0)]`` -> ``"0900-1700"``; each time must be HHMM."""
    if value is None:
        return None
    items = [value] if isinstance(value, (str, dt.time)) else list(value)
    out: list[str] = []
    for item in items:
        parts = [item.strftime("%H%M")] if isinstance(item, dt.time) else item.split("-")
        for part in parts:
            if not _HHMM.fullmatch(part):
                raise _refuse(function, "reset_time", f"reset times are HHMM (e.g. 0900), got {part!r}")
            out.append(part)
    return "-".join(out)


def _check_text(function: str, form: Mapping[str, str]) -> None:
    for name, kept in _KEPT.items():
        value = form.get(name)
        if not value or value == BLANK:
            continue
        bad = sorted({c for c in value if not ((c.isascii() and c.isalnum()) or c in kept)})
        if bad:
            raise _refuse(function, name, "the server would drop " + " ".join(map(repr, bad)))
        if name.startswith("web_form") and "%3a%2f%2f" in value.lower():
            raise _refuse(function, name, "a URL-encoded address (%3A%2F%2F) is decoded once more by "
                                          "the server, turning spaces into '+': send it decoded")


class Lists(EndpointGroup):
    """List functions: ``vd.lists.add_list(...)``, ``vd.lists.list_info(...)`` ..."""

    async def add_list(
        self,
        *,
        list_id: int | str,
        list_name: str,
        campaign_id: str,
        active: bool | None = None,
        list_description: str | None = None,
        outbound_cid: int | str | None = None,
        script: str | None = None,
        am_message: str | None = None,
        drop_inbound_group: str | None = None,
        web_form_address: str | None = None,
        web_form_address_two: str | None = None,
        web_form_address_three: str | None = None,
        reset_time: ResetTime | Sequence[ResetTime] | None = None,
        tz_method: TzMethod | None = None,
        local_call_time: str | None = None,
        expiration_date: dt.date | str | None = None,
        xferconf_one: str | None = None,
        xferconf_two: str | None = None,
        xferconf_three: str | None = None,
        xferconf_four: str | None = None,
        xferconf_five: str | None = None,
        custom_fields_copy: int | str | None = None,
        custom_copy_method: Literal["APPEND", "UPDATE", "REPLACE"] | None = None,
        use_internal_webserver: bool | None = None,
        timeout: float | None = None,
    ) -> AddListResult:
        """Create a list in a campaign (VICIdial ``add_list``).

        Needs user_level >= 8, modify_lists and vdc_agent_api_access; the campaign must be allowed
        for the user's group; ``custom_fields_copy`` (copy another list's custom field
        definitions, by ``custom_copy_method``) also needs custom_fields_modify. ``list_id`` has
        2-14 digits, ``list_name`` 2-30 characters. ``reset_time`` takes HHMM times (a sequence or
        ``"0900-1700"``); ``local_call_time`` is ``"campaign"`` or a call time id. An existing list
        raises :class:`AlreadyExistsError`; an unknown campaign, script, in-group or call time
        :class:`NotFoundError`. The server does not say whether the custom field copy worked.

        >>> new = await vd.lists.add_list(list_id=1101, list_name="Spring Leads",   # doctest: +SKIP
        ...                               campaign_id="TESTCAMP", active=True)
        """
        reset_time = _reset_times("add_list", reset_time)
        params = wire_params(locals())
        spec = self._spec("add_list")
        form = build_form(spec, params)
        _check_text("add_list", form)
        check_blank(spec, form, _BLANKABLE_ADD)
        answer = await self._call("add_list", params, timeout=timeout, form=form)
        return AddListResult.from_answer(answer)

    async def update_list(
        self,
        *,
        list_id: int | str,
        insert_if_not_found: bool | None = None,
        reset_list: bool | None = None,
        delete_list: bool | None = None,
        delete_leads: bool | None = None,
        archived_lead: bool | None = None,
        list_name: str | None = None,
        list_description: str | None = None,
        campaign_id: str | None = None,
        active: bool | None = None,
        outbound_cid: int | str | None = None,
        script: str | None = None,
        am_message: str | None = None,
        drop_inbound_group: str | None = None,
        web_form_address: str | None = None,
        web_form_address_two: str | None = None,
        web_form_address_three: str | None = None,
        reset_time: ResetTime | Sequence[ResetTime] | None = None,
        tz_method: TzMethod | None = None,
        local_call_time: str | None = None,
        expiration_date: dt.date | str | None = None,
        xferconf_one: str | None = None,
        xferconf_two: str | None = None,
        xferconf_three: str | None = None,
        xferconf_four: str | None = None,
        xferconf_five: str | None = None,
        custom_fields_copy: int | str | None = None,
        custom_copy_method: Literal["APPEND", "UPDATE", "REPLACE"] | None = None,
        custom_fields_add: bool | None = None,
        custom_fields_update: bool | None = None,
        custom_fields_delete: bool | None = None,
        field_label: str | None = None,
        field_name: str | None = None,
        field_size: int | None = None,
        field_type: str | None = None,
        field_rank: int | None = None,
        field_order: int | None = None,
        field_rerank: bool | None = None,
        field_max: int | None = None,
        field_default: str | None = None,
        field_options: str | Sequence[str] | None = None,
        field_duplicate: bool | None = None,
        field_description: str | None = None,
        field_help: str | None = None,
        field_required: bool | None = None,
        multi_position: Literal["HORIZONTAL", "VERTICAL"] | None = None,
        name_position: Literal["TOP", "LEFT"] | None = None,
        field_encrypt: bool | None = None,
        field_show_hide: Literal["DISABLED", "X_OUT_ALL", "LAST_1", "LAST_2", "LAST_3", "LAST_4",
                                 "FIRST_1_LAST_4"] | None = None,
        use_internal_webserver: bool | None = None,
        timeout: float | None = None,
    ) -> UpdateListResult:
        """Change a list, reset or delete it or its leads, manage its custom fields (``update_list``).

        Needs user_level >= 8, modify_lists and vdc_agent_api_access; the list's campaign must be
        allowed. ``delete_list`` needs delete_lists, ``delete_leads`` also modify_leads, custom
        field actions custom_fields_modify; a missing permission comes back as a notice, listed in
        ``result.problems`` (not an exception). ``reset_list`` obeys the list's daily reset limit.

        Settings are named as in add_list (``list_name`` 6-30 characters here); pass :data:`BLANK`
        to empty the description, script, answering-machine message, drop in-group, web form
        addresses or transfer-conf numbers. ``reset_time`` and ``expiration_date`` cannot be sent
        together (the server would drop the reset time).

        Custom field definitions: ``custom_fields_add`` with ``field_label``, ``field_name``,
        ``field_size``, ``field_type`` and ``field_rank`` (plus the optional ``field_*``;
        ``field_options`` takes a sequence of option lines); ``custom_fields_update`` or
        ``custom_fields_delete`` with ``field_label``; ``custom_fields_copy`` copies another list's
        definitions. Each change is reported in ``result.custom_field_commands``.

        ``insert_if_not_found`` creates the list through add_list when it does not exist
        (``result.added_list``; errors are add_list's). An unknown list raises
        :class:`NotFoundError`.
        """
        reset_time = _reset_times("update_list", reset_time)
        if field_options is not None and not isinstance(field_options, str):
            field_options = "\n".join(field_options)
        params = wire_params(locals())
        fn = "update_list"
        spec = self._spec(fn)
        form = build_form(spec, params)
        _check_text(fn, form)
        check_blank(spec, form, _BLANKABLE_UPDATE)
        for name, text in form.items():
            if text == "":
                hint = f"pass {BLANK} to empty it or " if name in _BLANKABLE_UPDATE else "pass "
                raise _refuse(fn, name, f"an empty value leaves the setting unchanged; {hint}None "
                                        "to leave it out")
        if "reset_time" in form and "expiration_date" in form:
            raise _refuse(fn, "reset_time", "the server drops reset_time when expiration_date is "
                                            "sent too: send them in two calls")
        if form.get("field_label") and not _FIELD_LABEL.fullmatch(form["field_label"]):
            raise _refuse(fn, "field_label", "only letters, digits and _ are allowed")
        needs = {"custom_fields_add": ("field_label", "field_name", "field_size", "field_type",
                                       "field_rank"),
                 "custom_fields_update": ("field_label",), "custom_fields_delete": ("field_label",)}
        for flag, required in needs.items():
            if form.get(flag) == "Y":
                for need in required:
                    if not form.get(need):
                        raise _refuse(fn, need, f"{flag} needs {need}")
        custom_actions = {"custom_fields_add", "custom_fields_update", "custom_fields_delete",
                          "custom_fields_copy"}
        if form.get("insert_if_not_found") == "Y" and any(
                form.get(k) and form.get(k) != "N" for k in custom_actions):
            raise _refuse(fn, "insert_if_not_found", "the server never adds the list when a custom "
                                                     "field action is requested too")
        if not set(form) - {"list_id", "archived_lead", "use_internal_webserver"}:
            raise _refuse(fn, "", "nothing to update: name a setting or an action")
        try:
            answer = await self._call(fn, params, timeout=timeout, form=form)
        except APIError as exc:
            # With insert_if_not_found the add_list lines follow: read them as add_list's errors.
            if exc.line.startswith("ERROR: add_list"):
                add_spec = REGISTRY["non_agent", "add_list"]
                line = parse_line(exc.line, add_spec)
                if line is not None:
                    raise error_from_line(add_spec, line, exc.raw) from None
            raise
        return UpdateListResult.from_answer(answer, int(form["list_id"]))

    async def list_info(
        self,
        *,
        list_id: int | str,
        leads_counts: bool | None = None,
        dialable_count: bool | None = None,
        stage: Literal["pipe", "csv", "tab"] | None = None,
        header: bool | None = None,
        archived_lead: bool | None = None,
        timeout: float | None = None,
    ) -> TableResult[ListInfoRow]:
        """Summary of a list (``list_info``): one :class:`ListInfoRow`.

        Needs user_level >= 8, modify_lists and vdc_agent_api_access; the list's campaign must be
        allowed. ``leads_counts`` adds the total and NEW lead counts (of the archive table with
        ``archived_lead``), ``dialable_count`` the number of leads dialable now under the
        campaign's settings. An unknown list raises :class:`NotFoundError`.

        >>> info = (await vd.lists.list_info(list_id=101, leads_counts=True))[0]     # doctest: +SKIP
        >>> info.all_leads_count                                                     # doctest: +SKIP
        35
        """
        params = wire_params(locals())
        answer = await self._call("list_info", params, timeout=timeout)
        return table_result(answer, ListInfoRow.from_row)

    async def list_custom_fields(
        self,
        *,
        list_id: int | str,
        stage: Literal["pipe", "csv", "tab"] | None = None,
        header: bool | None = None,
        custom_order: Literal["table_order", "alpha_up", "alpha_down"] | None = None,
        timeout: float | None = None,
    ) -> TableResult[ListCustomFieldsRow]:
        """The custom field names of a list, or of every list with ``list_id=ALL_LISTS``
        (``list_custom_fields``).

        Needs user_level >= 8, modify_lists and vdc_agent_api_access, and custom fields enabled
        on the system (else :class:`FeatureDisabledError` or an error naming it). ``custom_order``
        sorts the names (alpha_up/alpha_down carry names over between lists: a server bug).
        """
        params = wire_params(locals())
        answer = await self._call("list_custom_fields", params, timeout=timeout)
        return table_result(answer, ListCustomFieldsRow.from_row)

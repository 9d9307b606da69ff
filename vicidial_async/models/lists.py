"""Result models of the list functions (``vd.lists``)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from ..protocol.lines import StatusAnswer, StatusLine
from ..protocol.registry import Facet
from ._outcome import named
from ._parse import opt_int
from ._rows import LineResult, TableRow, parsed, split_list

__all__ = [
    "AddListResult",
    "CustomFieldCommand",
    "ListCustomFieldsRow",
    "ListInfoRow",
    "UpdateListResult",
]


@attrs.frozen(slots=True)
class AddListResult(LineResult):
    """A list created by ``add_list`` (or by ``update_list`` with insert_if_not_found), from the
    ``add_list LIST HAS BEEN ADDED`` line."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "list_id", "list_name", "campaign_id")
    list_id: int | None
    list_name: str
    campaign_id: str
    user: str
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class CustomFieldCommand:
    """One custom-field definition change ``update_list`` passed on to the admin pages.

    ``action`` is add, update, delete or copy; ``ok`` is True when ``command_result`` reports
    success (it is ``NONE`` when the admin page gave no answer).
    """

    action: str
    field_label: str
    command_result: str
    field_type: str = ""
    field_id: str = ""
    copied_from: int | None = None

    @property
    def ok(self) -> bool:
        return self.command_result.startswith("SUCCESS")


_COMMANDS: dict[Facet, str] = {
    "field_add_sent": "add",
    "field_update_sent": "update",
    "field_delete_sent": "delete",
    "fields_copy_sent": "copy",
}
# Facets of the notices that say a requested action did not happen.
_REFUSALS: tuple[Facet, ...] = ("not_done", "delete_refused", "reset_failed")


@attrs.frozen(slots=True)
class UpdateListResult:
    """What ``update_list`` did.

    ``updated`` is True when list settings were changed (the SUCCESS line); ``leads_reset``,
    ``list_deleted`` and ``leads_deleted`` (a row count) report the reset/delete options (``None``
    when not asked for or refused); ``custom_field_commands`` the custom-field definition changes;
    ``added_list`` the list created through insert_if_not_found. ``problems`` lists the notices
    that say a requested action was not carried out (missing permission, missing field, daily
    reset limit ...): check it, the server reports these as notices, not errors.
    """

    list_id: int | None
    updated: bool = False
    no_updates: bool = False
    leads_reset: bool | None = None
    list_deleted: bool | None = None
    leads_deleted: int | None = None
    custom_field_commands: tuple[CustomFieldCommand, ...] = ()
    added_list: AddListResult | None = None
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @property
    def problems(self) -> tuple[StatusLine, ...]:
        """Notices reporting a requested action that was not carried out."""
        return tuple(n for n in self.notices if n.facet in _REFUSALS)

    @classmethod
    def from_answer(cls, answer: StatusAnswer, list_id: int | None = None) -> UpdateListResult:
        updated = False
        added: AddListResult | None = None
        no_updates = False
        leads_reset: bool | None = None
        list_deleted: bool | None = None
        leads_deleted: int | None = None
        commands: list[CustomFieldCommand] = []
        for line in answer.lines:
            if line.tag == "SUCCESS":
                if line.facet == "added":  # add_list's line (insert_if_not_found)
                    added = AddListResult.from_line(line, answer.raw)
                    list_id = added.list_id if added.list_id is not None else list_id
                else:
                    updated = True
                    list_id = opt_int(named(line, ("user", "list_id")).get("list_id")) or list_id
                continue
            if line.facet == "no_updates":
                no_updates = True
            elif line.facet == "reset":
                leads_reset = True
            elif line.facet == "reset_failed":
                leads_reset = False
            elif line.facet == "deleted":
                list_deleted = True
            elif line.facet == "leads_deleted":
                leads_deleted = opt_int(named(line, ("user", "list_id", "affected_rows"))
                                        .get("affected_rows")) or 0
            elif line.facet in _COMMANDS:
                action = _COMMANDS[line.facet]
                names = ("user", "list_id", "field_label", "field_type", "command_result")
                if action == "delete":
                    names = ("user", "list_id", "field_label", "field_id", "command_result")
                elif action == "copy":
                    names = ("user", "list_id", "custom_fields_copy", "custom_copy_method",
                             "command_result")
                f = named(line, names)
                commands.append(CustomFieldCommand(
                    action=action, field_label=f.get("field_label", ""),
                    command_result=f.get("command_result", ""), field_type=f.get("field_type", ""),
                    field_id=f.get("field_id", ""), copied_from=opt_int(f.get("custom_fields_copy"))))
        return cls(list_id=list_id, updated=updated, no_updates=no_updates, leads_reset=leads_reset,
                   list_deleted=list_deleted, leads_deleted=leads_deleted,
                   custom_field_commands=tuple(commands), added_list=added, notices=answer.notices,
                   raw=answer.raw)


@attrs.frozen(slots=True)
class _ListColumns(TableRow):
    """The columns a list's row begins with in list_info and list_custom_fields."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "list_id", "list_name", "campaign_id", "active", "list_changedate", "list_lastcalldate")

    list_id: int | None
    list_name: str
    campaign_id: str
    active: bool | None
    list_changedate: dt.datetime | None
    list_lastcalldate: dt.datetime | None


@attrs.frozen(slots=True)
class ListInfoRow(_ListColumns):
    """The summary row of ``list_info``.

    ``all_leads_count``/``new_leads_count`` are set only with ``leads_counts=True`` and
    ``dialable_count`` only with ``dialable_count=True`` (``None`` otherwise).
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        *_ListColumns.COLUMNS, "expiration_date", "resets_today", "all_leads_count",
        "new_leads_count", "dialable_count")

    expiration_date: dt.date | None
    resets_today: int | None
    all_leads_count: int | None = None
    new_leads_count: int | None = None
    dialable_count: int | None = None
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class ListCustomFieldsRow(_ListColumns):
    """One list of ``list_custom_fields`` and the column names of its custom table.

    ``custom_fields`` is empty when the list has no custom table. With ``custom_order`` alpha_up /
    alpha_down the server does not reset its field list between lists, so later lists may show
    labels of earlier ones.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (*_ListColumns.COLUMNS, "custom_fields_list_space_delimited")

    custom_fields: tuple[str, ...] = parsed(split_list(" "), default=(),
                                           column="custom_fields_list_space_delimited")
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


"""Result models of the campaign functions (``vd.campaigns``).

Table answers become ``TableResult[row model]``; the update functions return a model per answer
shape; ``ingroup_list`` (an HTML picker) becomes ``(group_id, group_name, group_color)`` rows.
Every result keeps the masked answer text in ``raw``.
"""

from __future__ import annotations

import re
from typing import ClassVar

import attrs

from ..errors import DecodeError
from ..protocol.lines import StatusAnswer, StatusLine
from ..protocol.other import Picker
from ._outcome import notice
from ._parse import opt_int
from ._rows import TableRow, parsed, split_list, stripped

__all__ = [
    "AltUrlRow",
    "CampaignRow",
    "CidGroupEntryRow",
    "CidGroupInfo",
    "CidGroupResult",
    "HopperRow",
    "InGroupChoice",
    "PresetResult",
    "PresetRow",
    "AltUrlResult",
    "UpdateCampaignResult",
    "ingroup_choices",
]


@attrs.frozen(slots=True)
class CampaignRow(TableRow):
    """One campaign of ``campaigns_list`` (active or not).

    ``dial_level`` is the campaign's auto_dial_level; ``dial_statuses`` its dialable statuses.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "campaign_id", "campaign_name", "active", "user_group", "dial_method", "dial_level",
        "lead_order", "dial_statuses", "dial_timeout", "dial_prefix", "manual_dial_prefix",
        "three_way_dial_prefix")
    campaign_id: str = ""
    campaign_name: str = ""
    active: bool | None = None
    user_group: str = ""
    dial_method: str = ""
    dial_level: float | None = None
    lead_order: str = ""
    dial_statuses: tuple[str, ...] = parsed(split_list(" "), default=())
    dial_timeout: int | None = None
    dial_prefix: str = ""
    manual_dial_prefix: str = ""
    three_way_dial_prefix: str = ""
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class HopperRow(TableRow):
    """One READY lead of ``hopper_list``, in dialing order.

    ``hopper_order`` is the 0-based position; ``count`` the lead's called count; ``age_days`` whole
    days since the lead was loaded; ``last_call_time`` the server's (translated) text such as
    ``3 HOURS`` or ``NEVER``, with its padding removed.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "hopper_order", "priority", "lead_id", "list_id", "phone_number", "phone_code", "state",
        "status", "count", "gmt_offset", "rank", "alt", "hopper_source", "vendor_lead_code",
        "source_id", "age_days", "last_call_time")
    hopper_order: int | None = None
    priority: int | None = None
    lead_id: int | None = None
    list_id: int | None = None
    phone_number: str = ""
    phone_code: str = ""
    state: str = ""
    status: str = ""
    count: int | None = None
    gmt_offset: float | None = None
    rank: int | None = None
    alt: str = ""
    hopper_source: str = ""
    vendor_lead_code: str = ""
    source_id: str = ""
    age_days: int | None = None
    last_call_time: str = parsed(stripped, default="")
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


def _success(answer: StatusAnswer) -> StatusLine | None:
    return answer.success[0] if answer.success else None


@attrs.frozen(slots=True)
class UpdateCampaignResult:
    """What ``update_campaign`` did.

    ``updated`` is False when nothing was sent to change (the server's NO UPDATES DEFINED
    notice); ``hopper_reset`` is True when ``reset_hopper`` cleared the hopper
    (``hopper_rows_deleted`` is the server's count, which it computes before deleting and may be
    stale).
    """

    campaign_id: str
    updated: bool
    hopper_reset: bool = False
    hopper_rows_deleted: int | None = None
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer, campaign_id: str) -> UpdateCampaignResult:
        """Decode the answer; neither SUCCESS nor NO UPDATES is a :class:`DecodeError`."""
        ok = _success(answer)
        if ok is None and not answer.no_updates:
            raise DecodeError("update_campaign: no SUCCESS line", function="update_campaign",
                              raw=answer.raw)
        reset = notice(answer, "reset")
        return cls(
            campaign_id=(ok.get("campaign_id") if ok else "") or campaign_id,
            updated=ok is not None,
            hopper_reset=reset is not None,
            hopper_rows_deleted=opt_int(reset.get("affected_rows")) if reset else None,
            notices=answer.notices, raw=answer.raw)


@attrs.frozen(slots=True)
class AltUrlRow(TableRow):
    """One alternate URL entry listed by ``update_alt_url`` with ``alt_url_id="LIST"``."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "url_id", "campaign_id", "entry_type", "active", "url_type", "url_rank", "url_statuses",
        "url_description", "url_lists", "url_call_length", "url_address")
    url_id: int | None = None
    campaign_id: str = ""
    entry_type: str = ""
    active: bool | None = None
    url_type: str = ""
    url_rank: int | None = None
    url_statuses: tuple[str, ...] = parsed(split_list(" "), default=())
    url_description: str = ""
    url_lists: tuple[str, ...] = parsed(split_list(" "), default=())
    url_call_length: int | None = None
    url_address: str = ""
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class AltUrlResult:
    """What ``update_alt_url`` did: ``action`` is ``added`` (with ``url_id`` the new entry),
    ``updated``, ``listed`` (with ``rows``; none found is an empty list) or ``unchanged`` (the
    server's NO UPDATES DEFINED notice)."""

    action: str
    url_id: int | None = None
    url_type: str = ""
    entry_type: str = ""
    campaign_id: str = ""
    rows: tuple[AltUrlRow, ...] = ()
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class PresetRow(TableRow):
    """One transfer preset listed by ``update_presets`` with ``action="LIST"``."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "preset_name", "campaign_id", "preset_number", "preset_hide_number", "preset_dtmf")
    preset_name: str = ""
    campaign_id: str = ""
    preset_number: str = ""
    preset_hide_number: bool | None = None
    preset_dtmf: str = ""
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class PresetResult:
    """What ``update_presets`` did: ``action`` is ``added``, ``updated``, ``deleted``,
    ``listed`` (with ``rows``) or ``unchanged`` (NO UPDATES DEFINED).

    ``preset_name`` is the preset the server acted on: when the name sent matches none and the
    campaign has a single preset, the server silently uses that one, and this says so.
    """

    action: str
    preset_name: str = ""
    campaign_id: str = ""
    rows: tuple[PresetRow, ...] = ()
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class CidGroupEntryRow(TableRow):
    """One areacode caller-ID entry of a CID group (``update_cid_group_entry`` stage INFO)."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "entry_number", "areacode", "outbound_cid", "active", "cid_description",
        "call_count_today")
    entry_number: int | None = None
    areacode: str = ""
    outbound_cid: str = ""
    active: bool | None = None
    cid_description: str = ""
    call_count_today: int | None = None
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class CidGroupInfo:
    """The INFO header of a CID group: what was matched and how many entries."""

    cid_group_id: str
    areacode: str
    outbound_cid: str
    entry_count: int | None


@attrs.frozen(slots=True)
class CidGroupResult:
    """What ``update_cid_group_entry`` did.

    ``stage`` is the stage sent; ``count`` the entries inserted, deleted or modified (ADD, DELETE,
    UPDATE); for INFO, ``info`` and ``rows`` hold the entries.
    """

    stage: str
    cid_group_id: str = ""
    areacode: str = ""
    outbound_cid: str = ""
    count: int | None = None
    info: CidGroupInfo | None = None
    rows: tuple[CidGroupEntryRow, ...] = ()
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class InGroupChoice:
    """One active in-group offered by ``ingroup_list``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("group_id", "group_name", "group_color")
    group_id: str
    group_name: str = ""
    group_color: str = ""


_TR = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.IGNORECASE | re.DOTALL)
_CHOOSE = re.compile(r"choose_file\('([^']*)'")
_BGCOLOR = re.compile(r"bgcolor=['\"]?(#?[0-9A-Za-z]+)", re.IGNORECASE)


def ingroup_choices(picker: Picker) -> tuple[InGroupChoice, ...]:
    """The in-groups of an ``ingroup_list`` page (the colour comes from the last cell's bgcolor)."""
    colors: dict[str, str] = {}
    for html_row in _TR.findall(picker.raw):
        pick = _CHOOSE.search(html_row)
        if pick is not None:
            found = _BGCOLOR.findall(html_row)
            colors[pick.group(1).strip()] = found[-1] if found else ""
    out: list[InGroupChoice] = []
    for row in picker.rows:
        # cells: the link text (the id again), the name, the colour cell (no text).
        cells = row.cells[1:] if row.cells and row.cells[0] == row.id else row.cells
        out.append(InGroupChoice(group_id=row.id, group_name=cells[0] if cells else "",
                                 group_color=colors.get(row.id, "")))
    return tuple(out)


"""Result models of the lead functions (``vd.leads``).

Status answers become one model per function; table answers become ``TableResult[row model]``; the
three text answers (``lead_field_info``, ``lead_status_search``, ``check_phone_number``) are parsed
here too. Every result keeps the masked answer text in ``raw``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import ClassVar

import attrs

from ..errors import DecodeError
from ..protocol.lines import StatusAnswer, StatusLine
from ..protocol.registry import Facet
from ..protocol.tables import Table
from ._outcome import named, success_line
from ._parse import opt_datetime, opt_float, opt_int
from ._rows import LineResult, TableRow, int_list, parsed
from ._table import TableResult

__all__ = [
    "CCC_LEAD_INFO_COLUMNS",
    "LEAD_ALL_INFO_COLUMNS",
    "LEAD_STATUS_SEARCH_COLUMNS",
    "AddLeadResult",
    "BatchUpdateLeadResult",
    "CallbackOutcome",
    "CallbackRow",
    "CheckPhoneNumberResult",
    "CustomFieldsOutcome",
    "FoundLead",
    "HopperOutcome",
    "LeadDearchiveResult",
    "LeadFieldInfo",
    "LeadRecord",
    "LeadSearchRow",
    "TimeZoneCheck",
    "UpdateLeadResult",
    "UpdateLogEntryResult",
    "UpdatedLead",
    "parse_lead_records",
]

_LEAD_FIELDS: tuple[str, ...] = (
    "status", "user", "vendor_lead_code", "source_id", "list_id", "gmt_offset_now", "phone_code",
    "phone_number", "title", "first_name", "middle_initial", "last_name", "address1", "address2",
    "address3", "city", "state", "province", "postal_code", "country_code", "gender",
    "date_of_birth", "alt_phone", "email", "security_phrase", "comments", "called_count",
    "last_local_call_time", "rank", "owner",
)
LEAD_ALL_INFO_COLUMNS: tuple[str, ...] = (*_LEAD_FIELDS, "entry_list_id", "lead_id")
"""Columns of ``lead_all_info`` in wire order (custom fields follow when asked for)."""
CCC_LEAD_INFO_COLUMNS: tuple[str, ...] = _LEAD_FIELDS
"""Columns of ``ccc_lead_info`` in wire order."""
LEAD_STATUS_SEARCH_COLUMNS: tuple[str, ...] = ("lead_id", *_LEAD_FIELDS, "entry_list_id")
"""Keys of one ``lead_status_search`` record in wire order (custom fields follow when asked for)."""


# -- add_lead and the notices it shares with update_lead ---------------------------------------


@attrs.frozen(slots=True)
class HopperOutcome:
    """What the hopper options did.

    ``added`` with ``hopper_id`` when the lead went into the hopper; ``removed`` (update_lead's
    remove_from_hopper) with the ``hopper_status`` of the removed entry; otherwise ``reason`` says
    why nothing happened (outside local call time, already in the hopper ...).
    """

    added: bool
    hopper_id: int | None = None
    reason: str = ""
    removed: bool = False
    hopper_status: str = ""
    lead_id: int | None = None


@attrs.frozen(slots=True)
class CustomFieldsOutcome:
    """What happened to the lead's custom field values.

    ``added`` is True when values were stored (added or updated, ``rows`` affected); ``deleted``
    when the lead's custom-table row was removed (delete_cf_data / delete_lead); otherwise
    ``reason`` says why not (custom fields disabled, no custom fields for this list ...).
    """

    added: bool
    reason: str = ""
    deleted: bool = False
    rows: int | None = None
    lead_id: int | None = None


@attrs.frozen(slots=True)
class CallbackOutcome:
    """What the callback options did.

    ``added`` is True when a scheduled callback was created or (update_lead) updated; ``action``
    says which: ``added``, ``updated``, ``deleted`` (callback=REMOVE, with ``deleted_count`` and
    ``archived_count``) or ``refused`` with ``reason`` (campaign or user not valid). With add_lead
    the lead keeps status CBHOLD even when the callback was refused.
    """

    added: bool
    reason: str = ""
    callback_datetime: dt.datetime | None = None
    lead_id: int | None = None
    campaign_id: str = ""
    callback_type: str = ""
    callback_user: str = ""
    callback_status: str = ""
    action: str = "added"
    deleted_count: int | None = None
    archived_count: int | None = None


def _short(reason: str, function: str) -> str:
    return reason.removeprefix(function + " ")


# The facets of the NOTICE lines about the lead's hopper entry, custom fields and callback.
_HOPPER: frozenset[Facet] = frozenset({"hopper_added", "hopper_removed", "hopper_refused"})
_CUSTOM: frozenset[Facet] = frozenset({"custom_added", "custom_updated", "custom_entry_deleted",
                                       "custom_data_deleted", "custom_refused"})
_CALLBACK: frozenset[Facet] = frozenset({"callback_added", "callback_updated", "callback_deleted",
                                         "callback_refused"})


def _hopper(n: StatusLine, function: str) -> HopperOutcome | None:
    lead_id = opt_int(n.get("lead_id"))
    if n.facet == "hopper_added":
        return HopperOutcome(True, opt_int(n.get("hopper_id")), lead_id=lead_id)
    if n.facet == "hopper_removed":
        return HopperOutcome(False, removed=True, hopper_status=n.get("hopper_status"), lead_id=lead_id)
    if n.facet == "hopper_refused":
        return HopperOutcome(False, reason=_short(n.reason, function), hopper_status=n.get("hopper_status"),
                             lead_id=lead_id)
    return None


def _custom(n: StatusLine, function: str) -> CustomFieldsOutcome | None:
    lead_id = opt_int(n.get("lead_id"))
    if n.facet in ("custom_added", "custom_updated"):
        rows = n.get("affected_rows") or n.get("entry_list_id_update_count")
        return CustomFieldsOutcome(True, rows=opt_int(rows), lead_id=lead_id)
    if n.facet == "custom_entry_deleted":
        return CustomFieldsOutcome(False, deleted=True, rows=opt_int(n.get("rows_deleted")),
                                   lead_id=lead_id)
    if n.facet == "custom_data_deleted":
        return CustomFieldsOutcome(False, deleted=True, rows=opt_int(n.get("custom_rows_deleted")),
                                   lead_id=lead_id)
    if n.facet == "custom_refused":
        return CustomFieldsOutcome(False, _short(n.reason, function), lead_id=lead_id)
    return None


def _callback(n: StatusLine, function: str) -> CallbackOutcome | None:
    if n.facet not in _CALLBACK:
        return None
    lead_id = opt_int(n.get("lead_id"))
    if n.facet == "callback_deleted":
        return CallbackOutcome(False, "", action="deleted", lead_id=lead_id,
                               deleted_count=opt_int(n.get("deleted_callbacks")),
                               archived_count=opt_int(n.get("archived_callbacks")))
    ok = n.facet in ("callback_added", "callback_updated")
    return CallbackOutcome(
        ok, "" if ok else _short(n.reason, function), opt_datetime(n.get("callback_datetime")),
        lead_id=lead_id, campaign_id=n.get("campaign_id"), callback_type=n.get("callback_type"),
        callback_user=n.get("callback_user"), callback_status=n.get("callback_status"),
        action=("updated" if n.facet == "callback_updated" else "added") if ok else "refused")


_ADDED_FIELDS = ("phone_number", "list_id", "lead_id", "gmt_offset", "user")


def _added_lead_id(ok: StatusLine, fields: Mapping[str, str], raw: str) -> int:
    lead_id = opt_int(fields.get("lead_id"))
    if lead_id is None:
        function = ok.reason.split(" ", 1)[0]
        raise DecodeError(f"{function}: SUCCESS without a lead_id", function=function, raw=raw)
    return lead_id


def added_ids(answer: StatusAnswer) -> tuple[int, int | None]:
    """``(lead_id, list_id)`` of an ``add_lead`` answer, read as :class:`AddLeadResult` reads
    them (a SUCCESS line without a lead_id is a :class:`DecodeError`), without the rest of it."""
    ok = success_line(answer)
    fields = named(ok, _ADDED_FIELDS)
    return _added_lead_id(ok, fields, answer.raw), opt_int(fields.get("list_id"))


@attrs.frozen(slots=True)
class AddLeadResult:
    """A lead added by ``add_lead`` (or inserted by ``update_lead`` with insert_if_not_found).

    ``recovered`` is True when an attempt that may have reached the server lost its answer and the
    resend (allowed only with ``duplicate_check``) met a duplicate. Usually that duplicate is the lead
    the lost attempt added; it can also be a lead that already existed, if the lost attempt never
    landed. Lead ids grow, so a caller who knows the highest lead id before sending can tell the two
    apart (``BulkLeadLoader`` does: a recovered id at or below its watermark is reported as a duplicate).
    """

    lead_id: int
    list_id: int | None
    phone_number: str
    gmt_offset: float | None
    user: str
    hopper: HopperOutcome | None = None
    custom_fields: CustomFieldsOutcome | None = None
    callback: CallbackOutcome | None = None
    alt_phones_loaded: int | None = None
    nanpa_disabled: bool = False
    """The server has no NANPA prefix data, so nanpa_ac_prefix_check and tz_method NANPA were off."""
    notices: tuple[StatusLine, ...] = ()
    recovered: bool = False
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> AddLeadResult:
        """The added lead of an ``add_lead`` answer."""
        return cls.from_line(success_line(answer), answer.notices, answer.raw, recovered=answer.recovered)

    @classmethod
    def from_line(cls, ok: StatusLine, notices: tuple[StatusLine, ...], raw: str, *,
                  recovered: bool = False) -> AddLeadResult:
        """Build from a ``LEAD HAS BEEN ADDED`` line and the notices that came with it."""
        function = ok.reason.split(" ", 1)[0]
        fields = named(ok, _ADDED_FIELDS)
        lead_id = _added_lead_id(ok, fields, raw)
        hopper = custom = callback = None
        alt_loaded = None
        nanpa = False
        for n in notices:
            if n.facet in _HOPPER:
                hopper = _hopper(n, function)
            elif n.facet in _CUSTOM:
                custom = _custom(n, function)
            elif n.facet in _CALLBACK:
                callback = _callback(n, function)
            elif n.facet == "alt_phones_loaded":
                alt_loaded = opt_int(n.get("alt_phones_inserted") or (n.data[0] if n.data else None))
            elif n.facet == "nanpa_disabled":
                nanpa = True
        return cls(
            lead_id=lead_id,
            list_id=opt_int(fields.get("list_id")),
            phone_number=fields.get("phone_number", ""),
            gmt_offset=opt_float(fields.get("gmt_offset")),
            user=fields.get("user", ""),
            hopper=hopper,
            custom_fields=custom,
            callback=callback,
            alt_phones_loaded=alt_loaded,
            nanpa_disabled=nanpa,
            notices=notices,
            recovered=recovered,
            raw=raw,
        )


# -- update_lead -------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class UpdatedLead:
    """What ``update_lead`` did to one matched lead.

    ``updated`` / ``deleted`` come from the lead's SUCCESS line (absent when only a callback,
    hopper or custom-field option applied); ``affected_rows`` is 0 when the values were already
    stored. ``archived_callbacks`` / ``deleted_callbacks`` count callbacks moved away with a
    deleted lead.
    """

    lead_id: int
    updated: bool = False
    deleted: bool = False
    affected_rows: int | None = None
    archived_callbacks: int | None = None
    deleted_callbacks: int | None = None
    callback: CallbackOutcome | None = None
    custom_fields: CustomFieldsOutcome | None = None


@attrs.frozen(slots=True)
class FoundLead:
    """A lead reported by ``update_lead(no_update=True)``: it matched, nothing was changed."""

    lead_id: int | None
    vendor_lead_code: str
    phone_number: str
    list_id: int | None
    entry_list_id: int | None


@attrs.frozen(slots=True)
class UpdateLeadResult:
    """The answer of ``update_lead``: one :class:`UpdatedLead` per matched lead, in answer order.

    ``found`` lists the matches of a ``no_update`` request; ``not_found`` is True when nothing
    matched (a NOTICE, not an error, with insert_if_not_found or no_update); ``inserted`` is the
    lead added by insert_if_not_found; ``hopper`` is what the hopper options did (first lead only).
    """

    leads: tuple[UpdatedLead, ...] = ()
    found: tuple[FoundLead, ...] = ()
    not_found: bool = False
    inserted: AddLeadResult | None = None
    hopper: HopperOutcome | None = None
    alt_phones_loaded: int | None = None
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @property
    def lead_ids(self) -> tuple[int, ...]:
        """Ids of the leads acted on (matched or inserted)."""
        ids = tuple(x.lead_id for x in self.leads)
        return ids + ((self.inserted.lead_id,) if self.inserted else ())

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> UpdateLeadResult:
        """Group the answer's lines by lead (the server prints them lead after lead)."""
        fn = "update_lead"
        per_lead: dict[int, dict[str, object]] = {}
        found: list[FoundLead] = []
        not_found = False
        inserted_line: StatusLine | None = None
        insert_notices: list[StatusLine] = []
        hopper: HopperOutcome | None = None
        alt_loaded: int | None = None

        def slot(lead_id: int | None) -> dict[str, object] | None:
            if lead_id is None:
                return None
            return per_lead.setdefault(lead_id, {"lead_id": lead_id})

        for line in answer.lines:
            if line.tag == "SUCCESS":
                if line.facet == "added":
                    inserted_line = line
                    continue
                f = named(line, ("user", "lead_id", "affected_rows", "archived_callbacks"))
                s = slot(opt_int(f.get("lead_id")))
                if s is None:
                    continue
                deleted = line.facet == "deleted"
                s["updated"] = not deleted
                s["deleted"] = deleted
                s["affected_rows"] = opt_int(f.get("affected_rows"))
                s["archived_callbacks"] = opt_int(f.get("archived_callbacks"))
                if deleted:
                    s["deleted_callbacks"] = opt_int(f.get("deleted_callbacks"))
                continue
            if line.facet == "leads_found":
                f = named(line, ("user", "lead_id", "vendor_lead_code", "phone_number", "list_id",
                                  "entry_list_id"))
                found.append(FoundLead(opt_int(f.get("lead_id")), f.get("vendor_lead_code", ""),
                                       f.get("phone_number", ""), opt_int(f.get("list_id")),
                                       opt_int(f.get("entry_list_id"))))
            elif line.facet == "nothing_found":
                not_found = True
            elif line.facet in _HOPPER:
                hopper = _hopper(line, fn)
            elif line.facet == "alt_phones_loaded":
                alt_loaded = opt_int(line.get("alt_phones_inserted") or (line.data[0] if line.data else None))
                insert_notices.append(line)
            elif line.facet in _CALLBACK:
                cb = _callback(line, fn)
                s = slot(cb.lead_id if cb else None)
                if s is not None:
                    s["callback"] = cb
            elif line.facet in _CUSTOM:
                cf = _custom(line, fn)
                if inserted_line is not None and line.facet == "custom_added":
                    insert_notices.append(line)
                    continue
                s = slot(cf.lead_id if cf else None)
                if s is not None:
                    s["custom_fields"] = cf
        inserted = None
        if inserted_line is not None:
            inserted = AddLeadResult.from_line(inserted_line, (*insert_notices,), answer.raw)
            if hopper is not None:
                inserted = attrs.evolve(inserted, hopper=hopper)
        leads = tuple(UpdatedLead(**s) for s in per_lead.values())  # type: ignore[arg-type]
        return cls(leads=leads, found=tuple(found), not_found=not_found, inserted=inserted,
                   hopper=hopper, alt_phones_loaded=alt_loaded, notices=answer.notices,
                   raw=answer.raw)


# -- other status functions --------------------------------------------------------------------


@attrs.frozen(slots=True)
class BatchUpdateLeadResult(LineResult):
    """The answer of ``batch_update_lead``.

    ``found_lead_ids`` are the leads that matched (highest id first, at most ``records``);
    ``affected_rows`` counts those whose stored values changed.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "affected_rows", "found_count", "found_lead_ids")
    user: str
    affected_rows: int | None
    found_count: int | None
    found_lead_ids: tuple[int, ...] = parsed(int_list(","), default=())
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class LeadDearchiveResult(LineResult):
    """A lead moved back from the archive: rows inserted into and deleted from the archive."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "lead_id", "insert_count", "delete_count")
    user: str
    lead_id: int | None
    insert_count: int | None
    delete_count: int | None
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class UpdateLogEntryResult(LineResult):
    """A call log row whose status was changed from ``old_status`` to ``status``.

    ``uniqueid`` is the call's uniqueid (for in-groups the closecallid).
    """

    # The API user is printed twice; the template names the second copy user_2.
    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "user_2", "group", "call_id", "status", "old_status",
                                          "uniqueid")
    user: str
    group: str
    call_id: str
    status: str
    old_status: str
    uniqueid: str
    raw: str = attrs.field(default="", repr=False)


# -- tables ------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class LeadRecord(TableRow):
    """One lead as ``lead_all_info``, ``ccc_lead_info`` and ``lead_status_search`` return it.

    Values are parsed (``list_id``, counts and ids as ``int``, ``gmt_offset_now`` as ``float``,
    dates as ``date``/``datetime``; a zero date is ``None``). ``extra`` holds every column the
    reference does not list: the custom field values when ``custom_fields=True`` (keyed by label
    with a header row or in lead_status_search, else ``extra_1`` ...). ``ccc_lead_info`` has no
    ``entry_list_id``/``lead_id`` columns (``None``).
    """

    COLUMNS: ClassVar[tuple[str, ...]] = LEAD_ALL_INFO_COLUMNS

    status: str
    user: str
    vendor_lead_code: str
    source_id: str
    list_id: int | None
    gmt_offset_now: float | None
    phone_code: str
    phone_number: str
    title: str
    first_name: str
    middle_initial: str
    last_name: str
    address1: str
    address2: str
    address3: str
    city: str
    state: str
    province: str
    postal_code: str
    country_code: str
    gender: str
    date_of_birth: dt.date | None
    alt_phone: str
    email: str
    security_phrase: str
    comments: str
    called_count: int | None
    last_local_call_time: dt.datetime | None
    rank: int | None
    owner: str
    entry_list_id: int | None = None
    lead_id: int | None = None
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


def lead_records(table: Table) -> TableResult[LeadRecord]:
    """Lead rows of a lead_all_info / ccc_lead_info table.

    With ``header=YES`` lead_all_info repeats the header row before every lead: those rows are
    skipped (and each one names the columns of the row after it, custom fields included).
    """
    rows: list[LeadRecord] = []
    names = table.columns
    for values in table.rows:
        if len(values) >= 2 and values[0] == "status" and values[1] == "user":
            names = values
            continue
        rows.append(LeadRecord.from_row(dict(zip(names, values, strict=False))))
    return TableResult(tuple(rows), table.columns, table.notices, table.raw)


_RECORD_START = re.compile(r";-+ START OF RECORD (\d+) -+")
_KEY = re.compile(r"([A-Za-z0-9_]+) =>(?: |$)(.*)", re.DOTALL)
_STANDARD = frozenset(LEAD_STATUS_SEARCH_COLUMNS)


def parse_lead_records(text: str) -> list[dict[str, str]]:
    """Records of a ``lead_status_search`` answer, each ``{key: value}`` in wire order.

    Standard values are not escaped, so a comment with a line break spills onto the next lines: a
    line counts as a new key only when it names a standard column not seen yet in the record, or,
    once the last standard column (``entry_list_id``) came, any ``label => value`` (custom fields;
    the server writes their TABs as `` -- `` and line breaks as ``!N``, kept here as sent). Any
    other line continues the previous value.
    """
    records: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    last: str | None = None
    for line in text.split("\n"):
        if _RECORD_START.fullmatch(line.strip()):
            current, last = {}, None
            records.append(current)
            continue
        if current is None:
            if line.strip():
                raise DecodeError("lead_status_search: text before the first record",
                                  function="lead_status_search", raw=text)
            continue
        m = _KEY.fullmatch(line)
        if m is not None and m.group(1) not in current and (
                m.group(1) in _STANDARD or "entry_list_id" in current):
            current[m.group(1)] = m.group(2)
            last = m.group(1)
        elif last is not None:
            current[last] += "\n" + line
        elif line.strip():
            raise DecodeError("lead_status_search: unexpected line in a record",
                              function="lead_status_search", raw=text)
    # The answer ends with a line feed, which reads as an empty continuation of the last value.
    for rec in records:
        for k, v in rec.items():
            rec[k] = v.removesuffix("\n")
    return records


def lead_status_records(text: str) -> TableResult[LeadRecord]:
    """``lead_status_search`` records as lead rows (columns = keys of the first record)."""
    records = parse_lead_records(text)
    columns = tuple(records[0]) if records else LEAD_STATUS_SEARCH_COLUMNS
    return TableResult(tuple(LeadRecord.from_row(r) for r in records), columns, (), text)


@attrs.frozen(slots=True)
class LeadSearchRow(TableRow):
    """One search key of ``lead_search``: how many leads matched and their ids (newest first)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("search_key", "records_found", "lead_ids")

    search_key: str
    records_found: int | None
    lead_ids: tuple[int, ...] = parsed(int_list("-"), default=())
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class CallbackRow(TableRow):
    """One scheduled callback of ``lead_callback_info``.

    ``callback_type`` is ``CURRENT`` or ``ARCHIVE`` (where the row was found); ``recipient`` is
    USERONLY or ANYONE; ``callback_status`` ACTIVE, LIVE or INACTIVE; ``lead_status`` the status
    the lead gets when the callback fires.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "lead_id", "callback_type", "recipient", "callback_status", "lead_status", "callback_date",
        "entry_date", "user", "list_id", "campaign_id", "user_group", "customer_timezone",
        "customer_time", "comments",
    )

    lead_id: int | None
    callback_type: str
    recipient: str
    callback_status: str
    lead_status: str
    callback_date: dt.datetime | None
    entry_date: dt.datetime | None
    user: str
    list_id: int | None
    campaign_id: str
    user_group: str
    customer_timezone: str
    customer_time: dt.datetime | None
    comments: str
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


# -- text answers ------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class LeadFieldInfo:
    """The value of one lead field (``lead_field_info``); empty when the field is empty.

    ``masked`` is True when a custom field value came back with every character replaced by ``X``
    (the API user may not see hidden or encrypted fields).
    """

    lead_id: int
    field_name: str
    value: str
    masked: bool = False
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class TimeZoneCheck:
    """One time-zone method's verdict: is the number dialable now, at which GMT offset.

    A POSTAL or TZCODE lookup that did not run (no usable postal code / owner) reads
    ``dialable=False`` with ``gmt_offset=None``.
    """

    method: str
    dialable: bool
    gmt_offset: float | None


_TZ_METHODS = ("AREACODE", "POSTAL", "TZCODE", "NANPA")


@attrs.frozen(slots=True)
class CheckPhoneNumberResult:
    """The answer of ``check_phone_number``: one :class:`TimeZoneCheck` per requested method.

    ``dialable`` and ``gmt_offset`` are those of the first method in the answer (AREACODE unless
    only other methods were asked for). The phone fields echo what the server used.
    """

    checks: tuple[TimeZoneCheck, ...]
    phone_number: str
    phone_code: str
    postal_code: str
    state: str
    owner: str
    raw: str = attrs.field(default="", repr=False)

    @property
    def dialable(self) -> bool:
        return self.checks[0].dialable

    @property
    def gmt_offset(self) -> float | None:
        return self.checks[0].gmt_offset

    def check(self, method: str) -> TimeZoneCheck | None:
        """The verdict of ``method`` (AREACODE, POSTAL, TZCODE or NANPA), if it was asked for."""
        return next((c for c in self.checks if c.method == method), None)

    @classmethod
    def parse(cls, text: str) -> CheckPhoneNumberResult:
        """Parse ``AREACODE: 1|-5.00#POSTAL: 0|#PHONE: 3125550101|1|60601|IL||``."""
        checks: list[TimeZoneCheck] = []
        phone: list[str] | None = None
        for segment in text.strip().split("#"):
            name, sep, rest = segment.partition(": ")
            values = rest.split("|")
            if not sep:
                break
            if name == "PHONE":
                phone = values + [""] * 5
            elif name in _TZ_METHODS:
                checks.append(TimeZoneCheck(name, values[0].strip() == "1",
                                            opt_float(values[1] if len(values) > 1 else None)))
            else:
                break
        if phone is None or not checks:
            raise DecodeError("check_phone_number: answer has no METHOD and PHONE parts",
                              function="check_phone_number", raw=text)
        return cls(tuple(checks), phone[0], phone[1], phone[2], phone[3], phone[4], text)

"""Campaign functions of the Non-Agent API: campaigns_list, hopper_list, update_campaign."""

from __future__ import annotations

from collections.abc import Callable, Container

from .. import filters as f
from ..core import Call, handles, requires
from ..wire import BLANK, Setting, columns, line, lines, read_settings, table

NA = "non_agent"


CL_PERM = line(NA, "campaigns_list", "PERMISSION")
CL_NONE = line(NA, "campaigns_list", "NO VIEWABLE CAMPAIGNS")
CL_COLUMNS = columns(NA, "campaigns_list")


@handles(NA, "campaigns_list")
@requires(CL_PERM, 8, "view_reports")
def campaigns_list(call: Call) -> str:
    """campaigns_list: lists campaign settings for all (or one) campaigns the API user may see."""
    st = call.state
    only = f.ident(call.get("campaign_id"))
    camps = [
        c
        for cid, c in sorted(st.campaigns.items())
        if call.allowed_campaign(cid) and (not only or cid == only)
    ]
    if not camps:
        return CL_NONE(call.uname) + "\n"
    rows = [
        [
            c.campaign_id,
            c.campaign_name,
            c.active,
            c.user_group,
            c.dial_method,
            c.auto_dial_level,
            c.lead_order,
            " ".join(c.dial_statuses),
            c.dial_timeout,
            c.dial_prefix,
            c.manual_dial_prefix,
            c.three_way_dial_prefix,
        ]
        for c in camps
    ]
    return table(CL_COLUMNS, rows, call.params)


HL_PERM = line(NA, "hopper_list", "PERMISSION")
HL_MISSING = line(NA, "hopper_list", "THIS CAMPAIGN DOES NOT EXIST")
HL_EMPTY = line(NA, "hopper_list", "NO LEADS IN THE HOPPER")
HL_COLUMNS = columns(NA, "hopper_list")


def _since(call: Call, text: str) -> str:
    epoch = call.state.parse(text)
    if epoch is None or text.startswith("2008-01-01"):
        return "NEVER"
    hours = int(max(0.0, call.state.now() - epoch) // 3600)
    if hours < 24:
        return f"{hours} HOURS "
    days = hours // 24
    return f"{days} DAYS " if days < 365 else f"{days // 365} YEARS "


@handles(NA, "hopper_list")
@requires(HL_PERM, 8, "view_reports")
def hopper_list(call: Call) -> str:
    """hopper_list: lists the READY leads in a campaign's dial hopper."""
    st = call.state
    camp = f.ident(call.get("campaign_id"))
    if camp not in st.campaigns or not call.allowed_campaign(camp):
        return HL_MISSING(call.uname, camp) + "\n"
    entries = sorted(
        (h for h in st.hopper.values() if h.campaign_id == camp), key=lambda h: (-h.priority, h.hopper_id)
    )[:10000]
    if not entries:
        return HL_EMPTY(call.uname, camp) + "\n"
    now = st.now()
    rows = []
    for i, h in enumerate(entries):
        lead = st.leads.get(h.lead_id)
        if lead is None:
            continue
        rows.append(
            [
                i,
                h.priority,
                lead.lead_id,
                lead.list_id,
                lead.phone_number,
                lead.phone_code,
                lead.state,
                lead.status,
                lead.called_count,
                lead.gmt_offset_now,
                lead.rank,
                h.alt_dial,
                h.source,
                lead.vendor_lead_code,
                lead.source_id,
                int((now - lead.entry_epoch) // 86400),
                _since(call, lead.last_local_call_time),
            ]
        )
    return table(HL_COLUMNS, rows, call.params)


UC_PERM = line(NA, "update_campaign", "PERMISSION")
UC_REQUIRED = line(NA, "update_campaign", "REQUIRED FIELDS")
UC_MISSING = line(NA, "update_campaign", "CAMPAIGN DOES NOT EXIST")
UC_NONE = line(NA, "update_campaign", "NO UPDATES DEFINED")
UC_RESET = line(NA, "update_campaign", "HOPPER HAS BEEN RESET")
UC_OK = line(NA, "update_campaign", "SUCCESS")
UC_DIAL_LEVEL = line(NA, "update_campaign", "AUTO DIAL LEVEL MUST BE")
UC_DIAL_METHOD = line(NA, "update_campaign", "DIAL METHOD IS NOT VALID")
UC_ADAPT = line(NA, "update_campaign", "ADAPT MAXIMUM")
UC_EXTEN = line(NA, "update_campaign", "ROUTING EXTENSION")
UC_HOPPER = line(NA, "update_campaign", "HOPPER LEVEL")
UC_TIMEOUT = line(NA, "update_campaign", "DIAL TIMEOUT")
UC_NAME = line(NA, "update_campaign", "CAMPAIGN NAME MUST BE")
UC_CID = line(NA, "update_campaign", "CAMPAIGN CID")
UC_FILTER = line(NA, "update_campaign", "LEAD FILTER")
UC_ACTIVE = line(NA, "update_campaign", "ACTIVE MUST BE")
UC_RANDOM = line(NA, "update_campaign", "INCLUDING RANDOM")
UC_ORDER = line(NA, "update_campaign", "LIST ORDER IS NOT VALID")
UC_ORDER_LEN = line(NA, "update_campaign", "LIST ORDER IS NOT A VALID LENGTH")
UC_RANDOMIZE = line(NA, "update_campaign", "LIST ORDER RANDOMIZE IS NOT VALID")
UC_SECONDARY = line(NA, "update_campaign", "LIST ORDER SECONDARY IS NOT VALID")
UC_ADD = line(NA, "update_campaign", "DIAL STATUS ADD IS NOT VALID")
UC_ADD_FULL = line(NA, "update_campaign", "TOO MANY EXISTING")
UC_REMOVE = line(NA, "update_campaign", "DIAL STATUS REMOVE IS NOT VALID")
UC_REMOVE_NONE = line(NA, "update_campaign", "NO EXISTING DIAL STATUSES")
UC_REMOVE_MISSING = line(NA, "update_campaign", "NOT AN EXISTING DIAL STATUS")
_METHODS = ("MANUAL", "RATIO", "INBOUND_MAN", "ADAPT_AVERAGE", "ADAPT_HARD_LIMIT", "ADAPT_TAPERED")
_ORDERS = {
    f"{d} {k}".strip()
    for d in ("DOWN", "UP")
    for k in ("", "PHONE", "LAST NAME", "COUNT", "LAST CALL TIME", "RANK", "OWNER", "TIMEZONE")
}
_ORDERS |= {f"{o} {n} NEW" for o in list(_ORDERS) for n in ("2nd", "3rd", "4th", "5th", "6th")}
_SECONDARY = (
    "LEAD_ASCEND",
    "LEAD_DESCEND",
    "CALLTIME_ASCEND",
    "CALLTIME_DESCEND",
    "VENDOR_ASCEND",
    "VENDOR_DESCEND",
)


_CAMPAIGN_NAME = f.allow(r"A-Za-z0-9 \-.,_", "campaign_name: letters, digits, space, - . , _")
_LIST_ORDER = f.allow("A-Za-z0-9 ", "list_order: letters, digits and space")
_NO_FILTER = "---NONE---"


def _count_in(lo: int, hi: int) -> Callable[[str], bool]:
    return lambda v: v != "" and lo <= int(v) <= hi


def _settings(lead_filters: Container[str]) -> tuple[Setting, ...]:
    """update_campaign's optional settings after auto_dial_level, in the PHP's order."""
    return (
        Setting("dial_method", UC_DIAL_METHOD, lambda v: v in _METHODS),
        Setting("adaptive_maximum_level", UC_ADAPT, lambda v: 1 <= len(v) <= 5, clean=f.decimal),
        Setting("campaign_vdad_exten", UC_EXTEN, lambda v: 3 <= len(v) <= 20, clean=f.digits),
        Setting("hopper_level", UC_HOPPER, _count_in(1, 5000), clean=f.digits, store=int),
        Setting("dial_timeout", UC_TIMEOUT, _count_in(1, 120), clean=f.digits, store=int),
        Setting("campaign_name", UC_NAME, lambda v: 6 <= len(v) <= 40, clean=_CAMPAIGN_NAME),
        Setting("outbound_cid", UC_CID, lambda v: 6 <= len(v) <= 20, column="campaign_cid", clean=f.digits),
        Setting(
            "lead_filter_id",
            UC_FILTER,
            lambda v: v == _NO_FILTER or v in lead_filters,
            store=lambda v: "" if v == _NO_FILTER else v,
        ),
        Setting("active", UC_ACTIVE, lambda v: v in ("Y", "N")),
        # list_order: three checks of one value, each with its own error line.
        Setting("list_order", UC_RANDOM, lambda v: "RANDOM" not in v, column="lead_order", clean=_LIST_ORDER),
        Setting(
            "list_order", UC_ORDER_LEN, lambda v: 2 <= len(v) <= 30, column="lead_order", clean=_LIST_ORDER
        ),
        Setting("list_order", UC_ORDER, lambda v: v in _ORDERS, column="lead_order", clean=_LIST_ORDER),
        Setting(
            "list_order_randomize", UC_RANDOMIZE, lambda v: v in ("Y", "N"), column="lead_order_randomize"
        ),
        Setting(
            "list_order_secondary", UC_SECONDARY, lambda v: v in _SECONDARY, column="lead_order_secondary"
        ),
    )


@handles(NA, "update_campaign")
@requires(UC_PERM, 8, "modify_campaigns")
def update_campaign(call: Call) -> str:
    """update_campaign: change selected settings of an existing campaign and optionally clear its hopper."""
    st = call.state
    user = call.uname
    cid = f.ident(call.get("campaign_id"))
    if not 2 <= len(cid) <= 8:
        return UC_REQUIRED(user, cid, call.get("campaign_name"), cid) + "\n"
    camp = st.campaigns.get(cid)
    if camp is None or not call.allowed_campaign(cid):
        return UC_MISSING(user, cid) + "\n"
    p = call.params
    changes: dict[str, object] = {}
    if p.get("auto_dial_level"):
        level = f.decimal(p["auto_dial_level"])
        limit = float(st.settings.get("auto_dial_limit", "4"))
        try:
            ok = 0 <= float(level) <= limit
        except ValueError:
            ok = False
        if not ok:
            return UC_DIAL_LEVEL(f"{limit + 0.001:g}", user, level) + "\n"
        changes["auto_dial_level"] = level
    sent, err = read_settings(p, user, _settings(st.lead_filters))
    if err is not None:
        return err
    changes.update(sent)
    statuses = list(camp.dial_statuses)
    if p.get("dial_status_add"):
        v = f.ident(p["dial_status_add"])
        if not 1 <= len(v) <= 6:
            return UC_ADD(user, v) + "\n"
        if len(" ".join(statuses)) > 248:
            return UC_ADD_FULL(user, v) + "\n"
        statuses.append(v)
        changes["dial_statuses"] = statuses
    if p.get("dial_status_remove"):
        v = f.ident(p["dial_status_remove"])
        if not 1 <= len(v) <= 6:
            return UC_REMOVE(user, v) + "\n"
        if not statuses:
            return UC_REMOVE_NONE(user, v) + "\n"
        if v not in statuses:
            return UC_REMOVE_MISSING(user, v) + "\n"
        statuses.remove(v)
        changes["dial_statuses"] = statuses
    for i, key in enumerate(
        ("xferconf_one", "xferconf_two", "xferconf_three", "xferconf_four", "xferconf_five")
    ):
        if p.get(key):
            camp.xferconf[i] = "" if p[key] == BLANK else f.ident(p[key])
            changes.setdefault("_xfer", True)
    if p.get("dispo_call_url"):
        changes["dispo_call_url"] = "" if p["dispo_call_url"] == BLANK else p["dispo_call_url"]
    out: list[str] = []
    if changes:
        for key, new in changes.items():
            if not key.startswith("_"):
                setattr(camp, key, new)
        out.append(UC_OK(user, cid))
    else:
        out.append(UC_NONE(user, ""))
    if p.get("reset_hopper") == "Y":
        gone = [lead_id for lead_id, h in st.hopper.items() if h.campaign_id == cid]
        for lead_id in gone:
            del st.hopper[lead_id]
        out.append(UC_RESET(user, cid, len(gone)))
    return lines(out)

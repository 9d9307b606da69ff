"""Real-time and report functions, computed from the live agent sessions and the call log:
agent_status, logged_in_agents, user_group_status, in_group_status, agent_stats_export,
call_status_stats, call_dispo_report, phone_number_log."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .. import filters as f
from ..core import Call, Reply, handles, requires
from ..records import LiveAgent
from ..wire import columns, common_line, line, table

NA = "non_agent"


# -- agent_status ----------------------------------------------------------------------------------

AS_PERM = line(NA, "agent_status", "PERMISSION")
AS_INVALID = line(NA, "agent_status", "INVALID SEARCH PARAMETERS")
AS_NOT_FOUND = line(NA, "agent_status", "AGENT NOT FOUND")
AS_NOT_IN = line(NA, "agent_status", "AGENT NOT LOGGED IN")
AS_COLUMNS = columns(NA, "agent_status")


@handles(NA, "agent_status")
@requires(AS_PERM, 7, "view_reports")
def agent_status(call: Call) -> str:
    """agent_status: real-time status of one logged-in agent."""
    st = call.state
    user = call.uname
    agent = f.ident(call.get("agent_user"))
    if not agent:
        return AS_INVALID(user, agent) + "\n"
    target = call.visible_user(agent)
    if target is None:
        return AS_NOT_FOUND(user, agent) + "\n"
    s = st.agents.get(agent)
    if s is None:
        return AS_NOT_IN(user, agent) + "\n"
    lead = st.leads.get(s.lead_id) if s.lead_id else None
    row: list[Any] = [
        s.status,
        s.callerid,
        s.lead_id or "",
        s.campaign_id,
        s.calls_today,
        target.full_name,
        target.user_group,
        target.user_level,
        s.pause_code,
        s.sub_status,
        lead.phone_number if lead else "",
        lead.vendor_lead_code if lead else "",
        s.session_id,
    ]
    cols = AS_COLUMNS[:-1]
    if call.get("include_ip") == "YES":
        cols = AS_COLUMNS
        if s.computer_ip:
            row.append(s.computer_ip)
    return table(cols, [row], call.params)


# -- logged_in_agents -------------------------------------------------------------------------------

LI_PERM = line(NA, "logged_in_agents", "PERMISSION")
LI_NONE = line(NA, "logged_in_agents", "NO LOGGED IN AGENTS")
LI_COLUMNS = columns(NA, "logged_in_agents")


@handles(NA, "logged_in_agents")
@requires(LI_PERM, 7, "view_reports")
def logged_in_agents(call: Call) -> str:
    """logged_in_agents: list agents currently logged in, with campaign, session, status, lead and optional
    pause code / real-time sub-status.
    """
    st = call.state
    camps = {c for c in f.id_list(call.get("campaigns")).split("|") if c}
    groups = {g for g in f.id_list(call.get("user_groups")).split("|") if g}
    sub = call.get("show_sub_status") == "YES"
    rows = []
    for s in sorted(st.agents.values(), key=lambda a: a.user):
        u = st.users.get(s.user)
        if u is None or (camps and s.campaign_id not in camps) or (groups and u.user_group not in groups):
            continue
        if not call.allowed_campaign(s.campaign_id) or not call.views_group(u.user_group):
            continue
        row: list[Any] = [
            s.user,
            s.campaign_id,
            s.session_id,
            s.status,
            s.lead_id,
            s.callerid,
            s.calls_today,
            u.full_name,
            u.user_group,
            u.user_level,
        ]
        if sub:
            row += [s.pause_code, s.sub_status]
        rows.append(row)
    if not rows:
        return LI_NONE(call.uname, "") + "\n"
    return table(LI_COLUMNS if sub else LI_COLUMNS[:10], rows, call.params)


# -- user_group_status / in_group_status -------------------------------------------------------------

UG_PERM = line(NA, "user_group_status", "PERMISSION")
UG_INVALID = line(NA, "user_group_status", "INVALID SEARCH PARAMETERS")
IG_PERM = line(NA, "in_group_status", "PERMISSION")
IG_INVALID = line(NA, "in_group_status", "INVALID SEARCH PARAMETERS")


def _counts(agents: list[LiveAgent]) -> dict[str, int]:
    c = {"logged_in": len(agents), "in_calls": 0, "waiting": 0, "paused": 0, "dead": 0, "dispo": 0, "dial": 0}
    for s in agents:
        if s.status == "INCALL":
            c["dead" if s.sub_status == "DEAD" else "dial" if s.sub_status == "DIAL" else "in_calls"] += 1
        elif s.status in ("READY", "QUEUE", "CLOSER"):
            c["waiting"] += 1
        elif s.status == "PAUSED":
            c["dispo" if s.sub_status == "DISPO" else "paused"] += 1
    return c


@handles(NA, "user_group_status")
@requires(UG_PERM, 7, "view_reports")
def user_group_status(call: Call) -> str:
    """user_group_status: real-time agent counts for one or more user groups."""
    st = call.state
    groups = [g for g in f.id_list(call.get("user_groups")).split("|") if g]
    if not groups:
        return UG_INVALID(call.uname, call.get("user_groups")) + "\n"
    agents = [
        s
        for s in st.agents.values()
        if (u := st.users.get(s.user)) is not None
        and u.user_group in groups
        and call.views_group(u.user_group)
    ]
    c = _counts(agents)
    waiting = sum(1 for x in st.live_calls if x.status == "LIVE")
    row = [
        " ".join(groups),
        waiting,
        c["logged_in"],
        c["in_calls"],
        c["waiting"],
        c["paused"],
        c["dead"],
        c["dispo"],
        c["dial"],
    ]
    return table(columns(NA, "user_group_status"), [row], call.params)


@handles(NA, "in_group_status")
@requires(IG_PERM, 7, "view_reports")
def in_group_status(call: Call) -> str:
    """in_group_status: real-time call and agent counts for one or more in-groups."""
    st = call.state
    groups = [g for g in f.id_list(call.get("in_groups")).split("|") if g]
    if not groups:
        return IG_INVALID(call.uname, call.get("in_groups")) + "\n"
    calls = [x for x in st.live_calls if x.campaign_id in groups]
    agents = [s for s in st.agents.values() if set(s.closer_campaigns) & set(groups)]
    c = _counts(agents)
    row = [
        " ".join(groups),
        len(calls),
        sum(1 for x in calls if x.status == "LIVE"),
        c["logged_in"],
        c["in_calls"],
        c["waiting"],
        c["paused"],
        c["dispo"],
        c["dial"],
    ]
    return table(columns(NA, "in_group_status"), [row], call.params)


# -- agent_stats_export ---------------------------------------------------------------------------------

AX_PERM = line(NA, "agent_stats_export", "PERMISSION")
AX_INVALID = line(NA, "agent_stats_export", "INVALID SEARCH PARAMETERS")
AX_NONE = line(NA, "agent_stats_export", "NO RECORDS FOUND")


def fmt_time(seconds: float, mode: str) -> str:
    """Seconds in an agent_stats_export time_format: HF/H h:mm:ss, M m:ss, S seconds."""
    sec = round(seconds)
    if mode == "S":
        return str(sec)
    if mode == "M":
        return f"{sec // 60}:{sec % 60:02d}"
    h, rem = divmod(sec, 3600)
    return f"{h}:{rem // 60:02d}:{rem % 60:02d}"


def _pct(part: float, whole: float) -> str:
    if whole <= 0:
        return "0%"
    value = 100.0 * part / whole
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


@handles(NA, "agent_stats_export")
@requires(AX_PERM, 7, "view_reports")
def agent_stats_export(call: Call) -> str:
    """agent_stats_export: exports per-agent activity totals for a time window."""
    st = call.state
    user = call.uname
    start_t, end_t = f.datetime(call.get("datetime_start")), f.datetime(call.get("datetime_end"))
    agent = f.ident(call.get("agent_user"))
    camp = f.ident(call.get("campaign_id"))
    start, end = st.parse(start_t), st.parse(end_t)
    if len(start_t) != 19 or len(end_t) != 19 or start is None or end is None:
        return (
            AX_INVALID(
                user, agent, start_t if len(start_t) == 19 else "", end_t if len(end_t) == 19 else "", camp
            )
            + "\n"
        )
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    sessions: list[tuple[str, str, float, dict[str, float], int, int]] = []
    for s in st.agents.values():
        live = dict(s.time)
        live[_bucket_of(s)] += max(0.0, st.now() - s.state_epoch)
        sessions.append((s.user, s.campaign_id, s.login_epoch, live, s.calls, s.pauses))
    for ev in st.agent_log:
        if ev["event"] == "LOGOUT":
            sessions.append(
                (ev["user"], ev["campaign_id"], ev["login_epoch"], ev["time"], ev["calls"], ev["pauses"])
            )
    group = call.get("group_by_campaign") == "YES"
    for name, campaign, login_epoch, t, calls, pauses in sessions:
        if not start <= login_epoch <= end or (agent and name != agent) or (camp and campaign != camp):
            continue
        key = (campaign if group else "", name)
        acc = by_key.setdefault(
            key,
            {
                "sessions": 0,
                "calls": 0,
                "pauses": 0,
                "wait": 0.0,
                "talk": 0.0,
                "pause": 0.0,
                "dispo": 0.0,
                "dead": 0.0,
            },
        )
        acc["sessions"] += 1
        acc["calls"] += calls
        acc["pauses"] += pauses
        for k in ("wait", "talk", "pause", "dispo", "dead"):
            acc[k] += t.get(k, 0.0)
    if not by_key:
        return AX_NONE(user, agent, start_t, end_t, camp) + "\n"
    mode = call.get("time_format") if call.get("time_format") in ("HF", "H", "M", "S") else "HF"
    total_calls = sum(a["calls"] for a in by_key.values())
    rows = []
    for (campaign, name), a in sorted(by_key.items()):
        u = st.users.get(name)
        login = a["wait"] + a["talk"] + a["pause"] + a["dispo"] + a["dead"]
        calls, sessions_n, pauses = a["calls"], a["sessions"], a["pauses"]
        talk_total = a["talk"] + a["dispo"] + a["dead"]
        row: list[Any] = [
            name,
            u.full_name if u else "",
            u.user_group if u else "",
            calls,
            fmt_time(login, mode),
            fmt_time(talk_total, mode),
            fmt_time(talk_total / calls if calls else 0, mode),
            fmt_time(a["wait"] / calls if calls else 0, mode),
            _pct(calls, total_calls),
            int(a["pause"]),
            sessions_n,
            fmt_time(login / sessions_n, mode),
            pauses,
            fmt_time(a["pause"] / pauses if pauses else 0, mode),
            _pct(a["pause"], login),
            pauses // sessions_n if sessions_n else 0,
            fmt_time(a["wait"], mode),
            fmt_time(a["talk"], mode),
            fmt_time(a["dispo"], mode),
            fmt_time(a["dead"], mode),
        ]
        rows.append([campaign, *row] if group else row)
    cols = columns(NA, "agent_stats_export")
    return table(("campaign_id", *cols) if group else cols, rows, call.params)


def _bucket_of(s: LiveAgent) -> str:
    from ..agent_control.sessions import _bucket

    return _bucket(s)


# -- call_status_stats / call_dispo_report -------------------------------------------------------------

CS_MISSING = line(NA, "call_status_stats", "INVALID OR MISSING CAMPAIGNS")
_BAD_SOURCE = common_line(NA, "Invalid Source: |")
CS_PERM = line(NA, "call_status_stats", "PERMISSION TO VIEW STATS")
CD_MISSING = line(NA, "call_dispo_report", "INVALID OR MISSING")
_ALL = ("---ALL---", "ALLCAMPAIGNS", "ALLGROUPS", "ALLSTATUSES", "ALLUSERS")


def _window(call: Call) -> tuple[float, float]:
    st = call.state
    day = f.date(call.get("query_date")) or st.today()
    end_day = f.date(call.get("end_date")) or day
    start = st.parse(f"{day} {call.get('query_time') or '00:00:00'}") or 0.0
    end = st.parse(f"{end_day} {call.get('end_time') or '23:59:59'}") or start + 86399
    return start, end


def _level9(call: Call) -> bool:
    return call.user.user_level > 8 and call.user.view_reports == 1


@handles(NA, "call_status_stats")
def call_status_stats(call: Call) -> str:
    """call_status_stats: per campaign and per in-group: total calls, human-answered calls, hourly counts
    and status counts for one day (or a date/time range).
    """
    st = call.state
    source = f.alnum(call.get("source"))
    raw = call.get("campaigns")
    if len(raw) < 2:
        return CS_MISSING(source) + "\n" + _BAD_SOURCE(source) + "\n"
    if not _level9(call):
        return CS_PERM.denied(call.uname) + "\n"
    start, end = _window(call)
    camps = sorted(st.campaigns) if any(a in raw for a in _ALL) else [c for c in raw.split("-") if c]
    groups_raw = call.get("ingroups")
    groups = (
        [g for g in groups_raw.split("-") if g]
        if groups_raw
        else sorted({g for c in camps if c in st.campaigns for g in st.campaigns[c].closer_campaigns})
    )
    statuses = {s for s in call.get("statuses").split("-") if s}
    out = []
    for key, inbound in [(c, False) for c in camps] + [(g, True) for g in groups]:
        rows = [
            r
            for r in st.call_log
            if r["campaign_id"] == key
            and r["inbound"] == inbound
            and start <= r["epoch"] <= end
            and (not statuses or r["status"] in statuses)
        ]
        hours = Counter(int(st.fmt(r["epoch"])[11:13]) for r in rows)
        by_status = Counter(r["status"] for r in rows)
        human = sum(1 for r in rows if r["user"])
        hourly = ",".join(f"{h:02d}-{hours.get(h, 0)}" for h in range(24))
        breakdown = ",".join(f"{s}-{n}" for s, n in sorted(by_status.items()))
        out.append(f"{key}|{len(rows)}|{human}|{hourly}|{breakdown}|\n")
    return "".join(out)


@handles(NA, "call_dispo_report")
def call_dispo_report(call: Call) -> str | Reply:
    """call_dispo_report: cSV disposition report: total calls per campaign, in-group or DID over a date
    range, optionally broken down (and percentaged) by status.
    """
    st = call.state
    source = f.alnum(call.get("source"))
    camps_raw, groups_raw = call.get("campaigns"), call.get("ingroups")
    if (
        len(camps_raw) < 2
        and len(groups_raw) < 2
        and not call.get("did_ids")
        and not call.get("did_patterns")
    ):
        return CD_MISSING(source) + "\n" + _BAD_SOURCE(source) + "\n"
    if not _level9(call):
        return CS_PERM.denied(call.uname) + "\n"
    start, end = _window(call)
    if groups_raw:
        keys = sorted(st.in_groups) if any(a in groups_raw for a in _ALL) else groups_raw.split("-")
        inbound = True
    else:
        keys = sorted(st.campaigns) if any(a in camps_raw for a in _ALL) else camps_raw.split("-")
        inbound = False
    status_filter = {s for s in call.get("statuses").split("-") if s and s not in _ALL}
    breakdown = call.get("status_breakdown") in ("1", "Y")
    percent = breakdown and call.get("show_percentages") in ("1", "Y")
    counts: dict[str, Counter[str]] = {}
    order: list[str] = []
    for k in keys:
        c: Counter[str] = Counter()
        for r in st.call_log:
            if (
                r["campaign_id"] == k
                and r["inbound"] == inbound
                and start <= r["epoch"] <= end
                and (not status_filter or r["status"] in status_filter)
            ):
                c[r["status"]] += 1
                if r["status"] not in order:
                    order.append(r["status"])
        counts[k] = c
    head = "CAMPAIGN,TOTAL CALLS" + ("".join("," + s for s in order) if breakdown else "")
    lines = [head]
    grand: Counter[str] = Counter()
    for k in keys:
        c = counts[k]
        grand.update(c)
        lines.append(_dispo_row(k, c, breakdown, percent))
    lines.append(_dispo_row("TOTAL", grand, breakdown, percent))
    ctype = "application/octet-stream" if call.get("file_download") == "1" else "text/plain"
    return Reply("\n".join(lines), content_type=ctype)


def _dispo_row(key: str, c: Counter[str], breakdown: bool, percent: bool) -> str:
    total = sum(c.values())
    parts = [key, str(total)]
    if breakdown:
        for s in sorted(c):
            parts.append(f"{c[s]} ({100.0 * c[s] / total:.1f}%)" if percent and total else str(c[s]))
    return ",".join(parts)


# -- phone_number_log -------------------------------------------------------------------------------

PL_PERM = line(NA, "phone_number_log", "PERMISSION")
PL_INVALID = line(NA, "phone_number_log", "NO VALID PHONE NUMBERS")
PL_NONE = line(NA, "phone_number_log", "NO RECORDS FOUND")


@handles(NA, "phone_number_log")
@requires(PL_PERM, 7, "view_reports")
def phone_number_log(call: Call) -> str:
    """phone_number_log: lists outbound and/or inbound calls placed to one or more phone numbers."""
    st = call.state
    phones = [p for p in (f.digits(x) for x in call.get("phone_number").split(",")) if len(p) >= 4]
    if not phones:
        return PL_INVALID(call.uname, call.get("phone_number"), call.get("date")) + "\n"
    kind = call.get("type") if call.get("type") in ("OUT", "IN", "ALL") else "OUT"
    last = call.get("detail") == "LAST"
    rows = []
    for p in phones:
        for inbound in (False, True):
            if (inbound and kind == "OUT") or (not inbound and kind == "IN"):
                continue
            hits = sorted(
                (r for r in st.call_log if r["phone_number"] == p and r["inbound"] == inbound),
                key=lambda r: r["epoch"],
                reverse=True,
            )
            for r in hits[:1] if last else hits:
                lead = st.leads.get(r["lead_id"])
                rows.append(
                    [
                        p,
                        r["call_date"],
                        r["list_id"],
                        r["length_in_sec"],
                        lead.status if lead else "",
                        r["term_reason"],
                        r["status"],
                        lead.source_id if lead else "",
                        r["user"],
                    ]
                )
    if not rows:
        return PL_NONE(call.uname, ",".join(phones), call.get("lead_id"), call.get("date")) + "\n"
    return table(columns(NA, "phone_number_log"), rows, call.params)

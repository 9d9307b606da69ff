"""User functions of the Non-Agent API: add_user, copy_user, update_user, user_details,
agent_campaigns, update_remote_agent."""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import filters as f
from ..core import Call, handles, requires
from ..records import User
from ..wire import Template, line, lines, set_sent, table

NA = "non_agent"


def level_allowed(call: Call, level: int) -> bool:
    """A level-8 API user acts below its level; level 9 needs modify_same_user_level for 9."""
    api = call.user.user_level
    return level < api or (level == api == 9 and call.user.modify_same_user_level == 1)


def _next_user_id(call: Call) -> str:
    st = call.state
    n = int(st.settings.get("auto_user_add_value", "1000"))
    while str(n) in st.users:
        n += 7
    st.settings["auto_user_add_value"] = str(n + 7)
    return str(n)


_name = re.compile(r"[^A-Za-z0-9 \-+.:/@_]")
AU_PERM = line(NA, "add_user", "PERMISSION TO ADD USERS:")
AU_REQUIRED = line(NA, "add_user", "REQUIRED FIELDS")
AU_LEVEL = line(NA, "add_user", "IN THIS USER LEVEL")
AU_GROUP = line(NA, "add_user", "USER GROUP DOES NOT EXIST")
AU_EXISTS = line(NA, "add_user", "USER ALREADY EXISTS")
AU_OK = line(NA, "add_user", "SUCCESS")


@handles(NA, "add_user")
@requires(AU_PERM, 8, "modify_users")
def add_user(call: Call) -> str:
    """add_user: create a new user account (agent or admin) with basic settings."""
    st = call.state
    user = call.uname
    agent = f.ident(call.get("agent_user"))
    password = f.ident(call.get("agent_pass"))
    level_raw = f.digits(call.get("agent_user_level"))
    full_name = _name.sub("", call.get("agent_full_name").replace("+", " "))
    group = f.ident(call.get("agent_user_group"))
    if not 2 <= len(agent) <= 20 or len(password) < 2 or not level_raw or not full_name or not group:
        return AU_REQUIRED(user, agent, password, level_raw, full_name, group) + "\n"
    level = int(level_raw)
    if not level_allowed(call, level):
        return AU_LEVEL(user, level, call.user.user_level) + "\n"
    if group not in st.user_groups or not call.views_group(group):
        return AU_GROUP(user, group) + "\n"
    if "AUTOGENERA" in agent:
        agent = _next_user_id(call)
    elif agent in st.users:
        return AU_EXISTS(user, agent) + "\n"
    new = User(
        user=agent,
        password=password,
        full_name=full_name,
        user_level=level,
        user_group=group,
        api_allowed_functions=(),
        modify_leads=0,
        vdc_agent_api_access=0,
        view_reports=0,
        modify_users=0,
        modify_lists=0,
        modify_campaigns=0,
        modify_inbound_dids=0,
        modify_remoteagents=0,
        modify_same_user_level=0,
        delete_users=0,
        delete_lists=0,
        delete_from_dnc=0,
        delete_inbound_dids=0,
        ast_admin_access=0,
        ast_delete_phones=0,
        change_agent_campaign=0,
        custom_fields_modify=0,
        phone_login=f.ident(call.get("phone_login")),
        phone_pass=f.ident(call.get("phone_pass")),
        email=call.get("email"),
        voicemail_id=f.alnum(call.get("voicemail_id")),
        hotkeys_active=call.get("hotkeys_active") or "0",
        closer_campaigns=[g for g in call.get("in_groups").split("|") if g],
        custom_one=call.get("custom_one"),
        custom_two=call.get("custom_two"),
        custom_three=call.get("custom_three"),
        custom_four=call.get("custom_four"),
        custom_five=call.get("custom_five"),
    )
    st.users[agent] = new
    return AU_OK(user, agent, password, level, full_name, group) + "\n"


CU_PERM = line(NA, "copy_user", "PERMISSION TO COPY USERS:")
CU_REQUIRED = line(NA, "copy_user", "REQUIRED FIELDS")
CU_LEVEL = line(NA, "copy_user", "IN THIS USER LEVEL")
CU_GROUP = line(NA, "copy_user", "USER GROUP DOES NOT EXIST")
CU_EXISTS = line(NA, "copy_user", "USER ALREADY EXISTS")
CU_OK = line(NA, "copy_user", "SUCCESS")


@handles(NA, "copy_user")
@requires(CU_PERM, 8, "modify_users")
def copy_user(call: Call) -> str:
    """copy_user: create a new user by copying all settings, campaign ranks and in-group ranks of an
    existing user.
    """
    import attrs

    st = call.state
    user = call.uname
    agent = f.ident(call.get("agent_user"))
    password = f.ident(call.get("agent_pass"))
    full_name = _name.sub("", call.get("agent_full_name").replace("+", " "))
    source = f.ident(call.get("source_user"))
    if not 2 <= len(agent) <= 20 or len(password) < 2 or not full_name or not source:
        return CU_REQUIRED(user, agent, password, source, full_name) + "\n"
    src = st.users.get(source)
    if src is not None and not level_allowed(call, src.user_level):
        return CU_LEVEL(user, src.user_level, call.user.user_level) + "\n"
    if src is None or src.user_group not in st.user_groups or not call.views_group(src.user_group):
        return CU_GROUP(user, src.user_group if src else "") + "\n"
    if "AUTOGENERA" in agent:
        agent = _next_user_id(call)
    elif agent in st.users:
        return CU_EXISTS(user, agent) + "\n"
    st.users[agent] = attrs.evolve(
        src,
        user=agent,
        password=password,
        full_name=full_name,
        failed_login_count=0,
        last_login_epoch=0.0,
        closer_campaigns=list(src.closer_campaigns),
        campaign_ranks=dict(src.campaign_ranks),
        ingroup_ranks=dict(src.ingroup_ranks),
    )
    return CU_OK(user, agent, password, full_name, source) + "\n"


UU_PERM = line(NA, "update_user", "PERMISSION TO UPDATE USERS:")
UU_REQUIRED = line(NA, "update_user", "REQUIRED FIELDS")
UU_MISSING = line(NA, "update_user", "USER DOES NOT EXIST")
UU_THIS = line(NA, "update_user", "PERMISSION TO UPDATE THIS USER")
UU_DELETE_PERM = line(NA, "update_user", "PERMISSION TO DELETE USERS")
UU_DELETED = line(NA, "update_user", "USER HAS BEEN DELETED")
UU_UPDATED = line(NA, "update_user", "USER HAS BEEN UPDATED")
UU_NONE = line(NA, "update_user", "NO UPDATES DEFINED")
UU_CAMP_RANK = line(NA, "update_user", "USER CAMPAIGN RANKS/GRADES")
UU_CAMP_RANK_ONE = line(NA, "update_user", "USER CAMPAIGN RANKS/GRADES", 6)
UU_IG_RANK = line(NA, "update_user", "USER IN-GROUP RANKS/GRADES")
UU_RESET_FAIL = line(NA, "update_user", "NO VALID EMAIL")
UU_RESET = line(NA, "update_user", "PASSWORD HAS BEEN RESET")


def _bad(needle: str) -> Template:
    return line(NA, "update_user", needle)


_Check = Callable[[str, Call], bool] | None
_CHECKS: tuple[tuple[str, Template, _Check], ...] = (
    ("agent_full_name", _bad("VALID FULL NAME"), lambda v, c: 1 <= len(v) <= 50),
    ("agent_user_level", _bad("VALID USER LEVEL"), None),
    ("agent_user_group", _bad("VALID USER GROUP"), None),
    ("phone_login", _bad("VALID PHONE LOGIN"), None),
    ("phone_pass", _bad("VALID PHONE PASSWORD"), lambda v, c: 1 <= len(v) <= 20),
    ("hotkeys_active", _bad("VALID HOTKEYS"), lambda v, c: v in ("0", "1")),
    ("voicemail_id", _bad("VALID VOICEMAIL ID"), lambda v, c: 2 <= len(f.alnum(v)) <= 10),
    ("email", _bad("VALID EMAIL"), lambda v, c: v == "--BLANK--" or 5 <= len(v) <= 100),
    ("custom_one", _bad("CUSTOM ONE"), lambda v, c: len(v) <= 100),
    ("custom_two", _bad("CUSTOM TWO"), lambda v, c: len(v) <= 100),
    ("custom_three", _bad("CUSTOM THREE"), lambda v, c: len(v) <= 100),
    ("custom_four", _bad("CUSTOM FOUR"), lambda v, c: len(v) <= 100),
    ("custom_five", _bad("CUSTOM FIVE"), lambda v, c: len(v) <= 100),
    ("active", _bad("ACTIVE MUST BE"), lambda v, c: v in ("Y", "N")),
    ("wrapup_seconds_override", _bad("wrapup_seconds_override"), lambda v, c: _int_in(v, -1, 9999)),
    ("campaign_rank", _bad("VALID CAMPAIGN RANK"), lambda v, c: _int_in(v, -9, 9)),
    ("campaign_grade", _bad("VALID CAMPAIGN GRADE"), lambda v, c: _int_in(v, 1, 10)),
)
UU_IG_RANK_BAD = _bad("VALID IN-GROUP RANK")
UU_IG_GRADE_BAD = _bad("VALID IN-GROUP GRADE")


def _int_in(v: str, lo: int, hi: int) -> bool:
    try:
        return lo <= int(v) <= hi
    except ValueError:
        return False


_FIELD_MAP = {
    "agent_full_name": "full_name",
    "agent_pass": "password",
    "agent_user_group": "user_group",
    "phone_login": "phone_login",
    "phone_pass": "phone_pass",
    "hotkeys_active": "hotkeys_active",
    "voicemail_id": "voicemail_id",
    "email": "email",
    "custom_one": "custom_one",
    "custom_two": "custom_two",
    "custom_three": "custom_three",
    "custom_four": "custom_four",
    "custom_five": "custom_five",
    "active": "active",
}


@handles(NA, "update_user")
@requires(UU_PERM, 8, "modify_users")
def update_user(call: Call) -> str:
    """update_user: change settings of an existing user, set campaign/in-group ranks and grades, reset the
    password by email, or delete the user.
    """
    st = call.state
    user = call.uname
    api = call.user
    agent = f.ident(call.get("agent_user"))
    if not 2 <= len(agent) <= 20:
        return UU_REQUIRED(user, agent) + "\n"
    target = call.visible_user(agent)
    if target is None:
        return UU_MISSING(user, "") + "\n"
    if not level_allowed(call, target.user_level):
        op = "<=" if api.modify_same_user_level == 1 else "<"
        return UU_THIS(user, agent, op, api.user_level) + "\n\n"
    if call.get("delete_user") == "Y":
        if api.delete_users != 1:
            return UU_DELETE_PERM.denied(user) + "\n"
        del st.users[agent]
        st.agents.pop(agent, None)
        return UU_DELETED(user, agent) + "\n"
    p = call.params
    for name, err, check in _CHECKS:
        if name not in p or p[name] == "":
            continue
        v = p[name]
        if name == "agent_user_level":
            if not _int_in(v, 1, 9) or not level_allowed(call, int(v)):
                return err(user, v, api.user_level, api.modify_same_user_level) + "\n"
        elif name == "agent_user_group":
            if v not in st.user_groups or not call.views_group(v):
                return err(user, v, 0) + "\n"
        elif name == "phone_login":
            if (
                v != "--BLANK--"
                and not any(ph.login == v for ph in st.phones.values())
                and v not in st.phone_aliases
            ):
                return err(user, v, 0, 0) + "\n"
        elif check is not None and not check(v, call):
            return err(user, v) + "\n"
    out: list[str] = []
    if p.get("campaign_rank") or p.get("campaign_grade"):
        rank, grade = int(p.get("campaign_rank") or 0), int(p.get("campaign_grade") or 1)
        only = p.get("camp_rg_only") == "1"
        camps = [f.ident(p.get("campaign_id", ""))] if only else list(st.campaigns)
        for c in camps:
            target.campaign_ranks[c] = (rank, grade)
        out.append(
            UU_CAMP_RANK_ONE(user, agent, rank, grade, camps[0], "1")
            if only
            else UU_CAMP_RANK(user, agent, rank, grade)
        )
    if p.get("ingroup_rank") or p.get("ingroup_grade"):
        if p.get("ingroup_rank") and not _int_in(p["ingroup_rank"], -9, 9):
            return lines([*out, UU_IG_RANK_BAD(user, p["ingroup_rank"])])
        if p.get("ingroup_grade") and not _int_in(p["ingroup_grade"], 1, 10):
            return lines([*out, UU_IG_GRADE_BAD(user, p["ingroup_grade"])])
        rank, grade = int(p.get("ingroup_rank") or 0), int(p.get("ingroup_grade") or 1)
        only = p.get("ingrp_rg_only") == "1"
        groups = [f.ident(p.get("group_id", ""))] if only else list(st.in_groups)
        for g in groups:
            target.ingroup_ranks[g] = (rank, grade)
        out.append(UU_IG_RANK(user, agent, rank, grade))
    reset = p.get("reset_password", "")
    if reset.isdigit() and int(reset) >= 8:
        email = p.get("email") or target.email
        if len(email) < 5 or "@" not in email:
            out.append(UU_RESET_FAIL(user, agent, email))
        else:
            target.password = "R" * int(reset)
            out.append(UU_RESET(user, agent, email))
    changed = set_sent(p, target, _FIELD_MAP)
    if p.get("agent_user_level"):
        target.user_level = int(p["agent_user_level"])
        changed = True
    if p.get("wrapup_seconds_override"):
        target.wrapup_seconds_override = int(p["wrapup_seconds_override"])
        changed = True
    out.append(UU_UPDATED(user, agent) if changed else UU_NONE(user, ""))
    return lines(out)


UD_PERM = line(NA, "user_details", "PERMISSION")
UD_INVALID = line(NA, "user_details", "INVALID SEARCH PARAMETERS")
UD_MISSING = line(NA, "user_details", "USER NOT FOUND")


@handles(NA, "user_details")
@requires(UD_PERM, 7, "view_reports")
def user_details(call: Call) -> str:
    """user_details: basic account fields of one user."""
    agent = f.ident(call.get("agent_user"))
    if not agent:
        return UD_INVALID(call.uname, agent) + "\n"
    target = call.visible_user(agent)
    if target is None:
        return UD_MISSING(call.uname, agent) + "\n"
    row = [agent, target.full_name, target.user_group, target.user_level, target.active]
    return table(("user", "full_name", "user_group", "user_level", "active"), [row], call.params)


AC_PERM = line(NA, "agent_campaigns", "PERMISSION")
AC_MISSING = line(NA, "agent_campaigns", "AGENT USER DOES NOT EXIST")
AC_NONE = line(NA, "agent_campaigns", "NO AVAILABLE CAMPAIGNS")


@handles(NA, "agent_campaigns")
@requires(AC_PERM, 8, "view_reports", "modify_users")
def agent_campaigns(call: Call) -> str:
    """agent_campaigns: lists the active campaigns and in-groups a given agent is allowed to use."""
    st = call.state
    agent = f.ident(call.get("agent_user"))
    target = call.visible_user(agent)
    if target is None:
        return AC_MISSING(call.uname, agent) + "\n"
    group = st.user_groups.get(target.user_group)
    camps = [
        c
        for c in sorted(st.campaigns)
        if st.campaigns[c].active == "Y" and group is not None and group.allows_campaign(c)
    ]
    only = f.ident(call.get("campaign_id"))
    if only:
        camps = [c for c in camps if c == only]
    if not camps:
        return AC_NONE(agent, call.uname) + "\n"
    groups: list[str] = []
    for c in camps:
        for g in st.campaigns[c].closer_campaigns:
            ig = st.in_groups.get(g)
            if ig is not None and ig.active == "Y" and g not in groups:
                if call.get("ignore_agentdirect") == "Y" and g.startswith("AGENTDIRECT"):
                    continue
                groups.append(g)
    return table(
        ("user", "allowed_campaigns_list", "allowed_ingroups_list"),
        [[agent, "-".join(camps), "-".join(groups)]],
        call.params,
    )


RA_PERM = line(NA, "update_remote_agent", "PERMISSION TO UPDATE REMOTE AGENTS")
RA_REQUIRED = line(NA, "update_remote_agent", "REQUIRED FIELDS")
RA_MISSING = line(NA, "update_remote_agent", "REMOTE AGENT DOES NOT EXIST")
RA_ALREADY = line(NA, "update_remote_agent", "REMOTE AGENT IS ALREADY")
RA_LINES = line(NA, "update_remote_agent", "NUMBER OF LINES")
RA_CAMP = line(NA, "update_remote_agent", "VALID CAMPAIGN ID")
RA_STATUS = line(NA, "update_remote_agent", "STATUS MUST BE")
RA_NONE = line(NA, "update_remote_agent", "NO UPDATES DEFINED")
RA_OK = line(NA, "update_remote_agent", "SUCCESS")


@handles(NA, "update_remote_agent")
@requires(RA_PERM, 8, "modify_remoteagents")
def update_remote_agent(call: Call) -> str:
    """update_remote_agent: change status, campaign or line count of an existing remote agent entry."""
    st = call.state
    user = call.uname
    agent = f.ident(call.get("agent_user"))
    if len(agent) < 2:
        return RA_REQUIRED(user, agent) + "\n"
    ra = st.remote_agents.get(agent)
    if ra is None:
        return RA_MISSING(user, "") + "\n"
    out: list[str] = []
    changes: dict[str, object] = {}
    lines_raw = call.get("number_of_lines")
    if lines_raw:
        if not _int_in(lines_raw, 1, 999):
            return RA_LINES(user, lines_raw) + "\n"
        changes["number_of_lines"] = int(lines_raw)
    camp = f.ident(call.get("campaign_id"))
    if camp:
        if camp not in st.campaigns or not call.allowed_campaign(camp):
            return RA_CAMP(user, camp, 0) + "\n"
        changes["campaign_id"] = camp
    status = call.get("status")
    if status:
        if "ACTIVE" not in status:
            return RA_STATUS(user, status) + "\n"
        new = "INACTIVE" if "INACTIVE" in status else "ACTIVE"
        if ra.get("status") == new:
            out.append(RA_ALREADY(new, user, agent))
        else:
            changes["status"] = new
    if not changes:
        out.append(RA_NONE(user, ""))
    else:
        ra.update(changes)
        out.append(RA_OK(user, agent))
    return lines(out)


AI_PERM = line(NA, "agent_ingroup_info", "PERMISSION")
AI_INVALID = line(NA, "agent_ingroup_info", "INVALID USER ID")
AI_TEXT = line(NA, "agent_ingroup_info", "SUCCESS")


@handles(NA, "agent_ingroup_info")
def agent_ingroup_info(call: Call) -> str:
    """agent_ingroup_info: shows a logged-in agent's selected in-groups and outbound-autodial state,
    optionally as a change form.
    """
    st = call.state
    u = call.user
    queuemetrics = f.alnum(call.get("source")) == "queuemetrics"
    if not (u.user_level >= 7 and (u.vdc_agent_api_access == 1 or queuemetrics)):
        return AI_PERM.denied(call.uname) + "\n"
    agent = f.ident(call.get("agent_user"))
    target = call.visible_user(agent)
    s = st.agents.get(agent)
    if target is None or s is None:
        return AI_INVALID(agent, call.uname) + "\n"
    selected = " " + " ".join(s.closer_campaigns) + " -"
    blended = "Y" if s.blended else "N"
    info = [
        f"SELECTED INGROUPS: {selected}",
        f"OUTBOUND AUTODIAL: {blended}",
        "MANAGER OVERRIDE: N",
        "MANAGER: ",
    ]
    if call.get("stage") == "text":
        return lines([AI_TEXT(agent), *info]) + "\n"
    return (
        '<TABLE WIDTH=680 CELLPADDING=0 CELLSPACING=5 BGCOLOR="#D9E6FE"><TR><TD ALIGN=LEFT>\n'
        f"Agent: {agent} - {target.full_name} </TD><TD>\n &nbsp; Campaign: {s.campaign_id}</TD><TD>\n"
        '<a href="#" onclick="hide_ingroup_info();">Close</a></TD></TR><TR><TD COLSPAN=3 '
        'BGCOLOR="#CCCCFF">\n<TABLE CELLPADDING=0 CELLSPACING=3 BORDER=0>\n'
        "<TR><TD>No In-Groups Allowed</TD></TR>\n</TABLE><BR>\n"
        + "".join(x + "<BR>\n" for x in info)
        + "\n</TD></TR></TABLE>\n"
    )

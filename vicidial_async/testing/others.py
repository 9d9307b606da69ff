"""DNC and filter phone groups, phones and aliases, DIDs, server_refresh."""

from __future__ import annotations

import re

from . import filters as f
from .core import Call, handler
from .records import Did, Phone
from .state import SYSTEM_DNC
from .wire import Line, line

NA = "non_agent"


def _t(fn: str, needle: str) -> Line:
    return line(NA, fn, needle)


# -- DNC and filter phone groups ---------------------------------------------------------------


def _dnc_fn(fn: str, *, add: bool, fpg: bool) -> None:
    perm = _t(fn, "PERMISSION")
    required = _t(fn, "REQUIRED FIELDS")
    clash = _t(fn, "ALREADY EXISTS" if add else "NUMBER DOES NOT EXIST")
    ok = _t(fn, "SUCCESS")
    no_group = _t(fn, "FILTER PHONE GROUP DOES NOT EXIST") if fpg else None

    def run(call: Call) -> str:
        st = call.state
        u = call.user
        user = call.uname
        allowed = u.user_level >= 8 and u.modify_lists == 1
        if fn == "delete_dnc_phone":
            allowed = allowed and u.delete_from_dnc == 1
        if not allowed:
            return perm.denied(user) + "\n"
        phone = f.digits_commas(call.get("phone_number")).replace(",", "")
        key = f.ident(call.get("group" if fpg else "campaign_id"))
        if not 6 <= len(phone) <= 20 or not key:
            return required(user, phone, key) + "\n"
        if fpg:
            assert no_group is not None
            if key not in st.filter_phone_groups:
                return no_group(user, key) + "\n"
            numbers = st.filter_phone_groups[key]
        else:
            numbers = st.dnc.setdefault(key, set())
        if add == (phone in numbers):
            return clash(user, phone, key) + "\n"
        if add:
            numbers.add(phone)
        else:
            numbers.discard(phone)
        return ok(user, phone, key) + "\n"

    handler(NA, fn)(run)


_dnc_fn("add_dnc_phone", add=True, fpg=False)
_dnc_fn("delete_dnc_phone", add=False, fpg=False)
_dnc_fn("add_fpg_phone", add=True, fpg=True)
_dnc_fn("delete_fpg_phone", add=False, fpg=True)
assert SYSTEM_DNC == "SYSTEM_INTERNAL"


# -- phones ------------------------------------------------------------------------------------------


def _ast(call: Call) -> bool:
    u = call.user
    return u.user_level >= 8 and u.ast_admin_access == 1 and u.vdc_agent_api_access == 1


_GMT = REGISTRY_GMT = (
    "12.75",
    "12.00",
    "11.00",
    "10.00",
    "9.50",
    "9.00",
    "8.00",
    "7.00",
    "6.50",
    "6.00",
    "5.75",
    "5.50",
    "5.00",
    "4.50",
    "4.00",
    "3.50",
    "3.00",
    "2.00",
    "1.00",
    "0.00",
    "-1.00",
    "-2.00",
    "-3.00",
    "-3.50",
    "-4.00",
    "-5.00",
    "-6.00",
    "-7.00",
    "-8.00",
    "-9.00",
    "-10.00",
    "-11.00",
    "-12.00",
)
AP_PERM = _t("add_phone", "PERMISSION")
AP_REQUIRED = _t("add_phone", "REQUIRED FIELDS")
AP_SERVER = _t("add_phone", "SERVER DOES NOT EXIST")
AP_EXISTS = _t("add_phone", "PHONE ALREADY EXISTS")
AP_LOGIN = _t("add_phone", "PHONE LOGIN ALREADY EXISTS")
AP_TZ = _t("add_phone", "VALID TIMEZONE")
AP_OK = _t("add_phone", "SUCCESS")


@handler(NA, "add_phone")
def add_phone(call: Call) -> str:
    """add_phone: create a phone (extension) on a telephony server and flag that server for a config
    rebuild.
    """
    st = call.state
    user = call.uname
    if not _ast(call):
        return AP_PERM.denied(user) + "\n"
    p = call.params
    v = {
        k: p.get(k, "")
        for k in (
            "extension",
            "dialplan_number",
            "voicemail_id",
            "phone_login",
            "phone_pass",
            "server_ip",
            "protocol",
            "registration_password",
            "phone_full_name",
            "local_gmt",
            "outbound_cid",
        )
    }
    v["extension"] = f.ident(v["extension"])
    v["dialplan_number"] = re.sub(r"[^A-Za-z0-9*#]", "", v["dialplan_number"])
    v["voicemail_id"] = f.alnum(v["voicemail_id"])
    v["outbound_cid"] = f.digits(v["outbound_cid"])
    if (
        len(v["extension"]) < 2
        or len(v["dialplan_number"]) < 2
        or not v["voicemail_id"]
        or not v["phone_login"]
        or not v["phone_pass"]
        or len(v["server_ip"]) < 7
        or v["protocol"] not in ("IAX2", "SIP", "Zap", "EXTERNAL")
        or not v["registration_password"]
        or not v["phone_full_name"]
        or not v["local_gmt"]
        or not v["outbound_cid"]
    ):
        return AP_REQUIRED(user, *v.values()) + "\n"
    if v["server_ip"] not in st.servers:
        return AP_SERVER(user, v["server_ip"]) + "\n"
    if (v["extension"], v["server_ip"]) in st.phones:
        return AP_EXISTS(user, v["server_ip"], v["extension"]) + "\n"
    if any(ph.login == v["phone_login"] for ph in st.phones.values()):
        return AP_LOGIN(user, v["phone_login"]) + "\n"
    if v["local_gmt"] not in _GMT:
        return AP_TZ(user, v["local_gmt"]) + "\n"
    st.phones[v["extension"], v["server_ip"]] = Phone(
        extension=v["extension"],
        server_ip=v["server_ip"],
        login=v["phone_login"],
        password=v["phone_pass"],
        dialplan_number=v["dialplan_number"],
        voicemail_id=v["voicemail_id"],
        protocol=v["protocol"],
        registration_password=v["registration_password"],
        fullname=v["phone_full_name"],
        local_gmt=v["local_gmt"],
        outbound_cid=v["outbound_cid"],
        email=p.get("email", ""),
        admin_user_group=p.get("admin_user_group") or "---ALL---",
    )
    return AP_OK(user, v["extension"], v["server_ip"], v["protocol"], v["dialplan_number"]) + "\n"


UP_PERM = _t("update_phone", "PERMISSION TO UPDATE PHONES")
UP_REQUIRED = _t("update_phone", "REQUIRED FIELDS")
UP_SERVER = _t("update_phone", "SERVER DOES NOT EXIST")
UP_MISSING = _t("update_phone", "PHONE DOES NOT EXIST")
UP_DEL_PERM = _t("update_phone", "PERMISSION TO DELETE PHONES")
UP_DELETED = _t("update_phone", "PHONE HAS BEEN DELETED")
UP_OK = _t("update_phone", "PHONE HAS BEEN UPDATED")
UP_TZ = _t("update_phone", "VALID TIMEZONE")
UP_PROTOCOL = _t("update_phone", "VALID PROTOCOL")
UP_LOGIN = _t("update_phone", "LOGIN ALREADY EXISTS")
UP_NAME = _t("update_phone", "VALID PHONE NAME")
UP_CID = _t("update_phone", "OUTBOUND CID MUST BE")
UP_ACTIVE = _t("update_phone", "ACTIVE MUST BE")


@handler(NA, "update_phone")
def update_phone(call: Call) -> str:
    """update_phone: change settings of an existing phone (by extension + server_ip) or delete it; flags
    the server for a config rebuild.
    """
    st = call.state
    user = call.uname
    if not _ast(call):
        return UP_PERM.denied(user) + "\n"
    ext = f.ident(call.get("extension"))
    server = call.get("server_ip")
    if len(ext) < 2 or len(server) < 7:
        return UP_REQUIRED(user, ext, server) + "\n"
    if server not in st.servers:
        return UP_SERVER(user, server) + "\n"
    phone = st.phones.get((ext, server))
    if phone is None or not call.views_group(phone.admin_user_group):
        return UP_MISSING(user, server, ext) + "\n"
    if call.get("delete_phone") == "Y":
        if call.user.ast_delete_phones != 1:
            return UP_DEL_PERM.denied(user) + "\n"
        del st.phones[ext, server]
        return UP_DELETED(user, ext, server) + "\n"
    p = call.params
    if p.get("local_gmt") and p["local_gmt"] not in _GMT:
        return UP_TZ(user, p["local_gmt"]) + "\n"
    if p.get("phone_full_name") and not 2 <= len(p["phone_full_name"]) <= 30:
        return UP_NAME(user, p["phone_full_name"]) + "\n"
    if p.get("protocol") and p["protocol"] not in ("IAX2", "SIP", "Zap", "EXTERNAL"):
        return UP_PROTOCOL(user, p["protocol"]) + "\n"
    login = p.get("phone_login", "")
    if login and any(ph.login == login and ph is not phone for ph in st.phones.values()):
        return UP_LOGIN(user, login) + "\n"
    if p.get("active") and p["active"] not in ("Y", "N"):
        return UP_ACTIVE(user, p["active"]) + "\n"
    if p.get("outbound_cid") and not 6 <= len(f.digits(p["outbound_cid"])) <= 18:
        return UP_CID(user, p["outbound_cid"]) + "\n"
    for src, attr in (
        ("phone_login", "login"),
        ("phone_pass", "password"),
        ("protocol", "protocol"),
        ("local_gmt", "local_gmt"),
        ("dialplan_number", "dialplan_number"),
        ("voicemail_id", "voicemail_id"),
        ("outbound_cid", "outbound_cid"),
        ("email", "email"),
        ("active", "active"),
        ("admin_user_group", "admin_user_group"),
        ("registration_password", "registration_password"),
        ("phone_full_name", "fullname"),
    ):
        if p.get(src):
            setattr(phone, attr, "" if p[src] == "--BLANK--" else p[src])
    return UP_OK(user, ext, server) + "\n"


PA_PERM = _t("add_phone_alias", "PERMISSION")
PA_REQUIRED = _t("add_phone_alias", "REQUIRED FIELDS")
PA_EXISTS = _t("add_phone_alias", "ALIAS ALREADY EXISTS")
PA_NO_PHONE = _t("add_phone_alias", "PHONE DOES NOT EXIST")
PA_OK = _t("add_phone_alias", "SUCCESS")


def _logins(call: Call) -> set[str]:
    return {ph.login for ph in call.state.phones.values()}


@handler(NA, "add_phone_alias")
def add_phone_alias(call: Call) -> str:
    """add_phone_alias: create a phone alias that groups several phone logins under one login."""
    st = call.state
    user = call.uname
    if not _ast(call):
        return PA_PERM.denied(user) + "\n"
    alias = f.ident(call.get("alias_id"))
    name = call.get("alias_name")
    logins = call.get("phone_logins")
    if len(alias) < 2 or not name or len(logins) < 2:
        return PA_REQUIRED(user, alias, name, logins) + "\n"
    if alias in st.phone_aliases:
        return PA_EXISTS(user, alias) + "\n"
    known = _logins(call)
    for login in logins.split(","):
        if login not in known:
            return PA_NO_PHONE(user, login) + "\n"
    st.phone_aliases[alias] = {"alias_name": name, "logins": logins}
    return PA_OK(user, alias, name, logins) + "\n"


UA_PERM = _t("update_phone_alias", "PERMISSION TO UPDATE")
UA_REQUIRED = _t("update_phone_alias", "REQUIRED FIELDS")
UA_MISSING = _t("update_phone_alias", "ALIAS DOES NOT EXIST")
UA_NAME = _t("update_phone_alias", "VALID ALIAS NAME")
UA_NO_PHONE = _t("update_phone_alias", "ERROR: update_phone_alias PHONE DOES NOT EXIST")
UA_DEL_PERM = _t("update_phone_alias", "PERMISSION TO DELETE")
UA_DELETED = _t("update_phone_alias", "HAS BEEN DELETED")
UA_OK = _t("update_phone_alias", "HAS BEEN UPDATED")


@handler(NA, "update_phone_alias")
def update_phone_alias(call: Call) -> str:
    """update_phone_alias: change the name or login list of a phone alias, or delete it."""
    st = call.state
    user = call.uname
    if not _ast(call):
        return UA_PERM.denied(user) + "\n"
    alias = f.ident(call.get("alias_id"))
    name, logins = call.get("alias_name"), call.get("phone_logins")
    delete = call.get("delete_alias") == "Y"
    if len(alias) < 2 or not (name or logins or delete):
        return UA_REQUIRED(user, alias, name, logins) + "\n"
    entry = st.phone_aliases.get(alias)
    if entry is None:
        return UA_MISSING(user, alias) + "\n"
    if delete:
        if call.user.ast_delete_phones != 1:
            return UA_DEL_PERM.denied(user) + "\n"
        del st.phone_aliases[alias]
        return UA_DELETED(user, alias) + "\n"
    if name and not 2 <= len(name) <= 50:
        return UA_NAME(user, name) + "\n"
    if logins:
        known = _logins(call)
        for login in logins.split(","):
            if login not in known:
                return UA_NO_PHONE(user, login) + "\n"
        entry["logins"] = logins
    if name:
        entry["alias_name"] = name
    return UA_OK(user, alias) + "\n"


GA_PERM = _t("add_group_alias", "PERMISSION")
GA_REQUIRED = _t("add_group_alias", "REQUIRED FIELDS")
GA_EXISTS = _t("add_group_alias", "ALREADY EXISTS")
GA_OK = _t("add_group_alias", "SUCCESS")


@handler(NA, "add_group_alias")
def add_group_alias(call: Call) -> str:
    """add_group_alias: create a group alias (caller ID number/name choice for outbound calls)."""
    st = call.state
    user = call.uname
    if not _ast(call):
        return GA_PERM.denied(user) + "\n"
    cid = f.digits(call.get("caller_id_number"))
    gid = re.sub(r"[^A-Za-z0-9_]", "", call.get("group_alias_id"))
    name = re.sub(r"[^A-Za-z0-9 \-_]", "", call.get("group_alias_name").replace("+", " "))
    if len(cid) < 6:
        return GA_REQUIRED(user, gid, name, cid) + "\n"
    gid = gid if len(gid) >= 2 else cid
    name = name if len(name) >= 2 else cid
    if gid in st.group_aliases:
        return GA_EXISTS(user, gid, cid) + "\n"
    st.group_aliases[gid] = {
        "group_alias_name": name,
        "caller_id_number": cid,
        "caller_id_name": call.get("caller_id_name"),
        "active": call.get("active") or "Y",
    }
    return GA_OK(user, gid, name, cid) + "\n"


SR_PERM = _t("server_refresh", "PERMISSION")
SR_REQUIRED = _t("server_refresh", "REQUIRED FIELDS")
SR_OK = _t("server_refresh", "SUCCESS")


@handler(NA, "server_refresh")
def server_refresh(call: Call) -> str:
    """server_refresh: ask every telephony server to rebuild its configuration files."""
    st = call.state
    if not _ast(call):
        return SR_PERM.denied(call.uname) + "\n"
    if "REFRESH" not in call.get("stage"):
        return SR_REQUIRED(call.uname, "", "", "") + "\n"
    for server in st.servers.values():
        server["rebuild_conf_files"] = "Y"
    return SR_OK(call.uname, len(st.servers)) + "\n"


# -- DIDs -----------------------------------------------------------------------------------------------

_DID = re.compile(r"[^A-Za-z0-9:+*#._]")
_ROUTES = ("EXTEN", "VOICEMAIL", "AGENT", "PHONE", "IN_GROUP", "CALLMENU", "VMAIL_NO_INST")


def _dids(call: Call) -> bool:
    u = call.user
    return u.user_level >= 8 and u.modify_inbound_dids == 1 and u.vdc_agent_api_access == 1


def _did_settings(call: Call, fn: str) -> tuple[dict[str, str], str | None]:
    """Validate the optional DID settings in the order of the reference; (settings, error)."""
    st = call.state
    user = call.uname
    p = call.params
    out: dict[str, str] = {}
    checks = (
        ("did_description", "DID DESCRIPTION", lambda v: 6 <= len(v) <= 50),
        ("active", "ACTIVE MUST BE", lambda v: v in ("Y", "N")),
        ("did_route", "DID ROUTE", lambda v: v in _ROUTES),
        ("record_call", "RECORD CALL", lambda v: v in ("Y", "N", "Y_QUEUESTOP")),
        ("extension", "EXTENSION MUST BE", lambda v: 1 <= len(v) <= 50),
        ("exten_context", "EXTENSION CONTEXT", lambda v: 1 <= len(v) <= 50),
        ("voicemail_ext", "VOICEMAIL EXTENSION", lambda v: 1 <= len(v) <= 10),
        ("phone_extension", "PHONE EXTENSION", lambda v: 1 <= len(v) <= 100),
        ("server_ip", "SERVER IP", lambda v: v in st.servers),
        ("group", "GROUP ID", lambda v: v in st.in_groups),
        ("menu_id", "MENU ID", lambda v: v in st.call_menus),
        ("filter_clean_cid_number", "CLEAN CID", lambda v: 1 <= len(v) <= 20),
        ("call_handle_method", "CALL HANDLE METHOD", lambda v: 3 <= len(v) <= 20),
        ("agent_search_method", "AGENT SEARCH METHOD", lambda v: len(v) == 2),
        ("list_id", "LIST ID MUST BE", lambda v: 3 <= len(v) <= 14 and v.isdigit()),
        ("entry_list_id", "ENTRY LIST ID", lambda v: 1 <= len(v) <= 14 and v.isdigit()),
        ("campaign_id", "CAMPAIGN MUST BE", lambda v: 1 <= len(v) <= 8),
        ("phone_code", "PHONE CODE", lambda v: 1 <= len(v) <= 10),
    )
    for name, needle, ok in checks:
        if name in p and p[name] != "":
            if not ok(p[name]):
                owner = "update_did" if name == "menu_id" else fn
                return out, line(NA, fn, f"ERROR: {owner} {needle}")(user, p[name]) + "\n"
            out[name] = p[name]
    return out, None


AD_PERM = _t("add_did", "PERMISSION")
AD_REQUIRED = _t("add_did", "REQUIRED FIELDS")
AD_EXISTS = _t("add_did", "DID ALREADY EXISTS")
AD_OK = _t("add_did", "SUCCESS")


@handler(NA, "add_did")
def add_did(call: Call) -> str:
    """add_did: create an inbound DID entry with its routing settings."""
    st = call.state
    user = call.uname
    if not _dids(call):
        return AD_PERM.denied(user) + "\n"
    pattern = _DID.sub("", call.get("did_pattern"))
    if not 2 <= len(pattern) <= 50:
        return AD_REQUIRED(user, pattern) + "\n"
    if pattern in st.dids:
        return AD_EXISTS(user, pattern) + "\n"
    settings, err = _did_settings(call, "add_did")
    if err is not None:
        return err
    did = Did(
        did_id=st.next_did_id,
        did_pattern=pattern,
        did_description=settings.pop("did_description", ""),
        did_active=settings.pop("active", "Y"),
        did_route=settings.pop("did_route", "EXTEN"),
        record_call=settings.pop("record_call", "N"),
        settings=settings,
    )
    st.next_did_id += 1
    st.dids[pattern] = did
    return AD_OK(user, pattern) + "\n"


CD_PERM = _t("copy_did", "PERMISSION")
CD_REQUIRED = _t("copy_did", "REQUIRED FIELDS")
CD_SOURCE = _t("copy_did", "SOURCE DID DOES NOT EXIST")
CD_DESC = _t("copy_did", "DID DESCRIPTION")
CD_NONE = _t("copy_did", "NO DIDS ADDED")
CD_EXISTS = _t("copy_did", "DID ALREADY EXISTS")
CD_ADDED = _t("copy_did", "NOTICE: copy_did DID HAS BEEN ADDED")
CD_OK = _t("copy_did", "SUCCESS")


@handler(NA, "copy_did")
def copy_did(call: Call) -> str:
    """copy_did: create one or more new DIDs copying every setting of an existing DID."""
    import attrs

    st = call.state
    user = call.uname
    if not _dids(call):
        return CD_PERM.denied(user) + "\n"
    source = _DID.sub("", call.get("source_did_pattern"))
    new = [_DID.sub("", d) for d in call.get("new_dids").split(",") if d]
    if len(source) < 2 or not new:
        return CD_REQUIRED(user, source, call.get("new_dids")) + "\n"
    src = st.dids.get(source)
    if src is None:
        return CD_SOURCE(user, source) + "\n"
    desc = call.get("did_description")
    out: list[str] = []
    inserted = errors = 0
    for d in new:
        if d in st.dids:
            out.append(CD_EXISTS(user, d))
            errors += 1
            continue
        if desc and not 6 <= len(desc) <= 50:
            return "".join(x + "\n" for x in out) + CD_DESC(user, desc) + "\n"
        copy = attrs.evolve(
            src,
            did_id=st.next_did_id,
            did_pattern=d,
            settings=dict(src.settings),
            did_description=desc or src.did_description,
        )
        st.next_did_id += 1
        st.dids[d] = copy
        inserted += 1
        out.append(CD_ADDED(user, d, source, copy.did_id, 1))
    if not inserted:
        out.append(CD_NONE(user, source, inserted, errors))
    else:
        out.append(CD_OK(user, source, inserted, errors))
    return "".join(x + "\n" for x in out)


UD_PERM = _t("update_did", "PERMISSION TO UPDATE DIDS")
UD_REQUIRED = _t("update_did", "REQUIRED FIELDS")
UD_MISSING = _t("update_did", "DID DOES NOT EXIST")
UD_DEL_PERM = _t("update_did", "PERMISSION TO DELETE DIDS")
UD_DELETED = _t("update_did", "DID HAS BEEN DELETED")
UD_NONE = _t("update_did", "NO UPDATES DEFINED")
UD_OK = _t("update_did", "DID HAS BEEN UPDATED")


@handler(NA, "update_did")
def update_did(call: Call) -> str:
    """update_did: change routing settings of an existing inbound DID, or delete it."""
    st = call.state
    user = call.uname
    if not _dids(call):
        return UD_PERM.denied(user) + "\n"
    pattern = _DID.sub("", call.get("did_pattern"))
    if not 2 <= len(pattern) <= 50:
        return UD_REQUIRED(user, pattern) + "\n"
    did = st.dids.get(pattern)
    if did is None:
        return UD_MISSING(user, pattern) + "\n"
    if call.get("delete_did") == "Y":
        if call.user.delete_inbound_dids != 1:
            return UD_DEL_PERM.denied(user) + "\n"
        del st.dids[pattern]
        return UD_DELETED(user, pattern, did.did_id) + "\n"
    settings, err = _did_settings(call, "update_did")
    if err is not None:
        return err
    if not settings:
        return UD_NONE(user, "") + "\n"
    for key, attr in (
        ("did_description", "did_description"),
        ("active", "did_active"),
        ("did_route", "did_route"),
        ("record_call", "record_call"),
    ):
        if key in settings:
            setattr(did, attr, settings.pop(key))
    did.settings.update(settings)
    return UD_OK(user, pattern) + "\n"

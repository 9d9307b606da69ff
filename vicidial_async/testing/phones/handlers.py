"""Phones and aliases: add_phone, update_phone, add_phone_alias, update_phone_alias, add_group_alias."""

from __future__ import annotations

import re

from .. import filters as f
from ..core import Call, handles, requires
from ..records import Phone
from ..wire import Setting, line, read_settings, set_sent

NA = "non_agent"


# -- phones ------------------------------------------------------------------------------------------


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
_PROTOCOLS = ("IAX2", "SIP", "Zap", "EXTERNAL")
AP_PERM = line(NA, "add_phone", "PERMISSION")
AP_REQUIRED = line(NA, "add_phone", "REQUIRED FIELDS")
AP_SERVER = line(NA, "add_phone", "SERVER DOES NOT EXIST")
AP_EXISTS = line(NA, "add_phone", "PHONE ALREADY EXISTS")
AP_LOGIN = line(NA, "add_phone", "PHONE LOGIN ALREADY EXISTS")
AP_TZ = line(NA, "add_phone", "VALID TIMEZONE")
AP_OK = line(NA, "add_phone", "SUCCESS")


@handles(NA, "add_phone")
@requires(AP_PERM, 8, "ast_admin_access")
def add_phone(call: Call) -> str:
    """add_phone: create a phone (extension) on a telephony server and flag that server for a config
    rebuild.
    """
    st = call.state
    user = call.uname
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
        or v["protocol"] not in _PROTOCOLS
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


UP_PERM = line(NA, "update_phone", "PERMISSION TO UPDATE PHONES")
UP_REQUIRED = line(NA, "update_phone", "REQUIRED FIELDS")
UP_SERVER = line(NA, "update_phone", "SERVER DOES NOT EXIST")
UP_MISSING = line(NA, "update_phone", "PHONE DOES NOT EXIST")
UP_DEL_PERM = line(NA, "update_phone", "PERMISSION TO DELETE PHONES")
UP_DELETED = line(NA, "update_phone", "PHONE HAS BEEN DELETED")
UP_OK = line(NA, "update_phone", "PHONE HAS BEEN UPDATED")
UP_TZ = line(NA, "update_phone", "VALID TIMEZONE")
UP_PROTOCOL = line(NA, "update_phone", "VALID PROTOCOL")
UP_LOGIN = line(NA, "update_phone", "LOGIN ALREADY EXISTS")
UP_NAME = line(NA, "update_phone", "VALID PHONE NAME")
UP_CID = line(NA, "update_phone", "OUTBOUND CID MUST BE")
UP_ACTIVE = line(NA, "update_phone", "ACTIVE MUST BE")


# update_phone: form field -> phones column.
_PHONE_FIELDS = {
    "phone_login": "login",
    "phone_pass": "password",
    "protocol": "protocol",
    "local_gmt": "local_gmt",
    "dialplan_number": "dialplan_number",
    "voicemail_id": "voicemail_id",
    "outbound_cid": "outbound_cid",
    "email": "email",
    "active": "active",
    "admin_user_group": "admin_user_group",
    "registration_password": "registration_password",
    "phone_full_name": "fullname",
}


@handles(NA, "update_phone")
@requires(UP_PERM, 8, "ast_admin_access")
def update_phone(call: Call) -> str:
    """update_phone: change settings of an existing phone (by extension + server_ip) or delete it; flags
    the server for a config rebuild.
    """
    st = call.state
    user = call.uname
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
    others = {ph.login for ph in st.phones.values() if ph is not phone}
    checks = (
        Setting("local_gmt", UP_TZ, lambda v: v in _GMT),
        Setting("phone_full_name", UP_NAME, lambda v: 2 <= len(v) <= 30),
        Setting("protocol", UP_PROTOCOL, lambda v: v in _PROTOCOLS),
        Setting("phone_login", UP_LOGIN, lambda v: v not in others),
        Setting("active", UP_ACTIVE, lambda v: v in ("Y", "N")),
        Setting("outbound_cid", UP_CID, lambda v: 6 <= len(f.digits(v)) <= 18),
    )
    _, err = read_settings(p, user, checks)
    if err is not None:
        return err
    set_sent(p, phone, _PHONE_FIELDS)
    return UP_OK(user, ext, server) + "\n"


PA_PERM = line(NA, "add_phone_alias", "PERMISSION")
PA_REQUIRED = line(NA, "add_phone_alias", "REQUIRED FIELDS")
PA_EXISTS = line(NA, "add_phone_alias", "ALIAS ALREADY EXISTS")
PA_NO_PHONE = line(NA, "add_phone_alias", "PHONE DOES NOT EXIST")
PA_OK = line(NA, "add_phone_alias", "SUCCESS")


def _logins(call: Call) -> set[str]:
    return {ph.login for ph in call.state.phones.values()}


@handles(NA, "add_phone_alias")
@requires(PA_PERM, 8, "ast_admin_access")
def add_phone_alias(call: Call) -> str:
    """add_phone_alias: create a phone alias that groups several phone logins under one login."""
    st = call.state
    user = call.uname
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


UA_PERM = line(NA, "update_phone_alias", "PERMISSION TO UPDATE")
UA_REQUIRED = line(NA, "update_phone_alias", "REQUIRED FIELDS")
UA_MISSING = line(NA, "update_phone_alias", "ALIAS DOES NOT EXIST")
UA_NAME = line(NA, "update_phone_alias", "VALID ALIAS NAME")
UA_NO_PHONE = line(NA, "update_phone_alias", "ERROR: update_phone_alias PHONE DOES NOT EXIST")
UA_DEL_PERM = line(NA, "update_phone_alias", "PERMISSION TO DELETE")
UA_DELETED = line(NA, "update_phone_alias", "HAS BEEN DELETED")
UA_OK = line(NA, "update_phone_alias", "HAS BEEN UPDATED")


@handles(NA, "update_phone_alias")
@requires(UA_PERM, 8, "ast_admin_access")
def update_phone_alias(call: Call) -> str:
    """update_phone_alias: change the name or login list of a phone alias, or delete it."""
    st = call.state
    user = call.uname
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


GA_PERM = line(NA, "add_group_alias", "PERMISSION")
GA_REQUIRED = line(NA, "add_group_alias", "REQUIRED FIELDS")
GA_EXISTS = line(NA, "add_group_alias", "ALREADY EXISTS")
GA_OK = line(NA, "add_group_alias", "SUCCESS")


@handles(NA, "add_group_alias")
@requires(GA_PERM, 8, "ast_admin_access")
def add_group_alias(call: Call) -> str:
    """add_group_alias: create a group alias (caller ID number/name choice for outbound calls)."""
    st = call.state
    user = call.uname
    cid = f.digits(call.get("caller_id_number"))
    gid = f.word(call.get("group_alias_id"))
    name = f.label(call.get("group_alias_name"))
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

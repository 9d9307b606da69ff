"""Inbound DIDs: add_did, copy_did, update_did."""

from __future__ import annotations

import re

from ..core import Call, handles, requires
from ..records import Did
from ..wire import line, lines

NA = "non_agent"


# -- DIDs -----------------------------------------------------------------------------------------------

_DID = re.compile(r"[^A-Za-z0-9:+*#._]")
_ROUTES = ("EXTEN", "VOICEMAIL", "AGENT", "PHONE", "IN_GROUP", "CALLMENU", "VMAIL_NO_INST")


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


AD_PERM = line(NA, "add_did", "PERMISSION")
AD_REQUIRED = line(NA, "add_did", "REQUIRED FIELDS")
AD_EXISTS = line(NA, "add_did", "DID ALREADY EXISTS")
AD_OK = line(NA, "add_did", "SUCCESS")


@handles(NA, "add_did")
@requires(AD_PERM, 8, "modify_inbound_dids")
def add_did(call: Call) -> str:
    """add_did: create an inbound DID entry with its routing settings."""
    st = call.state
    user = call.uname
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


CD_PERM = line(NA, "copy_did", "PERMISSION")
CD_REQUIRED = line(NA, "copy_did", "REQUIRED FIELDS")
CD_SOURCE = line(NA, "copy_did", "SOURCE DID DOES NOT EXIST")
CD_DESC = line(NA, "copy_did", "DID DESCRIPTION")
CD_NONE = line(NA, "copy_did", "NO DIDS ADDED")
CD_EXISTS = line(NA, "copy_did", "DID ALREADY EXISTS")
CD_ADDED = line(NA, "copy_did", "NOTICE: copy_did DID HAS BEEN ADDED")
CD_OK = line(NA, "copy_did", "SUCCESS")


@handles(NA, "copy_did")
@requires(CD_PERM, 8, "modify_inbound_dids")
def copy_did(call: Call) -> str:
    """copy_did: create one or more new DIDs copying every setting of an existing DID."""
    import attrs

    st = call.state
    user = call.uname
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
            return lines([*out, CD_DESC(user, desc)])
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
    return lines(out)


UD_PERM = line(NA, "update_did", "PERMISSION TO UPDATE DIDS")
UD_REQUIRED = line(NA, "update_did", "REQUIRED FIELDS")
UD_MISSING = line(NA, "update_did", "DID DOES NOT EXIST")
UD_DEL_PERM = line(NA, "update_did", "PERMISSION TO DELETE DIDS")
UD_DELETED = line(NA, "update_did", "DID HAS BEEN DELETED")
UD_NONE = line(NA, "update_did", "NO UPDATES DEFINED")
UD_OK = line(NA, "update_did", "DID HAS BEEN UPDATED")


@handles(NA, "update_did")
@requires(UD_PERM, 8, "modify_inbound_dids")
def update_did(call: Call) -> str:
    """update_did: change routing settings of an existing inbound DID, or delete it."""
    st = call.state
    user = call.uname
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

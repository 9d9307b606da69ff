"""Records of the fake's in-memory database: one class per VICIdial table it emulates.

They are plain mutable ``attrs`` classes, inspectable (and changeable) from tests. Lead columns
follow ``vicidial_list``; custom field values of a lead live in ``Lead.custom``.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..protocol.lead_fields import VICIDIAL_LIST_COLUMNS

__all__ = [
    "LiveAgent",
    "Callback",
    "Campaign",
    "CustomField",
    "Did",
    "HopperEntry",
    "InGroup",
    "Lead",
    "LeadList",
    "LiveCall",
    "Phone",
    "User",
    "UserGroup",
    "LEAD_COLUMNS",
]

LEAD_COLUMNS = VICIDIAL_LIST_COLUMNS
"""Every ``vicidial_list`` column, in table order."""


def _asdict(obj: Any) -> dict[str, Any]:
    return attrs.asdict(obj, recurse=True, value_serializer=_ser)


def _ser(inst: Any, field: Any, value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return value


@attrs.define(kw_only=True, eq=False)
class Lead:
    """One ``vicidial_list`` row (``custom`` holds the lead's custom field values by label)."""

    lead_id: int
    list_id: int
    phone_number: str
    entry_date: str = ""
    modify_date: str = ""
    status: str = "NEW"
    user: str = ""
    vendor_lead_code: str = ""
    source_id: str = ""
    gmt_offset_now: str = "-5.00"
    called_since_last_reset: str = "N"
    phone_code: str = "1"
    title: str = ""
    first_name: str = ""
    middle_initial: str = ""
    last_name: str = ""
    address1: str = ""
    address2: str = ""
    address3: str = ""
    city: str = ""
    state: str = ""
    province: str = ""
    postal_code: str = ""
    country_code: str = ""
    gender: str = "U"
    date_of_birth: str = "0000-00-00"
    alt_phone: str = ""
    email: str = ""
    security_phrase: str = ""
    comments: str = ""
    called_count: int = 0
    last_local_call_time: str = "2008-01-01 00:00:00"
    rank: int = 0
    owner: str = ""
    entry_list_id: int = 0
    custom: dict[str, str] = attrs.field(factory=dict)
    entry_epoch: float = 0.0
    """entry_date as POSIX seconds (what the N-DAY duplicate checks compare)."""
    alt_phones: list[tuple[str, str, str]] = attrs.field(factory=list)
    """Rows of vicidial_list_alt_phones: (phone_number, phone_code, note)."""

    def column(self, name: str) -> str:
        """A ``vicidial_list`` column as the server prints it."""
        return str(getattr(self, name))

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        return _asdict(self)


@attrs.define(kw_only=True, eq=False)
class CustomField:
    """One custom field definition of a list (``vicidial_lists_fields``)."""

    field_label: str
    field_name: str = ""
    field_type: str = "TEXT"
    field_size: int = 20
    field_max: int = 100
    field_rank: int = 1
    field_order: int = 1
    field_default: str = ""
    field_options: str = ""
    field_required: str = "N"
    field_description: str = ""
    field_help: str = ""
    field_duplicate: str = "N"
    field_show_hide: str = "DISABLED"
    field_id: int = 0


@attrs.define(kw_only=True, eq=False)
class LeadList:
    """One ``vicidial_lists`` row and its custom field definitions."""

    list_id: int
    list_name: str = ""
    campaign_id: str = "TESTCAMP"
    active: str = "Y"
    list_description: str = ""
    list_changedate: str = ""
    list_lastcalldate: str = ""
    expiration_date: str = "2099-12-31"
    resets_today: int = 0
    daily_reset_limit: int = -1
    reset_time: str = ""
    local_call_time: str = "campaign"
    time_zone_setting: str = "COUNTRY_AND_AREA_CODE"
    campaign_cid_override: str = ""
    script: str = ""
    am_message: str = ""
    drop_inbound_group: str = ""
    web_form_address: str = ""
    web_form_address_two: str = ""
    web_form_address_three: str = ""
    xferconf: list[str] = attrs.field(factory=lambda: [""] * 5)
    custom_fields: dict[str, CustomField] = attrs.field(factory=dict)
    custom_table: bool = False
    """True once the list has a custom_{list_id} table (some field was ever added)."""

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        return _asdict(self)


@attrs.define(kw_only=True, eq=False)
class Campaign:
    """One ``vicidial_campaigns`` row (the settings the API reads or writes)."""

    campaign_id: str
    campaign_name: str = ""
    active: str = "Y"
    user_group: str = "---ALL---"
    dial_method: str = "MANUAL"
    auto_dial_level: str = "0"
    adaptive_maximum_level: str = "3.0"
    lead_order: str = "DOWN"
    lead_order_randomize: str = "N"
    lead_order_secondary: str = "LEAD_ASCEND"
    dial_statuses: list[str] = attrs.field(factory=lambda: ["NEW"])
    dial_timeout: int = 60
    dial_prefix: str = "9"
    manual_dial_prefix: str = ""
    three_way_dial_prefix: str = ""
    hopper_level: int = 100
    campaign_vdad_exten: str = "8368"
    campaign_cid: str = "0000000000"
    lead_filter_id: str = ""
    campaign_allow_inbound: str = "Y"
    closer_campaigns: list[str] = attrs.field(factory=list)
    api_manual_dial: str = "STANDARD"
    manual_dial_list_id: int = 998
    manual_preview_dial: str = "PREVIEW_AND_SKIP"
    alt_number_dialing: str = "Y"
    agent_lead_search: str = "DISABLED"
    use_other_campaign_dnc: str = ""
    scheduled_callbacks_statuses: list[str] = attrs.field(factory=lambda: ["CALLBK"])
    xferconf: list[str] = attrs.field(factory=lambda: [""] * 5)
    dispo_call_url: str = ""
    start_call_url: str = ""
    dead_trigger_url: str = ""
    na_call_url: str = ""
    """The call URLs the fake fires (``testing/webhook_firing.py``); ``ALT`` for alternate rows."""
    alt_url_types: list[str] = attrs.field(factory=list)
    """URL settings of the campaign set to ALT (update_alt_url works on those; ``dispo``/``start``/
    ``noagent`` also when that URL setting is ALT)."""
    web_form_address: list[str] = attrs.field(factory=lambda: [""] * 3)
    presets: dict[str, dict[str, str]] = attrs.field(factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        return _asdict(self)


@attrs.define(kw_only=True, eq=False)
class InGroup:
    """One ``vicidial_inbound_groups`` row."""

    group_id: str
    group_name: str = ""
    group_color: str = "white"
    active: str = "Y"
    user_group: str = "---ALL---"
    add_lead_url: str = ""
    """Fired when an inbound call of this in-group creates a lead (testing/webhook_firing.py)."""


@attrs.define(kw_only=True, eq=False)
class UserGroup:
    """One ``vicidial_user_groups`` row. ``allowed_campaigns`` holds ``-ALL-CAMPAIGNS-`` for all."""

    user_group: str
    group_name: str = ""
    allowed_campaigns: tuple[str, ...] = ("-ALL-CAMPAIGNS-",)
    admin_viewable_groups: tuple[str, ...] = ("---ALL---",)

    def allows_campaign(self, campaign_id: str) -> bool:
        """Whether the group may use the campaign."""
        return "-ALL-CAMPAIGNS-" in self.allowed_campaigns or campaign_id in self.allowed_campaigns

    def views_group(self, group: str) -> bool:
        """Whether the group may view the other user group."""
        return "---ALL---" in self.admin_viewable_groups or group in self.admin_viewable_groups


@attrs.define(kw_only=True, eq=False)
class User:
    """One ``vicidial_users`` row: the settings and permission flags the API checks."""

    user: str
    password: str = attrs.field(repr=False)
    full_name: str = ""
    user_level: int = 1
    user_group: str = "ADMIN"
    active: str = "Y"
    api_allowed_functions: tuple[str, ...] = ("ALL_FUNCTIONS",)
    api_list_restrict: bool = False
    modify_leads: int = 1
    vdc_agent_api_access: int = 1
    view_reports: int = 1
    modify_users: int = 1
    modify_lists: int = 1
    modify_campaigns: int = 1
    modify_inbound_dids: int = 1
    modify_remoteagents: int = 1
    modify_same_user_level: int = 1
    delete_users: int = 1
    delete_lists: int = 1
    delete_from_dnc: int = 1
    delete_inbound_dids: int = 1
    ast_admin_access: int = 1
    ast_delete_phones: int = 1
    change_agent_campaign: int = 1
    custom_fields_modify: int = 1
    agentcall_manual: int = 1
    phone_login: str = ""
    phone_pass: str = ""
    email: str = ""
    voicemail_id: str = ""
    hotkeys_active: str = "0"
    wrapup_seconds_override: int = -1
    closer_campaigns: list[str] = attrs.field(factory=list)
    closer_default_blended: str = "0"
    agent_choose_ingroups: str = "1"
    agent_choose_blended: str = "1"
    custom_one: str = ""
    custom_two: str = ""
    custom_three: str = ""
    custom_four: str = ""
    custom_five: str = ""
    failed_login_count: int = 0
    last_login_epoch: float = 0.0
    campaign_ranks: dict[str, tuple[int, int]] = attrs.field(factory=dict)
    ingroup_ranks: dict[str, tuple[int, int]] = attrs.field(factory=dict)

    def allows_function(self, function: str) -> bool:
        """Whether api_allowed_functions lets the user call the function."""
        fns = self.api_allowed_functions
        return "ALL_FUNCTIONS" in fns or function in fns

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        d = _asdict(self)
        d.pop("password", None)
        return d


@attrs.define(kw_only=True, eq=False)
class Phone:
    """One ``phones`` row."""

    extension: str
    server_ip: str
    login: str = ""
    password: str = attrs.field(default="", repr=False)
    dialplan_number: str = ""
    voicemail_id: str = ""
    protocol: str = "SIP"
    registration_password: str = attrs.field(default="", repr=False)
    fullname: str = ""
    local_gmt: str = "-5.00"
    outbound_cid: str = ""
    email: str = ""
    active: str = "Y"
    admin_user_group: str = "---ALL---"
    settings: dict[str, str] = attrs.field(factory=dict)


@attrs.define(kw_only=True, eq=False)
class Did:
    """One ``vicidial_inbound_dids`` row."""

    did_id: int
    did_pattern: str
    did_description: str = ""
    did_active: str = "Y"
    did_route: str = "EXTEN"
    record_call: str = "N"
    settings: dict[str, str] = attrs.field(factory=dict)


@attrs.define(kw_only=True, eq=False)
class Callback:
    """One ``vicidial_callbacks`` row."""

    callback_id: int
    lead_id: int
    list_id: int
    campaign_id: str
    status: str = "ACTIVE"
    entry_time: str = ""
    callback_time: str = ""
    modify_date: str = ""
    user: str = ""
    recipient: str = "ANYONE"
    comments: str = ""
    user_group: str = ""
    lead_status: str = "CALLBK"


@attrs.define(kw_only=True, eq=False)
class HopperEntry:
    """One ``vicidial_hopper`` row (one per lead)."""

    hopper_id: int
    lead_id: int
    campaign_id: str
    list_id: int
    status: str = "READY"
    user: str = ""
    priority: int = 0
    source: str = "P"
    alt_dial: str = "NONE"
    gmt_offset_now: str = "-5.00"
    state: str = ""
    vendor_lead_code: str = ""


@attrs.define(kw_only=True, eq=False)
class LiveCall:
    """A call waiting in a queue (``vicidial_auto_calls`` with status LIVE)."""

    callerid: str
    campaign_id: str
    phone_number: str = ""
    lead_id: int = 0
    inbound: bool = False
    status: str = "LIVE"


@attrs.define(kw_only=True, eq=False)
class LiveAgent:
    """A logged-in agent (``vicidial_live_agents``) and the state machine behind the Agent API.

    ``status`` is the live status: ``READY``, ``QUEUE``, ``INCALL``, ``PAUSED`` or ``CLOSER``;
    ``sub_status`` the real-time detail (``DISPO``, ``PREVIEW``, ``DEAD``, ``RING``, ``DIAL`` ...).
    Commands the API queues for the agent's screen are applied at once (the fake has no browser),
    and the last one of each slot is kept in ``commands`` for inspection.
    """

    user: str
    campaign_id: str = "TESTCAMP"
    status: str = "PAUSED"
    sub_status: str = ""
    pause_code: str = ""
    lead_id: int = 0
    callerid: str = ""
    uniqueid: str = ""
    session_id: str = "8600051"
    server_ip: str = "10.0.0.5"
    computer_ip: str = ""
    calls_today: int = 0
    login_epoch: float = 0.0
    state_epoch: float = 0.0
    closer_campaigns: list[str] = attrs.field(factory=list)
    blended: bool = False
    pause_after_call: bool = False
    logout_after_call: bool = False
    inbound: bool = False
    ingroup: str = ""
    manual_dial_queue: list[str] = attrs.field(factory=list)
    recordings: list[int] = attrs.field(factory=list)
    audio_playing: str = ""
    webphone_url: str = ""
    commands: dict[str, str] = attrs.field(factory=dict)
    time: dict[str, float] = attrs.field(
        factory=lambda: {"wait": 0.0, "talk": 0.0, "pause": 0.0, "dispo": 0.0, "dead": 0.0}
    )
    """Seconds spent per activity since login (what agent_stats_export reports)."""
    calls: int = 0
    pauses: int = 0
    sessions: int = 1

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        return _asdict(self)

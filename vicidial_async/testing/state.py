"""The fake's database: tables as dicts of records, plus the indexes that keep look-ups O(1).

Duplicate checks, lead searches and DNC checks go through indexes (phone, alt_phone,
vendor_lead_code, list), so add_lead stays fast however many leads are loaded. Changing an
indexed lead column from a test should go through :meth:`State.set_lead_field` (or call
:meth:`State.reindex` afterwards).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .records import (
    Callback,
    Campaign,
    Did,
    HopperEntry,
    InGroup,
    Lead,
    LeadList,
    LiveAgent,
    LiveCall,
    Phone,
    User,
    UserGroup,
)

__all__ = ["State", "VirtualClock", "SYSTEM_DNC"]

SYSTEM_DNC = "SYSTEM_INTERNAL"
_INDEXED = frozenset({"phone_number", "alt_phone", "vendor_lead_code", "list_id"})


class VirtualClock:
    """A settable clock for tests: ``clock()`` is POSIX seconds, ``advance()`` moves it."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01 00:00:00 UTC
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


class State:
    """Every table of the fake, with its indexes and id counters."""

    def __init__(self, *, clock: Callable[[], float] | None = None, gmt_offset: float = 0.0) -> None:
        self.clock: Callable[[], float] = clock or time.time
        self.gmt_offset = gmt_offset
        """Hours added to UTC for the server's local time (what entry_date and reports show)."""
        self.leads: dict[int, Lead] = {}
        self.archived_leads: dict[int, Lead] = {}
        self.lists: dict[int, LeadList] = {}
        self.campaigns: dict[str, Campaign] = {}
        self.in_groups: dict[str, InGroup] = {}
        self.users: dict[str, User] = {}
        self.user_groups: dict[str, UserGroup] = {}
        self.dnc: dict[str, set[str]] = {SYSTEM_DNC: set()}
        """DNC numbers by list: ``SYSTEM_INTERNAL`` (system list) or a campaign id."""
        self.filter_phone_groups: dict[str, set[str]] = {}
        self.phones: dict[tuple[str, str], Phone] = {}
        self.phone_aliases: dict[str, dict[str, Any]] = {}
        self.group_aliases: dict[str, dict[str, str]] = {}
        self.dids: dict[str, Did] = {}
        self.servers: dict[str, dict[str, str]] = {}
        self.call_times: set[str] = set()
        self.scripts: set[str] = set()
        self.lead_filters: set[str] = set()
        self.call_menus: dict[str, str] = {}
        self.cid_groups: dict[str, list[dict[str, str]]] = {}
        self.alt_urls: dict[int, dict[str, str]] = {}
        self.remote_agents: dict[str, dict[str, Any]] = {}
        self.hopper: dict[int, HopperEntry] = {}
        """Hopper rows by lead_id (VICIdial keeps at most one per lead)."""
        self.callbacks: dict[int, Callback] = {}
        self.archived_callbacks: list[Callback] = []
        self.agents: dict[str, LiveAgent] = {}
        self.webhook_outbox: list[tuple[str, str, bool]] = []
        """Call URLs queued by agent actions: (kind, url, synchronous) (testing/webhook_firing.py)."""
        self.webhooks_sent: list[dict[str, Any]] = []
        """Call URLs sent: kind, url (without its query), HTTP status (0: failed), at."""
        """Live agent sessions by user."""
        self.live_calls: list[LiveCall] = []
        self.call_log: list[dict[str, Any]] = []
        """Finished calls (vicidial_log / vicidial_closer_log rows) for the log and stats functions."""
        self.agent_log: list[dict[str, Any]] = []
        self.recording_log: list[dict[str, Any]] = []
        """Call recordings (recording_log rows): what recording_lookup searches."""
        self.did_log: list[dict[str, Any]] = []
        """Calls that arrived on a DID (vicidial_did_log rows): what did_log_export reads."""
        self.monitors: list[dict[str, Any]] = []
        """Monitor calls blind_monitor launched (the vicidial_manager Originate rows)."""
        self.notifications: list[dict[str, str]] = []
        self.nanpa_prefixes: set[str] = set()
        self.sound_files: dict[str, int] = {"beep.wav": 12044, "ding.wav": 8012}
        """NPANXX codes of vicidial_nanpa_prefix_codes (fewer than 10 switch the NANPA checks off)."""
        self.settings: dict[str, str] = {
            "custom_fields_enabled": "1",
            "vdc_agent_api_active": "1",
            "agent_notifications": "1",
            "outbound_cid_any": "DISABLED",
            "sounds_central_control_active": "1",
            "agent_whisper_enabled": "1",
            "auto_dial_limit": "4",
            "version": "2.14-917a",
            "build": "240504-1552",
        }
        self.by_phone: dict[str, set[int]] = {}
        self.by_alt: dict[str, set[int]] = {}
        self.by_vendor: dict[str, set[int]] = {}
        self.by_list: dict[int, set[int]] = {}
        self.next_lead_id = 1
        self.next_hopper_id = 1
        self.next_callback_id = 1
        self.next_did_id = 1
        self.next_misc_id = 1
        self._tcache: tuple[int, str] = (-1, "")

    # -- time -------------------------------------------------------------------------------

    def now(self) -> float:
        """The current time, POSIX seconds."""
        return self.clock()

    def fmt(self, epoch: float | None = None) -> str:
        """``YYYY-MM-DD HH:MM:SS`` in server time (cached per second: add_lead calls it a lot)."""
        e = int(self.clock() if epoch is None else epoch)
        if self._tcache[0] == e:
            return self._tcache[1]
        text = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(e + self.gmt_offset * 3600))
        if epoch is None:
            self._tcache = (e, text)
        return text

    def today(self) -> str:
        """Today's date in server time, ``YYYY-MM-DD``."""
        return self.fmt()[:10]

    def parse(self, text: str) -> float | None:
        """Server-time text back to POSIX seconds (None when it is not a date/datetime)."""
        text = text.strip().replace("+", " ")
        for f in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
            try:
                t = time.strptime(text, f)
            except ValueError:
                continue
            import calendar

            return calendar.timegm(t) - self.gmt_offset * 3600
        return None

    # -- leads and their indexes ---------------------------------------------------------------

    def insert_lead(self, lead: Lead) -> Lead:
        """Add (or replace) a lead and index it."""
        if lead.lead_id in self.leads:
            self._unindex(self.leads[lead.lead_id])
        self.leads[lead.lead_id] = lead
        self._index(lead)
        if lead.lead_id >= self.next_lead_id:
            self.next_lead_id = lead.lead_id + 1
        return lead

    def new_lead_id(self) -> int:
        """The next free lead_id (auto-increment)."""
        lead_id = self.next_lead_id
        self.next_lead_id += 1
        return lead_id

    def delete_lead(self, lead_id: int) -> Lead | None:
        """Remove a lead and its index entries; the removed lead or None."""
        lead = self.leads.pop(lead_id, None)
        if lead is not None:
            self._unindex(lead)
        return lead

    def set_lead_field(self, lead: Lead, name: str, value: Any) -> None:
        """Change one column, keeping the indexes right."""
        if name in _INDEXED and self.leads.get(lead.lead_id) is lead:
            self._unindex(lead)
            setattr(lead, name, value)
            self._index(lead)
        else:
            setattr(lead, name, value)

    def reindex(self) -> None:
        """Rebuild every lead index (after changing lead columns directly)."""
        for idx in (self.by_phone, self.by_alt, self.by_vendor, self.by_list):
            idx.clear()
        for lead in self.leads.values():
            self._index(lead)

    def _index(self, lead: Lead) -> None:
        i = lead.lead_id
        self.by_phone.setdefault(lead.phone_number, set()).add(i)
        if lead.alt_phone:
            self.by_alt.setdefault(lead.alt_phone, set()).add(i)
        if lead.vendor_lead_code:
            self.by_vendor.setdefault(lead.vendor_lead_code, set()).add(i)
        self.by_list.setdefault(lead.list_id, set()).add(i)

    def _unindex(self, lead: Lead) -> None:
        i = lead.lead_id
        for idx, key in (
            (self.by_phone, lead.phone_number),
            (self.by_alt, lead.alt_phone),
            (self.by_vendor, lead.vendor_lead_code),
        ):
            s = idx.get(key)
            if s is not None:
                s.discard(i)
                if not s:
                    del idx[key]
        s2 = self.by_list.get(lead.list_id)
        if s2 is not None:
            s2.discard(i)

    def leads_with(self, index: dict[str, set[int]], key: str) -> list[Lead]:
        """Leads whose indexed column has this value."""
        return [self.leads[i] for i in index.get(key, ())]

    def lead_ids_with(self, column: str, value: str, *, archived: bool = False) -> list[int]:
        """IDs of the leads whose ``phone_number`` or ``vendor_lead_code`` is ``value``: through
        the index in vicidial_list, by a scan of vicidial_list_archive (``archived``)."""
        if archived:
            return [x.lead_id for x in self.archived_leads.values() if x.column(column) == value]
        index = self.by_phone if column == "phone_number" else self.by_vendor
        return list(index.get(value, ()))

    # -- look-ups ----------------------------------------------------------------------------

    def campaign_of_list(self, list_id: int) -> str | None:
        """The campaign a list belongs to (None for an unknown list)."""
        lst = self.lists.get(list_id)
        return lst.campaign_id if lst is not None else None

    def campaign_lists(self, campaign_id: str) -> set[int]:
        """Every list of a campaign."""
        return {lid for lid, lst in self.lists.items() if lst.campaign_id == campaign_id}

    def in_dnc(self, phone: str, key: str, areacode: bool) -> bool:
        """Whether the number is in a DNC list (AREACODE also matches an NPAXXXXXXX entry)."""
        numbers = self.dnc.get(key)
        if not numbers:
            return False
        return phone in numbers or (areacode and f"{phone[:3]}XXXXXXX" in numbers)

    def campaign_dnc_key(self, campaign_id: str) -> str:
        """The DNC list a campaign uses (its own, or use_other_campaign_dnc)."""
        camp = self.campaigns.get(campaign_id)
        if camp is not None and camp.use_other_campaign_dnc:
            return camp.use_other_campaign_dnc
        return campaign_id

    def user_group_of(self, user: User) -> UserGroup | None:
        """The user's group record (None when the group does not exist)."""
        return self.user_groups.get(user.user_group)

    def add_hopper(self, lead: Lead, campaign_id: str, priority: int = 0, source: str = "P") -> HopperEntry:
        """Put a lead in a campaign's hopper."""
        entry = HopperEntry(
            hopper_id=self.next_hopper_id,
            lead_id=lead.lead_id,
            campaign_id=campaign_id,
            list_id=lead.list_id,
            priority=priority,
            source=source,
            gmt_offset_now=lead.gmt_offset_now,
            state=lead.state,
            vendor_lead_code=lead.vendor_lead_code,
        )
        self.next_hopper_id += 1
        self.hopper[lead.lead_id] = entry
        return entry

    def add_callback(self, **kw: Any) -> Callback:
        """Add a scheduled callback."""
        cb = Callback(callback_id=self.next_callback_id, **kw)
        self.next_callback_id += 1
        self.callbacks[cb.callback_id] = cb
        return cb

    def lead_callbacks(self, lead_id: int) -> list[Callback]:
        """The current callbacks of a lead."""
        return [cb for cb in self.callbacks.values() if cb.lead_id == lead_id]

    def archive_callbacks(self, lead_id: int) -> int:
        """Move a lead's callbacks to the archive; how many moved."""
        found = self.lead_callbacks(lead_id)
        for cb in found:
            del self.callbacks[cb.callback_id]
            self.archived_callbacks.append(cb)
        return len(found)

    def misc_id(self) -> int:
        """A fresh id for rows without their own counter (recordings, notifications ...)."""
        n = self.next_misc_id
        self.next_misc_id += 1
        return n

    def add_recording(
        self,
        *,
        user: str,
        lead_id: int,
        extension: str,
        server_ip: str = "10.0.0.5",
        filename: str = "",
        uniqueid: str = "",
        start_epoch: float | None = None,
        length_in_sec: int | None = None,
    ) -> dict[str, Any]:
        """A recording_log row (``length_in_sec`` stays None while it records)."""
        rid = self.misc_id()
        start = self.now() if start_epoch is None else start_epoch
        name = filename or f"{extension}_{rid}"
        row: dict[str, Any] = {
            "recording_id": rid,
            "start_time": self.fmt(start),
            "start_epoch": start,
            "user": user,
            "lead_id": lead_id,
            "extension": extension,
            "filename": name,
            "uniqueid": uniqueid,
            "length_in_sec": length_in_sec,
            "location": f"http://{server_ip}/RECORDINGS/MP3/{name}-all.mp3",
        }
        self.recording_log.append(row)
        return row

    def log_did_call(
        self,
        did_number: str,
        caller_id_number: str,
        *,
        epoch: float | None = None,
        length_in_sec: int = 0,
        uniqueid: str = "",
    ) -> dict[str, Any]:
        """A call arriving on a DID (a vicidial_did_log row); ``length_in_sec`` is 0 when the call
        never reached an in-group."""
        start = self.now() if epoch is None else epoch
        row: dict[str, Any] = {
            "did_number": did_number,
            "caller_id_number": caller_id_number,
            "call_date": self.fmt(start),
            "epoch": start,
            "length_in_sec": length_in_sec,
            "uniqueid": uniqueid,
        }
        self.did_log.append(row)
        return row

    # -- seeding -----------------------------------------------------------------------------

    def seed_defaults(self) -> None:
        """What a fresh VICIdial install holds: admin 6666/1234, campaign TESTCAMP, list 101."""
        now = self.fmt()
        self.user_groups["ADMIN"] = UserGroup(user_group="ADMIN", group_name="VICIDIAL ADMINISTRATORS")
        self.user_groups["AGENTS"] = UserGroup(user_group="AGENTS", group_name="Agents")
        self.users["6666"] = User(
            user="6666", password="1234", full_name="Admin", user_level=9, user_group="ADMIN", modify_leads=1
        )
        self.campaigns["TESTCAMP"] = Campaign(
            campaign_id="TESTCAMP", campaign_name="Test Campaign", dial_statuses=["NEW", "CALLBK"]
        )
        self.lists[101] = LeadList(
            list_id=101, list_name="Test List", campaign_id="TESTCAMP", list_changedate=now
        )
        self.lists[998] = LeadList(
            list_id=998, list_name="Manual dial list", campaign_id="TESTCAMP", list_changedate=now
        )
        self.in_groups["AGENTDIRECT"] = InGroup(
            group_id="AGENTDIRECT", group_name="Single Agent Direct Queue"
        )
        self.servers["10.0.0.5"] = {"server_id": "FAKE1", "local_gmt": "-5.00", "rebuild_conf_files": "N"}
        self.call_times.update({"24hours", "9am-9pm", "9am-5pm", "12pm-5pm", "12pm-9pm", "5pm-9pm"})
        self.dnc.setdefault(SYSTEM_DNC, set())

    def seed_user(self, spec: User | Mapping[str, Any]) -> User:
        """Add a user (a ``User`` or a mapping of its fields; ``pass`` is accepted for password)."""
        user = spec if isinstance(spec, User) else _user_from(spec)
        self.users[user.user] = user
        if user.user_group not in self.user_groups:
            self.user_groups[user.user_group] = UserGroup(
                user_group=user.user_group, group_name=user.user_group
            )
        return user

    def seed_lead(self, spec: Lead | Mapping[str, Any]) -> Lead:
        """Add a lead (a ``Lead`` or a mapping of its columns; lead_id auto-assigned if absent)."""
        if isinstance(spec, Lead):
            return self.insert_lead(spec)
        data = dict(spec)
        custom = dict(data.pop("custom", {}) or {})
        lead_id = int(data.pop("lead_id", 0) or 0) or self.new_lead_id()
        entry = data.pop("entry_date", None)
        epoch = self.parse(entry) if entry else None
        if epoch is None:
            epoch = self.now()
        data.setdefault("list_id", 101)
        data["list_id"] = int(data["list_id"])
        for key in ("called_count", "rank", "entry_list_id"):
            if key in data:
                data[key] = int(data[key])
        fields: dict[str, Any] = {
            k: v if k in ("list_id", "called_count", "rank", "entry_list_id") else str(v)
            for k, v in data.items()
        }
        lead = Lead(
            lead_id=lead_id,
            entry_date=self.fmt(epoch),
            modify_date=self.fmt(epoch),
            entry_epoch=epoch,
            custom=custom,
            **fields,
        )
        return self.insert_lead(lead)

    def seed_list(self, spec: LeadList | Mapping[str, Any]) -> LeadList:
        """Add a list (a ``LeadList`` or a mapping of its fields)."""
        lst = spec if isinstance(spec, LeadList) else LeadList(**_lists_kw(spec))
        if not lst.list_changedate:
            lst.list_changedate = self.fmt()
        self.lists[lst.list_id] = lst
        return lst

    def seed_campaign(self, spec: Campaign | Mapping[str, Any]) -> Campaign:
        """Add a campaign (a ``Campaign`` or a mapping of its fields)."""
        camp = spec if isinstance(spec, Campaign) else Campaign(**dict(spec))
        self.campaigns[camp.campaign_id] = camp
        return camp

    def seed_agent(self, spec: str | LiveAgent | Mapping[str, Any]) -> LiveAgent:
        """Log an agent in (a user ID, an ``LiveAgent`` or a mapping of its fields)."""
        if isinstance(spec, LiveAgent):
            session = spec
        else:
            data: dict[str, Any] = {"user": spec} if isinstance(spec, str) else dict(spec)
            session = LiveAgent(**{k: v for k, v in data.items() if k != "full_name"})
            if session.user not in self.users:
                self.seed_user(
                    {
                        "user": session.user,
                        "password": f"{session.user}pass",
                        "full_name": data.get("full_name", f"Agent {session.user}"),
                        "user_level": 1,
                        "user_group": "AGENTS",
                    }
                )
        now = self.now()
        session.login_epoch = session.login_epoch or now
        session.state_epoch = session.state_epoch or now
        if session.session_id == "8600051":
            session.session_id = str(8600051 + len(self.agents))
        self.agents[session.user] = session
        return session

    def seed_many(self, kind: str, items: Iterable[Any]) -> None:
        """Seed records of one kind: users, leads, lists, campaigns or agents."""
        fn: Callable[[Any], Any] = {
            "users": self.seed_user,
            "leads": self.seed_lead,
            "lists": self.seed_list,
            "campaigns": self.seed_campaign,
            "agents": self.seed_agent,
        }[kind]
        for item in items:
            fn(item)


def _user_from(spec: Mapping[str, Any]) -> User:
    data = dict(spec)
    if "pass" in data:
        data["password"] = data.pop("pass")
    data.setdefault("password", "pass")
    for key in ("api_allowed_functions",):
        v = data.get(key)
        if isinstance(v, str):
            data[key] = tuple(v.split())
        elif v is not None:
            data[key] = tuple(v)
    return User(**data)


def _lists_kw(spec: Mapping[str, Any]) -> dict[str, Any]:
    data = dict(spec)
    data["list_id"] = int(data["list_id"])
    return data

"""Agent API (``/agc/api.php``): ``vd.agent("agent001")`` sessions and agent-free ``vd.agents``.

One method per VICIdial function, of the same name. A session fills ``agent_user`` itself; the
function's main value (``value`` on the wire) may be passed positionally, everything else is
keyword-only and named as on the wire (``None`` = not sent)::

    a = vd.agent("agent001")
    await a.external_pause("PAUSE")
    await a.external_dial(phone_number="3125551212", search=True, preview=False, focus=False)
    await a.external_status("SALE")
    await a.pause_code("BREAK")
    await a.logout()

What a SUCCESS means: most of these functions only write a command into the agent's live-session
row; the agent's open browser screen picks it up on its next poll and carries it out. SUCCESS
therefore means *queued*, not *done* (and a second command for the same slot sent before the screen
reacts replaces the first). Almost every function here changes a live call, so it is UNSAFE: it is
never resent once it may have reached the server, and a lost answer raises
:class:`~vicidial_async.OutcomeUnknownError` (check the agent's state before trying again).

Errors: :class:`~vicidial_async.NotLoggedInError` (the agent has no live session),
:class:`~vicidial_async.NotPausedError` (the agent must be paused first),
:class:`~vicidial_async.AgentStateError` (no live call, no lead on screen, no recording ...),
:class:`~vicidial_async.FeatureDisabledError` (a system or campaign setting forbids it),
:class:`~vicidial_async.NotFoundError`, :class:`~vicidial_async.PermissionDeniedError`,
:class:`~vicidial_async.InvalidParameterError` (``sent=False`` when refused before sending).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from ..errors import InvalidParameterError
from ..models.agent import (
    AgentActiveLead,
    AgentApiVersion,
    AgentCommandResult,
    AudioPlaybackResult,
    CallsInQueueCount,
    ChangeIngroupsResult,
    ExternalAddLeadResult,
    ExternalDialResult,
    ExternalPauseResult,
    ExternalStatusResult,
    FronterResult,
    NotificationResult,
    RaCallControlResult,
    RecordingResult,
    RefreshPanelResult,
    SetTimerActionResult,
    StLoginLogResult,
    SwitchLeadResult,
    TransferConferenceResult,
    UpdateFieldsResult,
    VmMessageResult,
    WebphoneUrlResult,
    WebserverInfo,
)
from ..operations import Operation
from ..operations import agent as ops
from ..operations._rules import refuse
from ._base import EndpointGroup

if TYPE_CHECKING:
    from ..client import VicidialClient

__all__ = ["AgentSession", "Agents"]

R = TypeVar("R")

YesNo = bool | Literal["YES", "NO"]
FronterScope = Literal["LOCAL_ONLY", "LOCAL_AND_CCC", "CCC_REMOTE"]
ParkAction = Literal["PARK_CUSTOMER", "GRAB_CUSTOMER", "PARK_IVR_CUSTOMER", "GRAB_IVR_CUSTOMER",
                     "PARK_XFER", "GRAB_XFER", "SWAP_PARK_CUSTOMER", "SWAP_PARK_XFER",
                     "HANGUP_XFER_GRAB_CUSTOMER"]
TransferAction = Literal["HANGUP_XFER", "HANGUP_BOTH", "BLIND_TRANSFER", "LEAVE_VM", "LOCAL_CLOSER",
                         "DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL", "LEAVE_3WAY_CALL"]
TimerAction = Literal["NONE", "WEBFORM", "WEBFORM2", "D1_DIAL", "D2_DIAL", "D3_DIAL", "D4_DIAL",
                      "D5_DIAL", "MESSAGE_ONLY"]

_AGENT_USER = re.compile(r"[A-Za-z0-9_\-]+")


class Agents(EndpointGroup):
    """Agent API functions that take no agent: ``vd.agents.version()``, ``webserver()``,
    ``st_login_log(...)``, ``st_get_agent_active_lead(...)``, ``send_notification(...)``.

    A session (``vd.agent("agent001")``) has these methods too.
    """

    _api: ClassVar[str] = "agent"

    # -- functions without an agent -------------------------------------------------------------

    async def version(self, *, timeout: float | None = None) -> AgentApiVersion:
        """Version and build of the server's agc/api.php and the server's clock (VICIdial
        ``version`` of the Agent API). Needs no credentials; safe to retry.

        >>> v = await vd.agents.version()                         # doctest: +SKIP
        >>> v.version, v.build                                    # doctest: +SKIP
        ('2.14-81', '240429-2220')
        """
        return await self._run(ops.VERSION, {}, timeout=timeout)

    async def webserver(self, *, timeout: float | None = None) -> WebserverInfo:
        """Web server facts: timezone, uname, PHP/Apache versions, load, disk, php.ini limits
        (VICIdial ``webserver``). The API user needs ``webserver`` (or ALL_FUNCTIONS) in its
        allowed functions. Read-only, safe to retry. Seen on a real PHP-FPM server: HTTP 500 with
        an empty body (the PHP calls ``apache_get_version``), raised as ``HTTPStatusError``.
        """
        return await self._run(ops.WEBSERVER, {}, timeout=timeout)

    async def st_login_log(self, value: str, *, vendor_id: str,
                           timeout: float | None = None) -> StLoginLogResult:
        """Find the VICIdial user whose custom_three is the CRM agent ID ``value``, store the CRM
        team ID ``vendor_id`` in its custom_four, and return the user (VICIdial ``st_login_log``).

        No agent session is needed. Writing the same team ID again changes nothing, so the call is
        resent after a lost answer. An unknown CRM ID raises :class:`NotFoundError`.
        """
        return await self._run(ops.ST_LOGIN_LOG, {"vendor_id": vendor_id, "value": value},
                               timeout=timeout)

    async def st_get_agent_active_lead(self, value: str, *, vendor_id: str,
                                       timeout: float | None = None) -> AgentActiveLead:
        """The lead on the screen of the agent whose custom_three is the CRM agent ID ``value``
        (VICIdial ``st_get_agent_active_lead``). ``vendor_id`` (CRM team ID) is required by the
        server but otherwise unused.

        State: the mapped agent must be logged in (else :class:`NotLoggedInError`) with a lead on
        screen (else :class:`AgentStateError`). Read-only, safe to retry.
        """
        return await self._run(ops.ST_GET_AGENT_ACTIVE_LEAD,
                               {"vendor_id": vendor_id, "value": value}, timeout=timeout)

    async def send_notification(
        self,
        *,
        recipient: str,
        recipient_type: Literal["USER", "USER_GROUP", "CAMPAIGN"] | None = None,
        notification_text: str | None = None,
        show_confetti: bool | None = None,
        notification_date: dt.datetime | str | None = None,
        notification_retry: bool | None = None,
        text_size: int | None = None,
        text_font: str | None = None,
        text_weight: Literal["bold", "italic", "underline"]
        | Sequence[Literal["bold", "italic", "underline"]] | str | None = None,
        text_color: str | None = None,
        duration: int | None = None,
        maxParticleCount: int | None = None,
        particleSpeed: int | None = None,
        timeout: float | None = None,
    ) -> NotificationResult:
        """Queue an on-screen alert and/or confetti for a user, a user group or a campaign's agents
        (VICIdial ``send_notification``).

        Needs ``notification_text`` or ``show_confetti=True``, and the system setting
        agent_notifications (else :class:`FeatureDisabledError`). Without ``recipient_type`` the
        server guesses it (USER, then USER_GROUP, then CAMPAIGN) and says so in
        ``resolved_type``. ``notification_date`` (a datetime, default now) schedules it;
        ``text_color`` is a colour name or upper-case hex without ``#``. No agent session is
        needed. SUCCESS means the notification was queued for the agents' screens. Each call
        queues another one, so it is never resent after a lost answer.
        """
        return await self._run(ops.SEND_NOTIFICATION, {
            "recipient": recipient, "recipient_type": recipient_type,
            "notification_text": notification_text, "show_confetti": show_confetti,
            "notification_date": notification_date, "notification_retry": notification_retry,
            "text_size": text_size, "text_font": text_font, "text_weight": text_weight,
            "text_color": text_color, "duration": duration, "maxParticleCount": maxParticleCount,
            "particleSpeed": particleSpeed,
        }, timeout=timeout)


class AgentSession(Agents):
    """Agent API functions bound to one agent (``agent_user``): ``vd.agent("agent001")``.

    Methods that accept ``alt_user`` (a CRM agent ID looked up in the users' custom_three) send it
    *instead of* the session's agent: the server falls back to a given ``agent_user`` when the
    lookup fails, and would then act on the wrong agent.
    """

    def __init__(self, client: VicidialClient, agent_user: str) -> None:
        super().__init__(client)
        if not isinstance(agent_user, str) or not _AGENT_USER.fullmatch(agent_user):
            raise InvalidParameterError("agent", "agent_user must be letters, digits, - or _ (the "
                                                 "server drops everything else)",
                                        parameter="agent_user", sent=False)
        self._agent_user = agent_user

    def __repr__(self) -> str:
        return f"<AgentSession agent_user={self._agent_user!r} of {self._client!r}>"

    @property
    def agent_user(self) -> str:
        """The agent this session acts on."""
        return self._agent_user

    def _who(self, alt_user: str | None = None) -> dict[str, Any]:
        """The agent the call names: ``alt_user`` instead of the session's agent, never with it."""
        return {"alt_user": alt_user} if alt_user is not None else {"agent_user": self._agent_user}

    async def _value(self, op: Operation[Any, R], value: Any, alt_user: str | None,
                     timeout: float | None) -> R:
        """Run a function that takes only the agent and ``value``."""
        return await self._run(op, {**self._who(alt_user), "value": value}, timeout=timeout)

    # -- pause, status, hang up, log out ----------------------------------------------------------

    async def external_hangup(self, value: Literal["1", 1] = 1, *, alt_user: str | None = None,
                              timeout: float | None = None) -> AgentCommandResult:
        """Queue "hang up the customer" on the agent's screen (VICIdial ``external_hangup``).

        State: the agent needs a live session (else :class:`NotLoggedInError`); the server does not
        check for a call. SUCCESS means the command was queued for the agent's screen, not carried
        out. Never resent: once the screen has acted, a repeat would hang up whatever call the agent
        has by then (a lost answer raises :class:`OutcomeUnknownError`).
        """
        return await self._value(ops.EXTERNAL_HANGUP, value, alt_user, timeout)

    async def external_status(
        self,
        value: str,
        *,
        callback_datetime: dt.datetime | str | None = None,
        callback_type: Literal["USERONLY", "ANYONE"] | None = None,
        callback_comments: str | None = None,
        qm_dispo_code: str | None = None,
        alt_user: str | None = None,
        timeout: float | None = None,
    ) -> ExternalStatusResult:
        """Queue a disposition (status code ``value``) for the agent's current call (VICIdial
        ``external_status``): the screen dispositions the call and moves on.

        State: logged in, with the call waiting for its disposition (the server does not check).
        The status is not checked against the campaign's statuses. ``callback_datetime`` (with
        ``callback_type`` and ``callback_comments``) schedules a callback only when the status is
        flagged as scheduled callback: ``result.callback_set`` says whether the server attached it.
        SUCCESS means queued for the agent's screen, not carried out. Never resent: after the agent
        has moved on, a repeat could disposition the next call.
        """
        return await self._run(ops.EXTERNAL_STATUS, {
            **self._who(alt_user), "callback_datetime": callback_datetime, "callback_type": callback_type,
            "callback_comments": callback_comments, "qm_dispo_code": qm_dispo_code, "value": value,
        }, timeout=timeout)

    async def external_pause(self, value: Literal["PAUSE", "RESUME"], *, alt_user: str | None = None,
                             timeout: float | None = None) -> ExternalPauseResult:
        """Queue a pause or a resume for the agent (VICIdial ``external_pause``).

        State: logged in. A PAUSE asked for during a call takes effect after the call. RESUME needs
        a paused agent: one that is READY, QUEUE, INCALL or CLOSER raises :class:`NotPausedError`.
        Shares its slot with ``logout``: a pending LOGOUT is replaced (and vice versa). SUCCESS
        means queued for the agent's screen, not carried out. Never resent: if the agent changed
        state in between, a repeat would flip it again.
        """
        return await self._value(ops.EXTERNAL_PAUSE, value, alt_user, timeout)

    async def logout(self, value: Literal["LOGOUT"] = "LOGOUT", *, alt_user: str | None = None,
                     timeout: float | None = None) -> ExternalPauseResult:
        """Queue a logout of the agent's screen (VICIdial ``logout``).

        State: logged in; on a live call the logout happens after the disposition. Replaces a
        pending PAUSE/RESUME (same slot). SUCCESS means queued for the agent's screen, not carried
        out. Never resent: if the agent logged back in meanwhile, a repeat would log them out again.
        """
        return await self._value(ops.LOGOUT, value, alt_user, timeout)

    async def pause_code(self, value: str, *, alt_user: str | None = None,
                         timeout: float | None = None) -> AgentCommandResult:
        """Queue a pause code (1-6 characters, e.g. ``BREAK``) for the agent's current pause
        (VICIdial ``pause_code``).

        State: logged in and PAUSED (else :class:`NotPausedError`). The code is not checked against
        the campaign's pause codes. SUCCESS means queued for the agent's screen, not carried out.
        Never resent: the code lands on whichever pause is current when the screen acts.
        """
        return await self._value(ops.PAUSE_CODE, value, alt_user, timeout)

    # -- dialling -----------------------------------------------------------------------------------

    async def external_dial(
        self,
        value: str | None = None,
        *,
        phone_number: str | None = None,
        search: YesNo,
        preview: YesNo,
        focus: YesNo,
        lead_id: int | str | None = None,
        phone_code: int | str | None = None,
        vendor_id: str | None = None,
        dial_prefix: str | None = None,
        group_alias: str | None = None,
        vtiger_callback: YesNo | None = None,
        alt_dial: Literal["MAIN", "ALT", "ADDR3", "SEARCH"] | None = None,
        dial_ingroup: str | None = None,
        outbound_cid: str | None = None,
        alt_user: str | None = None,
        timeout: float | None = None,
    ) -> ExternalDialResult:
        """Queue a manual dial on the agent's screen (VICIdial ``external_dial``).

        The number is ``phone_number`` (a friendly name for the wire's ``value``, which is also
        accepted; give one of them), ``"MANUALNEXT"`` (as the Dial Next Number button), or an
        existing ``lead_id`` (dialling its MAIN/ALT/ADDR3 number per ``alt_dial``; with
        ``alt_dial="SEARCH"`` the number given is looked up among the lead's numbers).
        ``search``: look the number up in the campaign's lists (else a new lead is made);
        ``preview``: show the lead without dialling; ``focus``: bring the agent's window forward.

        State: logged in, and the agent user needs manual dialling (agentcall_manual). If the
        campaign's api_manual_dial is STANDARD the agent must be PAUSED with no lead on screen
        (else :class:`NotPausedError`; a valid ``dial_ingroup`` skips that check); in the queue
        modes the number joins the agent's manual dial queue instead (a number already queued
        raises :class:`AlreadyExistsError`). An unknown ``dial_ingroup`` is dropped with a NOTICE
        (``result.dial_ingroup_dropped``). ``outbound_cid`` needs the system setting
        outbound_cid_any = API_ONLY (else :class:`FeatureDisabledError`).

        SUCCESS means the dial was queued for the agent's screen, not placed. Never resent: each
        success queues another call (a lost answer raises :class:`OutcomeUnknownError`).
        """
        return await self._run(ops.EXTERNAL_DIAL, {
            **self._who(alt_user), "lead_id": lead_id, "phone_code": phone_code, "search": search,
            "preview": preview, "focus": focus, "vendor_id": vendor_id, "dial_prefix": dial_prefix,
            "group_alias": group_alias, "vtiger_callback": vtiger_callback, "alt_dial": alt_dial,
            "dial_ingroup": dial_ingroup, "outbound_cid": outbound_cid, "phone_number": phone_number,
            "value": value,
        }, timeout=timeout)

    async def preview_dial_action(
        self, value: Literal["SKIP", "DIALONLY", "ALTDIAL", "ADR3DIAL", "FINISH"], *,
        alt_user: str | None = None, timeout: float | None = None,
    ) -> AgentCommandResult:
        """Queue a preview / alt-dial button action on the agent's screen (VICIdial
        ``preview_dial_action``).

        State: logged in and PAUSED (else :class:`NotPausedError`) with a previewed lead; the agent
        needs manual dialling. The campaign must allow preview dialling (SKIP is refused with
        PREVIEW_ONLY; ALTDIAL, ADR3DIAL and FINISH need alt number dialling), else
        :class:`FeatureDisabledError`. SUCCESS means queued for the agent's screen, not carried
        out. Never resent.
        """
        return await self._value(ops.PREVIEW_DIAL_ACTION, value, alt_user, timeout)

    async def external_add_lead(
        self,
        value: str | None = None,
        *,
        phone_number: str | None = None,
        phone_code: int | str,
        dnc_check: bool | Literal["Y", "YES", "N", "NO"] | None = None,
        campaign_dnc_check: bool | Literal["Y", "YES", "N", "NO"] | None = None,
        vendor_id: str | None = None,
        vendor_lead_code: str | None = None,
        source_id: str | None = None,
        title: str | None = None,
        first_name: str | None = None,
        middle_initial: str | None = None,
        last_name: str | None = None,
        address1: str | None = None,
        address2: str | None = None,
        address3: str | None = None,
        city: str | None = None,
        state: str | None = None,
        province: str | None = None,
        postal_code: str | None = None,
        country_code: str | None = None,
        gender: Literal["M", "F", "U"] | None = None,
        date_of_birth: dt.date | str | None = None,
        alt_phone: str | None = None,
        email: str | None = None,
        security_phrase: str | None = None,
        comments: str | None = None,
        rank: int | None = None,
        owner: str | None = None,
        alt_user: str | None = None,
        timeout: float | None = None,
    ) -> ExternalAddLeadResult:
        """Insert a NEW lead into the manual dial list of the agent's campaign (VICIdial
        ``external_add_lead``).

        The phone number is ``value`` or ``phone_number`` (the same thing; it is sent as
        ``value``, which the server prefers). ``phone_code`` is required. ``dnc_check`` /
        ``campaign_dnc_check`` refuse a number on the (campaign) DNC list with :class:`DNCError`.
        ``vendor_id`` is stored as the vendor_lead_code (send one of the two).

        State: logged in (not necessarily paused); the campaign needs a manual dial list (else
        :class:`FeatureDisabledError`). The lead is inserted at once (not queued). Never resent:
        the server makes a new lead on every call (a lost answer raises :class:`OutcomeUnknownError`;
        look the number up before adding it again). Values the server would silently alter are
        refused before sending.
        """
        return await self._run(ops.EXTERNAL_ADD_LEAD, {
            **self._who(alt_user), "phone_code": phone_code, "dnc_check": dnc_check,
            "campaign_dnc_check": campaign_dnc_check, "vendor_id": vendor_id,
            "vendor_lead_code": vendor_lead_code, "source_id": source_id, "title": title,
            "first_name": first_name, "middle_initial": middle_initial, "last_name": last_name,
            "address1": address1, "address2": address2, "address3": address3, "city": city,
            "state": state, "province": province, "postal_code": postal_code,
            "country_code": country_code, "gender": gender, "date_of_birth": date_of_birth,
            "alt_phone": alt_phone, "email": email, "security_phrase": security_phrase,
            "comments": comments, "rank": rank, "owner": owner, "phone_number": phone_number,
            "value": value,
        }, timeout=timeout)

    # -- in-groups, fields, panels, timers -------------------------------------------------------

    async def change_ingroups(
        self,
        value: Literal["CHANGE", "ADD", "REMOVE"],
        *,
        blended: YesNo,
        ingroup_choices: Sequence[str] | str | None = None,
        set_as_default: bool | Literal["YES", "NO"] | None = None,
        timeout: float | None = None,
    ) -> ChangeIngroupsResult:
        """Set (CHANGE), ADD or REMOVE the in-groups the agent takes calls from, and whether the agent
        also takes outbound auto-dial calls (``blended``) (VICIdial ``change_ingroups``).

        ``ingroup_choices`` is a list of in-group ids (or their space-separated text); it is sent in
        VICIdial's `` A B -`` form. Required for ADD and REMOVE. ``set_as_default=True`` also stores
        the selection as the user's default. The API user needs change_agent_campaign.

        State: logged in to a campaign that allows inbound calls (else
        :class:`FeatureDisabledError`, also for ``blended`` in a MANUAL/INBOUND_MAN campaign).
        SUCCESS means the new selection was queued for the agent's screen. ``result.ingroups`` is
        the resulting selection. Resent after a lost answer: the same request gives the same
        selection.
        """
        return await self._run(ops.CHANGE_INGROUPS, {
            "agent_user": self._agent_user, "blended": blended, "ingroup_choices": ingroup_choices,
            "set_as_default": set_as_default, "value": value,
        }, timeout=timeout)

    async def update_fields(
        self,
        *,
        phone_code: int | str | None = None,
        address1: str | None = None,
        address2: str | None = None,
        address3: str | None = None,
        alt_phone: str | None = None,
        city: str | None = None,
        comments: str | None = None,
        country_code: str | None = None,
        date_of_birth: dt.date | str | None = None,
        email: str | None = None,
        first_name: str | None = None,
        gender: Literal["M", "F", "U", ""] | None = None,
        gmt_offset_now: str | None = None,
        last_name: str | None = None,
        middle_initial: str | None = None,
        phone_number: str | None = None,
        postal_code: str | None = None,
        province: str | None = None,
        security_phrase: str | None = None,
        source_id: str | None = None,
        state: str | None = None,
        title: str | None = None,
        vendor_lead_code: str | None = None,
        rank: int | None = None,
        owner: str | None = None,
        formreload: bool | None = None,
        scriptreload: bool | None = None,
        script2reload: bool | None = None,
        emailreload: bool | None = None,
        chatreload: bool | None = None,
        timeout: float | None = None,
    ) -> UpdateFieldsResult:
        """Write lead fields of the lead on the agent's screen and have the screen show them
        (VICIdial ``update_fields``). ``""`` empties a field; ``None`` leaves it out. The reload
        flags (``formreload=True`` ...) also reload those panels of the screen.

        State: logged in with a lead on screen (else :class:`AgentStateError`); the API user needs
        modify_leads. The lead record is written at once; the screen refresh is queued.

        The server updates every lead field whose *name* appears anywhere in the request, values
        included (``first_name="Frank"`` would also empty ``rank``, ``emailreload`` empties
        ``email``): such a request is refused before sending, naming the field. Never resent: the
        target is whatever lead is on screen when the request lands.
        """
        prepared = ops.UPDATE_FIELDS.prepare({
            "agent_user": self._agent_user, "phone_code": phone_code, "address1": address1,
            "address2": address2, "address3": address3, "alt_phone": alt_phone, "city": city,
            "comments": comments, "country_code": country_code, "date_of_birth": date_of_birth,
            "email": email, "first_name": first_name, "gender": gender,
            "gmt_offset_now": gmt_offset_now, "last_name": last_name,
            "middle_initial": middle_initial, "phone_number": phone_number,
            "postal_code": postal_code, "province": province, "security_phrase": security_phrase,
            "source_id": source_id, "state": state, "title": title,
            "vendor_lead_code": vendor_lead_code, "rank": rank, "owner": owner,
            "formreload": formreload, "scriptreload": scriptreload, "script2reload": script2reload,
            "emailreload": emailreload, "chatreload": chatreload,
        })
        # The client's own fields (user, pass, source) are part of the request text too.
        for field in ops.UPDATE_FIELD_NAMES:
            if field in prepared.form:
                continue
            holders = self._client._fixed_fields_holding(
                field, ignore_case=field in ops.UPDATE_FIELDS_NOCASE)
            if holders == ("pass",):
                # Never say which field: that would tell part of the password.
                raise refuse("update_fields", "pass", "the API password contains the name of a lead "
                             "field, which the server would then empty on every update_fields call")
            if holders:
                raise ops.refuse_update_collision("update_fields", field, holders[0])
        for warning in prepared.warnings:
            warnings.warn(warning, stacklevel=2)
        return await self._client.run_prepared(prepared, timeout=timeout)

    async def refresh_panel(
        self,
        *,
        formreload: bool | None = None,
        scriptreload: bool | None = None,
        script2reload: bool | None = None,
        emailreload: bool | None = None,
        chatreload: bool | None = None,
        callbacksreload: bool | None = None,
        timeout: float | None = None,
    ) -> RefreshPanelResult:
        """Ask the agent's screen to reload the chosen panels (VICIdial ``refresh_panel``); pass
        True for at least one.

        State: logged in (no lead needed). Shares its signal with ``update_fields``: sent right
        after it, it may replace the pending field list. SUCCESS means queued for the agent's
        screen. Resent after a lost answer (a repeat only reloads again; a form reload may drop
        unsaved input).
        """
        return await self._run(ops.REFRESH_PANEL, {
            "agent_user": self._agent_user, "formreload": formreload, "scriptreload": scriptreload,
            "script2reload": script2reload, "emailreload": emailreload, "chatreload": chatreload,
            "callbacksreload": callbacksreload,
        }, timeout=timeout)

    async def set_timer_action(self, value: TimerAction, *, notes: str | None = None,
                               rank: int | None = None,
                               timeout: float | None = None) -> SetTimerActionResult:
        """Set a timed action for the agent's current call (VICIdial ``set_timer_action``): open
        a web form, dial a preset, or show ``notes``, ``rank`` seconds into the call.

        State: logged in; applies to the current call. The API user needs modify_campaigns.
        SUCCESS means queued for the agent's screen. Never resent: a later repeat may re-arm the
        timer on the next call.
        """
        return await self._run(ops.SET_TIMER_ACTION, {
            "agent_user": self._agent_user, "notes": notes, "rank": rank, "value": value,
        }, timeout=timeout)

    # -- call control -----------------------------------------------------------------------------

    async def ra_call_control(
        self,
        value: str,
        *,
        stage: Literal["HANGUP", "EXTENSIONTRANSFER", "INGROUPTRANSFER"],
        phone_number: str | None = None,
        ingroup_choices: str | None = None,
        status: str | None = None,
        timeout: float | None = None,
    ) -> RaCallControlResult:
        """Hang up or transfer the call ``value`` (its call ID, e.g. ``Y0315201639000402027``)
        handled by this remote agent (VICIdial ``ra_call_control``).

        ``stage``: HANGUP; EXTENSIONTRANSFER to ``phone_number``; INGROUPTRANSFER to the in-group
        ``ingroup_choices`` (or ``DEFAULTINGROUP``). ``status`` is logged for the call and lead
        (default RAXFER).

        State: the agent has a live session and the call is still active (else
        :class:`AgentStateError`). Carried out by the server at once (logs, lead status, the
        remote agent freed). Never resent (a repeat normally finds no active call).
        """
        return await self._run(ops.RA_CALL_CONTROL, {
            "agent_user": self._agent_user, "stage": stage, "phone_number": phone_number,
            "ingroup_choices": ingroup_choices, "status": status, "value": value,
        }, timeout=timeout)

    async def send_dtmf(self, value: str, *, alt_user: str | None = None,
                        timeout: float | None = None) -> AgentCommandResult:
        """Queue DTMF digits to be played into the agent's session (VICIdial ``send_dtmf``).

        The server strips ``#`` and ``*``: write ``P`` for ``#``, ``S`` for ``*`` and ``Q`` for one
        second of silence (e.g. ``"QQ1234SQQ6654P"``). State: logged in; the server does not check
        for a call. The DTMF slot is overwritten by a later call before the screen plays it.
        SUCCESS means queued for the agent's screen. Never resent: a repeat plays the digits again.
        """
        return await self._value(ops.SEND_DTMF, value, alt_user, timeout)

    async def park_call(self, value: ParkAction, *, alt_user: str | None = None,
                        timeout: float | None = None) -> AgentCommandResult:
        """Queue a park / grab of the customer or third-party line on the agent's screen (VICIdial
        ``park_call``).

        State: logged in with a lead on screen (else :class:`AgentStateError`). SUCCESS means
        queued for the agent's screen. Never resent: park and grab toggle call legs, so a repeat
        can undo the first action.
        """
        return await self._value(ops.PARK_CALL, value, alt_user, timeout)

    async def transfer_conference(
        self,
        value: TransferAction,
        *,
        phone_number: str | None = None,
        ingroup_choices: str | None = None,
        consultative: bool | Literal["YES", "NO"] | None = None,
        dial_override: bool | Literal["YES", "NO"] | None = None,
        group_alias: str | None = None,
        cid_choice: Literal["CAMPAIGN", "AGENT_PHONE", "CUSTOMER", "CUSTOM_CID"] | None = None,
        multi_dial_phones: Sequence[str] | str | None = None,
        md_check: bool | Literal["YES", "NO"] | None = None,
        tw_check: bool | Literal["YES", "NO"] | None = None,
        alt_user: str | None = None,
        timeout: float | None = None,
    ) -> TransferConferenceResult:
        """Queue a Transfer-Conf action on the agent's live call (VICIdial ``transfer_conference``).

        ``value``: HANGUP_XFER, HANGUP_BOTH, LEAVE_VM, LEAVE_3WAY_CALL (no other option applies);
        BLIND_TRANSFER, DIAL_WITH_CUSTOMER, PARK_CUSTOMER_DIAL to ``phone_number`` (with
        ``dial_override=True`` dialled exactly as given, ``group_alias``/``cid_choice`` for the
        caller ID); LOCAL_CLOSER, or a dial with ``consultative=True``, to the in-group
        ``ingroup_choices`` (or ``DEFAULTINGROUP``). ``multi_dial_phones`` (up to 10 numbers,
        dials only) starts an Agent 3-way Press-1 call; ``md_check`` refuses it while an earlier
        one is active, ``tw_check`` refuses any action while a 3-way leg is up
        (:class:`AgentStateError`).

        State: logged in with a live call (else :class:`AgentStateError`). SUCCESS means queued
        for the agent's screen. Never resent: a resend carries a new time stamp and would run again.
        """
        return await self._run(ops.TRANSFER_CONFERENCE, {
            **self._who(alt_user), "phone_number": phone_number, "ingroup_choices": ingroup_choices,
            "consultative": consultative, "dial_override": dial_override, "group_alias": group_alias,
            "cid_choice": cid_choice, "multi_dial_phones": multi_dial_phones, "md_check": md_check,
            "tw_check": tw_check, "value": value,
        }, timeout=timeout)

    async def recording(self, value: Literal["START", "STOP", "STATUS"], *, stage: str | None = None,
                        alt_user: str | None = None,
                        timeout: float | None = None) -> RecordingResult:
        """Start or stop recording the agent's session, or ask whether it is recording (VICIdial
        ``recording``).

        START (``stage``, at most 14 characters, is appended to the recording name) may be
        repeated to run several recordings; STOP ends all of them (none running raises
        :class:`AgentStateError`). START/STOP send a signal to the agent's screen: SUCCESS means
        queued (``result.recording`` is None); they are never resent. STATUS only reads
        (``result.recording`` True/False with the recording's id, file and start time) and is
        resent after a lost answer. State: logged in.
        """
        return await self._run(ops.RECORDING, {**self._who(alt_user), "stage": stage, "value": value},
                               timeout=timeout)

    async def webphone_url(self, value: Literal["DISPLAY", "LAUNCH"] = "DISPLAY", *,
                           alt_user: str | None = None,
                           timeout: float | None = None) -> WebphoneUrlResult:
        """The webphone URL of the agent's session (VICIdial ``webphone_url``): DISPLAY returns it,
        LAUNCH returns the server's redirect page (its URL is extracted too).

        State: logged in with a webphone session (else :class:`AgentStateError`). Read-only, safe
        to retry.
        """
        return await self._value(ops.WEBPHONE_URL, value, alt_user, timeout)

    async def call_agent(self, value: Literal["CALL"] = "CALL", *, alt_user: str | None = None,
                         timeout: float | None = None) -> AgentCommandResult:
        """Call the agent's phone from the agent's session conference, to reconnect an agent whose
        phone line dropped (VICIdial ``call_agent``).

        State: logged in with stored login-call data (else :class:`AgentStateError`); not for
        on-hook agents. SUCCESS means the call was queued for the dialer. Never resent: a repeat
        rings the agent's phone again.
        """
        return await self._value(ops.CALL_AGENT, value, alt_user, timeout)

    async def audio_playback(
        self,
        stage: Literal["PLAY", "STOP", "PAUSE", "RESUME", "RESTART"],
        *,
        value: str | None = None,
        dial_override: bool | Literal["Y", "N"] | None = None,
        agent_debug: str | None = None,
        alt_user: str | None = None,
        timeout: float | None = None,
    ) -> AudioPlaybackResult:
        """Play an audio-store file (``value``, its name without extension) into the agent's session
        conference, or STOP / PAUSE / RESUME / RESTART the playback (VICIdial ``audio_playback``).

        ``dial_override=True`` with PLAY stops a running playback first (``result.previous_stopped``);
        without it PLAY during a playback raises :class:`AgentStateError`, as do the other stages
        with nothing playing. PAUSE/RESUME/RESTART need Asterisk 1.8+. ``agent_debug`` is VICIdial's
        internal soundboard logging.

        State: logged in with a session conference (else :class:`AgentStateError`). SUCCESS means
        the command was queued for the dialer. Never resent.
        """
        return await self._run(ops.AUDIO_PLAYBACK, {
            **self._who(alt_user), "stage": stage, "dial_override": dial_override,
            "agent_debug": agent_debug, "value": value,
        }, timeout=timeout)

    async def switch_lead(self, lead_id: int | str | None = None, *,
                          vendor_lead_code: str | None = None, alt_user: str | None = None,
                          timeout: float | None = None) -> SwitchLeadResult:
        """Switch the agent's live inbound call (screen and call logs) to another lead, found by
        ``lead_id`` or by ``vendor_lead_code`` (the newest lead with it); give one of them
        (VICIdial ``switch_lead``).

        State: logged in on a live *inbound* call (else :class:`AgentStateError`); the campaign's
        agent_lead_search must allow live inbound calls (else :class:`FeatureDisabledError`). An
        unknown lead raises :class:`NotFoundError`. SUCCESS means the switch was queued for the
        agent's screen. Never resent.
        """
        return await self._run(ops.SWITCH_LEAD, {
            **self._who(alt_user), "lead_id": lead_id, "vendor_lead_code": vendor_lead_code,
        }, timeout=timeout)

    async def vm_message(self, value: str | Sequence[str], *, lead_id: int | str | None = None,
                         alt_user: str | None = None,
                         timeout: float | None = None) -> VmMessageResult:
        """Store the audio file(s) (audio-store names without extension) played when the agent
        sends the current call to voicemail with the VM button (VICIdial ``vm_message``).

        ``lead_id``, if given, must be the lead of the live call. State: logged in on a live call
        (else :class:`AgentStateError`); the campaign must use LTTagent as its answering machine
        message. SUCCESS means the files are queued for the VM button; nothing plays until the agent
        presses it. Never resent: each success stores another message row.
        """
        return await self._run(ops.VM_MESSAGE, {**self._who(alt_user), "lead_id": lead_id,
                                                "value": value}, timeout=timeout)

    async def calls_in_queue_count(self, value: Literal["DISPLAY"] = "DISPLAY", *,
                                   alt_user: str | None = None,
                                   timeout: float | None = None) -> CallsInQueueCount:
        """How many calls (plus queued emails) are waiting that could go to this agent (VICIdial
        ``calls_in_queue_count``): live calls of the agent's campaign and selected in-groups,
        AGENTDIRECT calls for the agent, and NEW/QUEUE emails.

        State: logged in. Read-only, safe to retry.
        """
        return await self._value(ops.CALLS_IN_QUEUE_COUNT, value, alt_user, timeout)

    async def force_fronter_leave_3way(self, value: FronterScope, *, lead_id: int | str | None = None,
                                       alt_user: str | None = None,
                                       timeout: float | None = None) -> FronterResult:
        """Make the fronter (the other agent on this agent's lead) leave the 3-way call (VICIdial
        ``force_fronter_leave_3way``).

        ``value``: LOCAL_ONLY, LOCAL_AND_CCC (falls back to the lead's other cluster), or
        CCC_REMOTE (a request from another cluster, with the ``lead_id`` to look up here).

        State: this agent (the closer) logged in on the lead (else :class:`AgentStateError`); no
        fronter raises :class:`NotFoundError`. SUCCESS means the command was sent to the fronter's
        screen (``result.over_ccc`` when it went to another cluster). Never resent: a repeat can
        hit another agent on the lead.
        """
        return await self._run(ops.FORCE_FRONTER_LEAVE_3WAY, {
            **self._who(alt_user), "lead_id": lead_id, "value": value}, timeout=timeout)

    async def force_fronter_audio_stop(self, value: FronterScope, *, lead_id: int | str | None = None,
                                       stage: str | None = None, alt_user: str | None = None,
                                       timeout: float | None = None) -> FronterResult:
        """Stop the audio_playback running in the fronter's session for the lead this agent is on
        (VICIdial ``force_fronter_audio_stop``). ``value`` as for ``force_fronter_leave_3way``;
        ``stage`` is only echoed back.

        State: as ``force_fronter_leave_3way``; nothing playing raises :class:`AgentStateError`.
        SUCCESS means the stop was queued for the fronter's session, not carried out. Never resent:
        a repeat can stop audio started later.
        """
        return await self._run(ops.FORCE_FRONTER_AUDIO_STOP, {
            **self._who(alt_user), "lead_id": lead_id, "stage": stage, "value": value}, timeout=timeout)


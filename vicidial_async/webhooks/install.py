"""Install a call-URL template through the Non-Agent API, and read back what is installed.

Two places hold a template:

- the campaign's own **Dispo Call URL** (``update_campaign dispo_call_url=...``). The API has no
  function that reads it back (``campaigns_list`` does not show it), so such an install reports
  ``verified=False``;
- an **alternate URL** row (``update_alt_url``), for a campaign or an in-group, of type dispo,
  start, noagent or addlead, with its filters (statuses, lists, minimum call length). The campaign's
  setting of that type must be ``ALT``: for dispo URLs :func:`install_webhook` can switch it
  (``switch_to_alt=True``); the Start and No Agent settings can only be switched in the admin
  screens. Rows are read back with ``alt_url_id=LIST`` and compared with what was sent.

The Dead Call Trigger URL cannot be set through the API at all: set it in the campaign screen to
the template :func:`~vicidial_async.webhooks.build_template` gives.

An install is idempotent: an alternate row with the same description (default
``vicidial_async <kind>``) or the same address is updated instead of adding another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from ..errors import InvalidParameterError
from ..models.campaigns import AltUrlRow
from .templates import WebhookKind, check_template

if TYPE_CHECKING:
    from ..client import VicidialClient

__all__ = ["ALT_URL_TYPES", "InstalledWebhook", "install_webhook", "installed_webhooks"]

ALT_URL_TYPES: dict[WebhookKind, Literal["dispo", "start", "noagent", "addlead"]] = {
    "dispo": "dispo", "start": "start", "no_agent": "noagent", "add_lead": "addlead"}
"""The ``url_type`` of ``update_alt_url`` for each kind (the Dead Call Trigger URL has none)."""


@attrs.frozen(slots=True)
class InstalledWebhook:
    """Where a template went: ``where`` is ``campaign`` (the Dispo Call URL setting) or ``alt``
    (an alternate URL row, ``row`` as read back). ``verified`` is True when the read-back shows
    exactly the template sent (always False for ``campaign``: the API cannot read it back)."""

    kind: WebhookKind
    campaign_id: str
    where: Literal["campaign", "alt"]
    action: str
    """``set``, ``added`` or ``updated``."""
    verified: bool
    row: AltUrlRow | None = None


def _refuse(name: str, why: str) -> InvalidParameterError:
    return InvalidParameterError("install_webhook", why, parameter=name, sent=False)


async def installed_webhooks(vd: VicidialClient, campaign_id: str, kind: WebhookKind, *,
                             entry_type: Literal["campaign", "ingroup"] = "campaign"
                             ) -> tuple[AltUrlRow, ...]:
    """The alternate URL rows of ``kind`` on a campaign (or in-group entry), as the server lists
    them (``update_alt_url alt_url_id=LIST``); empty when there are none."""
    url_type = ALT_URL_TYPES.get(kind)
    if url_type is None:
        raise _refuse("kind", f"{kind!r} URLs have no alternate rows in the API")
    result = await vd.campaigns.update_alt_url(
        campaign_id=campaign_id, entry_type=entry_type, url_type=url_type, alt_url_id="LIST")
    return result.rows


async def install_webhook(
    vd: VicidialClient,
    *,
    campaign_id: str,
    kind: WebhookKind,
    template: str,
    alt: bool = False,
    entry_type: Literal["campaign", "ingroup"] = "campaign",
    switch_to_alt: bool = False,
    statuses: Sequence[str] | None = None,
    lists: Sequence[int | str] | None = None,
    min_call_length: int | None = None,
    description: str | None = None,
    rank: int | None = None,
) -> InstalledWebhook:
    """Install ``template`` (see :func:`~vicidial_async.webhooks.build_template`) on a campaign.

    ``alt=False`` (dispo only, campaign entries only): sets the campaign's Dispo Call URL.
    ``alt=True``: adds or updates an active alternate URL row of ``kind`` (``statuses``: the
    dispositions it fires for, default all; ``lists``: list ids, default all; ``min_call_length``
    in seconds), then reads it back. ``switch_to_alt=True`` first sets the campaign's Dispo Call URL
    to ``ALT`` (which stops the campaign's own dispo URL from firing).

    The template is checked first (:func:`~vicidial_async.webhooks.check_template`). Errors of the
    API calls propagate (for instance ``URL IS NOT SET TO ALT`` when the setting is not ALT).
    """
    check_template(template)
    if not alt:
        if kind != "dispo":
            raise _refuse("alt", f"the API sets only the Dispo Call URL of a campaign; install "
                                 f"{kind!r} URLs as alternate rows (alt=True)")
        if entry_type != "campaign":
            raise _refuse("entry_type", "an in-group's own URL cannot be set through the API; "
                                        "use alt=True")
        if any(v is not None for v in (statuses, lists, min_call_length, description, rank)) \
                or switch_to_alt:
            raise _refuse("alt", "statuses, lists, minimum call length, description, rank and "
                                 "switch_to_alt apply to alternate rows (alt=True)")
        await vd.campaigns.update_campaign(campaign_id=campaign_id, dispo_call_url=template)
        return InstalledWebhook(kind, campaign_id, "campaign", "set", verified=False)
    url_type = ALT_URL_TYPES.get(kind)
    if url_type is None:
        raise _refuse("kind", "the Dead Call Trigger URL cannot be set through the API; set it in "
                              "the campaign screen")
    if statuses is not None and kind != "dispo":
        raise _refuse("statuses", "only dispo URLs filter on statuses")
    if switch_to_alt:
        if kind != "dispo":
            raise _refuse("switch_to_alt", "the API switches only the Dispo Call URL to ALT")
        await vd.campaigns.update_campaign(campaign_id=campaign_id, dispo_call_url="ALT")
    label = description or f"vicidial_async {kind}"
    existing = await installed_webhooks(vd, campaign_id, kind, entry_type=entry_type)
    match = next((r for r in existing if r.url_description == label or r.url_address == template),
                 None)
    settings: dict[str, object] = {
        "active": True, "url_address": template, "url_description": label,
        "url_statuses": list(statuses) if statuses else ("---ALL---" if kind == "dispo" else None),
        "url_lists": list(lists) if lists else ("--BLANK--" if match and match.url_lists else None),
        "url_call_length": min_call_length if min_call_length is not None else 0,
        "url_rank": rank,
    }
    result = await vd.campaigns.update_alt_url(
        campaign_id=campaign_id, entry_type=entry_type, url_type=url_type,
        alt_url_id=match.url_id if match is not None and match.url_id is not None else "NEW",
        **{k: v for k, v in settings.items() if v is not None},  # type: ignore[arg-type]
    )
    url_id = result.url_id if result.url_id is not None else (match.url_id if match else None)
    rows = await installed_webhooks(vd, campaign_id, kind, entry_type=entry_type)
    row = next((r for r in rows if r.url_id == url_id), None)
    verified = row is not None and row.url_address == template and row.active is True
    action = "added" if result.action == "added" else "updated"
    return InstalledWebhook(kind, campaign_id, "alt", action, verified=verified, row=row)

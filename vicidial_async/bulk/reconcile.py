"""Settling rows whose add_lead outcome is unknown: did the lead land or not?

A lost answer (connection reset, read timeout, HTTP 500 without a body) leaves a row ``unknown``.
Before such a row is ever sent again, the loader looks its lead up with ``lead_search`` in the
load's list, by ``vendor_lead_code`` when the row carries one (or the loader writes a unique
marker there), else by phone number. A match counts as this row's lead only if

* it is not the lead of another row of this load (:class:`ClaimedIds`), and
* its lead_id is above the row's *watermark*: a lead_id at least as high as every lead that could
  match the row before it was sent. Lead ids grow, so a lead that existed before the send is at or
  below it. Once this load has added a lead, the watermark is the highest lead_id the load had
  seen (its own added leads are newer than anything that existed before the load). Until then
  there is no such bound, so the loader looks the row's key up *before* sending it, and the
  highest id found is the row's watermark: a lead that existed before the load is never claimed.
  Should that lookup fail, the watermark is ``-1`` (none): a lost answer of that row is then
  settled only if no unclaimed lead matches (resent after the settle time), else it stays
  ``unknown``.

Without a marker, a lead added to the same list with the same phone number by someone else while
the row was in flight is indistinguishable from the row's own; with ``marker=True`` the match is
exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import DecodeError, NotFoundError

if TYPE_CHECKING:
    from ..client import VicidialClient

__all__ = ["ClaimedIds", "Unknowable", "find_landed", "matching_ids"]

_CHUNK_BITS = 16


class ClaimedIds:
    """The lead ids this load added, as a sparse bitmap (a million ids take ~125 KB), plus the
    highest lead id seen so far (the watermark)."""

    def __init__(self) -> None:
        self._chunks: dict[int, bytearray] = {}
        self.count = 0
        self.watermark = 0

    def add(self, lead_id: int) -> None:
        """Claim ``lead_id`` (an added row's lead)."""
        chunk = self._chunks.get(lead_id >> _CHUNK_BITS)
        if chunk is None:
            chunk = self._chunks[lead_id >> _CHUNK_BITS] = bytearray(1 << (_CHUNK_BITS - 3))
        low = lead_id & ((1 << _CHUNK_BITS) - 1)
        bit = 1 << (low & 7)
        if not chunk[low >> 3] & bit:
            chunk[low >> 3] |= bit
            self.count += 1
        self.see(lead_id)

    def see(self, lead_id: int) -> None:
        """Note a lead id that exists (raises the watermark)."""
        if lead_id > self.watermark:
            self.watermark = lead_id

    def __contains__(self, lead_id: object) -> bool:
        if not isinstance(lead_id, int):
            return False
        chunk = self._chunks.get(lead_id >> _CHUNK_BITS)
        if chunk is None:
            return False
        low = lead_id & ((1 << _CHUNK_BITS) - 1)
        return bool(chunk[low >> 3] & (1 << (low & 7)))


async def matching_ids(client: VicidialClient, *, list_id: int | str, kind: str,
                       key: str) -> list[int]:
    """Every lead_id in the list whose vendor_lead_code (``kind="v"``) or phone number
    (``kind="p"``) is ``key``, ascending.

    Transport and API errors propagate, and so does an answer whose ids cannot all be read:
    a short list here could make the loader add a lead twice.
    """
    try:
        if kind == "v":
            found = await client.leads.lead_search(
                search_method="VENDOR_LEAD_CODE", vendor_lead_code=key, search_location="LIST",
                list_id=list_id, records=1000)
        else:
            found = await client.leads.lead_search(
                phone_number=key, search_location="LIST", list_id=list_id, records=1000)
    except NotFoundError as exc:
        if exc.nothing_found:
            return []
        raise
    for row in found:
        if row.records_found is not None and row.records_found != len(row.lead_ids):
            # An id we cannot read (e.g. masked because it contains the password's digits).
            raise DecodeError(f"lead_search: {row.records_found} leads found for {key!r} but "
                              f"{len(row.lead_ids)} ids readable", function="lead_search")
    return sorted({lid for row in found for lid in row.lead_ids})


async def find_landed(client: VicidialClient, *, list_id: int | str, kind: str, key: str,
                      watermark: int, claimed: ClaimedIds) -> int | None:
    """The lead_id a lost add_lead created, or ``None`` if it did not land.

    ``kind`` is ``"v"`` (vendor_lead_code) or ``"p"`` (phone number). Transport and API errors
    propagate: the caller keeps the row ``unknown`` then.
    """
    ids = await matching_ids(client, list_id=list_id, kind=kind, key=key)
    mine = [lid for lid in ids if lid > watermark and lid not in claimed]
    if watermark < 0 and mine:
        # No bound (the lookup before the send failed): the match may be older than the load.
        raise Unknowable(f"lead {mine[0]} matches, but whether this load added it cannot be "
                         "known: the lookup before the first send failed")
    return mine[0] if mine else None


class Unknowable(Exception):
    """A lead matches a row whose watermark is unknown (``-1``): it may predate the load."""

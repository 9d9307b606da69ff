"""Settling rows whose add_lead outcome is unknown: did the lead land or not?

A lost answer (connection reset, read timeout, HTTP 500 without a body) leaves a row ``unknown``.
Before such a row is ever sent again, the loader looks its lead up with ``lead_search`` in the
load's list, by ``vendor_lead_code`` when the row carries one (or the loader writes a unique
marker there), else by phone number. A match counts as this row's lead only if

* it is not the lead of another row of this load (:class:`ClaimedIds`), and
* its lead_id is above the row's *watermark*: the highest lead_id the load had seen when the row
  was first sent. Lead ids grow, so a lead that existed before the send is at or below it.

Without a marker, a lead added to the same list with the same phone number by someone else while
the row was in flight is indistinguishable from the row's own; with ``marker=True`` the match is
exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import DecodeError, NotFoundError

if TYPE_CHECKING:
    from ..client import VicidialClient

__all__ = ["ClaimedIds", "find_landed"]

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


async def find_landed(client: VicidialClient, *, list_id: int | str, kind: str, key: str,
                      watermark: int, claimed: ClaimedIds) -> int | None:
    """The lead_id a lost add_lead created, or ``None`` if it did not land.

    ``kind`` is ``"v"`` (vendor_lead_code) or ``"p"`` (phone number). Transport and API errors
    propagate: the caller keeps the row ``unknown`` then.
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
            return None
        raise
    for row in found:
        if row.records_found is not None and row.records_found != len(row.lead_ids):
            # An id we cannot read (e.g. masked because it contains the password's digits): a
            # "not found" here could make us add the lead twice, so the row stays unknown.
            raise DecodeError(f"lead_search: {row.records_found} leads found for {key!r} but "
                              f"{len(row.lead_ids)} ids readable", function="lead_search")
    ids = sorted({lid for row in found for lid in row.lead_ids
                  if lid > watermark and lid not in claimed})
    return ids[0] if ids else None

"""recordings functions of the Non-Agent API (``vd.recordings``): method name = VICIdial function name."""

from __future__ import annotations

from ._base import EndpointGroup

__all__ = ["Recordings"]


class Recordings(EndpointGroup):
    """recordings functions of the Non-Agent API."""

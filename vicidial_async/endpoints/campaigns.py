"""campaigns functions of the Non-Agent API (``vd.campaigns``): method name = VICIdial function name."""

from __future__ import annotations

from ._base import EndpointGroup

__all__ = ["Campaigns"]


class Campaigns(EndpointGroup):
    """campaigns functions of the Non-Agent API."""

"""dids functions of the Non-Agent API (``vd.dids``): method name = VICIdial function name."""

from __future__ import annotations

from ._base import EndpointGroup

__all__ = ["Dids"]


class Dids(EndpointGroup):
    """dids functions of the Non-Agent API."""

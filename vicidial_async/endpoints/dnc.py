"""dnc functions of the Non-Agent API (``vd.dnc``): method name = VICIdial function name."""

from __future__ import annotations

from ._base import EndpointGroup

__all__ = ["Dnc"]


class Dnc(EndpointGroup):
    """dnc functions of the Non-Agent API."""

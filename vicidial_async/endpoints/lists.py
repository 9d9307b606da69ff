"""lists functions of the Non-Agent API (``vd.lists``): method name = VICIdial function name."""

from __future__ import annotations

from ._base import EndpointGroup

__all__ = ["Lists"]


class Lists(EndpointGroup):
    """lists functions of the Non-Agent API."""

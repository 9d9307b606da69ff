"""stats functions of the Non-Agent API (``vd.stats``): method name = VICIdial function name."""

from __future__ import annotations

from ._base import EndpointGroup

__all__ = ["Stats"]


class Stats(EndpointGroup):
    """stats functions of the Non-Agent API."""

"""system functions of the Non-Agent API (``vd.system``): method name = VICIdial function name."""

from __future__ import annotations

from ._base import EndpointGroup

__all__ = ["System"]


class System(EndpointGroup):
    """system functions of the Non-Agent API."""

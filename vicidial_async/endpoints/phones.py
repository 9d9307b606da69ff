"""phones functions of the Non-Agent API (``vd.phones``): method name = VICIdial function name."""

from __future__ import annotations

from ._base import EndpointGroup

__all__ = ["Phones"]


class Phones(EndpointGroup):
    """phones functions of the Non-Agent API."""

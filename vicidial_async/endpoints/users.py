"""users functions of the Non-Agent API (``vd.users``): method name = VICIdial function name."""

from __future__ import annotations

from ._base import EndpointGroup

__all__ = ["Users"]


class Users(EndpointGroup):
    """users functions of the Non-Agent API."""

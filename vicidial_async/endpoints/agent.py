"""Agent API (``/agc/api.php``): ``vd.agent("agent001")`` sessions and agent-free ``vd.agents``."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ._base import EndpointGroup

if TYPE_CHECKING:
    from ..client import VicidialClient

__all__ = ["AgentSession", "Agents"]


class Agents(EndpointGroup):
    """Agent API functions that take no agent_user."""

    _api: ClassVar[str] = "agent"


class AgentSession(EndpointGroup):
    """Agent API functions bound to one agent (``agent_user``)."""

    _api: ClassVar[str] = "agent"

    def __init__(self, client: VicidialClient, agent_user: str) -> None:
        super().__init__(client)
        self.agent_user = agent_user

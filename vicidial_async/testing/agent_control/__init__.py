"""The fake's ``agent_control`` reference group.

Agent control: the live agent sessions, the Agent API functions that drive them,
and the Non-Agent blind_monitor.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import api, calls, common, monitor, panel, sessions  # noqa: F401

"""The fake's ``leads`` reference group.

Leads: add, update, search and read, dearchive, call-log fixes, the agent's external_add_lead.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import add, agent_add, calllog, reads, updates  # noqa: F401

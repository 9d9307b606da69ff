"""The fake's ``users`` reference group.

Users, remote agents, the user's campaigns and in-groups, CRM login log.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import crm, handlers  # noqa: F401

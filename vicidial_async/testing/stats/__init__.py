"""The fake's ``stats`` reference group.

Status, real-time and report functions.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import callid, queue, reports  # noqa: F401

"""The fake's ``dnc`` reference group.

DNC lists and filter phone groups.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import handlers  # noqa: F401

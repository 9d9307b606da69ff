"""The fake's ``lists`` reference group.

Lists and their custom fields.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import handlers  # noqa: F401

"""The fake's ``phones`` reference group.

Phones, phone aliases and group aliases.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import handlers  # noqa: F401

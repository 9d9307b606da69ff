"""The fake's ``recordings`` reference group.

Recording lookups.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import lookup  # noqa: F401

"""The fake's ``dids`` reference group.

Inbound DIDs and the DID log.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import handlers, log  # noqa: F401

"""The fake's ``system`` reference group.

System functions: version, webserver, the HTML pickers, server_refresh.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import handlers, refresh  # noqa: F401

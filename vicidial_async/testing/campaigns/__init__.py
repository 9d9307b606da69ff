"""The fake's ``campaigns`` reference group.

Campaigns, hopper, presets, alternate URLs, CID groups, in-group picker.

Importing it registers its handlers (``@handles``); nothing else happens at import.
"""

from . import extras, handlers, pickers  # noqa: F401

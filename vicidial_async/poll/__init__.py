"""Concurrent stats polling across many VICIdial servers: :class:`StatsPoller`.

>>> from vicidial_async.poll import Poll, Source, StatsPoller
>>> Poll("logged_in_agents").key
'logged_in_agents'
"""

from .poller import StatsPoller
from .schedule import Cadence
from .snapshot import Reading, Snapshot, SourceSnapshot, State
from .source import Poll, Source, SupportsCall
from .summary import ServerSummary, summarize

__all__ = [
    "Cadence",
    "Poll",
    "Reading",
    "ServerSummary",
    "Snapshot",
    "Source",
    "SourceSnapshot",
    "State",
    "StatsPoller",
    "SupportsCall",
    "summarize",
]

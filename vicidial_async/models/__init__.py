"""Typed result models (frozen attrs, slots), one module per endpoint group.

Every model is importable from here: ``from vicidial_async.models import AddLeadResult``.
The shared shapes (``StatusResult`` for status-line answers, ``TableResult`` and ``TableRow`` for
tables) are also exported from the package root.
"""

# Each group module's ``__all__`` is what it exports; this package re-exports all of them.
from . import agent, campaigns, dids, dnc, leads, lists, phones, recordings, stats, system, users
from ._rows import TableRow
from ._status import StatusResult
from ._table import TableResult
from .agent import *  # noqa: F403
from .campaigns import *  # noqa: F403
from .dids import *  # noqa: F403
from .dnc import *  # noqa: F403
from .leads import *  # noqa: F403
from .lists import *  # noqa: F403
from .phones import *  # noqa: F403
from .recordings import *  # noqa: F403
from .stats import *  # noqa: F403
from .system import *  # noqa: F403
from .users import *  # noqa: F403

__all__ = ["StatusResult", "TableResult", "TableRow"]
__all__ += agent.__all__
__all__ += campaigns.__all__
__all__ += dids.__all__
__all__ += dnc.__all__
__all__ += leads.__all__
__all__ += lists.__all__
__all__ += phones.__all__
__all__ += recordings.__all__
__all__ += stats.__all__
__all__ += system.__all__
__all__ += users.__all__

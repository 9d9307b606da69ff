"""Bulk lead loading: :class:`BulkLeadLoader` sends add_lead for every row of a CSV/JSONL file or an
iterable, rate-limited, resumable after a crash, with one outcome per row in a results file.

>>> from vicidial_async.bulk import BulkLeadLoader, Outcome
>>> Outcome.ADDED.value
'added'
"""

from .loader import BulkLeadLoader, LoadProgress, LoadSummary
from .normalize import RowShaper, normalize_phone
from .outcome import RESULT_COLUMNS, Outcome, RowOutcome
from .reconcile import ClaimedIds
from .sources import BadRow, count_rows, open_source

__all__ = [
    "RESULT_COLUMNS",
    "BadRow",
    "BulkLeadLoader",
    "ClaimedIds",
    "LoadProgress",
    "LoadSummary",
    "Outcome",
    "RowOutcome",
    "RowShaper",
    "count_rows",
    "normalize_phone",
    "open_source",
]

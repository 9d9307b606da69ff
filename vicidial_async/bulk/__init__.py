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
from .shard import MergeSummary, merge_results, parse_shard, shard_path
from .sources import BadRow, count_rows, open_source

__all__ = [
    "RESULT_COLUMNS",
    "BadRow",
    "BulkLeadLoader",
    "ClaimedIds",
    "LoadProgress",
    "LoadSummary",
    "MergeSummary",
    "Outcome",
    "RowOutcome",
    "RowShaper",
    "count_rows",
    "merge_results",
    "normalize_phone",
    "open_source",
    "parse_shard",
    "shard_path",
]

"""One sans-I/O :class:`Operation` per VICIdial function (see ``_core.py``).

Non-Agent operations live in the module of their reference group (``operations/leads.py`` holds
``ADD_LEAD``, ``UPDATE_LEAD`` ...); the rule constructors they are written with in ``_rules.py``.
"""

from ._core import Operation, Prepared, ResendPolicy, Rule, answer_only, operation_for

__all__ = ["Operation", "Prepared", "ResendPolicy", "Rule", "answer_only", "operation_for"]

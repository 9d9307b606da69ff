"""System operations of the Non-Agent API: version, the pickers (sounds, music on hold, voicemail,
containers, call menus), server_refresh and blind_monitor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ..models import system as results
from ..models._table import TableResult
from ..protocol.other import Picker
from ._core import Form, Operation, answer_only
from ._rules import chars

__all__ = ["BLIND_MONITOR", "CALLMENU_LIST", "CONTAINER_LIST", "MOH_LIST", "SERVER_REFRESH",
           "SOUNDS_LIST", "VERSION", "VM_LIST"]

T = TypeVar("T")
_COMMENTS = [chars("comments", r"^;#\"+", "characters other than ; # \" and + ('+' would become a "
                                          "space)")]


def _picked(model: Any) -> Callable[[Picker, Form], TableResult[Any]]:
    """The result builder of a picker: one ``model`` row per HTML row."""
    return lambda picker, form: TableResult(rows=tuple(model.from_html_row(r) for r in picker.rows),
                                            columns=model.COLUMNS, raw=picker.raw)


VERSION = Operation("version", result=answer_only(results.VersionInfo.from_values))
SOUNDS_LIST = Operation("sounds_list", rules=_COMMENTS, result=_picked(results.SoundFile))
MOH_LIST = Operation("moh_list", rules=_COMMENTS, result=_picked(results.MohChoice))
VM_LIST = Operation("vm_list", rules=_COMMENTS, result=_picked(results.VoicemailChoice))
CONTAINER_LIST = Operation("container_list", rules=_COMMENTS, result=_picked(results.ContainerChoice))
CALLMENU_LIST = Operation("callmenu_list", result=_picked(results.CallMenuChoice))
SERVER_REFRESH = Operation("server_refresh", result=answer_only(results.ServerRefreshResult.from_answer))
BLIND_MONITOR = Operation(
    "blind_monitor",
    rules=[chars("server_ip", r"A-Za-z0-9.:\-_", "letters, digits and . : - _")],
    result=answer_only(results.BlindMonitorResult.from_answer),
)

"""DID operations of the Non-Agent API: did_log_export, add_did, copy_did, update_did."""

from __future__ import annotations

from ..models.dids import CopyDidResult, DidLogRow, DidResult
from ..protocol.lines import StatusAnswer
from ._core import Form, Operation, answer_only, table_of
from ._rules import ID_CHARS, blank, chars, deletes_alone, items

__all__ = ["ADD_DID", "COPY_DID", "DID_LOG_EXPORT", "UPDATE_DID"]

_PATTERN_CHARS = r"A-Za-z0-9:+*#._"
_PATTERN_WHAT = "letters, digits and : + * # . _"
_DESCRIPTION = chars("did_description", r"A-Za-z0-9 \-.,_", "letters, digits, space and - . , _")
_DID_FIELDS = [
    chars("did_pattern", _PATTERN_CHARS, _PATTERN_WHAT),
    _DESCRIPTION,
    chars("extension", ID_CHARS, "letters, digits, - and _"),
    chars("voicemail_ext", "A-Za-z0-9*#._", "letters, digits and * # . _"),
    chars("phone_extension", ID_CHARS, "letters, digits, - and _"),
    chars("server_ip", r"A-Za-z0-9.:\-_", "letters, digits and . : - _"),
]


def _did_result(answer: StatusAnswer, form: Form) -> DidResult:
    return DidResult.from_answer(answer, form["did_pattern"])


DID_LOG_EXPORT = Operation("did_log_export", result=table_of(DidLogRow))
ADD_DID = Operation("add_did", rules=[blank(), *_DID_FIELDS], result=_did_result)
COPY_DID = Operation(
    "copy_did",
    rules=[blank(), chars("source_did_pattern", _PATTERN_CHARS, _PATTERN_WHAT),
           items("new_dids", ",", f"[{_PATTERN_CHARS}]+", f"a DID pattern ({_PATTERN_WHAT})"),
           _DESCRIPTION],
    result=answer_only(CopyDidResult.from_answer),
)
UPDATE_DID = Operation("update_did", result=_did_result,
                       rules=[blank(), deletes_alone("delete_did", "did_pattern"), *_DID_FIELDS])

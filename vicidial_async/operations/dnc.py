"""DNC and filter-phone-group operations of the Non-Agent API. None is resent after a lost answer
(a resend would answer ALREADY EXISTS / DOES NOT EXIST)."""

from __future__ import annotations

from ..models.dnc import DncPhoneResult, FpgPhoneResult
from ._core import Operation, answer_only
from ._rules import digits

__all__ = ["ADD_DNC_PHONE", "ADD_FPG_PHONE", "DELETE_DNC_PHONE", "DELETE_FPG_PHONE"]

# The server keeps commas in phone numbers; an area-code wildcard (312XXXXXXX) cannot be sent.
_DIGITS = [digits("phone_number")]

ADD_DNC_PHONE = Operation("add_dnc_phone", rules=_DIGITS, result=answer_only(DncPhoneResult.from_answer))
DELETE_DNC_PHONE = Operation("delete_dnc_phone", rules=_DIGITS,
                             result=answer_only(DncPhoneResult.from_answer))
ADD_FPG_PHONE = Operation("add_fpg_phone", rules=_DIGITS, result=answer_only(FpgPhoneResult.from_answer))
DELETE_FPG_PHONE = Operation("delete_fpg_phone", rules=_DIGITS,
                             result=answer_only(FpgPhoneResult.from_answer))

"""send_notification runs its messages together (no line break after the "Invalid recipient_type"
prefix or the date NOTICE): the decoder splits them, and the result reads the matched templates."""

from __future__ import annotations

import pytest

from vicidial_async import NotFoundError
from vicidial_async.models.agent import RESULT_BUILDERS, NotificationResult
from vicidial_async.protocol.decode import decode
from vicidial_async.protocol.registry import REGISTRY

SPEC = REGISTRY["agent", "send_notification"]


def _result(body: str) -> NotificationResult:
    result = RESULT_BUILDERS["send_notification"](decode(SPEC, 200, body, {}))
    assert isinstance(result, NotificationResult)
    return result


def test_a_guessed_recipient_type_is_read_from_its_notice() -> None:
    body = ("Invalid recipient_type (PERSON), NOTICE: found agent001 as USER<BR>"
            "SUCCESS: notification queued - agent001|USER|81\n")
    result = _result(body)
    assert (result.recipient, result.recipient_type, result.notification_id) == ("agent001", "USER", 81)
    assert result.resolved_type == "USER" and not result.date_replaced
    assert [n.facet for n in result.notices] == ["type_resolved"]
    assert result.notices[0].get("recipient_type") == "PERSON" and result.raw == body


def test_a_replaced_date_is_read_from_its_notice_run_into_the_success() -> None:
    body = ("NOTICE: Invalid notification date 2026-13-45 00:00:00, changing to now"
            "SUCCESS: notification queued - agent001|USER|77\n")
    result = _result(body)
    assert result.date_replaced and result.resolved_type == "" and result.notification_id == 77


def test_both_notices_and_a_plain_answer() -> None:
    body = ("Invalid recipient_type (X), NOTICE: found AGENTS as USER_GROUP<BR>"
            "NOTICE: Invalid notification date soon, changing to now"
            "SUCCESS: notification queued - AGENTS|USER_GROUP|82\n")
    result = _result(body)
    assert (result.resolved_type, result.date_replaced, result.recipient_type) == ("USER_GROUP", True,
                                                                                     "USER_GROUP")
    plain = _result("SUCCESS: notification queued - agent001|USER|73\n")
    assert (plain.resolved_type, plain.date_replaced, plain.notices) == ("", False, ())


@pytest.mark.parametrize("body", [
    "Invalid recipient_type (X), ERROR: no matching recipient found in users, user_groups, or "
    "campaigns - nobody\n",
    "Invalid recipient_type (X), NOTICE: found ghost as USER<BR>ERROR: ghost DOES NOT EXIST in "
    "users - hello|ghost\n",
])
def test_an_error_after_the_prefix_is_the_typed_error(body: str) -> None:
    with pytest.raises(NotFoundError) as info:
        decode(SPEC, 200, body, {})
    assert info.value.template and info.value.raw == body

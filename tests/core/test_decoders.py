"""The wire quirks each decoder must handle, one behaviour per test."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vicidial_async import (
    APIError,
    AuthenticationError,
    DecodeError,
    DuplicateError,
    EmptyAnswerError,
    HTTPStatusError,
    InvalidParameterError,
    NotFoundError,
    TruncatedAnswerError,
)
from vicidial_async.protocol.decode import decode
from vicidial_async.protocol.lines import StatusAnswer, parse_line
from vicidial_async.protocol.other import KeyValues, Picker, TextAnswer
from vicidial_async.protocol.registry import REGISTRY
from vicidial_async.protocol.tables import Table, decode_table

ADD_LEAD = REGISTRY["non_agent", "add_lead"]
CAMPAIGNS = REGISTRY["non_agent", "campaigns_list"]
USER_DETAILS = REGISTRY["non_agent", "user_details"]
LEAD_ALL_INFO = REGISTRY["non_agent", "lead_all_info"]
DID_LOG = REGISTRY["non_agent", "did_log_export"]


def status(body: str, spec: object = ADD_LEAD) -> StatusAnswer:
    ans = decode(spec, 200, body, {})  # type: ignore[arg-type]
    assert isinstance(ans, StatusAnswer)
    return ans


# -- status lines ------------------------------------------------------------------------------


def test_success_line_fields_and_data() -> None:
    ans = status("SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666|\n")
    assert ans.ok
    line = ans.success[0]
    assert line.reason == "add_lead LEAD HAS BEEN ADDED"
    assert line.data == ("3125551212", "101", "2001", "-5.00", "6666")
    assert line.get("lead_id") == "2001"
    assert line.get("missing", "x") == "x"


def test_trailing_empty_field_is_dropped_but_inner_empty_fields_kept() -> None:
    ans = status("SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212||2001|-5.00|6666|\n")
    assert ans.success[0].data == ("3125551212", "", "2001", "-5.00", "6666")
    assert ans.success[0].get("list_id") == ""


def _reason_and_data(rest: str) -> tuple[str, tuple[str, ...]]:
    # The wire rule, spelled out: the leftmost of " - ", ": |" and ": " ends the reason (": |"
    # rather than ": " where both start); the rest is pipe-joined data, a trailing empty field dropped.
    found = [(rest.find(sep), -len(sep), sep) for sep in (" - ", ": |", ": ") if sep in rest]
    if not found:
        return rest.strip(), ()
    at, _, sep = min(found)
    parts = [p.strip() for p in rest[at + len(sep):].split("|")]
    if parts[-1] == "":
        parts.pop()
    return rest[:at].strip(), tuple(parts)


@given(st.lists(st.sampled_from([" - ", ": |", ": ", ":", " ", "-", "|", "a", "B c", "\t", "2001"]),
                max_size=12).map("".join))
@example("a: - b")   # ": " just before " - ": the reason is "a"
@example("a: |b|c|")
def test_reason_ends_at_the_first_separator(rest: str) -> None:
    line = parse_line("NOTICE: " + rest)
    assert line is not None
    assert (line.reason, line.data) == _reason_and_data(rest.rstrip("\r"))


def test_data_after_colon_pipe() -> None:
    with pytest.raises(AuthenticationError) as info:
        status("ERROR: Login incorrect, please try again: |6666|***|BAD|\n")
    assert info.value.data == ("6666", "***", "BAD")
    assert info.value.fields["auth_message"] == "BAD"


def test_tag_anywhere_in_a_line_keeps_the_prefix() -> None:
    body = ("SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666\n"
            "7735550001_1_home!7735550002_2_work "
            "NOTICE: add_lead MULTI-ALT-PHONE NUMBERS LOADED - 2|2001|6666\n")
    ans = status(body)
    assert [x.tag for x in ans.lines] == ["SUCCESS", "NOTICE"]
    notice = ans.notices[0]
    assert notice.prefix.startswith("7735550001_1_home")
    assert notice.get("alt_phones_inserted") == "2"
    assert notice.text.startswith("NOTICE: ")


def test_notices_are_kept_in_order_and_untagged_lines_are_not_lost() -> None:
    body = ("NOTICE: add_lead NANPA options disabled, NANPA prefix data not loaded - 0|6666\n"
            "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666\n"
            "NOTICE: add_lead ADDED TO HOPPER - 3125551212|2001|77|6666\n"
            "some stray text\n")
    ans = status(body)
    assert [x.tag for x in ans.lines] == ["NOTICE", "SUCCESS", "NOTICE"]
    assert ans.notices[1].get("hopper_id") == "77"
    assert ans.other == ("some stray text",)
    assert ans.raw == body


def test_several_success_lines_one_per_lead() -> None:
    spec = REGISTRY["non_agent", "update_lead"]
    t = spec.response.success[0].text
    body = "".join(t.replace("{", "").replace("}", "") + "\n" for _ in range(3))
    assert len(status(body, spec).success) == 3


def test_crlf_and_blank_lines() -> None:
    ans = status("\r\n\r\nSUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666\r\n\r\n")
    assert ans.success[0].get("user") == "6666"
    assert ans.other == ()


def test_empty_status_body_is_an_empty_answer() -> None:
    ans = status("", REGISTRY["non_agent", "update_lead"])
    assert not ans.ok and ans.lines == () and ans.other == ()


def test_first_error_line_wins_even_after_success() -> None:
    with pytest.raises(APIError) as info:
        status("SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666\n"
               "ERROR: add_lead PHONE NUMBER IN DNC - 3125551212|6666\n")
    assert info.value.reason == "add_lead PHONE NUMBER IN DNC"


def test_longer_duplicate_variant_is_preferred_over_a_shorter_one() -> None:
    # The 4-field SYSTEM template also fits the 5-field line (with '101|ALT' as the list id).
    with pytest.raises(DuplicateError) as info:
        status("ERROR: add_lead DUPLICATE PHONE NUMBER IN SYSTEM - 7735550199|101|2011|102|ALT\n")
    exc = info.value
    assert exc.existing_lead_id == 2011
    assert exc.existing_list_id == 102
    assert exc.duplicate_type == "ALT"


def test_duplicate_in_list_uses_the_requested_list() -> None:
    with pytest.raises(DuplicateError) as info:
        status("ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 3125550101|101|2010\n")
    assert (info.value.existing_lead_id, info.value.existing_list_id) == (2010, 101)
    assert info.value.duplicate_type is None


def test_error_without_template_is_a_plain_api_error() -> None:
    with pytest.raises(APIError) as info:
        status("ERROR: add_lead SOMETHING NEW IN A LATER VERSION - a|b\n")
    assert type(info.value) is APIError
    assert info.value.data == ("a", "b")
    assert info.value.fields == {}


def test_server_side_invalid_parameter_is_sent() -> None:
    with pytest.raises(InvalidParameterError) as info:
        status("ERROR: add_lead INVALID PHONE NUMBER LENGTH - 31255|6666\n")
    assert info.value.sent is True
    assert isinstance(info.value, ValueError)


def test_api_errors_pickle_with_their_attributes() -> None:
    import pickle

    with pytest.raises(DuplicateError) as info:
        status("ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 3125550101|101|2010\n")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is DuplicateError
    assert copy.existing_lead_id == 2010
    assert str(copy) == str(info.value)


# -- HTTP status --------------------------------------------------------------------------------


def test_non_200_statuses() -> None:
    with pytest.raises(HTTPStatusError) as info:
        decode(ADD_LEAD, 500, "", {})
    assert info.value.status == 500 and info.value.maybe_sent
    with pytest.raises(DecodeError):
        decode(ADD_LEAD, 418, "Coffee: coffee|Error 418 I'm a teapot", {})
    with pytest.raises(HTTPStatusError) as info:
        decode(ADD_LEAD, 404, "not here", {})
    assert not info.value.maybe_sent


# -- tables -------------------------------------------------------------------------------------

_ROW = ["TESTCAMP", "Test Campaign", "Y", "ADMIN", "RATIO", "1", "DOWN", " NEW -", "26", "9", "", ""]


@pytest.mark.parametrize(("stage", "delim"), [("pipe", "|"), ("csv", ","), ("tab", "\t"), (None, "|"),
                                              ("bogus", "|")])
@pytest.mark.parametrize("header", [True, False])
def test_table_stages_and_header(stage: str | None, delim: str, header: bool) -> None:
    rows = [_ROW, ["OTHER", *_ROW[1:]]]
    head = delim.join(CAMPAIGNS.response.columns) + "\n" if header else ""
    body = head + "".join(delim.join(r) + "\n" for r in rows)
    params = {"header": "YES" if header else "NO"} | ({"stage": stage} if stage else {})
    table = decode(CAMPAIGNS, 200, body, params)
    assert isinstance(table, Table)
    assert table.columns == CAMPAIGNS.response.columns
    assert [list(r) for r in table.rows] == rows
    assert table.dicts()[1]["campaign_id"] == "OTHER"
    assert len(table) == 2 and list(table) == list(table.rows)


def test_header_param_ignored_when_the_function_has_none() -> None:
    spec = REGISTRY["non_agent", "call_status_stats"]
    assert not spec.response.header_param
    body = "TESTCAMP|5|3|00-0,01-0|SALE-2,NI-1|\n"
    table = decode(spec, 200, body, {"header": "YES"})
    assert table.rows == (("TESTCAMP", "5", "3", "00-0,01-0", "SALE-2,NI-1"),)


def test_delimiter_inside_the_last_column_is_kept() -> None:
    body = "agent001|Ann|AGENTS|1|Y|extra\n"
    table = decode(USER_DETAILS, 200, body, {})
    assert table.rows == (("agent001", "Ann", "AGENTS", "1", "Y|extra"),)


def test_line_break_inside_a_value_joins_the_row() -> None:
    body = "5551234|2026-01-01 10:00:00|Ann\nLee|30\n5551235|2026-01-01 11:00:00|Bob|40\n"
    table = decode(DID_LOG, 200, body, {})
    assert table.rows == (("5551234", "2026-01-01 10:00:00", "Ann\nLee", "30"),
                          ("5551235", "2026-01-01 11:00:00", "Bob", "40"))


def test_lead_search_glued_header_falls_back_to_the_known_columns() -> None:
    spec = REGISTRY["non_agent", "lead_search"]
    body = "search_keyrecords_foundlead_ids\n3125551212|2|11,12\n"
    table = decode(spec, 200, body, {"header": "YES"})
    assert table.columns == ("search_key", "records_found", "lead_ids")
    assert table.dicts() == [{"search_key": "3125551212", "records_found": "2", "lead_ids": "11,12"}]


def test_extra_columns_are_named_from_the_header() -> None:
    cols = LEAD_ALL_INFO.response.columns
    values = [str(i) for i in range(len(cols))]
    body = "|".join((*cols, "favorite_color")) + "\n" + "|".join((*values, "blue")) + "\n"
    table = decode(LEAD_ALL_INFO, 200, body, {"header": "YES", "custom_fields": "Y"})
    assert table.columns[-1] == "favorite_color"
    assert table.dicts()[0]["favorite_color"] == "blue"


def test_extra_columns_without_header_get_generated_names() -> None:
    values = [str(i) for i in range(len(LEAD_ALL_INFO.response.columns))]
    body = "|".join((*values, "blue", "7")) + "\n"
    table = decode(LEAD_ALL_INFO, 200, body, {"custom_fields": "Y"})
    assert table.columns[-2:] == ("extra_1", "extra_2")
    assert table.rows[0][-2:] == ("blue", "7")


def test_truncated_last_row_raises() -> None:
    body = "5551234|2026-01-01 10:00:00|Ann|30\n5551235|2026-01-01"
    with pytest.raises(TruncatedAnswerError) as info:
        decode(DID_LOG, 200, body, {})
    assert info.value.raw == body


def test_unterminated_but_complete_answer_is_accepted() -> None:
    spec = REGISTRY["non_agent", "call_dispo_report"]
    body = "CAMPAIGN,TOTAL CALLS\nTESTCAMP,5\nTOTAL,5"
    table = decode(spec, 200, body, {"stage": "pipe"})
    assert table.rows[-1] == ("TOTAL", "5")


def test_trailing_delimiter_on_rows() -> None:
    body = "list_id,list_name,campaign_id,active,list_changedate,list_lastcalldate,expiration_date," \
           "resets_today\n101,Test List,TESTCAMP,Y,,,2099-12-31,0,\n"
    table = decode(REGISTRY["non_agent", "list_info"], 200, body, {"stage": "csv", "header": "YES"})
    assert len(table.columns) == 8
    assert table.dicts() == [{"list_id": "101", "list_name": "Test List", "campaign_id": "TESTCAMP",
                              "active": "Y", "list_changedate": "", "list_lastcalldate": "",
                              "expiration_date": "2099-12-31", "resets_today": "0"}]


def test_documented_short_layout_without_header_is_not_merged() -> None:
    spec = REGISTRY["non_agent", "logged_in_agents"]
    body = ("agent001|TESTCAMP|8600051|PAUSED|2010|Y112|3|Agent One|AGENTS|1\n"
            "agent002|TESTCAMP|8600052|INCALL|2010|M112|5|Agent Two|AGENTS|1\n")
    table = decode(spec, 200, body, {"header": "NO"})
    assert len(table.rows) == 2
    assert table.dicts()[1]["user"] == "agent002"
    assert len(table.columns) == 10


def test_newline_stage_with_and_without_header() -> None:
    cols = LEAD_ALL_INFO.response.columns
    values = [f"v{i}" for i in range(len(cols))]
    table = decode(LEAD_ALL_INFO, 200, "\n".join(values) + "\n", {"stage": "newline"})
    assert table.rows == (tuple(values),)
    body = "\n".join((*cols, "color", *values, "red")) + "\n"
    table = decode(LEAD_ALL_INFO, 200, body, {"stage": "newline", "header": "YES", "custom_fields": "Y"})
    assert table.columns[-1] == "color"
    assert table.rows == ((*values, "red"),)


def test_newline_stage_truncated() -> None:
    with pytest.raises(TruncatedAnswerError):
        decode(LEAD_ALL_INFO, 200, "a\nb\nc", {"stage": "newline"})


def test_table_error_and_notice_answers() -> None:
    with pytest.raises(NotFoundError):
        decode(CAMPAIGNS, 200, "ERROR: campaigns_list THIS USER HAS NO VIEWABLE CAMPAIGNS: 6666|\n", {})
    spec = REGISTRY["non_agent", "phone_number_log"]
    table = decode(spec, 200, "NOTICE: phone_number_log NO RECORDS FOUND FOR THIS PHONE NUMBER - "
                              "6666|3125550101||2026-01-01\n", {})
    assert table.rows == () and table.notices[0].get("phone_number") == "3125550101"


def test_empty_table_body() -> None:
    table = decode(CAMPAIGNS, 200, "", {})
    assert table.rows == () and table.columns == CAMPAIGNS.response.columns


def test_columns_override() -> None:
    spec = REGISTRY["non_agent", "agent_stats_export"]
    cols = ("campaign_id", *spec.response.columns)
    row = [str(i) for i in range(len(cols))]
    table = decode_table(spec, "|".join(row) + "\n", columns=cols)
    assert table.dicts()[0]["campaign_id"] == "0"


# -- version, key_value, html, text -------------------------------------------------------------


def test_version() -> None:
    spec = REGISTRY["non_agent", "version"]
    ans = decode(spec, 200, "VERSION: 2.14-194|BUILD: 240429-2220|DATE: 2026-11-28 17:28:51|"
                            "EPOCH: 1795886931|"
                            "DST: 0|TZ: -5|TZNOW: -6|\n", {})
    assert isinstance(ans, KeyValues)
    assert ans["VERSION"] == "2.14-194" and ans.get("TZNOW") == "-6" and ans.get("nope") == ""
    with pytest.raises(EmptyAnswerError):
        decode(spec, 200, "", {})
    with pytest.raises(EmptyAnswerError):
        decode(spec, 200, "<html>maintenance</html>", {})


def test_key_value_webserver() -> None:
    spec = REGISTRY["agent", "webserver"]
    body = ("<PRE>Webserver Data:\nset.timezone: America/Chicago\nhost name: dialer1\n"
            "php version: 8.2.7\nini_get not allowed: \n</PRE>\n")
    ans = decode(spec, 200, body, {})
    assert ans["set.timezone"] == "America/Chicago"
    assert ans["host name"] == "dialer1"
    assert "Webserver Data" not in ans.values
    with pytest.raises(EmptyAnswerError):
        decode(spec, 200, " \n", {})


def test_html_picker_rows_and_details() -> None:
    spec = REGISTRY["non_agent", "moh_list"]
    body = ("<table><tr><td>#</td><td>Class</td><td>Name</td></tr>\n"
            "<tr><td>1</td><td><a href=\"javascript:choose_file('default','moh')\">default</a></td>"
            "<td>Default &amp; more</td></tr>\n<tr><td></td><td>Files: conf</td></tr></table>")
    ans = decode(spec, 200, body, {})
    assert isinstance(ans, Picker)
    assert ans.headers == ("#", "Class", "Name")
    assert ans.rows[0].id == "default"
    assert ans.rows[0].cells == ("default", "Default & more")
    assert ans.rows[0].details == ("Files: conf",)


def test_html_link_and_tab_lists() -> None:
    spec = REGISTRY["non_agent", "sounds_list"]
    body = '<a href="http://x/a.wav">a.wav</a><BR>\n<a href="http://x/b.wav">b.wav</a>\n'
    links = decode(spec, 200, body, {})
    assert [r.id for r in links.rows] == ["a.wav", "b.wav"]
    assert links.rows[0].cells == ("http://x/a.wav",)
    tabs = decode(spec, 200, "0\ta.wav\t2026-01-01\t2048\n1\tb.wav\t2026-01-02\t10\n", {})
    assert [r.id for r in tabs.rows] == ["a.wav", "b.wav"] and len(tabs) == 2


def test_text_answers() -> None:
    spec = REGISTRY["non_agent", "lead_field_info"]
    assert decode(spec, 200, "Ann", {}) == TextAnswer("lead_field_info", "Ann", "Ann")
    assert decode(spec, 200, "", {}).text == ""
    with pytest.raises(NotFoundError):
        decode(spec, 200, "ERROR: lead_field_info LEAD NOT FOUND: 6666|999\n", {})

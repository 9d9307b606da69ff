"""No input text makes a decoder raise anything but the library's own errors."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vicidial_async import VicidialError
from vicidial_async.protocol.decode import decode
from vicidial_async.protocol.registry import REGISTRY, FunctionSpec

_SPECS = sorted(REGISTRY.values(), key=lambda s: s.key)

# Pieces the wire is made of, so random text often looks like a real answer.
_TOKENS = st.sampled_from([
    "SUCCESS: ", "NOTICE: ", "ERROR: ", " - ", ": |", "|", ",", "\t", "\n", "\r\n", "", " ",
    "add_lead LEAD HAS BEEN ADDED", "Login incorrect, please try again", "DUPLICATE PHONE NUMBER IN LIST",
    "<tr>", "</tr>", "<td>", "choose_file('", "')", "<a href=\"", "\">", "</a>", "<PRE>", "</PRE>",
    "VERSION: ", "BUILD: ", "key: value", "2001", "3125551212", "{", "}", "'", "\\", "pass='x",
    "é", "\x00", "&amp;", "\u2028",
])
_BODIES = st.one_of(st.text(max_size=300), st.lists(_TOKENS, max_size=40).map("".join))
_PARAMS = st.fixed_dictionaries({}, optional={
    "stage": st.sampled_from(["pipe", "csv", "tab", "newline", "bogus", ""]),
    "header": st.sampled_from(["YES", "NO", "yes"]),
    "custom_fields": st.sampled_from(["Y", "N"]),
})


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=st.sampled_from(_SPECS), body=_BODIES, params=_PARAMS,
       status=st.sampled_from([200, 200, 200, 500, 418, 302, 404, 503]))
def test_decoders_raise_only_library_errors(spec: FunctionSpec, body: str, params: dict[str, str],
                                            status: int) -> None:
    try:
        result = decode(spec, status, body, params)
    except VicidialError:
        return
    # A status answer that printed SUCCESS before PHP died reports the change that landed.
    assert status == 200 or (status >= 500 and spec.response.format == "status" and "SUCCESS: " in body)
    assert result.raw == body

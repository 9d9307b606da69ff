"""The sans-I/O core: turn ``(status, body)`` of one call into a decoded answer or a typed error.

``decode(spec, status, body, params)`` picks the decoder of the function's response format. It never
does I/O, so every decoder is tested from recorded answers alone.

>>> from vicidial_async.protocol.registry import REGISTRY
>>> from vicidial_async.protocol.decode import decode
>>> ans = decode(REGISTRY["non_agent", "add_lead"], 200,
...              "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666\\n", {})
>>> ans.success[0].get("lead_id")
'2001'
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Union

from ..errors import DecodeError, HTTPStatusError
from .lines import StatusAnswer, decode_status
from .other import KeyValues, Picker, TextAnswer, decode_html, decode_key_value, decode_text, decode_version
from .registry import FunctionSpec
from .tables import Table, decode_table, delimiter_for

__all__ = ["Answer", "DECODERS", "decode", "decode_body"]

Answer = Union[StatusAnswer, Table, KeyValues, Picker, TextAnswer]
Decoder = Callable[[FunctionSpec, str, Mapping[str, str]], Answer]
logger = logging.getLogger("vicidial_async")


# call_dispo_report ignores stage/header: always csv with a header row and no final line feed.
_FIXED_LAYOUT: dict[tuple[str, str], dict[str, Any]] = {
    ("non_agent", "call_dispo_report"): {"delimiter": ",", "header": True, "unterminated": True},
}


# agent_stats_export with group_by_campaign=YES puts a campaign_id column before the documented ones.
_PREPENDED: dict[tuple[str, str], tuple[str, str]] = {
    ("non_agent", "agent_stats_export"): ("group_by_campaign", "campaign_id"),
}

_LAYOUTS: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {}


def _row_layouts(spec: FunctionSpec) -> tuple[tuple[str, ...], ...]:
    """The row layouts a table function documents (list_info: 9 or 11 columns, logged_in_agents:
    10 or 12 depending on options); empty when it has a single layout."""
    layouts = _LAYOUTS.get(spec.key)
    if layouts is None:
        cols = set(spec.response.columns)
        found = tuple(t.fields for t in spec.response.success if t.fields and set(t.fields) <= cols)
        layouts = _LAYOUTS[spec.key] = found if len({len(f) for f in found}) >= 2 else ()
    return layouts


def _table(spec: FunctionSpec, body: str, params: Mapping[str, str]) -> Table:
    fixed = _FIXED_LAYOUT.get(spec.key)
    if fixed is not None:
        return decode_table(spec, body, **fixed)
    stage = params.get("stage")
    header = params.get("header") == "YES" and spec.response.header_param
    columns = None
    prepend = _PREPENDED.get(spec.key)
    if prepend is not None and params.get(prepend[0]) == "YES":
        columns = (prepend[1], *spec.response.columns)
    layouts = _row_layouts(spec)
    if layouts and not header:
        # Without a header row, the width of the first row tells which documented layout came back
        # (otherwise a 10-field row would be read as half of a 12-field one).
        first = body.split("\n", 1)[0].rstrip("\r")
        width = len(first.split(delimiter_for(spec, stage)))
        columns = next((f for f in layouts if len(f) == width), None)
    return decode_table(spec, body, stage=stage, header=header, columns=columns,
                        extra_columns=params.get("custom_fields") == "Y")


DECODERS: dict[str, Decoder] = {
    "status": lambda spec, body, params: decode_status(spec, body),
    "table": _table,
    "version": lambda spec, body, params: decode_version(spec, body),
    "key_value": lambda spec, body, params: decode_key_value(spec, body),
    # agent_ingroup_info's stage=text answers plain lines, not HTML: a picker of it would be empty.
    "html": lambda spec, body, params: (decode_text(spec, body) if params.get("stage") == "text"
                                        else decode_html(spec, body)),
    "text": lambda spec, body, params: decode_text(spec, body),
}
"""Decoder per response format; ``REGISTRY[key].response.format`` selects one for each function."""


def decode_body(spec: FunctionSpec, body: str, params: Mapping[str, str]) -> Answer:
    """Decode a 200 answer's (already masked) body with the decoder of the function's format."""
    return DECODERS[spec.response.format](spec, body, params)


def decode(spec: FunctionSpec, status: int, body: str, params: Mapping[str, str]) -> Answer:
    """Decode one exchange. Non-200 statuses raise (the API answers 200 even for its errors),
    except a status answer that printed SUCCESS before PHP died: the change landed, so it is
    reported (with a warning in the log)."""
    if status == 200:
        return decode_body(spec, body, params)
    if status >= 500 and spec.response.format == "status" and "SUCCESS: " in body:
        logger.warning("%s answered HTTP %s after SUCCESS", spec.name, status)
        return decode_body(spec, body, params)
    if status == 418:
        raise DecodeError(f"{spec.name}: HTTP 418 teapot answer", function=spec.name, raw=body)
    raise HTTPStatusError(function=spec.name, status=status, body=body)

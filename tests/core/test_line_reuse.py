"""Table answers decoded with a LineReuse (the poller's, per polled function) decode exactly as
without one, answer after answer; only unchanged lines are handed back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vicidial_async import VicidialError
from vicidial_async.protocol.line_reuse import LINE_REUSE, LineReuse
from vicidial_async.protocol.registry import REGISTRY
from vicidial_async.protocol.tables import Table, decode_table

AGENTS = REGISTRY["non_agent", "logged_in_agents"]
CAMPAIGNS = REGISTRY["non_agent", "campaigns_list"]


@pytest.fixture
def reuse(in_context: Callable[..., Any]) -> LineReuse:
    return in_context(LINE_REUSE, LineReuse())


def _decode(body: str, stage: str, header: bool) -> Table | str:
    try:
        return decode_table(AGENTS, body, stage=stage, header=header)
    except VicidialError as exc:
        return f"{type(exc).__name__}: {exc}"


_LINES = st.sampled_from([
    "agent001|SALES1|8600051|INCALL|2001|M1|4|Ann Agent|AGENTS|1",
    "agent002|SALES1|8600052|READY|0||0|Bob Agent|AGENTS|1",
    "agent002|SALES1|8600052|PAUSED|0||0|Bob Agent|AGENTS|1",
    "agent003,SALES1,8600053,READY,0,,0,Cy Agent,AGENTS,1",
    "agent004\tSALES1\t8600054\tREADY\t0\t\t0\tDee Agent\tAGENTS\t1",
    "agent005|SALES1|8600055|READY|0||0|Eve|Agent|AGENTS|1",   # a delimiter inside full_name
    "agent006|SALES1|8600056|READY|0||0|Fay",                  # cut short: the rest on the next line
    "Agent|AGENTS|1",
    "user|campaign_id|session_id|status|lead_id|callerid|calls_today|full_name|user_group|user_level",
    "",
])
_ANSWERS = st.tuples(st.lists(_LINES, max_size=8).map("\n".join), st.booleans()).map(
    lambda a: a[0] + ("\n" if a[1] else ""))


@settings(max_examples=300, deadline=None)
@given(answers=st.lists(_ANSWERS, min_size=1, max_size=6),
       stages=st.lists(st.sampled_from(["pipe", "csv", "tab"]), min_size=6, max_size=6),
       header=st.booleans())
def test_a_run_of_answers_decodes_as_without_reuse(answers: list[str], stages: list[str],
                                                   header: bool) -> None:
    token = LINE_REUSE.set(LineReuse())
    try:
        reused = [_decode(body, stage, header) for body, stage in zip(answers, stages, strict=False)]
    finally:
        LINE_REUSE.reset(token)
    fresh = [_decode(body, stage, header) for body, stage in zip(answers, stages, strict=False)]
    assert reused == fresh


def _line(*first: str) -> str:
    """A campaigns_list line of exactly as many fields as its columns."""
    n = len(CAMPAIGNS.response.columns)
    return "|".join([*first, *[""] * (n - len(first))])


def test_unchanged_lines_come_back_as_the_same_fields(reuse: LineReuse) -> None:
    zero, one_y, one_n = _line("CAMP0", "Zero", "Y"), _line("CAMP1", "One", "Y"), _line(
        "CAMP1", "One", "N")
    first = decode_table(CAMPAIGNS, f"{zero}\n{one_y}\n", stage="pipe")
    second = decode_table(CAMPAIGNS, f"{zero}\n{one_n}\n", stage="pipe")
    assert [row[:3] for row in second.rows] == [("CAMP0", "Zero", "Y"), ("CAMP1", "One", "N")]
    assert second.rows[0] is first.rows[0]
    assert second.rows[1] is not first.rows[1]


def test_the_same_line_under_another_delimiter_is_split_again(reuse: LineReuse) -> None:
    n = len(CAMPAIGNS.response.columns)
    # n fields at '|' and n fields at ',' too, but not the same ones.
    line = "|".join([f"a{i},b{i}" for i in range(n - 1)] + ["z"]) + "\n"
    by_pipe = decode_table(CAMPAIGNS, line, stage="pipe").rows
    by_comma = decode_table(CAMPAIGNS, line, stage="csv").rows
    assert by_pipe[0][0] == "a0,b0" and by_comma[0][0] == "a0"
    assert by_comma[0][1] == "b0|a1" and len(by_pipe[0]) == len(by_comma[0]) == n

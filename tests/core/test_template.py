"""One Template both parses answers (decoders) and renders them (the fake server)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from vicidial_async.protocol.registry import REGISTRY, common_errors
from vicidial_async.protocol.template import Template
from vicidial_async.testing import FakeVicidial, VirtualClock

from ..conftest import load_real_answers


def _all_templates() -> list[Template]:
    found = []
    for spec in REGISTRY.values():
        r = spec.response
        found += [*r.success, *r.notices, *(t for e in r.errors for t in e.lines)]
    for api in ("non_agent", "agent"):
        found += [t for e in common_errors(api) for t in e.lines]
    return found


@pytest.mark.parametrize("template", _all_templates(), ids=lambda t: t.text[:60])
def test_every_reference_line_parses_back_what_it_renders(template: Template) -> None:
    values = [f"v{i}x" for i in range(len(template.fields))]
    assert template.parse(template.render(*values)) == dict(zip(template.fields, values, strict=True))


def test_a_date_sample_placeholder_is_a_field_for_parsing_and_rendering() -> None:
    t = Template.compile("VERSION: {version}|BUILD: {build}|DATE: {YYYY-MM-DD HH:MM:SS}|EPOCH: {epoch}")
    assert t.fields == ("version", "build", "YYYY_MM_DD_HH_MM_SS", "epoch")
    line = t.render("2.14-81", "240429-2220", "2026-11-28 17:28:51", 1795886931)
    assert t.parse(line + "|") == {
        "version": "2.14-81",
        "build": "240429-2220",
        "YYYY_MM_DD_HH_MM_SS": "2026-11-28 17:28:51",
        "epoch": "1795886931",
    }


def test_a_name_used_twice_is_captured_twice_and_filled_once_by_name() -> None:
    t = Template.compile("ERROR: x - {user}|{lead_id}|{user}")
    assert t.fields == ("user", "lead_id", "user_2")
    assert t.kw(user="6666", lead_id=7) == "ERROR: x - 6666|7|6666"
    assert t.parse("ERROR: x - 6666|7|6666") == {"user": "6666", "lead_id": "7", "user_2": "6666"}


def test_the_fake_prints_the_agent_version_line_the_real_server_printed() -> None:
    (recorded,) = [
        d
        for d in load_real_answers()
        if (d["api"], d["function"], d["case"]) == ("agent", "version", "valid_no_credentials")
    ]
    epoch = float(recorded["body"].split("EPOCH: ")[1])
    fake = FakeVicidial(clock=VirtualClock(epoch))
    assert fake.handle("agent", "", urlencode(recorded["params"])).body == recorded["body"]


@pytest.mark.parametrize("api", ["non_agent", "agent"])
def test_the_fake_renders_version_lines_through_the_template_the_decoder_parses(api: str) -> None:
    body = FakeVicidial().handle(api, "", urlencode({"function": "version"})).body
    fields = REGISTRY[api, "version"].response.success[0].parse(body.rstrip("\n"))
    assert fields is not None
    assert fields["version"].startswith("2.14-")

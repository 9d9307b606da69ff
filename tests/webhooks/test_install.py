"""Installing templates through the API (against the fake server) and reading them back."""

from __future__ import annotations

import pytest

from vicidial_async import InvalidParameterError
from vicidial_async.testing import FakeVicidial
from vicidial_async.webhooks import build_template, install_webhook, installed_webhooks

from .conftest import TOKEN


@pytest.fixture
def fake() -> FakeVicidial:
    return FakeVicidial()


async def test_campaign_dispo_url(fake: FakeVicidial) -> None:
    template = build_template("dispo", "https://hooks.example.com/vd", TOKEN)
    async with fake.client() as vd:
        done = await install_webhook(vd, campaign_id="TESTCAMP", kind="dispo", template=template)
    assert (done.where, done.action, done.verified) == ("campaign", "set", False)
    assert fake.state.campaigns["TESTCAMP"].dispo_call_url == template


async def test_alternate_row_is_added_read_back_and_updated_in_place(fake: FakeVicidial) -> None:
    template = build_template("dispo", "https://hooks.example.com/vd", TOKEN)
    async with fake.client() as vd:
        first = await install_webhook(vd, campaign_id="TESTCAMP", kind="dispo", template=template,
                                      alt=True, switch_to_alt=True, statuses=["SALE", "NI"],
                                      min_call_length=5)
        assert first.action == "added" and first.verified
        assert first.row is not None and first.row.url_statuses == ("SALE", "NI")
        assert first.row.url_call_length == 5 and first.row.active is True
        newer = build_template("dispo", "https://hooks.example.com/vd2", TOKEN)
        second = await install_webhook(vd, campaign_id="TESTCAMP", kind="dispo", template=newer,
                                       alt=True)
        assert second.action == "updated" and second.verified
        rows = await installed_webhooks(vd, "TESTCAMP", "dispo")
    assert [r.url_address for r in rows] == [newer]
    assert rows[0].url_statuses == ("---ALL---",)
    assert fake.state.campaigns["TESTCAMP"].dispo_call_url == "ALT"


async def test_refusals_before_sending(fake: FakeVicidial) -> None:
    async with fake.client() as vd:
        with pytest.raises(InvalidParameterError):
            await install_webhook(vd, campaign_id="TESTCAMP", kind="dispo",
                                  template="VARhttps://h/x?p=--A--pass--B--")
        start = build_template("start", "https://hooks.example.com/vd", TOKEN)
        with pytest.raises(InvalidParameterError):
            await install_webhook(vd, campaign_id="TESTCAMP", kind="start", template=start)
        dead = build_template("dead", "https://hooks.example.com/vd", TOKEN)
        with pytest.raises(InvalidParameterError):
            await install_webhook(vd, campaign_id="TESTCAMP", kind="dead", template=dead, alt=True)
    assert fake.state.campaigns["TESTCAMP"].dispo_call_url == ""

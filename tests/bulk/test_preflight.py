"""Preflight's list check against the in-process fake: which refusals stop a load, and which
``allow_new_list`` lets through."""

from __future__ import annotations

from pathlib import Path

import pytest

from vicidial_async.bulk import BulkLeadLoader
from vicidial_async.bulk.preflight import PreflightError
from vicidial_async.testing import FakeVicidial

from .conftest import PASSWORD, USER, lead_counts, phones, write_csv


def _file(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "in.csv", [{"phone": p} for p in phones(3)], ["phone"])


async def _preflight(fake: FakeVicidial, src: Path, *, list_id: int,
                     allow_new_list: bool = False) -> None:
    async with fake.client(user=USER, password=PASSWORD) as vd:
        await BulkLeadLoader(vd, list_id=list_id).preflight(src, allow_new_list=allow_new_list)


async def test_a_missing_list_stops_the_load_unless_allowed(fake: FakeVicidial,
                                                            tmp_path: Path) -> None:
    src = _file(tmp_path)
    with pytest.raises(PreflightError, match="list 98765 does not exist"):
        await _preflight(fake, src, list_id=98765)
    await _preflight(fake, src, list_id=98765, allow_new_list=True)


async def test_a_user_without_modify_lists_can_still_load_with_allow_new_list(
        fake: FakeVicidial, tmp_path: Path) -> None:
    # add_lead needs no modify_lists, list_info does: such a user is told how to go on, not
    # refused as if the list were missing or the login wrong.
    fake.users[USER].modify_lists = 0
    src = _file(tmp_path)
    with pytest.raises(PreflightError, match=r"may not run list_info.*--allow-new-list"):
        await _preflight(fake, src, list_id=101)
    await _preflight(fake, src, list_id=101, allow_new_list=True)
    async with fake.client(user=USER, password=PASSWORD) as vd:
        summary = await BulkLeadLoader(vd, list_id=101, settle=0).run(src)
    assert summary.counts == {"added": 3}
    assert lead_counts(fake) == dict.fromkeys(phones(3), 1)


async def test_a_missing_user_group_is_not_taken_for_a_missing_list(fake: FakeVicidial,
                                                                    tmp_path: Path) -> None:
    # list_info answers "user_group DOES NOT EXIST" for a list-restricted user whose group is
    # gone; every add_lead would be refused too, so allow_new_list must not let the load start.
    user = fake.users[USER]
    user.api_list_restrict = True
    user.user_group = "GONE"
    src = _file(tmp_path)
    for allow in (False, True):
        with pytest.raises(PreflightError, match="user_group DOES NOT EXIST"):
            await _preflight(fake, src, list_id=101, allow_new_list=allow)
    assert fake.requests == 2 and not fake.leads

"""Lead functions driven through the library: answers decode, and the fake's state really changes."""

from __future__ import annotations

import pytest

from vicidial_async import DNCError, DuplicateError, NotFoundError, VicidialClient
from vicidial_async.testing import CustomField, FakeVicidial, VirtualClock

from .conftest import post


async def test_add_lead_stores_every_field_and_answers_its_lead_id(
    fake: FakeVicidial, vd: VicidialClient
) -> None:
    added = await vd.leads.add_lead(
        phone_number="3125550142",
        list_id=101,
        first_name="Ann",
        last_name="Lee",
        vendor_lead_code="VX-1",
        state="IL",
        comments="first contact",
    )
    lead = fake.leads[added.lead_id]
    assert (lead.phone_number, lead.list_id, lead.first_name, lead.last_name) == (
        "3125550142",
        101,
        "Ann",
        "Lee",
    )
    assert (lead.vendor_lead_code, lead.status, lead.user) == ("VX-1", "NEW", "6666")
    assert lead.entry_date == "2026-01-01 00:00:00"
    assert added.gmt_offset == -6.0  # area code 312 is Central time


@pytest.mark.parametrize(
    ("check", "same_list", "expect_hit"),
    [
        ("DUPLIST", True, True),
        ("DUPLIST", False, False),
        ("DUPCAMP", False, True),
        ("DUPSYS", False, True),
        ("DUPLIST-DUPSYS", False, True),
    ],
)
async def test_duplicate_checks_find_the_existing_lead_in_their_scope(
    fake: FakeVicidial, vd: VicidialClient, check: str, same_list: bool, expect_hit: bool
) -> None:
    fake.seed(lists=[{"list_id": 102, "campaign_id": "TESTCAMP"}], campaigns=[{"campaign_id": "OTHER"}])
    fake.seed(lists=[{"list_id": 201, "campaign_id": "OTHER"}])
    first = await vd.leads.add_lead(phone_number="3125550142", list_id=101)
    target = 101 if same_list else (102 if check == "DUPCAMP" else 201)
    if expect_hit:
        with pytest.raises(DuplicateError) as caught:
            await vd.leads.add_lead(phone_number="3125550142", list_id=target, duplicate_check=check)
        assert caught.value.existing_lead_id == first.lead_id
        assert len(fake.leads) == 1
    else:
        await vd.leads.add_lead(phone_number="3125550142", list_id=target, duplicate_check=check)
        assert len(fake.leads) == 2


async def test_dupcamp_ignores_a_lead_in_another_campaign(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.seed(campaigns=[{"campaign_id": "OTHER"}], lists=[{"list_id": 201, "campaign_id": "OTHER"}])
    await vd.leads.add_lead(phone_number="3125550142", list_id=201)
    await vd.leads.add_lead(phone_number="3125550142", list_id=101, duplicate_check="DUPCAMP")
    assert len(fake.leads) == 2


async def test_day_window_limits_duplicate_checks_to_recent_leads(
    fake: FakeVicidial, clock: VirtualClock, vd: VicidialClient
) -> None:
    await vd.leads.add_lead(phone_number="3125550142", list_id=101)
    clock.advance(10 * 86400)
    with pytest.raises(DuplicateError):
        await vd.leads.add_lead(phone_number="3125550142", list_id=101, duplicate_check="DUPLIST30DAY")
    added = await vd.leads.add_lead(phone_number="3125550142", list_id=101, duplicate_check="DUPLIST7DAY")
    assert added.lead_id in fake.leads


def test_alt_phone_title_and_name_duplicate_families_report_their_own_lines(fake: FakeVicidial) -> None:
    fake.seed(
        leads=[
            {
                "phone_number": "3125550101",
                "alt_phone": "7735550199",
                "title": "Ms",
                "first_name": "Ann",
                "last_name": "Lee",
                "list_id": 101,
            }
        ]
    )
    assert post(
        fake, "add_lead", phone_number="7735550199", list_id=101, duplicate_check="DUPPHONEALTSYS"
    ) == ("ERROR: add_lead DUPLICATE PHONE NUMBER IN SYSTEM - 7735550199|101|1|101|ALT\n")
    assert post(
        fake,
        "add_lead",
        phone_number="3125550999",
        list_id=101,
        title="Ms",
        alt_phone="7735550199",
        duplicate_check="DUPTITLEALTPHONELIST",
    ) == ("ERROR: add_lead DUPLICATE TITLE ALT_PHONE IN LIST - Ms|7735550199|101|1\n")
    assert post(
        fake,
        "add_lead",
        phone_number="3125550101",
        list_id=101,
        first_name="Ann",
        last_name="Lee",
        duplicate_check="DUPNAMEPHONECAMP",
    ) == ("ERROR: add_lead DUPLICATE NAME PHONE IN CAMPAIGN LISTS - Ann|Lee|3125550101|101|1|101\n")
    # Another name on the same number is not a DUPNAMEPHONE duplicate.
    assert post(
        fake,
        "add_lead",
        phone_number="3125550101",
        list_id=101,
        first_name="Bob",
        last_name="Lee",
        duplicate_check="DUPNAMEPHONESYS",
    ).startswith("SUCCESS:")


async def test_system_and_campaign_dnc_refuse_the_number(fake: FakeVicidial, vd: VicidialClient) -> None:
    await vd.call("add_dnc_phone", phone_number="3125550199", campaign_id="SYSTEM_INTERNAL")
    await vd.call("add_dnc_phone", phone_number="3125550198", campaign_id="TESTCAMP")
    assert "3125550199" in fake.dnc["SYSTEM_INTERNAL"]
    with pytest.raises(DNCError):
        await vd.leads.add_lead(phone_number="3125550199", list_id=101, dnc_check="Y")
    with pytest.raises(DNCError):
        await vd.leads.add_lead(
            phone_number="3125550198", list_id=101, campaign_dnc_check="Y", campaign_id="TESTCAMP"
        )
    # Without the check the number goes in.
    await vd.leads.add_lead(phone_number="3125550199", list_id=101)
    assert [x.phone_number for x in fake.leads.values()] == ["3125550199"]


async def test_add_to_hopper_and_callback_create_their_rows(fake: FakeVicidial, vd: VicidialClient) -> None:
    added = await vd.leads.add_lead(
        phone_number="3125550142",
        list_id=101,
        add_to_hopper=True,
        hopper_priority=5,
        callback=True,
        campaign_id="TESTCAMP",
        callback_datetime="2026-01-02 10:00:00",
        callback_type="ANYONE",
    )
    entry = fake.hopper[added.lead_id]
    assert (entry.campaign_id, entry.priority, entry.status) == ("TESTCAMP", 5, "READY")
    (cb,) = fake.callbacks.values()
    assert (cb.lead_id, cb.callback_time, cb.status) == (added.lead_id, "2026-01-02 10:00:00", "ACTIVE")
    assert fake.leads[added.lead_id].status == "CBHOLD"
    listing = await vd.call("hopper_list", campaign_id="TESTCAMP")
    assert [r["lead_id"] for r in listing.dicts()] == [str(added.lead_id)]


async def test_custom_fields_of_the_list_are_stored_with_the_lead(
    fake: FakeVicidial, vd: VicidialClient
) -> None:
    lst = fake.lists[101]
    lst.custom_fields["favcolor"] = CustomField(field_label="favcolor")
    lst.custom_fields["petname"] = CustomField(field_label="petname")
    lst.custom_table = True
    added = await vd.leads.add_lead(phone_number="3125550142", list_id=101, custom_fields={"favcolor": "red"})
    lead = fake.leads[added.lead_id]
    assert lead.custom == {"favcolor": "red", "petname": ""}
    assert lead.entry_list_id == 101
    info = await vd.call("lead_all_info", lead_id=added.lead_id, custom_fields=True, header="YES")
    assert info.dicts()[0]["favcolor"] == "red"
    body = post(fake, "update_lead", lead_id=added.lead_id, custom_fields="Y", petname="Tom")
    assert body == f"NOTICE: update_lead CUSTOM FIELDS VALUES UPDATED - |{added.lead_id}|101|101|101|1\n"
    assert lead.custom["petname"] == "Tom"


async def test_update_lead_by_lead_id_vendor_code_and_phone(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.seed(
        leads=[
            {"phone_number": "3125550101", "vendor_lead_code": "V1"},
            {"phone_number": "3125550102", "vendor_lead_code": "V2"},
        ]
    )
    await vd.call("update_lead", lead_id=1, first_name="Ann")
    await vd.call("update_lead", search_method="VENDOR_LEAD_CODE", vendor_lead_code="V2", city="Chicago")
    await vd.call("update_lead", search_method="PHONE_NUMBER", phone_number="3125550101", status="SALE")
    assert (fake.leads[1].first_name, fake.leads[1].status) == ("Ann", "SALE")
    assert fake.leads[2].city == "Chicago"


async def test_update_lead_insert_if_not_found_then_delete(fake: FakeVicidial, vd: VicidialClient) -> None:
    ans = await vd.call(
        "update_lead",
        search_method="VENDOR_LEAD_CODE",
        vendor_lead_code="NEW-1",
        insert_if_not_found=True,
        phone_number="3125550142",
        phone_code=1,
        list_id=101,
    )
    assert [line.reason for line in ans.lines] == [
        "update_lead NO MATCHES FOUND IN THE SYSTEM",
        "update_lead LEAD HAS BEEN ADDED",
    ]
    (lead,) = fake.leads.values()
    assert lead.vendor_lead_code == "NEW-1"
    await vd.call("update_lead", lead_id=lead.lead_id, delete_lead=True)
    assert fake.leads == {}


async def test_update_lead_no_update_and_records(
    fake: FakeVicidial, vd: VicidialClient, clock: VirtualClock
) -> None:
    fake.seed(leads=[{"phone_number": "3125550101"}])
    clock.advance(60)
    fake.seed(leads=[{"phone_number": "3125550101"}])
    found = await vd.call(
        "update_lead", search_method="PHONE_NUMBER", phone_number="3125550101", no_update=True, records=5
    )
    assert [n.get("lead_id") for n in found.notices] == ["2", "1"]
    assert fake.leads[1].comments == fake.leads[2].comments == ""
    await vd.call(
        "update_lead", search_method="PHONE_NUMBER", phone_number="3125550101", comments="x", records=1
    )
    assert (fake.leads[1].comments, fake.leads[2].comments) == ("", "x")  # newest first, one record
    with pytest.raises(NotFoundError):
        await vd.call("update_lead", lead_id=99, comments="x")


def test_update_lead_with_nothing_to_set_answers_empty(fake: FakeVicidial) -> None:
    fake.seed(leads=[{"phone_number": "3125550101"}])
    assert post(fake, "update_lead", lead_id=1) == ""


async def test_batch_update_lead_moves_leads(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.seed(leads=3, lists=[{"list_id": 102}])
    ans = await vd.call("batch_update_lead", lead_ids=[1, 2, 9], list_id_field=102, status="RECYCL")
    assert ans.success[0].data == ("6666", "2", "2", "2,1")
    assert [(x.list_id, x.status) for x in fake.leads.values()] == [
        (102, "RECYCL"),
        (102, "RECYCL"),
        (101, "NEW"),
    ]
    assert fake.state.by_list[102] == {1, 2}


async def test_lead_search_and_lead_field_info(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.seed(
        leads=[
            {"phone_number": "3125550101", "postal_code": "60601"},
            {"phone_number": "3125550101"},
            {"phone_number": "7275550103"},
        ]
    )
    table = await vd.call("lead_search", phone_number=["3125550101", "3125550999"])
    assert table.rows == (("3125550101", "2", "2-1"), ("3125550999", "0", ""))
    value = await vd.call("lead_field_info", lead_id=1, field_name="postal_code")
    assert value.text == "60601"


async def test_lead_dearchive_moves_a_lead_back(fake: FakeVicidial, vd: VicidialClient) -> None:
    lead = fake.state.seed_lead({"phone_number": "3125550101"})
    fake.state.delete_lead(lead.lead_id)
    fake.archived_leads[lead.lead_id] = lead
    await vd.call("lead_dearchive", lead_id=lead.lead_id)
    assert lead.lead_id in fake.leads and not fake.archived_leads
    with pytest.raises(NotFoundError):
        await vd.call("lead_dearchive", lead_id=lead.lead_id)


async def test_lead_callback_info_lists_current_and_archived_callbacks(
    fake: FakeVicidial, vd: VicidialClient
) -> None:
    added = await vd.leads.add_lead(
        phone_number="3125550142",
        list_id=101,
        callback=True,
        campaign_id="TESTCAMP",
        callback_datetime="2026-01-03 09:00:00",
    )
    await vd.call("update_lead", lead_id=added.lead_id, callback="REMOVE")
    assert not fake.callbacks
    table = await vd.call("lead_callback_info", lead_id=added.lead_id, search_location="ALL")
    assert [r["callback_type"] for r in table.dicts()] == ["ARCHIVE"]


async def test_lookups_scale_by_index_not_by_scan(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.seed(leads=5000)
    with pytest.raises(DuplicateError) as caught:
        await vd.leads.add_lead(phone_number="3125554999", list_id=101, duplicate_check="DUPSYS")
    assert caught.value.existing_lead_id == 5000
    assert len(fake.state.by_phone["3125554999"]) == 1

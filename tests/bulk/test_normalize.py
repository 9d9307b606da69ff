"""Phone numbers and column mapping: what a row becomes before validation."""

from __future__ import annotations

import pytest

from vicidial_async import ConfigurationError, InvalidParameterError
from vicidial_async.bulk import RowShaper, normalize_phone
from vicidial_async.bulk.normalize import split_country_code


@pytest.mark.parametrize(
    ("raw", "code", "expected"),
    [
        ("(312) 555-1212", None, ("3125551212", None)),
        ("312.555.1212", None, ("3125551212", None)),
        ("+1 312-555-1212", None, ("3125551212", "1")),
        ("1 312 555 1212", None, ("3125551212", "1")),
        ("+44 (0)20 7946 0958", None, ("2079460958", "44")),
        ("0044 20 7946 0958", None, ("2079460958", "44")),
        ("+353 1 234 5678", None, ("12345678", "353")),
        ("+7 495 123-45-67", None, ("4951234567", "7")),
        ("+44 20 7946 0958", "44", ("2079460958", "44")),
        ("020 7946 0958", "44", ("02079460958", "44")),
    ],
)
def test_phone_numbers_are_cleaned_and_country_codes_split(raw: str, code: str | None,
                                                            expected: tuple[str, str | None]) -> None:
    assert normalize_phone(raw, code) == expected


def test_country_codes_follow_the_e164_prefix_table() -> None:
    assert split_country_code("4930123456")[0] == "49"
    assert split_country_code("8613812345678")[0] == "86"
    assert split_country_code("2348012345678")[0] == "234"   # Nigeria: 3 digits, 23 is not a code
    assert split_country_code("97150123456")[0] == "971"


@pytest.mark.parametrize("raw", ["312-555-CALL", "3125551212 ext 12", "+", "+1 312 555 1212x9"])
def test_letters_or_empty_numbers_are_refused_not_folded_in(raw: str) -> None:
    with pytest.raises(InvalidParameterError) as err:
        normalize_phone(raw)
    assert err.value.parameter == "phone_number" and not err.value.sent


def test_a_row_phone_code_must_agree_with_the_numbers_prefix() -> None:
    with pytest.raises(InvalidParameterError, match=r"\+44 disagrees with phone_code 1"):
        normalize_phone("+44 20 7946 0958", "1")


def test_columns_resolve_by_mapping_then_field_name_then_alias() -> None:
    shaper = RowShaper({"Tel": "phone_number", "Notes": None})
    params, custom = shaper.shape({"Tel": " +1 (312) 555-0101 ", "First Name": "Ann",
                                   "LAST-NAME": "Lee", "Zip": "60601", "Notes": "x", "City": ""})
    assert params == {"phone_number": "3125550101", "phone_code": "1", "first_name": "Ann",
                      "last_name": "Lee", "postal_code": "60601"}
    assert custom == {}


def test_unknown_columns_are_refused_unless_ignored_or_loaded_as_custom_fields() -> None:
    row = {"phone": "3125550101", "fav_color": "blue"}
    with pytest.raises(InvalidParameterError, match="matches no add_lead field") as err:
        RowShaper().shape(row)
    assert err.value.parameter == "fav_color"
    assert RowShaper(ignore=["fav_color"]).shape(row)[1] == {}
    assert RowShaper(custom_fields=True).shape(row)[1] == {"fav_color": "blue"}
    # An explicit mapping to a non-standard name is a custom field without the flag.
    assert RowShaper({"fav_color": "color"}).shape(row)[1] == {"color": "blue"}
    assert RowShaper().unknown_columns(["Phone", "fav_color", "City"]) == ["fav_color"]


def test_list_id_cannot_come_from_a_row() -> None:
    with pytest.raises(ConfigurationError):
        RowShaper().target("List ID")
    with pytest.raises(ConfigurationError):
        RowShaper({"L": "list_id"})


def test_json_values_become_text_and_whole_floats_stay_whole() -> None:
    params, _ = RowShaper().shape({"phone_number": 3125550101.0, "rank": 7, "first_name": None})
    assert params == {"phone_number": "3125550101", "rank": "7"}


def test_two_columns_giving_one_field_different_values_are_refused() -> None:
    shaper = RowShaper({"Mobile": "phone_number"})
    with pytest.raises(InvalidParameterError, match="different values"):
        shaper.shape({"Phone": "3125550101", "Mobile": "3125550102"})
    assert shaper.shape({"Phone": "3125550101", "Mobile": "3125550101"})[0]["phone_number"] == "3125550101"


def test_a_row_without_a_phone_number_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="no phone number"):
        RowShaper().shape({"first_name": "Ann"})


def test_normalisation_can_be_switched_off() -> None:
    params, _ = RowShaper(normalize_phone=False).shape({"phone": "(312) 555-0101"})
    assert params["phone_number"] == "(312) 555-0101"   # left for validation to refuse

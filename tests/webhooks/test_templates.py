"""The template builder: exact templates, and the refusals that protect the install."""

from __future__ import annotations

import doctest

import pytest

from vicidial_async import InvalidParameterError
from vicidial_async.webhooks import (
    DEFAULT_VARIABLES,
    KINDS,
    build_template,
    check_template,
    decode_request,
    templates,
)

TOKEN = "tok_0123456789abcdefXYZ"


def test_module_examples() -> None:
    assert doctest.testmod(templates).failed == 0


@pytest.mark.parametrize("kind", KINDS)
def test_default_template_names_every_default_variable(kind: str) -> None:
    t = build_template(kind, "https://hooks.example.com/vd", TOKEN)  # type: ignore[arg-type]
    assert t.startswith(f"VARhttps://hooks.example.com/vd?hook={kind}&token={TOKEN}&")
    assert check_template(t) == DEFAULT_VARIABLES[kind]  # type: ignore[index]
    assert "--A--pass--B--" not in t and "phone_pass" not in t


def test_custom_fields_and_an_existing_query() -> None:
    t = build_template("dispo", "https://h.example.com/in?site=3", TOKEN,
                       variables=["lead_id", "dispo"], custom_fields=["favcolor"])
    assert t == (f"VARhttps://h.example.com/in?site=3&hook=dispo&token={TOKEN}"
                 "&lead_id=--A--lead_id--B--&dispo=--A--dispo--B--&favcolor=--A--favcolor--B--")


def test_what_the_server_makes_of_the_template_decodes_back() -> None:
    t = build_template("dispo", "https://h.example.com/in", TOKEN, variables=["lead_id", "dispo"])
    url = t[3:].replace("--A--lead_id--B--", "42").replace("--A--dispo--B--", "SALE")
    event = decode_request(url.partition("?")[2])
    assert event.kind == "dispo" and event.lead_id == 42
    assert event.fields == {"lead_id": "42", "dispo": "SALE"}
    assert TOKEN not in event.raw_query


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"variables": ["lead_id", "pass"]}, "variables"),
    ({"custom_fields": ["phone_pass"]}, "variables"),
    ({"variables": ["Phone_Pass"]}, "variables"),
    ({"variables": ["lead id"]}, "variables"),
    ({"variables": ["token"]}, "variables"),
    ({"variables": ["lead_id", "lead_id"]}, "variables"),
    ({"base_url": "https://h.example.com/a~b"}, "base_url"),
    ({"base_url": "https://h.example.com/a,b"}, "base_url"),
    ({"base_url": "https://h.example.com/#frag"}, "base_url"),
    ({"base_url": "http://h.example.com/"}, "base_url"),
    ({"base_url": "https://u:p@h.example.com/"}, "base_url"),
    ({"base_url": "ftp://h.example.com/"}, "base_url"),
    ({"token": "short"}, "token"),
    ({"token": "has space in the token!!"}, "token"),
    ({"kind": "hangup"}, "kind"),
    ({"max_length": 100}, "variables"),
])
def test_refusals(kwargs: dict[str, object], parameter: str) -> None:
    args: dict[str, object] = {"kind": "dispo", "base_url": "https://h.example.com/in", "token": TOKEN}
    args.update(kwargs)
    with pytest.raises(InvalidParameterError) as info:
        build_template(**args)  # type: ignore[arg-type]
    assert info.value.parameter == parameter and info.value.sent is False
    assert TOKEN not in str(info.value)


def test_plain_http_only_for_loopback_or_when_asked() -> None:
    assert build_template("start", "http://127.0.0.1:8080/", TOKEN).startswith("VARhttp://127.0.0.1")
    assert build_template("start", "http://hooks.lan/", TOKEN, allow_insecure_http=True)


def test_default_dispo_template_fits_the_setting() -> None:
    t = build_template("dispo", "https://hooks.example.com/vicidial", TOKEN)
    assert len(t) < 65000


def test_check_template_refuses_hand_written_passwords_and_stripped_characters() -> None:
    with pytest.raises(InvalidParameterError):
        check_template("VARhttps://h/x?p=--A--pass--B--")
    with pytest.raises(InvalidParameterError):
        check_template("VARhttps://h/x?a=--A--lead_id--B--&b=<x>")
    with pytest.raises(InvalidParameterError):
        check_template("VARhttps://h/x?" + "a" * 70000)

"""Sample lead files for the demo, the tests and the benchmarks (made-up people, 555 numbers).

>>> rows = list(sample_rows(5, seed=1))
>>> sorted(rows[0])
['City', 'Email', 'First Name', 'Last Name', 'Phone', 'State', 'Zip']
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Iterator

__all__ = ["SAMPLE_MAPPING", "sample_rows", "write_sample_csv"]

SAMPLE_MAPPING: dict[str, str] = {
    "Phone": "phone_number", "First Name": "first_name", "Last Name": "last_name",
    "Email": "email", "City": "city", "State": "state", "Zip": "postal_code",
}
"""How the sample columns map to add_lead fields."""

_FIRST = ("Ann", "Bob", "Carla", "Dev", "Eve", "Frank", "Gia", "Hugo", "Ivy", "Jon", "Kim", "Liam")
_LAST = ("Lee", "Moss", "Novak", "Okafor", "Park", "Quinn", "Ruiz", "Shah", "Tran", "Usman")
_CITIES = (("Chicago", "IL", "60601"), ("Tampa", "FL", "33602"), ("Austin", "TX", "73301"),
           ("Denver", "CO", "80202"), ("Boston", "MA", "02108"), ("Seattle", "WA", "98101"))
_AREAS = ("312", "813", "512", "303", "617", "206")
_FORMATS = ("({a}) 555-{n}", "+1 {a}-555-{n}", "{a}.555.{n}", "1{a}555{n}", "{a}555{n}")
# Rows the client refuses before sending, each for a different reason.
_INVALID = (
    {"Phone": "555-12"},                                   # too short
    {"Phone": "312-555-CALL"},                             # letters in the number
    {"First Name": "José"},                                # the server would drop the é
    {"Email": "ann+promo@example.com"},                    # the server turns + into a space
)


def sample_rows(n: int, *, seed: int = 0, duplicates: float = 0.03,
                invalid: float = 0.02) -> Iterator[dict[str, str]]:
    """``n`` rows like a CRM export: about ``duplicates`` of them repeat an earlier phone number
    and about ``invalid`` of them hold a value the client refuses."""
    rng = random.Random(seed)
    used: list[str] = []
    for i in range(n):
        area = _AREAS[i % len(_AREAS)]
        number = f"{(i // len(_AREAS)) % 10000:04d}"
        if used and rng.random() < duplicates:
            phone = rng.choice(used)
        else:
            phone = rng.choice(_FORMATS).format(a=area, n=number)
            if len(used) < 4096:
                used.append(phone)
        city, state, zipc = _CITIES[i % len(_CITIES)]
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        row = {"Phone": phone, "First Name": first, "Last Name": last,
               "Email": f"{first.lower()}.{last.lower()}{i}@example.com", "City": city,
               "State": state, "Zip": zipc}
        if rng.random() < invalid:
            row.update(rng.choice(_INVALID))
        yield row


def write_sample_csv(path: str | os.PathLike[str], n: int, *, seed: int = 0,
                     duplicates: float = 0.03, invalid: float = 0.02) -> None:
    """Write ``n`` :func:`sample_rows` to a CSV file (streamed, so any size works)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(SAMPLE_MAPPING))
        writer.writeheader()
        for row in sample_rows(n, seed=seed, duplicates=duplicates, invalid=invalid):
            writer.writerow(row)

"""A small time-zone and area-code table: enough for gmt_offset_now, lookup_state and the
usacan_areacode_check to behave like a server with its phone-code tables loaded.

Offsets are standard time (what an idle VICIdial stores outside DST).
"""

from __future__ import annotations

__all__ = ["AREACODES", "gmt_for", "POSTAL_PREFIX", "TZ_CODES"]

_ZONES = {
    "-5.00": (
        "201 202 203 207 212 215 216 240 248 267 301 302 304 305 313 315 321 336 347 352 386 401 "
        "404 407 410 412 413 423 434 440 443 470 478 484 502 508 513 516 517 518 540 551 561 585 "
        "586 603 607 609 610 614 616 617 631 646 678 703 704 706 716 717 718 727 732 734 740 754 "
        "757 770 772 774 781 786 802 803 804 813 843 845 850 856 857 860 862 863 904 908 910 914 "
        "917 919 929 941 954 973 978 980"
    ),
    "-6.00": (
        "205 210 214 217 218 219 224 225 228 251 254 256 262 281 309 312 314 316 318 319 320 331 "
        "334 337 361 402 405 409 414 417 430 432 469 479 501 504 507 512 515 563 573 601 608 612 "
        "615 618 620 630 636 641 651 662 682 708 712 713 715 731 763 773 779 785 806 815 816 817 "
        "830 832 847 870 872 901 903 913 918 920 931 936 940 952 956 972 979"
    ),
    "-7.00": "303 307 385 406 435 480 505 520 575 602 623 719 720 801 928 970",
    "-8.00": (
        "206 209 213 253 310 323 360 408 415 424 425 503 509 510 530 541 559 562 619 626 650 657 "
        "661 702 707 714 725 747 760 775 805 818 831 858 909 916 925 949 951 971"
    ),
    "-9.00": "907",
    "-10.00": "808",
}
AREACODES: dict[str, str] = {ac: gmt for gmt, codes in _ZONES.items() for ac in codes.split()}
"""Area code -> standard GMT offset (country code 1)."""

_STATES = {
    "312": "IL",
    "773": "IL",
    "630": "IL",
    "847": "IL",
    "708": "IL",
    "727": "FL",
    "813": "FL",
    "305": "FL",
    "407": "FL",
    "415": "CA",
    "213": "CA",
    "310": "CA",
    "408": "CA",
    "212": "NY",
    "718": "NY",
    "646": "NY",
    "617": "MA",
    "206": "WA",
    "303": "CO",
    "602": "AZ",
    "702": "NV",
    "214": "TX",
    "713": "TX",
    "512": "TX",
    "404": "GA",
    "215": "PA",
    "808": "HI",
    "907": "AK",
}
STATE_OF: dict[str, str] = _STATES

POSTAL_PREFIX = {
    "0": "-5.00",
    "1": "-5.00",
    "2": "-5.00",
    "3": "-5.00",
    "4": "-5.00",
    "5": "-6.00",
    "6": "-6.00",
    "7": "-6.00",
    "8": "-7.00",
    "9": "-8.00",
}
"""First digit of a US ZIP code -> GMT offset (coarse, enough for tz_method POSTAL)."""

TZ_CODES = {
    "ET": "-5.00",
    "EST": "-5.00",
    "EDT": "-5.00",
    "CT": "-6.00",
    "CST": "-6.00",
    "CDT": "-6.00",
    "MT": "-7.00",
    "MST": "-7.00",
    "MDT": "-7.00",
    "PT": "-8.00",
    "PST": "-8.00",
    "PDT": "-8.00",
    "AKST": "-9.00",
    "HST": "-10.00",
    "GMT": "0.00",
    "UTC": "0.00",
}

DEFAULT_GMT = "-5.00"


def gmt_for(
    phone: str, phone_code: str, *, tz_method: str = "", postal_code: str = "", owner: str = ""
) -> str:
    """gmt_offset_now of a new lead, as add_lead computes it."""
    if "POSTAL" in tz_method and phone_code == "1" and postal_code[:1] in POSTAL_PREFIX:
        return POSTAL_PREFIX[postal_code[:1]]
    if tz_method == "TZCODE" and owner.upper() in TZ_CODES:
        return TZ_CODES[owner.upper()]
    if phone_code == "1":
        return AREACODES.get(phone[:3], DEFAULT_GMT)
    return DEFAULT_GMT

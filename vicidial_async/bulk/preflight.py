"""Checks a load makes before its first row, so a bad set-up fails once, clearly, instead of row
by row (``leads load`` runs them before it opens the results file).

* :func:`check_input`: the file has a column that gives ``phone_number``, and every mapping
  source is a column of the file (a CSV header; JSON lines have none to check).
* :func:`check_server`: one ``list_info`` call verifies the credentials and that the list exists
  (unless a new list is allowed), and every column loaded as a custom field is a custom field of
  the list (``list_custom_fields``): VICIdial drops an unknown one without a word, so a mapping
  typo (``Address=adress1``) would lose the value while the row is still ``added``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    InvalidParameterError,
    PermissionDeniedError,
)
from .normalize import RowShaper

if TYPE_CHECKING:
    from ..client import VicidialClient

__all__ = ["PreflightError", "check_input", "check_server", "targets_of"]


class PreflightError(ConfigurationError):
    """The load's set-up is wrong (``leads load`` exits with 2 before sending a row)."""


def targets_of(shaper: RowShaper, columns: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Column -> ``("field"|"custom", name)`` for the columns that are loaded."""
    out: dict[str, tuple[str, str]] = {}
    for column in columns:
        try:
            target = shaper.target(column)
        except (InvalidParameterError, ConfigurationError):
            continue  # refused on its own, with its own message, by the loader
        if target is not None:
            out[column] = target
    return out


def check_input(shaper: RowShaper, columns: tuple[str, ...] | None) -> None:
    """Refuse a header without a phone column, or a mapping naming a column it lacks."""
    if columns is None:
        return
    missing = [c for c in shaper.mapping if c not in columns]
    if missing:
        raise PreflightError(
            f"--map names {', '.join(map(repr, missing))}, not a column of the file (its columns: "
            f"{', '.join(map(repr, columns))})")
    if ("field", "phone_number") not in targets_of(shaper, columns).values():
        raise PreflightError(
            "no column of the file gives phone_number (map one: --map 'COLUMN=phone_number'; "
            f"the file's columns: {', '.join(map(repr, columns))})")


def _list_missing(exc: APIError) -> bool:
    """The error of ``list_info`` says the list does not exist.

    Only that template: list_info's other "DOES NOT EXIST" (the API user's own user group, under
    api_list_restrict) is a broken account, which --allow-new-list must not wave through.
    """
    return exc.facet == "list_not_found"


def _cannot_read_lists(exc: APIError) -> bool:
    """list_info refused the user itself (not this list): the list cannot be checked."""
    return isinstance(exc, PermissionDeniedError) and exc.facet != "list_not_allowed"


async def check_server(client: VicidialClient, *, list_id: int | str, shaper: RowShaper,
                       columns: tuple[str, ...] | None, allow_new_list: bool = False) -> None:
    """Verify credentials, the list and its custom fields with one or two calls.

    Authentication and transport errors propagate as they are (``leads load`` exits with its
    authentication status, or 3 for an unreachable server).
    """
    exists = True
    try:
        await client.lists.list_info(list_id=list_id)
    except AuthenticationError:
        raise
    except APIError as exc:
        if _cannot_read_lists(exc):
            # The login worked (this is a permission answer): many loading users may add leads
            # without modify_lists, which list_info needs. Custom fields are still checked below.
            if not allow_new_list:
                raise PreflightError(
                    f"cannot check that list {list_id} exists: the user may not run list_info "
                    "(it needs user level 8 and modify_lists); pass --allow-new-list, "
                    "allow_new_list=True, to load without the check") from None
        elif not _list_missing(exc):
            # The user may not use this list, or its own user group is gone: add_lead would be
            # refused the same way for every row, so stop before the first one.
            raise PreflightError(f"list_info for list {list_id} was refused ({type(exc).__name__}: "
                                 f"{exc})") from None
        elif not allow_new_list:
            raise PreflightError(f"list {list_id} does not exist (pass --allow-new-list, "
                                 "allow_new_list=True, to load into it anyway)") from None
        else:
            exists = False
    wanted = sorted({name for kind, name in targets_of(shaper, columns or ()).values()
                     if kind == "custom"})
    if not wanted:
        return
    known: set[str] = set()
    if exists:
        try:
            rows = await client.lists.list_custom_fields(list_id=list_id)
        except APIError as exc:
            raise PreflightError(
                f"cannot check the custom fields {', '.join(wanted)} of list {list_id} "
                f"({type(exc).__name__}: {exc}); VICIdial drops unknown ones silently") from None
        known = {name for row in rows for name in row.custom_fields}
    bad = [name for name in wanted if name not in known]
    if bad:
        raise PreflightError(
            f"{', '.join(map(repr, bad))}: neither an add_lead field nor a custom field of list "
            f"{list_id} (its custom fields: {', '.join(sorted(known)) or 'none'}); VICIdial "
            "would drop the value without a word")

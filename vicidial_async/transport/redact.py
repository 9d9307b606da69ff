"""Masking of secrets in text the server sends back, and a logging filter for httpx's loggers.

VICIdial echoes the submitted password in failed-login answers (the Agent API twice, once inside an
SQL statement). The password may come back altered (the server strips characters it does not allow),
so masking is done twice: the password position of the known login-error lines whatever it holds, and
the password we sent wherever it stands as a whole token.

Whole tokens, not substrings: with the password ``abc`` a substring rule would turn ``abcde`` into
``***de``. A password made only of digits gets one more restriction: it would match lead ids, list ids
and phone numbers (the fake server's ``1234`` matches lead 1234), and a loader would then record a
masked lead id. So a digits-only password is masked only on lines that may echo it (error text, SQL,
HTML pages) and never on a function's own templated lines, which the reference shows never echo it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

__all__ = ["MASK", "SecretFilter", "mask_params", "mask_text"]

MASK = "***"

_SECRET_PARAMS = frozenset(
    {"pass", "password", "phone_pass", "registration_password", "pass_hash", "agent_pass"}
)

_LOGIN_LINES = (
    # Non-Agent: ERROR: Login incorrect, please try again: |user|PASS|BAD|
    re.compile(r"(Login incorrect, please try again: \|[^|\n]*\|)([^|\n]*)"),
    # Agent: ERROR: Invalid Username/Password: |user|PASS|auth|...
    re.compile(r"(Invalid Username/Password: \|[^|\n]*\|)([^|\n]*)"),
    # The SQL the Agent API prints: ... and pass='PASS' ...
    re.compile(r"(\bpass\s*=\s*')((?:[^'\\\n]|\\.)*)"),
    re.compile(r"(\bpass\s*=\s*\")((?:[^\"\\\n]|\\.)*)"),
)


# Lines that may echo a digits-only password: error lines, the Agent API's SQL dump, HTML error pages.
_ECHO_LINE = re.compile(r"ERROR|error|Login|login|Username/Password|\bpass\b|<", re.ASCII)
# A function's own templated line ("ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - ..."): the reference
# shows none of them echoes the API password, and their fields (lead ids, phones) must stay intact.
_FUNCTION_LINE = re.compile(r"(?:SUCCESS|NOTICE|ERROR): [a-z][a-z0-9_]* [A-Z]", re.ASCII)
# Characters that continue a token; anything else (pipes, spaces, quotes, = & , : ; < >) ends one.
_TOKEN_EDGE = r"A-Za-z0-9_\-.@!#$%^*+~"


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Return ``text`` with echoed passwords replaced by ``***``; data lines are never altered.

    >>> mask_text("ERROR: Login incorrect, please try again: |6666|s3cr3t|BAD|", ["s3cr3t"])
    'ERROR: Login incorrect, please try again: |6666|***|BAD|'
    >>> mask_text("SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551234|101|51234|-5|6666", ["1234"])
    'SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551234|101|51234|-5|6666'
    """
    anywhere: list[re.Pattern[str]] = []
    echo_only: list[re.Pattern[str]] = []
    for secret in secrets:
        # Very short secrets would mask ordinary words; the positional patterns still cover them.
        if secret and len(secret) >= 3 and secret in text:
            pattern = re.compile(rf"(?<![{_TOKEN_EDGE}]){re.escape(secret)}(?![{_TOKEN_EDGE}])")
            (echo_only if secret.isdigit() else anywhere).append(pattern)
    for pattern in anywhere:
        text = pattern.sub(MASK, text)
    if echo_only:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if _ECHO_LINE.search(line) and not _FUNCTION_LINE.search(line):
                for pattern in echo_only:
                    line = pattern.sub(MASK, line)
                lines[i] = line
        text = "\n".join(lines)
    if "ogin incorrect" in text or "Username/Password" in text or "pass" in text:
        for login in _LOGIN_LINES:
            text = login.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), text)
    return text


def mask_params(params: Mapping[str, str]) -> dict[str, str]:
    """Copy of a form with every password-like field masked (for errors and logs)."""
    return {k: (MASK if k in _SECRET_PARAMS and v else v) for k, v in params.items()}


class SecretFilter(logging.Filter):
    """Opt-in filter that scrubs passwords from log records of httpx/httpcore (or any) logger.

    Our own logger records metadata only; httpx's debug logs can carry request details. Attach the
    filter to the *handler* that writes the records: a filter on a logger does not see records
    that propagate up from its child loggers (``httpcore.http11``, ``httpcore.connection``)::

        handler = logging.StreamHandler()
        handler.addFilter(SecretFilter(["my-password"]))
        logging.getLogger("httpcore").addHandler(handler)
    """

    def __init__(self, secrets: Iterable[str] = (), name: str = "") -> None:
        super().__init__(name)
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            return True
        # Log text is not data a caller decodes, so here every occurrence goes, not only whole tokens.
        masked = message
        for secret in self._secrets:
            masked = masked.replace(secret, MASK)
        masked = mask_text(masked)
        masked = re.sub(r"(\bpass=)[^&\s]*", r"\1" + MASK, masked)
        if masked != message:
            record.msg = masked
            record.args = None
        return True

"""Masking of secrets in text the server sends back, and a logging filter for httpx's loggers.

VICIdial echoes the submitted password in failed-login answers (the Agent API twice, once inside an
SQL statement). The password may come back altered (the server strips characters it does not allow),
so masking is done twice: every occurrence of the password we sent, and the password position of the
known login-error lines whatever it holds.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

__all__ = ["MASK", "SecretFilter", "mask_params", "mask_text"]

MASK = "***"

_SECRET_PARAMS = frozenset({"pass", "password", "phone_pass", "registration_password", "pass_hash"})

_LOGIN_LINES = (
    # Non-Agent: ERROR: Login incorrect, please try again: |user|PASS|BAD|
    re.compile(r"(Login incorrect, please try again: \|[^|\n]*\|)([^|\n]*)"),
    # Agent: ERROR: Invalid Username/Password: |user|PASS|auth|...
    re.compile(r"(Invalid Username/Password: \|[^|\n]*\|)([^|\n]*)"),
    # The SQL the Agent API prints: ... and pass='PASS' ...
    re.compile(r"(\bpass\s*=\s*')((?:[^'\\\n]|\\.)*)"),
    re.compile(r"(\bpass\s*=\s*\")((?:[^\"\\\n]|\\.)*)"),
)


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Return ``text`` with every secret and every echoed login password replaced by ``***``.

    >>> mask_text("ERROR: Login incorrect, please try again: |6666|s3cr3t|BAD|", ["s3cr3t"])
    'ERROR: Login incorrect, please try again: |6666|***|BAD|'
    """
    for secret in secrets:
        # Very short secrets would mask ordinary words; the positional patterns still cover them.
        if secret and len(secret) >= 3 and secret in text:
            text = text.replace(secret, MASK)
    if "ogin incorrect" in text or "Username/Password" in text or "pass" in text:
        for pattern in _LOGIN_LINES:
            text = pattern.sub(lambda m: m.group(1) + (MASK if m.group(2) else ""), text)
    return text


def mask_params(params: Mapping[str, str]) -> dict[str, str]:
    """Copy of a form with every password-like field masked (for errors and logs)."""
    return {k: (MASK if k in _SECRET_PARAMS and v else v) for k, v in params.items()}


class SecretFilter(logging.Filter):
    """Opt-in filter that scrubs passwords from records of httpx/httpcore (or any) logger.

    Our own logger records metadata only; httpx's debug logs can carry request details. Attach this
    filter to their handlers or loggers when you turn them on::

        f = SecretFilter(["my-password"])
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).addFilter(f)
    """

    def __init__(self, secrets: Iterable[str] = (), name: str = "") -> None:
        super().__init__(name)
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            return True
        masked = mask_text(message, self._secrets)
        masked = re.sub(r"(\bpass=)[^&\s]*", r"\1" + MASK, masked)
        if masked != message:
            record.msg = masked
            record.args = None
        return True

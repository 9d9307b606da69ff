"""Loading the optional aiohttp backend, with a clear error when the ``[fast]`` extra is missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import errors

if TYPE_CHECKING:
    from .backend import Backend

__all__ = ["aiohttp_available", "load_aiohttp_backend"]

# aiohttp >= 3.10 tells a connect timeout from a read timeout by type (ConnectionTimeoutError,
# SocketTimeoutError); older versions raise the same ServerTimeoutError for both.
MIN_VERSION = (3, 10)
_MISSING = ("backend='aiohttp' needs aiohttp >= 3.10: pip install 'vicidial-async[fast]' "
            "(or use the default backend='httpx')")


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def aiohttp_available() -> bool:
    """True when an aiohttp recent enough for the fast backend is installed."""
    try:
        load_aiohttp_backend()
    except errors.ConfigurationError:
        return False
    return True


def load_aiohttp_backend() -> Callable[..., Backend]:
    """The :class:`AiohttpBackend` class; :class:`ConfigurationError` when aiohttp is missing or old."""
    try:
        import aiohttp
    except ImportError:
        raise errors.ConfigurationError(_MISSING) from None
    if _version(aiohttp.__version__) < MIN_VERSION:
        raise errors.ConfigurationError(f"{_MISSING}; found aiohttp {aiohttp.__version__}")
    from .aiohttp_backend import AiohttpBackend

    backend: Callable[..., Backend] = AiohttpBackend
    return backend

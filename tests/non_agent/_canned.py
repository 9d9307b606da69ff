"""Helpers for the Non-Agent group tests: a canned backend and sample answers from reference templates."""

from __future__ import annotations

import re
from collections.abc import Mapping

from vicidial_async import VicidialClient
from vicidial_async.protocol.registry import REGISTRY
from vicidial_async.transport.backend import RawResponse

DELIMS = {"pipe": "|", "csv": ",", "tab": "\t"}


class Canned:
    """A backend answering every POST with one body, remembering the forms sent."""

    def __init__(self, body: str, status: int = 200) -> None:
        self.body, self.status, self.forms = body, status, []  # type: str, int, list[dict[str, str]]

    async def post(self, url: str, form: Mapping[str, str], *, read_timeout: float) -> RawResponse:
        self.forms.append(dict(form))
        return RawResponse(self.status, {}, self.body)

    async def aclose(self) -> None:
        return None


def client(body: str = "") -> tuple[VicidialClient, Canned]:
    backend = Canned(body)
    return VicidialClient("https://dialer.example.com", "apiuser", "s3cretPass", backend=backend,
                          rate_limit=None), backend


def render(template: str, **values: str) -> str:
    return re.sub(r"\{([^}]*)\}", lambda m: values.get(m.group(1), "x1"), template) + "\n"


def template(function: str, kind: str, index: int) -> str:
    return getattr(REGISTRY["non_agent", function].response, kind)[index].text

"""One line of a wire template, e.g. ``SUCCESS: add_lead LEAD HAS BEEN ADDED - {phone_number}|...``.

The same :class:`Template` object parses answers (the decoders match ``pattern``) and renders them
(the fake server fills the placeholders), so the two can never read a reference line differently.
A placeholder is ``{...}`` around letters, digits, ``_``, space, ``.``, ``:`` or ``-``: names such
as ``{phone_number}`` and samples such as ``{YYYY-MM-DD HH:MM:SS}`` alike.

>>> t = Template.compile("ERROR: add_lead INVALID PHONE NUMBER - {phone_number}|{user}")
>>> t.fields
('phone_number', 'user')
>>> t.render("31255", "6666")
'ERROR: add_lead INVALID PHONE NUMBER - 31255|6666'
>>> t.parse("ERROR: add_lead INVALID PHONE NUMBER - 31255|6666|")
{'phone_number': '31255', 'user': '6666'}
"""

from __future__ import annotations

import re
from functools import cached_property

import attrs

__all__ = ["Template", "reason_of"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_ .:\-]+)\}")


def _name(raw: str) -> str:
    """The field name of a placeholder: runs of anything but letters, digits and ``_`` become ``_``."""
    return re.sub(r"\W+", "_", raw).strip("_") or "value"


@attrs.frozen(slots=True)
class Template:
    """One reference line: literal text around named placeholders.

    ``fields`` names each placeholder in order; a name that occurs twice is ``name``, ``name_2``.
    ``pattern`` matches a whole answer line and captures each field as a group; ``render`` (or
    calling the template) fills the placeholders in order; ``kw`` fills them by name.
    """

    text: str
    fields: tuple[str, ...]
    literals: tuple[str, ...] = attrs.field(repr=False)
    """The text around the placeholders: one more than ``fields``."""
    names: tuple[str, ...] = attrs.field(repr=False)
    """The placeholder names as written (normalised), repeats included: what ``kw`` looks up."""
    pattern: re.Pattern[str] = attrs.field(repr=False)

    @classmethod
    def compile(cls, text: str) -> Template:
        """Split ``text`` into literals and placeholders and build its matching pattern."""
        parts = _PLACEHOLDER.split(text)
        literals = tuple(parts[0::2])
        names = tuple(_name(raw) for raw in parts[1::2])
        fields: list[str] = []
        for base in names:
            name, n = base, 1
            while name in fields:
                n += 1
                name = f"{base}_{n}"
            fields.append(name)
        regex = [re.escape(literals[0])]
        for name, literal in zip(fields, literals[1:], strict=True):
            # Values never span lines; non-greedy keeps the literal separators as anchors.
            regex.append(f"(?P<{name}>[^\\n]*?)")
            regex.append(re.escape(literal))
        regex[-1] = re.escape(literals[-1].rstrip())
        # The server often adds a trailing '|' or spaces the docs do not show; tolerate them.
        pattern = re.compile("".join(regex) + r"\|?\s*")
        return cls(text=text, fields=tuple(fields), literals=literals, names=names, pattern=pattern)

    @cached_property
    def reason(self) -> str:
        """The fixed words of the template before its data, e.g. ``add_lead LEAD HAS BEEN ADDED``."""
        return reason_of(self.text)

    def parse(self, line: str) -> dict[str, str] | None:
        """The field values of an answer line this template matches, or None."""
        m = self.pattern.fullmatch(line)
        return None if m is None else m.groupdict()

    def render(self, *values: object) -> str:
        """The line with the placeholders filled in order (None prints as nothing); no line feed."""
        lit = self.literals
        if len(values) != len(self.fields):
            raise TypeError(f"template {self.text!r} takes {len(self.fields)} values, got {len(values)}")
        out = [lit[0]]
        for i, v in enumerate(values):
            out.append("" if v is None else str(v))
            out.append(lit[i + 1])
        return "".join(out)

    __call__ = render

    def kw(self, **values: object) -> str:
        """Render with values named after the placeholders (a missing one is empty; a name used
        twice gets the same value twice)."""
        return self.render(*(values.get(name, "") for name in self.names))

    def denied(self, user: str) -> str:
        """A permission refusal: the API user first, ``0`` (the permission count) after it."""
        return self.render(user, *["0"] * (len(self.fields) - 1))


def reason_of(line: str) -> str:
    """The fixed words of a status line after its tag and before its data."""
    for tag in ("SUCCESS: ", "NOTICE: ", "ERROR: "):
        i = line.find(tag)
        if i >= 0:
            line = line[i + len(tag) :]
            break
    cut = len(line)
    for sep in (" - ", ": |", ": ", "{"):
        j = line.find(sep)
        if 0 <= j < cut:
            cut = j
    return line[:cut].strip()

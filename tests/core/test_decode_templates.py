"""Decoders driven by answers built from the reference templates of every function.

Each ``{placeholder}`` of a template is filled with a distinct sample value; the decoded answer must
name the values as the template does, and an ERROR template must raise the error class of its kind.
"""

from __future__ import annotations

import pytest

from vicidial_async import APIError
from vicidial_async.errors import error_class_for_kind
from vicidial_async.protocol.decode import decode
from vicidial_async.protocol.lines import StatusAnswer
from vicidial_async.protocol.registry import REGISTRY, ErrorTemplate, FunctionSpec
from vicidial_async.protocol.template import Template


def fill(template: Template, start: int = 1) -> tuple[str, dict[str, str]]:
    """The template's text with each placeholder replaced by a distinct number-like value."""
    values = {name: f"{n}0{n}" for n, name in enumerate(template.fields, start)}
    return template.render(*values.values()), values


def _same_shape_rival(candidates: tuple[Template, ...], template: Template, line: str) -> bool:
    """Whether another template at least as wide reads ``line`` as well (then the line alone does
    not decide the names of the values)."""
    for other in candidates:
        m = other.pattern.fullmatch(line)
        if (other is not template and m is not None and len(other.fields) >= len(template.fields)
                and not any("|" in (v or "") for v in m.groups())):
            return True
    return False


def _tagged(template: Template) -> bool:
    return any(tag in template.text for tag in ("SUCCESS: ", "NOTICE: ", "ERROR: "))


def _status_specs() -> list[FunctionSpec]:
    return [s for s in REGISTRY.values() if s.response.format == "status"]


def _success_cases() -> list[tuple[FunctionSpec, int, str]]:
    return [(s, i, kind) for s in _status_specs()
            for kind, ts in (("success", s.response.success), ("notice", s.response.notices))
            for i in range(len(ts)) if _tagged(ts[i])]


@pytest.mark.parametrize(("spec", "index", "kind"), _success_cases(),
                         ids=lambda v: v.name if isinstance(v, FunctionSpec) else str(v))
def test_success_and_notice_templates_decode_with_named_fields(spec: FunctionSpec, index: int,
                                                               kind: str) -> None:
    template = (spec.response.success if kind == "success" else spec.response.notices)[index]
    line, values = fill(template)
    # Real answers end lines with '\n' and often add a trailing '|'.
    for body in (line + "\n", line + "|\n", "  " + line + "\r\n"):
        ans = decode(spec, 200, body, {})
        assert isinstance(ans, StatusAnswer)
        assert len(ans.lines) == 1
        got = ans.lines[0]
        assert got.tag == ("SUCCESS" if kind == "success" else "NOTICE")
        assert ans.ok is (kind == "success")
        assert list(got.fields.values())[: len(values)] == list(values.values()) or _same_shape_rival(
            (*spec.response.success, *spec.response.notices), template, line)
        if not _same_shape_rival((*spec.response.success, *spec.response.notices), template, line):
            assert got.template == template.text
            assert dict(got.fields) == values


def _error_cases() -> list[tuple[FunctionSpec, ErrorTemplate]]:
    out = []
    for s in REGISTRY.values():
        if s.response.format in ("status", "table", "text", "html"):
            out.extend((s, e) for e in s.all_errors)
    return out


@pytest.mark.parametrize(("spec", "error"), _error_cases(),
                         ids=lambda v: v.name if isinstance(v, FunctionSpec) else v.kind)
def test_error_templates_raise_the_class_of_their_kind(spec: FunctionSpec, error: ErrorTemplate) -> None:
    lines: list[str] = []
    first: dict[str, str] = {}
    for n, t in enumerate(error.lines):
        line, vals = fill(t, start=10 * n + 1)
        lines.append(line)
        first = first or vals
    body = "\n".join(lines) + "\n"
    params = {"stage": "csv"} if spec.response.format == "table" else {}
    with pytest.raises(APIError) as info:
        decode(spec, 200, body, params)
    exc = info.value
    assert type(exc) is error_class_for_kind(error.kind)
    assert exc.function == spec.name
    assert exc.line == lines[0][lines[0].index("ERROR: "):]
    assert exc.raw == body
    got = iter(exc.fields.values())
    assert all(v in got for v in first.values())  # in order, maybe among more named values
    if not _same_shape_rival(spec.error_lines, error.lines[0], lines[0]):
        assert dict(exc.fields) == first

"""Option values converted without pydantic when the conversion is plain.

typer (0.2x) converts every non-flag option value through a pydantic ``TypeAdapter``, and
building the first one imports pydantic: about a tenth of a second on every command, for
values that are strings, paths, numbers, flags and choices. ``lighten`` gives each such
parameter of a command a converter that does the same with typer's own helpers
(``coerce_cli_path``, ``coerce_cli_choice``), and hands any value it does not accept as
plainly valid (a bad number, a number out of range, an unknown choice) to typer's pydantic
adapter, so that every error reads exactly as typer words it. With a typer that has no such
adapters, ``lighten`` changes nothing.

A value that is not valid (not a number, out of range, not one of the choices) is refused
here with a plain sentence (``'9' is out of range: use 0.25 to 8``), not with pydantic's
wording ("Value error, ...", "Input should be ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

try:  # typer's runtime coercion layer (typer 0.2x); older releases do not use pydantic at all
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path, lenient_issubclass, routes_to_path
except ImportError:  # pragma: no cover - depends on the installed typer
    RuntimeParam = None

_INT = re.compile(r"-?[0-9]+")  # what both Python and pydantic read alike; anything else goes to typer
_FLOAT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _bad(message: str, param, ctx):
    from typer import BadParameter  # typer 0.2x carries its own click

    return BadParameter(message, ctx=ctx, param=param)


def _range(info) -> str:
    if info.min is not None and info.max is not None:
        return f"{_number(info.min)} to {_number(info.max)}"
    return f"{_number(info.min)} or more" if info.min is not None else f"{_number(info.max)} or less"


def _number(bound: float) -> str:
    """``0.25``, ``8``, ``1,073,741,824``: a bound as a person writes it, never ``1.07374e+09``."""
    return f"{bound:,}" if isinstance(bound, int) else f"{bound:g}"


class _Refused(Exception):
    """The value is not plainly valid: typer's own adapter converts it or words the error."""


def lighten(command, ctx=None) -> None:
    """Give each parameter of ``command`` whose type converts plainly a converter without pydantic.

    ``ctx`` (the command's context or its parent's, which it inherits the help option names
    from) brings in the ``-h`` option, which the command makes when first asked for it.
    """
    if RuntimeParam is None:
        return
    params = list(getattr(command, "params", ()))
    if ctx is not None and hasattr(command, "get_help_option"):
        params.append(command.get_help_option(ctx))
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            continue
        if descriptor.file_annotation is None and _plain(descriptor.annotation, descriptor.parameter_info):
            param._runtime_param = _PlainParam(annotation=descriptor.annotation,
                                               parameter_info=descriptor.parameter_info, descriptor=descriptor)


def _plain(annotation: Any, info) -> bool:
    """Whether values of ``annotation`` are converted here (else typer's adapter does it all)."""
    if get_origin(annotation) is list:
        return _plain(get_args(annotation)[0], info)
    if info.parser is not None or getattr(info, "clamp", False):
        return False
    return (annotation in (str, int, float, bool) or lenient_issubclass(annotation, Enum)
            or (lenient_issubclass(annotation, Path) and routes_to_path(annotation, info)))


def _convert(annotation: Any, info, value: Any, param, ctx) -> Any:
    if get_origin(annotation) is list:
        items = value if isinstance(value, (list, tuple)) else [value]
        return [_convert(get_args(annotation)[0], info, item, param, ctx) for item in items]
    if annotation is bool:  # flags that are not given arrive as None, which typer passes on itself
        if not isinstance(value, bool):
            raise _Refused
        return value
    if annotation is str:
        if not isinstance(value, str):
            raise _Refused
        return value
    if annotation in (int, float):
        if type(value) is annotation:  # a default
            number = value
        elif isinstance(value, str) and (_INT if annotation is int else _FLOAT).fullmatch(value):
            number = annotation(value)
        elif isinstance(value, str):
            raise _bad(f"{value!r} is not {'a whole number' if annotation is int else 'a number'}", param, ctx)
        else:
            raise _Refused
        if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
            raise _bad(f"{value!r} is out of range: use {_range(info)}", param, ctx)
        return number
    if not isinstance(value, (str, Enum, Path)):
        raise _Refused
    if lenient_issubclass(annotation, Enum):
        try:
            return coerce_cli_choice(value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
        except ValueError:
            choices = ", ".join(str(c.value) for c in annotation)
            raise _bad(f"{str(getattr(value, 'value', value))!r} is not one of {choices}", param, ctx) from None
    path_type = info.path_type or annotation
    if isinstance(value, str):  # what pydantic's Path does with a non-empty string, without pydantic
        if not value or path_type is not Path:
            raise _Refused
        value = Path(value)
    return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _PlainParam(RuntimeParam):
        """Converts plain values itself; anything else goes to typer's pydantic adapter."""

        descriptor: Any = None

        def _coerce_value(self, value: Any, param, ctx) -> Any:
            try:
                return _convert(self.annotation, self.parameter_info, value, param, ctx)
            except _Refused:
                return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

"""Report templates: where they live, the parameters each declares, and checking run parameters.

A template is a notebook in `settings().templates_dir` with a cell tagged `parameters`. Run
parameters (from the schedule or `-p key=value`) must be declared there and are coerced to the
type of the declared default. Text values are short and drawn from a plain character set, so
nothing a user types can become code in the injected parameters cell.
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from agora.config import settings
from agora.reports.errors import ParameterError, ScheduleError

NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
TEXT = re.compile(r"^[A-Za-z0-9 _.,:/()&+-]*$")
MAX_TEXT = 200
MAX_PARAMS = 32
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def template_path(name: str) -> Path:
    """Path of the template called `name` (its file stem); ScheduleError if there is none."""
    if not isinstance(name, str) or not NAME.match(name):
        raise ScheduleError(f"template name {name!r} is not valid (lower case letters, digits, _)")
    path = settings().templates_dir / f"{name}.ipynb"
    if not path.is_file():
        raise ScheduleError(f"unknown template {name!r}; known templates: "
                            f"{', '.join(template_names()) or '(none)'}")
    return path


def template_names() -> list[str]:
    folder = settings().templates_dir
    return sorted(p.stem for p in folder.glob("*.ipynb")) if folder.is_dir() else []


def parameters(name_or_path: str | Path) -> dict[str, dict[str, Any]]:
    """The parameters a template declares: name -> {inferred_type_name, default, help}, with
    inferred_type_name from the annotation or else the default's literal type."""
    path = Path(name_or_path) if isinstance(name_or_path, Path) else template_path(name_or_path)
    found = _parameters(str(path), path.stat().st_mtime_ns)
    return {k: {**v, "inferred_type_name": _kind(v)} for k, v in found.items()}


@lru_cache(maxsize=256)
def _parameters(path: str, _mtime: int) -> dict[str, dict[str, Any]]:
    import papermill

    found = papermill.inspect_notebook(path)
    if not found:
        raise ScheduleError(f"template {Path(path).stem!r} has no cell tagged 'parameters'")
    return found


def _kind(declared: dict[str, Any]) -> str:
    """The parameter's type: its annotation if any, else the type of its default literal."""
    kind = str(declared.get("inferred_type_name") or "None").lower()
    if kind in ("int", "float", "bool", "str"):
        return kind
    try:
        default = ast.literal_eval(str(declared.get("default")))
    except (ValueError, SyntaxError):
        return "str"
    return {bool: "bool", int: "int", float: "float"}.get(type(default), "str")


def coerce_value(key: str, value: Any, kind: str) -> Any:
    """One parameter value as `kind` (int, float, bool, str); ParameterError if it cannot be."""
    if isinstance(value, (list, dict, tuple, set, bytes)) or value is None:
        raise ParameterError(f"parameter {key!r}: expected a single {kind} value, got {value!r:.60}")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise ParameterError(f"parameter {key!r}: value is {len(text)} characters; "
                             f"at most {MAX_TEXT} allowed")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise ParameterError(f"parameter {key!r}: expected true or false, got {text!r}")
    if kind in ("int", "float"):
        try:
            number = int(text) if kind == "int" else float(text)
        except ValueError:
            raise ParameterError(f"parameter {key!r}: expected {kind}, got {text!r}") from None
        if number != number or abs(number) > 1e12:  # NaN, infinity, absurd sizes
            raise ParameterError(f"parameter {key!r}: {text!r} is out of range")
        return number
    if not TEXT.match(text):
        raise ParameterError(f"parameter {key!r}: {text!r} has characters that are not allowed "
                             "(letters, digits, space and _ . , : / ( ) & + - only)")
    return text


def coerce(template: str | Path, raw: dict[str, Any]) -> dict[str, Any]:
    """Check run parameters against the template's parameters cell and coerce their types."""
    if not isinstance(raw, dict):
        raise ParameterError(f"parameters must be a mapping of name to value, got {raw!r:.60}")
    if len(raw) > MAX_PARAMS:
        raise ParameterError(f"{len(raw)} parameters given; at most {MAX_PARAMS}")
    declared = parameters(template)
    out = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not KEY.match(key):
            raise ParameterError(f"parameter name {str(key)!r:.80} is not a valid name")
        if key not in declared:
            stem = Path(template).stem if isinstance(template, Path) else template
            raise ParameterError(f"parameter {key!r} is not in the parameters cell of template "
                                 f"{stem!r}; it declares: {', '.join(sorted(declared))}")
        out[key] = coerce_value(key, value, _kind(declared[key]))
    return out


def parse_pairs(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`key=value` strings (from `-p`) as a dict; ParameterError for malformed or repeated keys."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"parameter {pair!r:.80} is not of the form key=value")
        if key in out:
            raise ParameterError(f"parameter {key!r} given twice")
        out[key] = value
    return out

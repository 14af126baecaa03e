"""Validation of the names that become paths or URLs: dashboard slugs, audiences, versions.

A slug is 1-64 characters of lower-case letters, digits and single hyphens, starting and ending
with a letter or digit, so it can never escape its directory (no '/', '.', '..', NUL or spaces).
"""
from __future__ import annotations

import re

from .errors import InvalidName

MAX_SLUG = 64
MAX_TEXT = 2000           # title, description, comment
MAX_TITLE = 200
PARTNERSHIP = "partnership"

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,63}$")
# ODS codes (QH8, RAJ, F81001) and ONS local authority codes (E10000012).
_ORG = re.compile(r"^[A-Z0-9]{3,9}$")
_USER = re.compile(r"^[a-z_][a-z0-9_.-]{0,63}$")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def slug(value: object) -> str:
    """Return `value` if it is a valid dashboard slug, else raise InvalidName saying why."""
    if not isinstance(value, str) or not value:
        raise InvalidName("dashboard name is empty: use lower-case letters, digits and hyphens")
    if len(value) > MAX_SLUG:
        raise InvalidName(f"dashboard name is {len(value)} characters long; "
                          f"the limit is {MAX_SLUG}")
    if not _SLUG.fullmatch(value):
        raise InvalidName(
            f"dashboard name {_show(value)} is not allowed: use lower-case letters, digits and "
            "single hyphens, starting and ending with a letter or digit (no '/', '.', spaces)")
    return value


def slugify(title: str) -> str:
    """A slug made from a title: 'UEC flow (daily)' -> 'uec-flow-daily'."""
    text = re.sub(r"[^a-z0-9]+", "-", (title or "").lower()).strip("-")[:MAX_SLUG].strip("-")
    return slug(text)


def audience(value: object) -> str:
    """'partnership' or one organisation code (ODS or ONS), upper-cased."""
    if isinstance(value, str) and value.strip().lower() == PARTNERSHIP:
        return PARTNERSHIP
    code = value.strip().upper() if isinstance(value, str) else value
    if not isinstance(code, str) or not _ORG.fullmatch(code):
        raise InvalidName(f"audience {_show(value)} is neither 'partnership' nor an organisation "
                          "code such as RAJ or F81001")
    return code


def user(value: object) -> str:
    """A hub / Unix user name."""
    if not isinstance(value, str) or not _USER.fullmatch(value):
        raise InvalidName(f"user name {_show(value)} is not valid")
    return value


def version(value: object) -> int:
    """A positive version or submission number (accepts 'v3', '3' or 3)."""
    text = str(value).strip().lower().removeprefix("v").removeprefix("s")
    if not text.isdigit() or len(text) > 6 or int(text) < 1:
        raise InvalidName(f"version {_show(value)} is not a positive number")
    return int(text)


def text(value: object, what: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    """Free text (title, description, comment): stripped, bounded, no control characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidName(f"{what} must be text")
    value = value.strip()
    if required and not value:
        raise InvalidName(f"{what} is required")
    if len(value) > limit:
        raise InvalidName(f"{what} is {len(value)} characters long; the limit is {limit}")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
        raise InvalidName(f"{what} contains control characters")
    return value

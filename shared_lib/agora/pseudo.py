"""Pseudonymisation: NHS number normalisation and Modulus 11, the key, and HMAC-SHA256 pseudonyms.

`person_id = HMAC-SHA256(key, normalised NHS number)` as lowercase hex. Records without a valid
NHS number get a token in a separate namespace, `HMAC-SHA256(key, "local:" + org + ":" + local id)`,
flagged `id_from_local`. The same key gives the same pseudonym in every feed, load and run.

The key lives in `settings().key_file`, outside the data directory, created with mode 0600 on first
use; it is refused when it sits inside the data directory or is readable by group or others. In
DuckDB the same functions exist as temporary macros (`pseudo.sql`, see `install_macros`), so
ingestion hashes each distinct identifier once in SQL and joins, with no Python loop per row.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from .config import settings

KEY_BYTES = 32
LOCAL_PREFIX = "local:"
_WEIGHTS = np.arange(10, 1, -1)           # Modulus 11 weights for digits 1-9
_SQL = Path(__file__).with_name("pseudo.sql")


class PseudoError(Exception):
    """Base for pseudonymisation problems."""


class KeyFileError(PseudoError):
    """The key file is missing, unsafe or unreadable."""


# NHS numbers ---------------------------------------------------------------------------------
def _as_strings(values: Iterable) -> pd.Series:
    return pd.Series(list(values) if not isinstance(values, pd.Series) else values,
                     dtype="string")


def nhs_digits(values: Iterable) -> pd.Series:
    """Raw values with whitespace and dashes removed (missing stays missing)."""
    return _as_strings(values).str.replace(r"[\s\-]", "", regex=True)


def mod11_valid(values: Iterable) -> np.ndarray:
    """Boolean array: True where the value is 10 digits passing Modulus 11 (vectorised)."""
    s = _as_strings(values)
    shaped = s.str.fullmatch(r"[0-9]{10}").fillna(False).to_numpy(dtype=bool)
    out = np.zeros(len(s), dtype=bool)
    if shaped.any():
        digits = (np.asarray(s[shaped].to_numpy(dtype=str), dtype="S10")
                  .view(np.uint8).reshape(-1, 10).astype(np.int64) - ord("0"))
        check = (11 - (digits[:, :9] @ _WEIGHTS) % 11) % 11
        out[shaped] = check == digits[:, 9]
    return out


def normalise_nhs_numbers(values: Iterable) -> pd.Series:
    """Normalised 10-digit NHS numbers; <NA> where missing, all zeros, malformed or invalid."""
    d = nhs_digits(values)
    ok = mod11_valid(d) & (d != "0000000000").fillna(False).to_numpy(dtype=bool)
    return d.where(ok, pd.NA)


def normalise_nhs_number(value: str | None) -> str | None:
    """One NHS number normalised, or None (see `normalise_nhs_numbers`)."""
    out = normalise_nhs_numbers([value]).iloc[0]
    return None if pd.isna(out) else str(out)


# The key ------------------------------------------------------------------------------------
def _inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
        return True
    except ValueError:
        return False


def key_path() -> Path:
    """The key file from settings, checked to lie outside the data directory."""
    s = settings()
    if _inside(s.key_file, s.data_dir):
        raise KeyFileError(f"key file {s.key_file} is inside the data directory {s.data_dir}: "
                           "move it out (AGORA_KEY_FILE) so the key never travels with the store")
    return s.key_file


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(KEY_BYTES) + "\n")


def load_key(create: bool = True) -> bytes:
    """The pseudonymisation key; created (mode 0600) on first use when `create`."""
    path = key_path()
    if not path.exists():
        if not create:
            raise KeyFileError(f"key file {path} does not exist")
        _create_key(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyFileError(f"key file {path} has mode {mode:04o}: it must be readable by its "
                           f"owner only (chmod 600 {path})")
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise KeyFileError(f"key file {path} does not hold a hex key") from None
    if len(key) < 16:
        raise KeyFileError(f"key file {path} holds {len(key)} bytes; at least 16 are needed")
    return key


# Pseudonyms ---------------------------------------------------------------------------------
def _hmac_hex(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def person_id(nhs_number: str, key: bytes | None = None) -> str:
    """person_id for one NHS number in any accepted shape; ValueError when it is not valid."""
    n = normalise_nhs_number(nhs_number)
    if n is None:
        raise ValueError("not a valid NHS number")
    return _hmac_hex(load_key() if key is None else key, n)


def local_token(org_code: str, local_id: str, key: bytes | None = None) -> str:
    """Token for a record without a valid NHS number, in the separate local namespace."""
    if not org_code or not local_id:
        raise ValueError("a local token needs an organisation code and a local id")
    return _hmac_hex(load_key() if key is None else key,
                     f"{LOCAL_PREFIX}{org_code}:{str(local_id).strip()}")


@dataclass(frozen=True)
class SqlKey:
    """The key as HMAC pads, passed to DuckDB only as bind parameters (`$ipad`, `$opad`)."""
    ipad: bytes
    opad: bytes

    @classmethod
    def from_key(cls, key: bytes) -> "SqlKey":
        block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
        return cls(bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block))

    @property
    def params(self) -> dict[str, bytes]:
        return {"ipad": self.ipad, "opad": self.opad}


def install_macros(con) -> None:
    """Define nhs_normalise, nhs_mod11_ok and hmac_sha256_hex as temporary DuckDB macros."""
    con.execute(_SQL.read_text())

"""Synthetic identifiers: NHS numbers from the never-issued test range, local IDs, fake names
and addresses. Everything vectorised over numpy arrays; nothing here is a real person."""
from __future__ import annotations

import numpy as np
import pandas as pd

NHS_RANGE_START = 999_000_000          # first nine digits of 999 000 0000 ...
NHS_RANGE_BODIES = 1_000_000           # ... to 999 999 9999
WEIGHTS = np.arange(10, 1, -1)         # Modulus 11 weights for digits 1-9


def check_digits(bodies: np.ndarray) -> np.ndarray:
    """Modulus 11 check digit of 9-digit bodies; 10 means the body can never be issued."""
    digits = (bodies[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    check = 11 - (digits * WEIGHTS).sum(axis=1) % 11
    return np.where(check == 11, 0, check)


def nhs_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct valid NHS numbers from 999 000 0000 - 999 999 9999, as int64.

    The range holds only ~909,000 valid numbers; people beyond that get -1 (no NHS number).
    """
    bodies = NHS_RANGE_START + rng.permutation(NHS_RANGE_BODIES).astype(np.int64)
    check = check_digits(bodies)
    valid = bodies[check != 10] * 10 + check[check != 10]
    out = np.full(n, -1, dtype=np.int64)
    take = min(n, valid.size)
    out[:take] = valid[:take]
    return out


def is_valid_nhs(numbers: np.ndarray) -> np.ndarray:
    """Vectorised Modulus 11 check of 10-digit integers."""
    numbers = np.asarray(numbers, dtype=np.int64)
    check = check_digits(numbers // 10)
    return (numbers >= 1_000_000_000) & (check != 10) & (check == numbers % 10)


def invalid_variant(numbers: np.ndarray) -> np.ndarray:
    """The same numbers with a wrong check digit (so Modulus 11 fails)."""
    numbers = np.asarray(numbers, dtype=np.int64)
    return numbers - numbers % 10 + (numbers % 10 + 1 + (numbers // 10) % 9) % 10


def digits_text(values: np.ndarray, width: int, prefix: str = "") -> pd.Series:
    """Zero-padded text of non-negative integers, with an optional prefix."""
    s = pd.Series(np.asarray(values, dtype=np.int64)).astype(str).str.zfill(width)
    return prefix + s if prefix else s


def guid_text(rng: np.random.Generator, n: int) -> pd.Series:
    """n GUID-shaped upper-case hex identifiers (8-4-4-4-12), vectorised."""
    raw = np.frombuffer(rng.bytes(16 * n).hex().upper().encode(), dtype="S1").reshape(n, 32)
    dash = np.full((n, 1), b"-", dtype="S1")
    parts = [raw[:, :8], dash, raw[:, 8:12], dash, raw[:, 12:16], dash, raw[:, 16:20], dash,
             raw[:, 20:]]
    joined = np.ascontiguousarray(np.hstack(parts)).view("S36").ravel()
    return pd.Series(joined.astype(str))


def local_ids(namespace: str, rng: np.random.Generator, n: int) -> pd.Series:
    """Per-organisation local identifiers for n people (index = person number)."""
    if namespace == "guid":
        return guid_text(rng, n)
    style = LOCAL_ID_STYLES[namespace]
    prefix, width, base = style
    return digits_text(base + rng.permutation(n), width, prefix)


# namespace -> (prefix, digits, first number)
LOCAL_ID_STYLES = {
    "pas": ("M", 7, 1_000_000),          # trust PAS number
    "gpb": ("", 10, 3_000_000_000),     # GP supplier B patient ID
    "r1l": ("EP", 8, 10_000_000),        # community / mental health local patient ID
    "ecc": ("ECC", 7, 2_000_000),        # council client IDs
    "sos": ("SC", 6, 100_000),
    "thurrock": ("", 7, 5_000_000),
}

FIRST_NAMES_F = ("Olivia", "Amelia", "Isla", "Ava", "Mia", "Zoë", "Chloë", "Renée", "Anaïs",
                 "Emily", "Grace", "Sophie", "Lily", "Ella", "Ruby", "Evie", "Freya", "Siân",
                 "Margaret", "Susan", "Patricia", "Jean", "Maureen", "Brenda", "Sandra", "Amira",
                 "Priya", "Fatima", "Agnieszka", "Oluwaseun")
FIRST_NAMES_M = ("Oliver", "George", "Noah", "Arthur", "Leo", "Oscar", "Harry", "José", "Noël",
                 "Søren", "Björn", "François", "Jack", "Thomas", "Charlie", "Jacob", "Alfie",
                 "David", "John", "Peter", "Michael", "Brian", "Kevin", "Mohammed", "Arjun",
                 "Tomasz", "Chinedu", "Connor", "Dylan", "Ethan")
SURNAMES = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
            "Green", "Hall", "Wood", "Jackson", "Clarke", "O'Brien", "Müller", "Núñez",
            "Brontë", "Smith-Jones", "Okafor", "Kowalski", "Khan", "Begum", "Nguyen", "Ahmed",
            "Murphy", "Kelly", "Hughes", "Edwards", "Turner", "Hill", "Cooper", "Ward")
STREETS = ("Mill", "Church", "Station", "Victoria", "Park", "Queens", "High", "London", "Elm",
           "Maple", "Chestnut", "Marsh", "Estuary", "Harbour", "Priory", "Abbey", "Beacon",
           "Ferry", "Meadow", "Orchard", "Rectory", "Windmill", "Willow", "Heron", "Saxon")
STREET_TYPES = ("Road", "Lane", "Close", "Avenue", "Way", "Drive", "Gardens", "Street",
                "Crescent", "Mews")


def names(rng: np.random.Generator, sex: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """Fake forenames and surnames for people of the given sex (M/F/U)."""
    n = sex.size
    f = np.array(FIRST_NAMES_F, dtype=object)[rng.integers(0, len(FIRST_NAMES_F), n)]
    m = np.array(FIRST_NAMES_M, dtype=object)[rng.integers(0, len(FIRST_NAMES_M), n)]
    first = np.where(sex == "M", m, f)
    last = np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), n)]
    return pd.Series(first, dtype=str), pd.Series(last, dtype=str)


def addresses(rng: np.random.Generator, n: int) -> pd.Series:
    """Fake first address lines ('12 Heron Close')."""
    number = pd.Series(rng.integers(1, 240, n)).astype(str)
    street = pd.Series(np.array(STREETS, dtype=object)[rng.integers(0, len(STREETS), n)])
    kind = pd.Series(np.array(STREET_TYPES, dtype=object)[rng.integers(0, len(STREET_TYPES), n)])
    return (number + " " + street + " " + kind).astype(str)


def phones(rng: np.random.Generator, n: int) -> pd.Series:
    """Fake UK mobile numbers from the Ofcom drama range 07700 900000-900999."""
    return digits_text(rng.integers(0, 1000, n), 3, "07700 900")

"""NHS number shapes, Modulus 11, the key file, and pseudonym stability (Python and DuckDB)."""
from __future__ import annotations

import hashlib
import hmac
import os
import stat

import duckdb
import pytest
from hypothesis import given, settings, strategies as st
from nhs_number import is_valid as reference_is_valid

from agora import pseudo

WEIGHTS = range(10, 1, -1)


def check_digit(nine: str) -> int:
    """Worked by hand from DATA_SPEC.md: 11 - (sum of digit x weight mod 11); 11 -> 0."""
    total = sum(int(d) * w for d, w in zip(nine, WEIGHTS))
    return (11 - total % 11) % 11


test_range_nine = st.integers(999_000_000, 999_999_999).map(str)
valid_test_numbers = test_range_nine.filter(lambda n: check_digit(n) != 10).map(
    lambda n: n + str(check_digit(n)))


def shapes(n: str) -> list[str]:
    return [n, f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}", f"  {n}\t",
            f"{n[:3]} - {n[3:6]} - {n[6:]}"]


# Examples from DATA_SPEC.md ---------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    ("9434765919", "9434765919"),
    ("943 476 5919", "9434765919"),
    ("943-476-5919", "9434765919"),
    ("9990000018", "9990000018"),
    ("9991234560", None),        # check digit would be 10: never issued
    ("9434765918", None),        # wrong check digit
    ("0000000000", None),        # all zeros means missing (it would pass Modulus 11)
    ("", None), (None, None), ("   ", None),
    ("943476591", None), ("94347659190", None), ("94347659l9", None), ("NHS9434765919", None),
])
def test_normalise_examples(raw, expected):
    assert pseudo.normalise_nhs_number(raw) == expected


@settings(deadline=None)
@given(valid_test_numbers)
def test_every_shape_normalises_to_the_digits(n):
    assert pseudo.normalise_nhs_numbers(shapes(n)).tolist() == [n] * 5


@settings(deadline=None)
@given(st.text(max_size=14))
def test_normalise_matches_the_reference_package(raw):
    mine = pseudo.normalise_nhs_number(raw)
    digits = "".join(ch for ch in raw if not ch.isspace() and ch != "-")
    if mine is not None:
        assert mine == digits and reference_is_valid(mine)
    elif len(digits) == 10 and digits.isascii() and digits.isdigit() and digits != "0" * 10:
        assert not reference_is_valid(digits)


@settings(deadline=None)
@given(st.lists(st.integers(0, 9_999_999_999).map(lambda i: f"{i:010d}"), max_size=50))
def test_vectorised_mod11_equals_hand_rule(numbers):
    expected = [check_digit(n[:9]) == int(n[9]) for n in numbers]
    assert pseudo.mod11_valid(numbers).tolist() == expected


# DuckDB macros agree with Python ------------------------------------------------------------------
@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    pseudo.install_macros(c)
    yield c
    c.close()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(valid_test_numbers.flatmap(lambda n: st.sampled_from(shapes(n))),
                          st.text(max_size=12), st.none()), max_size=20))
def test_sql_normalise_equals_python(con, values):
    got = [r[0] for r in con.execute(
        "SELECT nhs_normalise(v) FROM unnest($vals) WITH ORDINALITY AS t(v, i) ORDER BY i",
        {"vals": values}).fetchall()]
    want = [pseudo.normalise_nhs_number(v) for v in values]
    assert got == want


@settings(max_examples=40, deadline=None)
@given(key=st.binary(min_size=16, max_size=100), message=st.text(max_size=40))
def test_sql_hmac_equals_python_hmac(con, key, message):
    sk = pseudo.SqlKey.from_key(key)
    got = con.execute("SELECT hmac_sha256_hex($ipad, $opad, $m)", {**sk.params, "m": message}
                      ).fetchone()[0]
    assert got == hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


# Pseudonyms ------------------------------------------------------------------------------------
@settings(deadline=None)
@given(valid_test_numbers, st.binary(min_size=32, max_size=32))
def test_person_id_is_stable_across_shapes(n, key):
    ids = {pseudo.person_id(s, key) for s in shapes(n)}
    assert len(ids) == 1
    assert ids == {hmac.new(key, n.encode(), hashlib.sha256).hexdigest()}


def test_person_id_depends_on_key_and_rejects_invalid():
    assert pseudo.person_id("9434765919", b"k" * 32) != pseudo.person_id("9434765919", b"j" * 32)
    with pytest.raises(ValueError):
        pseudo.person_id("9991234560", b"k" * 32)


def test_local_token_is_a_separate_namespace():
    key = b"k" * 32
    # the same digits as a local id never collide with the NHS-number pseudonym
    assert pseudo.local_token("RAJ", "9434765919", key) != pseudo.person_id("9434765919", key)
    assert pseudo.local_token("RAJ", "P1", key) != pseudo.local_token("R1L", "P1", key)
    assert pseudo.local_token("RAJ", "P1", key) == hmac.new(
        key, b"local:RAJ:P1", hashlib.sha256).hexdigest()
    with pytest.raises(ValueError):
        pseudo.local_token("RAJ", "", key)


# The key file ------------------------------------------------------------------------------------
def test_key_created_0600_on_first_use_and_reused(agora_env):
    _, key_file = agora_env
    first = pseudo.load_key()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) == pseudo.KEY_BYTES
    assert pseudo.load_key() == first


def test_key_refused_inside_data_dir(agora_env, monkeypatch):
    data, _ = agora_env
    monkeypatch.setenv("AGORA_KEY_FILE", str(data / "pseudonym.key"))
    with pytest.raises(pseudo.KeyFileError, match="inside the data directory"):
        pseudo.load_key()
    assert not (data / "pseudonym.key").exists()


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_key_refused_when_group_or_world_readable(agora_env, mode):
    _, key_file = agora_env
    pseudo.load_key()
    os.chmod(key_file, mode)
    with pytest.raises(pseudo.KeyFileError, match="chmod 600"):
        pseudo.load_key()


@pytest.mark.parametrize("content", ["", "not hex at all", "abcd", "zz" * 32])
def test_key_refused_when_malformed(agora_env, content):
    _, key_file = agora_env
    key_file.parent.mkdir(parents=True)
    key_file.write_text(content)
    os.chmod(key_file, 0o600)
    with pytest.raises(pseudo.KeyFileError):
        pseudo.load_key()


def test_missing_key_without_create(agora_env):
    with pytest.raises(pseudo.KeyFileError, match="does not exist"):
        pseudo.load_key(create=False)

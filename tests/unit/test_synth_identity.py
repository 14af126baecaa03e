"""NHS numbers from the test range (Modulus 11 worked by hand), local IDs and fake identities."""
from __future__ import annotations

import numpy as np
import nhs_number
import pytest
from hypothesis import given, settings, strategies as st

from agora.synth import identity


def test_check_digit_worked_by_hand():
    # 943476591: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11 - 2 = 9
    # 999000001: 9*10+9*9+9*8+0+0+0+0+0+1*2 = 245; 245 mod 11 = 3; 11 - 3 = 8
    # 999123456: 90+81+72+7+12+15+16+15+12 = 320; 320 mod 11 = 1; 11 - 1 = 10 -> never issued
    assert identity.check_digits(np.array([943476591, 999000001, 999123456])).tolist() == [9, 8, 10]
    assert identity.is_valid_nhs(np.array([9434765919, 9990000018, 9991234560])).tolist() == \
        [True, True, False]


def test_numbers_are_distinct_valid_and_only_from_the_test_range():
    numbers = identity.nhs_numbers(np.random.default_rng(1), 20_000)
    assert np.unique(numbers).size == numbers.size
    assert ((numbers >= 9_990_000_000) & (numbers <= 9_999_999_999)).all()
    assert identity.is_valid_nhs(numbers).all()
    assert all(nhs_number.is_valid(str(n)) for n in numbers[:500])


def test_range_capacity_shortfall_is_marked_not_reused():
    # 1,000,000 bodies, of which those with check digit 10 can never be issued
    bodies = identity.NHS_RANGE_START + np.arange(identity.NHS_RANGE_BODIES)
    capacity = int((identity.check_digits(bodies) != 10).sum())
    numbers = identity.nhs_numbers(np.random.default_rng(2), capacity + 5)
    assert (numbers == -1).sum() == 5
    assert np.unique(numbers[numbers > 0]).size == capacity


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=identity.NHS_RANGE_BODIES - 1))
def test_invalid_variant_always_fails_modulus_11(offset):
    body = identity.NHS_RANGE_START + offset
    check = int(identity.check_digits(np.array([body]))[0])
    if check == 10:
        return
    valid = np.array([body * 10 + check])
    bad = identity.invalid_variant(valid)
    assert bad[0] // 10 == body and not identity.is_valid_nhs(bad)[0]
    assert not nhs_number.is_valid(str(bad[0]))


def test_local_ids_are_unique_per_namespace_and_shaped():
    rng = np.random.default_rng(3)
    guids = identity.local_ids("guid", rng, 1000)
    shape = r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}"
    assert guids.is_unique and guids.str.fullmatch(shape).all()
    pas = identity.local_ids("pas", rng, 1000)
    assert pas.is_unique and pas.str.fullmatch(r"M\d{7}").all()
    with pytest.raises(KeyError):
        identity.local_ids("unknown", rng, 3)


def test_fake_identities_are_fake():
    rng = np.random.default_rng(4)
    first, last = identity.names(rng, np.array(["M", "F", "U"] * 10))
    assert first.isin(identity.FIRST_NAMES_M + identity.FIRST_NAMES_F).all()
    assert last.isin(identity.SURNAMES).all()
    assert identity.phones(rng, 50).str.fullmatch(r"07700 900\d{3}").all()   # Ofcom drama range
    assert identity.addresses(rng, 5).str.fullmatch(r"\d+ [A-Za-z]+ [A-Za-z]+").all()
    # every name survives the Windows-1252 files some providers write
    for name in identity.FIRST_NAMES_F + identity.FIRST_NAMES_M + identity.SURNAMES:
        name.encode("cp1252")

"""Bed state arithmetic worked by hand."""
from __future__ import annotations

import numpy as np

from agora.synth.acute import _base_beds


def test_base_beds_give_the_target_occupancy():
    # 930 occupied every day: 1,000 beds is 93% occupied, no escalation needed
    assert _base_beds(np.full(30, 930)) == 1000
    # 20 days at 900 and 10 at 1,000 (mean 933.3): with base b between 900 and 1,000,
    # occupancy = 28,000 / (20b + 10,000); = 0.93 at b = 1,005.4 -> above 1,000, so
    # occupancy = 28,000 / 30b and b = 28,000 / 27.9 = 1,003.6 -> 1,004 beds
    assert _base_beds(np.array([900] * 20 + [1000] * 10)) == 1004
    assert _base_beds(np.zeros(5, dtype=int)) == 0

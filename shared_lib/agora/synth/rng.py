"""Independent, named random streams: the same seed and name give the same numbers whatever
else was generated before, so each feed is reproducible on its own."""
from __future__ import annotations

import zlib

import numpy as np


class Streams:
    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def rng(self, *names: object) -> np.random.Generator:
        words = [zlib.crc32(str(n).encode()) for n in names]
        return np.random.default_rng([self.seed, *words])

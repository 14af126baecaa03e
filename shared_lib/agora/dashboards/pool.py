"""Preheated kernels: how many to keep per dashboard, and refreshing them when data changes.

A preheated kernel has already run its dashboard, so the first visitor gets the rendered page at
once. Each idle kernel holds about KERNEL_MB of memory, so the pool is sized from free memory:
a quarter of it shared among the dashboards, between 1 and MAX_POOL kernels each.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..config import settings
from . import freshness

log = logging.getLogger(__name__)

KERNEL_MB = 300          # resident memory of a rendered dashboard kernel (tests/bench figures)
MEMORY_SHARE = 0.25      # of available memory, for idle preheated kernels
MAX_POOL = 4


def pool_size(dashboards: int, available_bytes: int | None = None) -> int:
    """Kernels to keep ready per dashboard (0: preheating off)."""
    configured = settings().dashboards_pool
    if configured != 0:
        return max(configured, 0)
    if available_bytes is None:
        import psutil
        available_bytes = psutil.virtual_memory().available
    per = available_bytes * MEMORY_SHARE / (KERNEL_MB * 2**20 * max(dashboards, 1))
    return int(max(1, min(MAX_POOL, per)))


def resize(km: Any, size: int) -> None:
    """Set the pool size of every dashboard (Voila's default pool configuration)."""
    config = dict(km.kernel_pools_config)
    config["default"] = {**config.get("default", {}), "pool_size": max(size, 1)}
    km.kernel_pools_config = config


def served_stamp(root: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in root.glob("*.ipynb")))


class Refresher:
    """Re-renders the preheated pools when a dashboard is published or rolled back, or the store
    publishes a new snapshot, so no one is shown stale data or an old version."""

    def __init__(self, kernel_manager: Any, root: Path) -> None:
        self.km, self.root = kernel_manager, Path(root)
        self.stamp = self._stamp()
        self.last = datetime.now(timezone.utc)
        self._busy = False

    def _stamp(self) -> tuple:
        return served_stamp(self.root), freshness.stamp()

    async def check(self) -> None:
        if self._busy:
            return
        served, data = self._stamp()
        (old_served, old_data) = self.stamp
        if (served, data) == self.stamp:
            return
        self._busy = True
        try:
            self.stamp = (served, data)
            if data != old_data:        # new store snapshot: every dashboard shows new data
                stale = None
            else:                       # published, rolled back or withdrawn dashboards only
                stale = {name for name, _ in set(served) ^ set(old_served)}
            await self.refresh(stale)
        finally:
            self._busy = False

    async def refresh(self, stale: set[str] | None = None) -> None:
        """Drop the preheated kernels of `stale` dashboards (all when None) and refill."""
        km = self.km
        pools = getattr(km, "_pools", None)
        if pools is None:          # preheating off: every visit starts a fresh kernel anyway
            self.last = datetime.now(timezone.utc)
            return
        names = sorted(p.name for p in self.root.glob("*.ipynb"))
        stale = set(pools) | set(names) if stale is None else stale
        log.info("refreshing preheated dashboards: %s", ", ".join(sorted(stale)) or "none")
        resize(km, pool_size(len(names)))
        old = {name: pools.pop(name) for name in list(pools) if name in stale}
        for name in old:
            km.notebook_data.pop(name, None)
        for name in names:
            km.fill_if_needed(delay=0, notebook_name=name)
        for tasks in old.values():
            for task in tasks:
                try:
                    kernel_id = (await task)["kernel_id"]
                    await km.shutdown_kernel(kernel_id)
                except Exception as exc:  # a kernel that died on its own is already gone
                    log.debug("pooled kernel already gone: %s", exc)
        self.last = datetime.now(timezone.utc)

    def last_refresh(self) -> str:
        return self.last.isoformat(timespec="seconds")


async def wait_filled(km: Any, timeout: float = 120) -> None:
    """Wait until every pool has finished pre-rendering (tests, benchmarks, the demo)."""
    tasks = [t for pool in getattr(km, "_pools", {}).values() for t in pool]
    if tasks:
        await asyncio.wait(tasks, timeout=timeout)

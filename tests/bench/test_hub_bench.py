"""Hub benchmark: spawn time p50/p95 with N users started at once, memory per idle server, and
the hub API's response time p95 while N users each run a metric query (baseline: the same API
calls with the hub idle, in the same run). N = AGORA_BENCH_USERS (default 4; the README figures
use 20). Prints figures; never asserts on time."""
from __future__ import annotations

import os
import pwd
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
import requests

from agora.hub.testing import Kernel, hub_session

pytestmark = [pytest.mark.bench, pytest.mark.slow]

USERS = int(os.environ.get("AGORA_BENCH_USERS", "4"))
API_CALLS = 200
METRIC_CODE = """\
from agora import metrics
start, end = metrics.financial_year(2025)
for _ in range({repeat}):
    df = metrics.run("ae_4hour", period_start=str(start), period_end=str(end))
print(len(df))
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb(uid: int) -> float:
    total = 0
    for proc in psutil.process_iter(["uids", "memory_info"]):
        if proc.info["uids"] and proc.info["uids"].real == uid and proc.info["memory_info"]:
            total += proc.info["memory_info"].rss
    return total / 2**20


def api_latencies(hub, names: list[str], calls: int) -> list[float]:
    """Times of GET /hub/api/users/<n> (each with that user's own token), in ms."""
    sessions = {n: requests.Session() for n in names}
    for n in names:
        sessions[n].headers["Authorization"] = f"token {hub.token(n)}"
    times = []
    for i in range(calls):
        n = names[i % len(names)]
        t0 = time.perf_counter()
        sessions[n].get(f"{hub.url}/hub/api/users/{hub.name(n)}", timeout=60).raise_for_status()
        times.append((time.perf_counter() - t0) * 1000)
    return times


@pytest.fixture(scope="module")
def bench_hub(request):
    try:
        store = request.getfixturevalue("small_store").data_dir / "store"
    except Exception:
        store = None
    users = [(f"b{i:02d}", "RAJ", "analyst") for i in range(USERS)]
    with hub_session(users=users, store_from=store) as hub:
        yield hub, [u[0] for u in users]


def test_bench_hub(bench_hub):
    hub, names = bench_hub
    print(f"\nhub benchmark: {len(names)} users, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")

    baseline = api_latencies(hub, names, API_CALLS)

    # spawn: every user's server requested at once
    def spawn(n):
        t0 = time.perf_counter()
        hub.start(n)
        return time.perf_counter() - t0

    t0 = time.perf_counter()
    with ThreadPoolExecutor(len(names)) as pool:
        spawn_s = list(pool.map(spawn, names))
    wall = time.perf_counter() - t0
    print(f"spawn time (s): p50 {pct(spawn_s, .5):.1f}  p95 {pct(spawn_s, .95):.1f}  "
          f"max {max(spawn_s):.1f}  all {len(names)} ready in {wall:.1f}")

    time.sleep(5)  # let servers settle
    mems = [rss_mb(pwd.getpwnam(hub.name(n)).pw_uid) for n in names]
    print(f"memory per idle server (MB RSS): mean {statistics.mean(mems):.0f}  "
          f"max {max(mems):.0f}")

    # active: each user's kernel runs the metric query in a loop while the API is timed
    kernels = dict(zip(names, ThreadPoolExecutor(len(names)).map(
        lambda n: Kernel(hub.server_url(n), hub.token(n)), names)))
    first = kernels[names[0]].run(METRIC_CODE.format(repeat=1))
    print(f"metric query in a kernel: {'ok' if first.ok else first.error}")
    kernel_mems = [rss_mb(pwd.getpwnam(hub.name(n)).pw_uid) for n in names]
    stop = threading.Event()
    runs = []

    def work(n):
        while not stop.is_set():
            r = kernels[n].run(METRIC_CODE.format(repeat=3))
            runs.append(r.ok)

    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    for t in threads:
        t.start()
    time.sleep(2)
    active = api_latencies(hub, names, API_CALLS)
    stop.set()
    for t in threads:
        t.join(timeout=300)
    for k in kernels.values():
        k.close()
    print(f"hub API GET /users/<name> (ms): idle p50 {pct(baseline, .5):.1f} "
          f"p95 {pct(baseline, .95):.1f} | {len(names)} users active p50 {pct(active, .5):.1f} "
          f"p95 {pct(active, .95):.1f} ({pct(active, .95) / pct(baseline, .95):.1f}x idle p95)")
    print(f"memory per server with a kernel after a metric query (MB RSS): mean "
          f"{statistics.mean(kernel_mems):.0f}; metric runs during the timing: {len(runs)} "
          f"({runs.count(False)} failed)")
    assert len(active) == API_CALLS

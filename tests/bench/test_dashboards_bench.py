"""Dashboards: time to first render, default kernel-per-visit against preheated kernels, then
concurrent viewers. Prints figures; asserts nothing about time.

The fast path is the real dashboards service behind a real hub, with a pool of preheated kernels
per dashboard. The baseline is plain Voila (its default: a kernel started and the notebook run
for every visit) serving the same published folder over the same store in the same run.
Sizes (small by default for CI):
  AGORA_BENCH_ROUNDS      visits per dashboard for first-render times (default 2)
  AGORA_BENCH_DASHBOARDS  how many dashboard families to publish (default 3; 9 = all)
  AGORA_BENCH_VIEWERS     concurrent viewer waves on the fast path (default "5"; "10,25,50")
  AGORA_BENCH_POOL        preheated kernels per dashboard on the fast path (default 2)
"""
from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import psutil
import pytest
import requests

pytestmark = pytest.mark.bench

SERVICE = "/services/dashboards/"
ROUNDS = int(os.environ.get("AGORA_BENCH_ROUNDS", "2"))
DASHBOARDS = int(os.environ.get("AGORA_BENCH_DASHBOARDS", "3"))
VIEWERS = [int(v) for v in os.environ.get("AGORA_BENCH_VIEWERS", "5").split(",") if v.strip()]
FAST_POOL = int(os.environ.get("AGORA_BENCH_POOL", "2"))
TIMEOUT = 300          # seconds a single page may take before it counts as a failure
PICK = ["uec_flow", "phm_segmentation", "data_quality", "diabetes", "cancer", "planned_care",
        "frequent_users", "ageing_well", "phm_inequalities"]


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))]


@contextmanager
def dashboards_hub(pool: int, feeds_dir):
    """A fresh hub whose dashboards service keeps `pool` preheated kernels per dashboard."""
    from agora.dashboards.demo import families, publish_families
    from agora.hub.launch import settings_env
    from agora.hub.testing import hub_session
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AGORA_DASHBOARDS_POOL", str(pool))
        with hub_session() as hub:
            env = settings_env(hub.settings)
            subprocess.run([str(hub.settings.venv / "bin" / "agora"), "ingest", "-q",
                            str(feeds_dir)], env=env, check=True, capture_output=True)
            chosen = [p for p in families() if p.stem in PICK[:DASHBOARDS]]
            folder = hub.settings.data_dir / "bench-families"
            folder.mkdir()
            for p in chosen:
                (folder / p.name).write_text(p.read_text())
            for k, v in env.items():
                if k.startswith("AGORA_"):
                    mp.setenv(k, v)
            slugs = publish_families(steward=hub.name("stew"), folder=folder)
            session = requests.Session()
            session.headers["Authorization"] = f"token {hub.token('vic')}"
            yield hub, session, slugs


def service_processes(hub):
    """The dashboards service and its kernels (the process listening on the service port)."""
    port = hub.settings.dashboards_port
    for conn in psutil.net_connections("tcp"):
        if conn.status == "LISTEN" and conn.laddr.port == port and conn.pid:
            root = psutil.Process(conn.pid)
            return [root, *root.children(recursive=True)]
    return []


def rss_mb(hub) -> float:
    total = 0
    for p in service_processes(hub):
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def visit(session, url, slug, prefix=SERVICE):
    """One viewer opening one dashboard: seconds to the complete page, ok?, kernel id."""
    t0 = time.perf_counter()
    try:
        r = session.get(f"{url}{prefix}voila/render/{slug}.ipynb", timeout=TIMEOUT)
        ok = r.status_code == 200 and "agora-output" in r.text
        m = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', r.text)
    except requests.RequestException:
        return time.perf_counter() - t0, False, None
    return time.perf_counter() - t0, ok, m.group(1) if m else None


def leave(session, url, kernel_id, prefix=SERVICE):
    """What the page does on unload: ask the server to shut the kernel down."""
    if kernel_id:
        xsrf = session.cookies.get("_xsrf", "")
        session.post(f"{url}{prefix}voila/api/shutdown/{kernel_id}", timeout=60,
                     headers={"X-XSRFToken": xsrf})


def wait_ready(session, url, slugs, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = session.get(url + SERVICE, timeout=60)
        if r.status_code == 200 and all(f'data-slug="{s}"' in r.text for s in slugs):
            return
        time.sleep(1)
    raise AssertionError("dashboards service not ready")


def first_render(session, url, slugs, settle: float, prefix=SERVICE) -> dict[str, list[float]]:
    """Sequential visits, dashboards round robin; `settle` seconds between rounds."""
    times: dict[str, list[float]] = {s: [] for s in slugs}
    for _ in range(ROUNDS):
        for slug in slugs:
            seconds, ok, kernel = visit(session, url, slug, prefix)
            assert ok, slug
            times[slug].append(seconds)
            leave(session, url, kernel, prefix)
        time.sleep(settle)
    return times


@contextmanager
def plain_voila(hub):
    """Voila as it comes (kernel per visit, no hub) on the same published folder and store."""
    from agora.hub.launch import free_port, settings_env
    from agora.publish.store import SERVED
    port = free_port()
    root = hub.settings.publish_dir / SERVED
    proc = subprocess.Popen(
        [str(hub.settings.venv / "bin" / "voila"), str(root), "--no-browser",
         f"--port={port}", "--Voila.ip=127.0.0.1", "--show_tracebacks=False"],
        env=settings_env(hub.settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                requests.get(url + "/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        yield url, psutil.Process(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def wave(hub, session, slugs, viewers: int) -> dict:
    """`viewers` people open a dashboard at the same moment; memory sampled meanwhile."""
    peak, stop = [rss_mb(hub)], threading.Event()

    def sample():
        while not stop.is_set():
            peak.append(rss_mb(hub))
            stop.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = threading.Barrier(viewers)

    def one(i):
        s = requests.Session()
        s.headers.update(session.headers)
        start.wait(timeout=60)
        seconds, ok, kernel = visit(s, hub.url, slugs[i % len(slugs)])
        leave(s, hub.url, kernel)
        return seconds, ok

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=viewers) as pool:
        results = list(pool.map(one, range(viewers)))
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join(5)
    times = [r[0] for r in results]
    return {"viewers": viewers, "ok": sum(r[1] for r in results), "p50": pct(times, 50),
            "p95": pct(times, 95), "max": max(times), "wall": wall, "peak_mb": max(peak)}


def report(label, times):
    print(f"\n{label}: first render per dashboard (s), {ROUNDS} visits each")
    every = []
    for slug, ts in times.items():
        every += ts
        print(f"  {slug:<20} p50 {pct(ts, 50):6.2f}  p95 {pct(ts, 95):6.2f}")
    print(f"  {'all':<20} p50 {pct(every, 50):6.2f}  p95 {pct(every, 95):6.2f}")
    return every


def test_first_render_and_concurrent_viewers(small_store):
    with dashboards_hub(FAST_POOL, small_store.feeds_dir) as (hub, session, slugs):
        wait_ready(session, hub.url, slugs)
        with plain_voila(hub) as (url, proc):
            idle_default = proc.memory_info().rss / 2**20
            default = report("default: plain Voila, a kernel per visit",
                             first_render(requests.Session(), url, slugs, 0, prefix="/"))
        time.sleep(10 + 5 * FAST_POOL * len(slugs))     # let the pools pre-render
        fast = report(f"fast path: the dashboards service, {FAST_POOL} preheated kernels per "
                      "dashboard", first_render(session, hub.url, slugs, settle=5 + 2 * FAST_POOL))
        idle_fast = rss_mb(hub)
        print(f"\nspeed-up p50 {statistics.median(default) / statistics.median(fast):.0f}x, "
              f"p95 {pct(default, 95) / pct(fast, 95):.0f}x; idle server memory "
              f"{idle_default:.0f} MB (default, no kernel) vs {idle_fast:.0f} MB (preheated pools, "
              f"{len(slugs)} dashboards)")
        print("\nconcurrent viewers (fast path), each opens a dashboard then leaves:")
        for n in VIEWERS:
            r = wave(hub, session, slugs, n)
            print(f"  {r['viewers']:>3} viewers: {r['ok']}/{r['viewers']} ok "
                  f"({100 * r['ok'] / r['viewers']:.0f}%), p50 {r['p50']:.2f}s, "
                  f"p95 {r['p95']:.2f}s, max {r['max']:.2f}s, wall {r['wall']:.1f}s, "
                  f"peak memory {r['peak_mb']:.0f} MB")
            time.sleep(5 + 2 * FAST_POOL * len(slugs))   # pools refill between waves

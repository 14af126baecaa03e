"""Orchestrate a synthetic partnership: population, then each care setting, written file by file
(late records wait for the next month's file), then the manifest."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Callable

import pandas as pd

from ..feeds import feed
from . import acute, community, constants as C, defects, elective, geography, gp, population, \
    social_care
from .output import extracted_at, write_file
from .reference import write_reference
from .rng import Streams
from .timeline import months as month_list

MAX_MONTHS = 120
MAX_SCALE = 5.0


class SynthError(ValueError):
    """Arguments that cannot produce a synthetic partnership."""


class Sink:
    """Collects rows per (feed, month) and writes each file once it is complete."""

    def __init__(self, out_dir: Path, pop: population.Population, streams: Streams,
                 on_file: Callable[[str], None]) -> None:
        self.out_dir, self.pop, self.streams, self.on_file = out_dir, pop, streams, on_file
        self.pending: dict[tuple[str, str], list[pd.DataFrame]] = defaultdict(list)
        self.entries: list[dict] = []
        self.versions: dict[tuple[str, str], pd.Timestamp] = {}
        self.written: set[tuple[str, str]] = set()

    def add(self, feed_name: str, df: pd.DataFrame, version_at: pd.Timestamp | None = None
            ) -> None:
        for month, part in df.groupby("_month", sort=True):
            self.pending[(feed_name, str(month))].append(part)
            if version_at is not None:
                self.versions[(feed_name, str(month))] = version_at

    def flush(self, upto: str | None = None) -> None:
        """Write every pending file of months up to `upto` (all when None)."""
        for key in sorted(k for k in self.pending if upto is None or k[1] <= upto):
            name, month = key
            df = pd.concat(self.pending.pop(key), ignore_index=True)
            if len(df):
                if key in self.written:
                    raise RuntimeError(f"{name}_{month} would be written twice")
                self.written.add(key)
                version = self.versions.pop(key, None)
                entry = write_file(self.out_dir, feed(name), df, month, self.pop, self.streams,
                                   version_at=version)
                self.entries.append(entry)
                self.on_file(entry["file"])


def _check(scale: float, seed: int, months: int, start: str) -> pd.Timestamp:
    number = isinstance(scale, (int, float)) and not isinstance(scale, bool)
    if not number or not 0 < scale <= MAX_SCALE:
        raise SynthError(f"scale must be a number above 0 and at most {MAX_SCALE} "
                         f"(1.0 = about {C.POPULATION:,} residents); got {scale!r}")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise SynthError(f"seed must be a non-negative whole number; got {seed!r}")
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= MAX_MONTHS:
        raise SynthError(f"months must be a whole number from 1 to {MAX_MONTHS}; got {months!r}")
    try:
        ts = pd.Timestamp(str(start))
    except (ValueError, TypeError):
        raise SynthError(f"start must be a date YYYY-MM-DD; got {start!r}") from None
    if ts != ts.normalize() or ts.day != 1 or not 2000 <= ts.year <= 2100:
        raise SynthError(f"start must be the first day of a month between 2000 and 2100; "
                         f"got {start!r}")
    return ts


STAGES = ("population", "reference", "planned care", "urgent care", "inpatients and beds",
          "community and mental health", "social care", "GP registrations", "GP activity",
          "manifest")


def generate(out_dir, scale: float, seed: int, months: int = 12, start: str = "2025-04-01",
             progress: Callable[[str, str], None] | None = None) -> dict:
    """Write a synthetic partnership's feeds to out_dir; return the manifest (also written).

    progress(stage, detail) is called as work proceeds (the CLI draws a progress bar with it).
    """
    begin = _check(scale, seed, months, start)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise SynthError(f"{out_dir} exists and is not a directory")
    if (out_dir / "feeds").is_dir() and any((out_dir / "feeds").iterdir()):
        raise SynthError(f"{out_dir / 'feeds'} already holds files; choose an empty directory")
    out_dir.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda stage, detail="": None)
    streams = Streams(seed)
    mths = month_list(begin, months)
    end = mths[-1].end
    last = mths[-1].label

    say("population", f"{int(round(C.POPULATION * scale)):,} residents")
    pop = population.build(streams, geography.build(), float(scale), begin, end)
    sink = Sink(out_dir, pop, streams, lambda f: say("file", f))

    say("reference", "")
    reference = write_reference(out_dir, pop)
    final_version = extracted_at(last)

    say("planned care", "RTT, cancer, outpatients")
    paths = elective.rtt(streams, pop, mths)
    for m in mths:
        census = pd.Timestamp(m.end) - pd.Timedelta(days=1)
        snap = elective.rtt_snapshots(paths, [m])
        sink.add("raj_rtt", snap, version_at=census)
    cwt = elective.cancer(streams, pop, mths)
    sink.add("raj_cwt", cwt, version_at=final_version)
    sink.add("raj_opa", elective.outpatients(streams, pop, mths, paths, cwt))
    sink.flush()
    rtt_admits = elective.admitted_stops(paths, pop)
    del paths, cwt

    say("urgent care", "ambulance and A&E")
    admits = []
    for m in mths:
        amb = acute.ambulance(streams, pop, m, last)
        att = acute.ae(streams, pop, m, last, amb)
        admits.append(att.loc[att["discharge_destination"] == "admitted",
                              ["_person", "departure_at"]])
        sink.add("ryc_cad", amb)
        sink.add("raj_ecds", att)
        sink.flush(m.label if m.label != last else None)

    say("inpatients and beds", "")
    spells = acute.spells(streams, pop, mths, pd.concat(admits, ignore_index=True), rtt_admits)
    sink.add("raj_apc", acute.file_spells(spells, pop))
    sink.add("raj_beds", acute.bed_state(pop, spells))
    sink.flush()
    del spells

    say("community and mental health", "")
    refs, cons = community.community(streams, pop, mths)
    sink.add("r1l_csds_referrals", refs, version_at=final_version)
    sink.add("r1l_csds_contacts", cons)
    mrefs, mcons, mspells = community.mental_health(streams, pop, mths)
    sink.add("r1l_mhsds_referrals", mrefs, version_at=final_version)
    sink.add("r1l_mhsds_contacts", mcons)
    sink.add("r1l_mhsds_spells", mspells, version_at=final_version)
    sink.flush()

    say("social care", "")
    for name, df in social_care.events(streams, pop, mths).items():
        sink.add(name, df, version_at=final_version)
    sink.flush()

    say("GP registrations", "")
    reg = gp.registrations(pop)
    reg["_month"] = last
    for prefix, part in gp.split_by_practice(pop, reg).items():
        sink.add(f"{prefix}_registrations", part, version_at=final_version)
    sink.flush()

    say("GP activity", "events, medications, appointments")
    pairs = gp.repeat_medicines(streams, pop)
    hist = gp.history(streams, pop)
    for m in mths:
        appts = gp.appointments(streams, pop, m)
        ev = gp.events(streams, pop, m, appts)
        if m.index == 0:
            ev = pd.concat([hist, ev], ignore_index=True)
        for kind, df in (("appointments", appts), ("events", ev),
                         ("medications", gp.medications(pop, pairs, m))):
            df["_month"] = m.label
            for prefix, part in gp.split_by_practice(pop, df).items():
                sink.add(f"{prefix}_{kind}", part)
        sink.flush()

    say("manifest", "")
    manifest = _manifest(pop, seed, months, begin, end, sink.entries, reference)
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _manifest(pop, seed, months, begin, end, entries, reference) -> dict:
    totals: dict[str, dict] = {}
    for e in entries:
        t = totals.setdefault(e["feed"], {"files": 0, "rows": 0, "records": 0,
                                          "quarantine_total": 0, "not_loaded": 0,
                                          "expected_loaded": 0})
        for k in ("rows", "records", "quarantine_total", "not_loaded", "expected_loaded"):
            t[k] += e[k]
        t["files"] += 1
    with_nhs = int((pop.people["nhs_number"] > 0).sum())
    return {
        "scale": pop.scale, "seed": seed, "months": months,
        "start": begin.strftime("%Y-%m-%d"),
        "end": (end - pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
        "population": pop.n, "people_without_nhs_number": pop.n - with_nhs,
        "defect_kinds": {**{k: "quarantine" for k in defects.QUARANTINE},
                         **{k: "repair" for k in defects.REPAIR}},
        "reference": reference, "files": entries, "totals": totals,
    }


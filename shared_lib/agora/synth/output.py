"""Assemble one provider file: format, inject defects, add copies, shuffle, write, and account
for every row in the manifest (and the per-row truth file beside it)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..feeds import Feed
from . import defects as D
from .population import Population
from .rng import Streams
from .writers import FileContext, provider_frame, write


def extracted_at(month: str) -> pd.Timestamp:
    """Providers extract a month's file early on the first day of the next month."""
    return pd.Timestamp(month + "-01") + pd.offsets.MonthBegin(1) + pd.Timedelta("02:15:00")


def write_file(out_dir: Path, feed: Feed, df: pd.DataFrame, month: str, pop: Population,
               streams: Streams, first_serial: int = 0, version_at: pd.Timestamp | None = None
               ) -> dict:
    """Write feeds/<feed>_<month>.<ext>; return its manifest entry."""
    rng = streams.rng("file", feed.name, month)
    ctx = FileContext(feed, month, version_at if version_at is not None else extracted_at(month),
                      rng)
    df = df.reset_index(drop=True)
    late = df["_late"].to_numpy() if "_late" in df else np.zeros(len(df), bool)
    t = D.targets(feed)
    clean = provider_frame(feed, df, pop, ctx, first_serial)
    rows = D.choose(df, feed, clean, t, rng)
    table = D.apply_model_defects(df, clean, feed, t, rows, rng)
    table = D.apply_text_defects(table, feed, t, rows, int(month[:4]))
    kinds = np.full(table.num_rows, "", dtype=object)
    if feed.nhs_number:
        kinds[~clean[feed.nhs_number].is_valid().to_numpy(zero_copy_only=False)] = "nhs_missing"
    for kind, r in rows.items():
        if kind not in ("duplicate", "correction"):
            kinds[r] = kind
    table, copy_kinds = D.add_copies(table, feed, t, rows, ctx)
    kinds = np.concatenate([kinds, np.array(copy_kinds, dtype=object)])
    late = np.concatenate([late, np.zeros(table.num_rows - late.size, bool)])
    order = rng.permutation(table.num_rows)
    table = table.take(pa.array(order))
    kinds, late = kinds[order], late[order]
    path = out_dir / "feeds" / ctx.file_name
    write(feed, table, path)
    truth = pd.DataFrame({"row_number": np.arange(1, table.num_rows + 1), "kind": kinds})
    truth = pd.concat([truth[truth["kind"] != ""],
                       pd.DataFrame({"row_number": np.flatnonzero(late) + 1, "kind": "late"})])
    truth["action"] = np.where(truth["kind"].isin(D.QUARANTINE), "quarantine", "repair")
    truth = truth.sort_values(["row_number", "kind"], ignore_index=True)
    (out_dir / "truth").mkdir(exist_ok=True)
    truth.to_csv(out_dir / "truth" / f"{ctx.file_name}.csv", index=False)
    counts = truth["kind"].value_counts()
    quarantine = {k: int(counts.get(k, 0)) for k in D.QUARANTINE}
    repair = {k: int(counts.get(k, 0)) for k in D.REPAIR}
    rows_total = table.num_rows
    return {
        "file": f"feeds/{ctx.file_name}", "feed": feed.name, "table": feed.table,
        "org_code": feed.org_code, "month": month, "rows": rows_total,
        "records": rows_total - repair["duplicate"] - repair["correction"],
        "quarantine": quarantine, "quarantine_total": sum(quarantine.values()),
        "repair": repair,
        "not_loaded": sum(quarantine.values()) + repair["duplicate"] + repair["correction"],
        "expected_loaded": rows_total - sum(quarantine.values()) - repair["duplicate"]
        - repair["correction"],
    }

"""Synthetic partnership: a population of the ICS and every partner's feeds, written the way each
provider writes them, with known defects. `generate(out_dir, scale, seed, months, start)` and
`agora synth --scale S --seed N --out DIR [--months M] [--start YYYY-MM-DD]`.

Nothing here is real: NHS numbers come only from the never-issued range 999 000 0000 -
999 999 9999 (valid by Modulus 11 unless a defect says otherwise), names, addresses, dates of
birth and postcodes are invented, LSOA codes are synthetic (E019xxxxx). The same seed writes
byte-identical files.

Output layout (the contract with `agora.ingest`)
------------------------------------------------
DIR/feeds/<feed>_<YYYY-MM>.<ext>
    One file per feed (agora.feeds.FEEDS) per month, in the provider's format, columns, date
    formats, delimiters, encodings and codes. A month with no rows for a feed has no file.
    Monthly files hold the records of their month, plus late records (below). Exceptions:
    - gpa_registrations / gpb_registrations: one snapshot, named for the last month, as at the
      end of the period (current and ended registrations with demographics, opt-out, death).
    - raj_rtt: a PTL snapshot per month at its census date (last day of the month): pathways
      open then, plus those stopped in the month; a pathway recurs from month to month and the
      latest CENSUS_DATE wins (Feed.snapshot).
    - raj_cwt, r1l_*_referrals, r1l_mhsds_spells, social care: each record once, in the file of
      the month it started (records that started before the period: the first month's file), with
      later milestones (diagnosis, discharge, end) as known at the end of the period.
    - raj_apc: spells in the file of the month they ended (still in hospital: not yet sent).
    - gpa_events / gpb_events: the first month's file also carries each patient's coded history.
DIR/reference/ ref_org.csv, ref_lsoa.csv, ref_code.csv, ref_codelist.csv (columns = the model's
    reference tables) and postcode_lsoa.csv (postcode, lsoa_code: postcodes as written
    "SS14 1AB"; compare upper-cased without spaces).
DIR/manifest.json
    scale, seed, months, start, end, population, people_without_nhs_number, and per file:
    file, feed, table, org_code, month, rows (data rows in the file), records (rows minus
    duplicate and superseded copies), quarantine {kind: n}, quarantine_total, repair {kind: n},
    not_loaded = quarantine_total + duplicate + correction, expected_loaded = rows - not_loaded.
    Totals per feed.
DIR/truth/<file name>.csv
    row_number (1 = first data row), kind, action: the row-level truth behind the counts.

Defect kinds (each data row carries at most one kind; `late` only records where a row was filed)
-------------------------------------------------------------------------------------------
QUARANTINE (the row must not be loaded; counted per file in `quarantine`):
- missing_required: the provider column of a required model column is empty (the first required
  model column of the feed that is not part of its record_key: e.g. SiteCode in raj_ecds, Sex
  in the registration feeds).
- bad_date: a non-key date column (required ones first; else date of birth) holds an impossible
  date in the feed's own format: 31 February, or month 13.
- out_of_range: a numeric column outside the model's min/max (acuity 9, discharge pathway 7,
  negative quantity, cost or bed count).
- unknown_code: a coded column holds "ZZ": not in the feed's value_map, or not among the model's
  allowed values, or not matching its pattern.
- time_order: the later column of the feed's first `time_order` pair is set before the earlier
  one (1 hour before for timestamps, 1 day for dates): departure before arrival and so on.
REPAIR or TOKENISE (the row is loaded; counted in `repair`):
- nhs_spaced "999 123 4567" and nhs_dashed "999-123-4567": normalise to 10 digits.
- nhs_missing (empty; includes NHS numbers the provider never knew, e.g. ambulance patients
  unidentified at the scene, and residents beyond the ~909,000 valid numbers of the test range),
  nhs_invalid (10 digits failing Modulus 11), nhs_zeros ("0000000000"): tokenise from org code +
  local ID (id_from_local = true); never dropped.
- postcode_shape (lower case, no space: "ss141ab") maps to its LSOA after normalising;
  postcode_unmapped ("ZZ99 3VZ", no fixed abode) loads with no LSOA.
- duplicate: an exact copy of another row of the same file: load once (not counted as loaded).
- correction: an earlier version of a record (same record_key, version 10 days earlier, one
  optional column empty) in the same file as its later version: the later version wins; the
  superseded row is not loaded.
- late: a record of the previous month filed in this month's file; load as usual.
Rows with any QUARANTINE kind, duplicate or correction copies are the only rows not loaded.
"""
from __future__ import annotations

__all__ = ["generate", "command", "SynthError"]


def __getattr__(name: str):
    if name in ("generate", "SynthError"):
        from . import run
        return getattr(run, name)
    if name == "command":
        from .cli import command
        return command
    raise AttributeError(f"module 'agora.synth' has no attribute {name!r}")

"""A small synthetic year against DATA_SPEC: yearly volumes within 10% once scaled, and the
figures real feeds show (4-hour performance, ambulance categories and conveyance, bed
occupancy, the Faster Diagnosis Standard, 52-week waiters, the deprivation gradient)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from agora.feeds import BY_NAME
from agora.synth import generate
from test_synth_contract import read_text

SCALE = 0.005
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    out = tmp_path_factory.mktemp("year")
    manifest = generate(out, SCALE, 3, months=12)

    def frames(name):
        f = BY_NAME[name]
        return pd.concat([read_text(out / e["file"], f) for e in manifest["files"]
                          if e["feed"] == name], ignore_index=True).drop_duplicates()
    return out, manifest, frames


def per_year(n):
    return n / SCALE


@pytest.mark.parametrize("feed_names,spec", [
    (("raj_ecds",), 550_000), (("ryc_cad",), 180_000), (("raj_opa",), 2_500_000),
    (("gpa_appointments", "gpb_appointments"), 7_600_000),
    (("r1l_csds_contacts",), 190_000 * 12)])
def test_yearly_volumes_within_ten_percent(year, feed_names, spec):
    _, manifest, _ = year
    records = sum(manifest["totals"][n]["records"] for n in feed_names)
    assert per_year(records) == pytest.approx(spec, rel=0.10)


def test_admissions_mental_health_and_social_care_volumes(year):
    _, manifest, frames = year
    apc = frames("raj_apc")
    admitted = pd.to_datetime(apc["ADMIT_DTTM"], format="%Y-%m-%d %H:%M", errors="coerce")
    inside = admitted >= pd.Timestamp(manifest["start"])
    emergency = apc["ADMIMETH"].str.startswith("2") & inside
    elective = apc["ADMIMETH"].str.startswith("1") & inside
    assert per_year(emergency.sum()) == pytest.approx(135_000, rel=0.10)
    assert per_year(elective.sum()) == pytest.approx(185_000, rel=0.10)
    assert (apc.loc[elective, "CLASSPAT"] == "2").mean() == pytest.approx(0.80, abs=0.05)
    mh_people = frames("r1l_mhsds_contacts")["LocalPatientId"].nunique()
    assert per_year(mh_people) == pytest.approx(79_000, rel=0.10)
    ecc, sos, thu = frames("ecc_asc"), frames("sos_asc"), frames("thurrock_asc")
    services = ((ecc["Event Type"] == "Service").sum() + (sos["EVENT_CODE"] == "SRV").sum()
                + (thu["type"] == "SERVICE").sum())
    requests = ((ecc["Event Type"] == "Request").sum() + (sos["EVENT_CODE"] == "REQ").sum()
                + (thu["type"] == "CONTACT").sum())
    assert per_year(services) == pytest.approx(18_000, rel=0.10)
    assert per_year(requests) == pytest.approx(43_000, rel=0.10)


def test_ae_four_hours_and_type_one_share(year):
    _, _, frames = year
    ae = frames("raj_ecds")
    fmt = "%d/%m/%Y %H:%M:%S"
    hours = (pd.to_datetime(ae["DepartureDateTime"], format=fmt, errors="coerce")
             - pd.to_datetime(ae["ArrivalDateTime"], format=fmt, errors="coerce")
             ).dt.total_seconds() / 3600
    assert (hours <= 4).mean() == pytest.approx(0.75, abs=0.05)
    assert (hours > 12).mean() < 0.10
    assert (ae["EmergencyCareDepartmentType"] == "01").mean() == pytest.approx(0.65, abs=0.03)


def test_ambulance_categories_conveyance_and_handover(year):
    _, _, frames = year
    cad = frames("ryc_cad")
    cats = cad["responseCategory"].value_counts(normalize=True)
    assert cats["1"] == pytest.approx(0.10, abs=0.03) and cats["2"] == pytest.approx(0.50, abs=0.05)
    assert (cad["outcome"] == "STC-ED").mean() == pytest.approx(0.51, abs=0.05)
    ho = (pd.to_datetime(cad["handover"], errors="coerce")
          - pd.to_datetime(cad["atHospital"], errors="coerce")).dt.total_seconds().dropna() / 60
    assert 0.2 < (ho <= 15).mean() < 0.65 and (ho <= 60).mean() > 0.85
    ae = frames("raj_ecds")
    linked = ae["AmbulanceIncidentNumber"].dropna()
    assert linked.isin(cad["incidentNumber"]).mean() > 0.95


def test_beds_cancer_and_waiting_list(year):
    out, manifest, frames = year
    beds = frames("raj_beds")
    occupied = pd.to_numeric(beds["GA_BedsOccupied"], errors="coerce")
    open_ = pd.to_numeric(beds["GA_BedsOpen"], errors="coerce")
    # ~10 beds a site at this scale: one bed moves occupancy by ~8% (exact at scale: see
    # test_synth_acute), so the tolerance is wider here
    assert occupied.sum() / open_[occupied.notna()].sum() == pytest.approx(0.93, abs=0.05)
    cwt = frames("raj_cwt")
    days = (pd.to_datetime(cwt["FDS_PATHWAY_END_DATE"], errors="coerce")
            - pd.to_datetime(cwt["DATE_FIRST_SEEN_REFERRAL"], errors="coerce")).dt.days.dropna()
    assert 0.70 <= (days <= 28).mean() <= 0.85
    last = [e for e in manifest["files"] if e["feed"] == "raj_rtt"][-1]
    ptl = read_text(out / last["file"], BY_NAME["raj_rtt"])
    waiting = ptl[ptl["RTT_STOP_DATE"].isna()]
    weeks = (pd.Timestamp(manifest["end"]) - pd.to_datetime(
        waiting["RTT_START_DATE"], format="%d/%m/%Y", errors="coerce")).dt.days / 7
    assert (weeks >= 52).sum() > 0 and 0.45 < (weeks < 18).mean() < 0.80


def test_more_deprived_areas_attend_more(year):
    out, _, frames = year
    ref = pd.read_csv(out / "reference" / "ref_lsoa.csv")
    pcs = pd.read_csv(out / "reference" / "postcode_lsoa.csv").merge(ref, on="lsoa_code")
    ae = frames("raj_ecds").merge(pcs, left_on="Postcode", right_on="postcode")
    rate = ae.groupby("imd_decile").size() / ref.groupby("imd_decile")["population"].sum()
    most, least = rate.loc[[1, 2]].mean(), rate.loc[[9, 10]].mean()
    assert 1.4 < most / least < 3.0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["people_without_nhs_number"] == 0

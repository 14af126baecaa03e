"""Date of birth -> birth month and age, postcode -> LSOA: the generated ingestion SQL, checked
against rules worked out by hand, over generated dates and postcode shapes."""
from __future__ import annotations

from datetime import date, datetime

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st

from agora import pseudo
from agora.feeds import feed
from agora.ingest.load import _identity
from agora.ingest.mapping import plan
from agora.ingest.sqltext import statements
from agora.ingest.validate import typed_sql

ECDS, REG = feed("raj_ecds"), feed("gpa_registrations")
KEY = b"unit-test-key-32-bytes-long!!!!!"


def whole_years(born: date, on: date) -> int:
    """Age in completed years, by hand: birthdays not yet reached this year don't count."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    pseudo.install_macros(c)
    for s in statements("run_tables"):
        c.execute(s)
    c.execute("CREATE TEMP TABLE postcode_lsoa AS SELECT * FROM (VALUES ('SS141AB', 'E01000001'), "
              "('CM11AA', 'E01000002')) t(postcode_key, lsoa_code)")
    yield c
    c.close()


def typed_row(con, fd, row: dict) -> dict:
    """Run the feed's generated `typed` step on one provider row; return the typed row."""
    cols = list(fd.provider_columns)
    table = pa.table({"_rn": [1], **{c: [row.get(c)] for c in cols}})
    con.register("raw", table)
    try:
        _identity(con, plan(fd), pseudo.SqlKey.from_key(KEY).params)
        sql, params = typed_sql(plan(fd), cols, [], postcode_table=True)
        params.set_variables(con)
        con.execute(sql, params.values)
        cur = con.execute("SELECT * FROM typed")
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone()))
    finally:
        con.unregister("raw")


dobs = st.dates(date(1905, 1, 1), date(2025, 3, 31))
arrivals = st.datetimes(datetime(2025, 4, 1), datetime(2026, 3, 31, 23, 59, 59))


@settings(max_examples=25, deadline=None)
@given(dob=dobs, arrival=arrivals)
def test_age_at_arrival_in_whole_years(con, dob, arrival):
    row = typed_row(con, ECDS, {
        "AttendanceIdentifier": "A1", "SiteCode": "RAJ01", "EmergencyCareDepartmentType": "01",
        "ArrivalDateTime": arrival.strftime("%d/%m/%Y %H:%M:%S"), "NHSNumber": "9434765919",
        "DateOfBirth": dob.strftime("%d/%m/%Y")})
    expected = whole_years(dob, arrival.date())
    assert row["age_at_arrival"] == expected
    if expected <= 120:
        assert row["_reason"] is None
    assert "date_of_birth" not in row and "_dob" in row      # dropped before the store


@settings(max_examples=25, deadline=None)
@given(dob=dobs)
def test_birth_month_is_the_first_of_the_month(con, dob):
    row = typed_row(con, REG, {
        "PatientGuid": "G1", "OrganisationCode": "F81001", "RegistrationStartDate": "01/01/2020",
        "NhsNumber": "9434765919", "DateOfBirth": dob.strftime("%d/%m/%Y"), "Sex": "F",
        "NationalDataOptOut": "N"})
    assert row["birth_month"] == dob.replace(day=1)
    assert row["_reason"] is None


@pytest.mark.parametrize("text", ["31/02/1950", "15/13/1950", "1950-03-15", "15/3/50", "yesterday"])
def test_impossible_or_misformatted_birth_dates_are_quarantined(con, text):
    row = typed_row(con, REG, {
        "PatientGuid": "G1", "OrganisationCode": "F81001", "RegistrationStartDate": "01/01/2020",
        "NhsNumber": "9434765919", "DateOfBirth": text, "Sex": "F", "NationalDataOptOut": "N"})
    assert row["_reason"].startswith("date_of_birth: ")   # not a date, or not plausible


def postcode_shapes(pc: str) -> st.SearchStrategy[str]:
    outward, inward = pc.split(" ")
    return st.sampled_from([pc, pc.lower(), outward + inward, (outward + inward).lower(),
                            f"{outward}  {inward}", f" {pc} ", pc.title()])


@settings(max_examples=20, deadline=None)
@given(shape=st.one_of(postcode_shapes("SS14 1AB"), postcode_shapes("CM1 1AA")))
def test_postcode_shapes_map_to_their_lsoa(con, shape):
    row = typed_row(con, REG, {
        "PatientGuid": "G1", "OrganisationCode": "F81001", "RegistrationStartDate": "01/01/2020",
        "NhsNumber": "9434765919", "DateOfBirth": "15/03/1950", "Sex": "F",
        "NationalDataOptOut": "N", "Postcode": shape})
    want = "E01000001" if shape.replace(" ", "").upper() == "SS141AB" else "E01000002"
    assert row["lsoa_code"] == want


@pytest.mark.parametrize("pc", ["ZZ99 3VZ", "", None, "NOT A POSTCODE", "SS14 1AB; DROP"])
def test_unknown_postcodes_load_without_lsoa(con, pc):
    row = typed_row(con, REG, {
        "PatientGuid": "G1", "OrganisationCode": "F81001", "RegistrationStartDate": "01/01/2020",
        "NhsNumber": "9434765919", "DateOfBirth": "15/03/1950", "Sex": "F",
        "NationalDataOptOut": "N", "Postcode": pc})
    assert row["lsoa_code"] is None and row["_reason"] is None


def test_no_identifier_survives_the_typed_step(con):
    row = typed_row(con, REG, {
        "PatientGuid": "G1", "OrganisationCode": "F81001", "RegistrationStartDate": "01/01/2020",
        "NhsNumber": "943 476 5919", "DateOfBirth": "15/03/1950", "Sex": "F",
        "NationalDataOptOut": "N", "Postcode": "SS14 1AB", "Forenames": "Ann",
        "Surname": "Smith", "AddressLine1": "1 High St", "TelephoneNumber": "01702 000000"})
    values = {str(v) for v in row.values()}
    for ident in ("943 476 5919", "9434765919", "Ann", "Smith", "1 High St", "SS14 1AB",
                  "01702 000000"):
        assert ident not in values
    assert row["person_id"] == pseudo.person_id("9434765919", KEY)

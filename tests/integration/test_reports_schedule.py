"""Schedule validation, expansion and parameter checking (no kernels: fast)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from agora.reports import schedule, templates
from agora.reports.errors import ParameterError, ScheduleError
from reports_helpers import reports_env  # noqa: F401  (fixture)

UTC = timezone.utc


def write(path, text):
    path.write_text(text)
    return path


def entry(**over):
    base = {"name": "e1", "template": "simple", "cron": "0 6 * * *", "audience": "partnership"}
    base.update(over)
    lines = ["reports:", "  - " + "\n    ".join(f"{k}: {v}" for k, v in base.items())]
    return "\n".join(lines) + "\n"


def test_schedule_loads_and_expands(reports_env):
    _, path = reports_env
    entries = schedule.load(path)
    assert [e.name for e in entries] == ["simple", "raises", "leaky"]
    runs = schedule.expand(entries)
    assert [(r.entry_id, r.audience, r.parameters) for r in runs] == [
        ("simple/RAJ01", "RAJ01", {"site_code": "RAJ01"}),
        ("simple/RAJ02", "RAJ02", {"site_code": "RAJ02"}),
        ("raises", "partnership", {}),
        ("leaky", "partnership", {}),
    ]
    assert runs[0].slug == "simple--RAJ01"


@pytest.mark.parametrize("over, message", [
    ({"template": "no_such_template"}, "unknown template 'no_such_template'"),
    ({"template": "'../../etc/passwd'"}, "is not valid"),
    ({"cron": "'61 * * * *'"}, "bad cron expression '61 * * * *'"),
    ({"cron": "'0 6 * *'"}, "bad cron expression"),
    ({"cron": "'0 0 6 * * *'"}, "bad cron expression"),
    ({"cron": "7"}, "cron must be a string"),
    ({"parameters": "{colour: red}"}, "parameter 'colour' is not in the parameters cell"),
    ({"for_each": "{colour: [a, b]}"}, "parameter 'colour' is not in the parameters cell"),
    ({"for_each": "{site_code: everywhere}"}, "must be a non-empty list or one of"),
    ({"parameters": "{days: many}"}, "parameter 'days': expected int"),
    ({"audience": "'the world'"}, "audience 'the world' must be"),
    ({"audience": "'{colour}'"}, "audience '{colour}' must be"),
    ({"retries": "-1"}, "retries must be a whole number"),
    ({"colour": "red"}, "unknown key(s) ['colour']"),
])
def test_bad_entries_name_the_entry(reports_env, tmp_path, over, message):
    path = write(tmp_path / "s.yaml", entry(**over))
    with pytest.raises(ScheduleError) as err:
        schedule.load(path)
    assert "schedule entry 'e1'" in str(err.value)
    assert message in str(err.value)


@pytest.mark.parametrize("text, message", [
    ("reports: [\n", "not valid YAML"),
    ("- a\n- b\n", "expected a mapping with a 'reports' list"),
    ("reports: {a: 1}\n", "expected a mapping with a 'reports' list"),
    ("reports:\n  - 42\n", "schedule entry 1: must be a mapping"),
    ("reports:\n  - {name: 'Bad Name', template: simple}\n", "name 'Bad Name'"),
    ("reports:\n  - {name: x, template: simple, audience: partnership}\n", "'cron' is missing"),
    ("reports:\n  - {name: x, template: simple, cron: '@daily', audience: partnership}\n"
     "  - {name: x, template: simple, cron: '@daily', audience: partnership}\n", "name used twice"),
    ("\xff\xfe not text", "not valid YAML"),
])
def test_malformed_schedule_files(reports_env, tmp_path, text, message):
    path = tmp_path / "s.yaml"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ScheduleError, match=None) as err:
        schedule.load(path)
    assert message in str(err.value)


def test_missing_and_oversized_schedule(reports_env, tmp_path):
    with pytest.raises(ScheduleError, match="not found"):
        schedule.load(tmp_path / "absent.yaml")
    big = tmp_path / "big.yaml"
    big.write_text("reports: []\n" + "#" * (schedule.MAX_SCHEDULE_BYTES + 1))
    with pytest.raises(ScheduleError, match="larger than"):
        schedule.load(big)


def test_yaml_tags_are_not_executed(reports_env, tmp_path):
    path = write(tmp_path / "s.yaml", "reports: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(ScheduleError, match="not valid YAML"):
        schedule.load(path)


def test_template_parameters_are_read_from_the_parameters_cell(reports_env):
    declared = templates.parameters("simple")
    assert {k: v["inferred_type_name"] for k, v in declared.items()} == {
        "site_code": "str", "days": "int", "scale": "float", "detail": "bool"}


@pytest.mark.parametrize("raw, expected", [
    ({"site_code": "RAJ02", "days": "14"}, {"site_code": "RAJ02", "days": 14}),
    ({"scale": "0.5", "detail": "yes"}, {"scale": 0.5, "detail": True}),
    ({"detail": False, "days": 3}, {"detail": False, "days": 3}),
    ({"site_code": "  RAJ03 "}, {"site_code": "RAJ03"}),
])
def test_parameters_are_coerced_to_the_declared_type(reports_env, raw, expected):
    assert templates.coerce("simple", raw) == expected


@pytest.mark.parametrize("raw, message", [
    ({"colour": "red"}, "parameter 'colour' is not in the parameters cell"),
    ({"site_code": 'RAJ01"; import os; os.system("id") #'}, "characters that are not allowed"),
    ({"site_code": "RAJ01'\n__import__('os')"}, "characters that are not allowed"),
    ({"site_code": "x\\\" + str(1) + \\\""}, "characters that are not allowed"),
    ({"site_code": "{{7*7}}"}, "characters that are not allowed"),
    ({"site_code": "A" * 201}, "at most 200 allowed"),
    ({"days": "1e400"}, "expected int"),
    ({"days": "7; rm -rf /"}, "expected int"),
    ({"scale": "nan"}, "out of range"),
    ({"scale": "inf"}, "out of range"),
    ({"detail": "maybe"}, "expected true or false"),
    ({"days": None}, "expected a single int"),
    ({"days": [1, 2]}, "expected a single int"),
    ({"__class__": "x"}, "not in the parameters cell"),
    ({"bad key": "x"}, "is not a valid name"),
    ({f"k{i}": 1 for i in range(40)}, "at most 32"),
])
def test_hostile_and_malformed_parameters_are_refused(reports_env, raw, message):
    with pytest.raises(ParameterError) as err:
        templates.coerce("simple", raw)
    assert message in str(err.value)


@pytest.mark.parametrize("pairs, message", [
    (["days"], "not of the form key=value"),
    (["=3"], "not of the form key=value"),
    (["days=1", "days=2"], "given twice"),
])
def test_parse_pairs(pairs, message):
    with pytest.raises(ParameterError, match=message):
        templates.parse_pairs(pairs)


def test_parse_pairs_keeps_equals_in_values():
    assert templates.parse_pairs(["a=b=c", "d="]) == {"a": "b=c", "d": ""}


def test_due_and_latest_times_worked_by_hand():
    now = datetime(2026, 3, 4, 7, 30, tzinfo=UTC)
    # daily at 06:00 since 02 Mar 05:00: 02 Mar 06:00, 03 Mar 06:00, 04 Mar 06:00
    assert schedule.due_times("0 6 * * *", datetime(2026, 3, 2, 5, tzinfo=UTC), now) == [
        datetime(2026, 3, d, 6, tzinfo=UTC) for d in (2, 3, 4)]
    assert schedule.latest_time("0 6 * * *", now) == datetime(2026, 3, 4, 6, tzinfo=UTC)
    # exactly on the minute counts as due
    assert schedule.latest_time("30 7 * * *", now) == now
    # Mondays 08:00: 4 Mar 2026 is a Wednesday, so the latest is Monday 2 Mar
    assert schedule.latest_time("0 8 * * 1", now) == datetime(2026, 3, 2, 8, tzinfo=UTC)
    assert schedule.format_time(now) == "2026-03-04T073000Z"
    assert schedule.parse_time("2026-03-04T073000Z") == now

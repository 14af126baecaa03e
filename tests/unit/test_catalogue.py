"""The data catalogue: describe() for notebooks and the static, searchable HTML catalogue."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from agora import codelists, feeds, model
from agora.catalogue import Entry, all_entries, build, describe
from agora.cli import main


def test_describe_table_lists_columns_sources_and_owner():
    d = describe("ae_attendance")
    text = str(d)
    assert d.kind == "table"
    for column in model.table("ae_attendance").all_columns:
        assert column.name in text
    assert "raj_ecds.ArrivalDateTime" in text          # provider column of arrival_at
    assert "Mid and South Essex NHS Foundation Trust (RAJ)" in text
    assert list(d.frame["column"]) == [c.name for c in model.table("ae_attendance").all_columns]


def test_describe_renders_html_in_jupyter():
    page = describe("ae_attendance")._repr_html_()
    assert page.startswith('<div class="agora-catalogue">') and "<table" in page
    assert "arrival_at" in page and "Emergency Care Data Set" in page


def test_describe_other_kinds():
    assert describe("efi").kind == "measure" and len(describe("efi").frame) == 36
    assert "0.12" in str(describe("efi"))
    cms = describe("cms").frame
    assert dict(zip(cms["name"], cms["weight"], strict=True))["dementia"] == 2.50
    assert describe("diabetes", kind="codelist").kind == "codelist"
    assert "used by" in str(describe("efi_falls"))
    assert describe("raj_ecds").kind == "feed"
    assert "ArrivalDateTime" in str(describe("raj_ecds"))


def test_describe_metric_shows_definition_source_and_tables():
    from agora.metrics import METRICS
    name = "ae_4hour" if "ae_4hour" in METRICS else next(iter(METRICS))
    text = str(describe(name, kind="metric"))
    assert METRICS[name].source in text and METRICS[name].description in text
    if name == "ae_4hour":
        assert "ae_attendance" in text and "raj_ecds" in text


def test_describe_one_column():
    d = describe("ae_attendance.arrival_at")
    assert d.kind == "column" and d.name == "ae_attendance.arrival_at"
    text = str(d)
    assert "Arrival." in text and "TIMESTAMP" in text and "raj_ecds.ArrivalDateTime" in text
    with pytest.raises(KeyError):
        describe("ae_attendance.no_such_column")


def test_unknown_name_suggests_close_matches():
    with pytest.raises(KeyError, match="did you mean ae_attendance"):
        describe("ae_attendence")


@pytest.mark.parametrize("bad", [None, 42, "", "x" * 10_000, "../../etc/passwd",
                                 "<script>alert(1)</script>", "ae_attendance; DROP TABLE x"])
def test_describe_rejects_bad_names(bad):
    with pytest.raises(KeyError):
        describe(bad)


def test_describe_rejects_unknown_kind():
    with pytest.raises(KeyError, match="kind must be one of"):
        describe("ae_attendance", kind="nonsense")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("catalogue")
    index = build(out)
    return out, index.read_text()


def test_build_writes_every_table_column_metric_codelist_and_feed(site):
    from agora.metrics import METRICS
    out, page = site
    for t in model.TABLES:
        assert f'id="table-{t.name}"' in page
        section = page.split(f'id="table-{t.name}"')[1].split("</article>")[0]
        for c in t.all_columns:
            assert f"<td>{c.name}</td>" in section, (t.name, c.name)
    for name in METRICS:
        assert f'id="metric-{name}"' in page
    for name in codelists.names():
        assert f'id="codelist-{name}"' in page
    for f in feeds.FEEDS:
        assert f'id="feed-{f.name}"' in page
    index = json.loads((out / "catalogue.json").read_text())
    assert len(index) == len(all_entries())


def test_build_is_offline_and_has_a_search_box(site):
    out, page = site
    assert not re.search(r'(src|href)="(https?:)?//', page), "no external resources"
    assert '<input id="search"' in page and '<script src="search.js">' in page
    js = (out / "search.js").read_text()
    assert "http" not in js and "fetch(" not in js
    assert (out / "catalogue.css").is_file()


def test_build_escapes_hostile_text(tmp_path, monkeypatch):
    import pandas as pd

    evil = "<script>alert('x')</script>"
    entry = Entry("table", "evil", evil, [("owner", evil)],
                  pd.DataFrame({"column": [evil]}), [("table", '"><img src=x>')])
    monkeypatch.setattr("agora.catalogue.site.all_entries", lambda fresh=False: [entry])
    page = build(tmp_path).read_text()
    assert evil not in page and "<img src=x>" not in page
    assert "&lt;script&gt;" in page


def test_build_refuses_a_file_as_folder(tmp_path):
    from agora.catalogue.site import CatalogueError
    target = tmp_path / "file.txt"
    target.write_text("keep me")
    with pytest.raises(CatalogueError, match="not a folder"):
        build(target)
    assert target.read_text() == "keep me"


def test_cli_build_and_describe(tmp_path, agora_env):
    runner = CliRunner()
    result = runner.invoke(main, ["catalogue", "build", "--out", str(tmp_path / "cat")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cat" / "index.html").is_file()
    result = runner.invoke(main, ["catalogue", "build"])      # default: the data directory
    assert result.exit_code == 0 and (agora_env[0] / "catalogue" / "index.html").is_file()
    result = runner.invoke(main, ["catalogue", "describe", "ae_attendance"])
    assert result.exit_code == 0 and "arrival_at" in result.output
    result = runner.invoke(main, ["catalogue", "describe", "nosuchthing"])
    assert result.exit_code == 1 and "nothing called 'nosuchthing'" in result.output
    (tmp_path / "afile").write_text("x")
    result = runner.invoke(main, ["catalogue", "build", "--out", str(tmp_path / "afile")])
    assert result.exit_code != 0
    for args in (["catalogue", "--help"], ["catalogue", "build", "--help"], ["phm", "--help"],
                 ["phm", "model", "--help"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "Usage" in result.output

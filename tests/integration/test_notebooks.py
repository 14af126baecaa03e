"""The example notebooks run end to end under real papermill kernels against the small store,
pass the SDC gate the report scheduler applies, and stop with a clear error on bad parameters."""
from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ["getting-started", "metric-with-spc", "phm-segmentation-by-pcn",
         "inequalities-by-deprivation"]


def run(name, tmp_path, **parameters):
    out = tmp_path / f"{name}.out.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out), parameters=parameters,
                        kernel_name="python3", cwd=str(tmp_path), progress_bar=False,
                        execution_timeout=300)
    return nbformat.read(out, as_version=4)


def outputs(nb, mime):
    return [o["data"][mime] for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if mime in o.get("data", {})]


def test_every_notebook_has_a_parameters_cell():
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        nbformat.validate(nb)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), name


@pytest.mark.parametrize("name, parameters", [
    ("getting-started", {}),
    ("metric-with-spc", {}),
    ("phm-segmentation-by-pcn", {"min_age": 65, "rule": "opensafely"}),
    ("inequalities-by-deprivation", {}),
])
def test_notebook_runs_and_passes_the_sdc_gate(small_store_env, tmp_path, name, parameters):
    from agora.reports import gate
    nb = run(name, tmp_path, **parameters)
    charts = outputs(nb, "image/svg+xml")
    assert charts and all("<svg" in svg for svg in charts), "a chart rendered offline"
    assert not any(k.startswith("application/vnd.vegalite")
                   for c in nb.cells for o in c.get("outputs", []) for k in o.get("data", {}))
    assert gate.scan(nb) == []


@pytest.mark.parametrize("name, parameters, message", [
    ("metric-with-spc", {"metric": "ae_4hours"}, "no metric 'ae_4hours'"),
    ("getting-started", {"months": 0}, "months must be"),
    ("phm-segmentation-by-pcn", {"min_age": "65; drop table person"}, "min_age must be"),
    ("inequalities-by-deprivation", {"per": 7}, "per must be"),
])
def test_bad_parameters_stop_with_a_clear_error(small_store_env, tmp_path, name, parameters,
                                                message):
    with pytest.raises(pm.PapermillExecutionError) as err:
        run(name, tmp_path, **parameters)
    assert message in str(err.value)


def test_hostile_site_is_bound_not_pasted(small_store_env, tmp_path):
    from agora import store
    before = store.current_path().stat().st_mtime
    # the bound query runs (and finds no such site); the metric then rejects the code
    with pytest.raises(pm.PapermillExecutionError, match="site must be an organisation code"):
        run("getting-started", tmp_path, site="RAJ01'; DROP TABLE person; --")
    assert store.current_path().stat().st_mtime == before
    import agora
    assert agora.sql("select count(*) as n from person")["n"].iloc[0] > 0

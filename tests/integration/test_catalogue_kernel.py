"""describe() in a real Jupyter kernel shows an HTML table description."""
from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow


def test_describe_renders_html_in_a_kernel(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import agora.catalogue\nagora.catalogue.describe('ae_attendance')")]
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    html = outputs[0]["data"]["text/html"]
    assert "ae_attendance" in html and "<td>arrival_at</td>" in html
    assert "raj_ecds.ArrivalDateTime" in outputs[0]["data"]["text/plain"]

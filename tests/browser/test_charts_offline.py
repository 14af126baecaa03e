"""Charts render in a real headless Chromium with every non-local request blocked: the static
and interactive HTML pages, and a notebook served by Voila after `agora.charts.enable_offline()`."""
from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from agora import charts
from agora.charts import spc

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:SPC segment")]

LOCAL = ("http://127.0.0.1", "file://", "data:", "about:", "blob:")
COUNT_MARKS = "() => document.querySelectorAll('svg path, svg rect, svg circle, svg line').length"




@pytest.fixture
def page(browser):
    ctx = browser.new_context()
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()
    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.blocked = blocked
    yield pg
    ctx.close()


def spc_chart():
    y = pd.Series([50, 52, 51, 49, 53, 50, 51, 60, 62, 61, 63, 62, 64, 63, 65],
                  index=pd.date_range("2025-01-01", periods=15, freq="MS"))
    return charts.spc_chart(spc.xmr(y, target=55), title="Offline SPC")


@pytest.mark.parametrize("interactive", [False, True])
def test_html_page_renders_with_network_blocked(page, tmp_path, interactive):
    path = charts.save(spc_chart(), tmp_path / "chart.html", interactive=interactive)
    page.goto(path.as_uri())
    page.wait_for_function(f"({COUNT_MARKS})() > 20", timeout=20_000)
    assert page.evaluate(COUNT_MARKS) > 20
    assert "Offline SPC" in page.content()
    assert page.blocked == []          # nothing even tried to leave the machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_voila_dashboard_renders_offline_chart(page, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import pandas as pd\nfrom agora import charts\ncharts.enable_offline()\n"
        "df = pd.DataFrame({'pcn': ['North', 'South', 'East'], 'n': [120, 85, 140]})\n"
        "charts.bar(df, 'pcn', 'n', title='Attendances by PCN')")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    (tmp_path / "dash.ipynb").write_text(json.dumps(nb))
    port = free_port()
    voila = Path(sys.executable).with_name("voila")
    proc = subprocess.Popen([str(voila), "dash.ipynb", f"--port={port}", "--no-browser",
                             "--Voila.ip=127.0.0.1"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError("voila did not start")
                time.sleep(0.5)
        page.goto(url, timeout=60_000)
        # Voila (JupyterLab's renderer) shows image/svg+xml output as an <img> of the SVG
        img = page.wait_for_selector(".jp-RenderedSVG img", timeout=60_000)
        page.wait_for_function("document.querySelector('.jp-RenderedSVG img').naturalWidth > 0")
        svg = urllib.parse.unquote(img.get_attribute("src").partition(",")[2])
        assert len(re.findall(r"<(path|rect)\b", svg)) >= 3
        assert "Attendances by PCN" in svg
        assert not [u for u in page.blocked if "vega" in u]
    finally:
        proc.terminate()
        proc.wait(timeout=20)

"""HTML for readers: the executed notebook without code, and with nothing loaded from a network.

Charts are static SVG in the outputs (see `agora.reports.render.chart`); the page template drops
the lab template's CDN scripts (require.js, MathJax, mermaid, widgets). `to_html` refuses to
return a page that would still fetch a script, style or image from elsewhere.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

from agora.reports.errors import RunFailed

TEMPLATE = Path(__file__).with_name("report.html")
REMOTE = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//",
                    re.IGNORECASE)


_local = threading.local()


def _exporter():
    """One exporter per thread (workers export in parallel)."""
    if getattr(_local, "exporter", None) is None:
        from nbconvert import HTMLExporter

        _local.exporter = HTMLExporter(template_file=str(TEMPLATE), exclude_input=True,
                        exclude_input_prompt=True, exclude_output_prompt=True,
                        embed_images=True)
    return _local.exporter


def to_html(nb, title: str) -> str:
    """The report page of an executed notebook; RunFailed if it would load remote content."""
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    remote = REMOTE.search(body)
    if remote:
        raise RunFailed(f"report HTML would load remote content ({remote.group(0)[:80]}...): "
                        "charts must render offline")
    return body

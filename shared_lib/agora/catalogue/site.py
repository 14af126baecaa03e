"""`build(out_dir)`: the static, searchable HTML catalogue (no network, no CDN)."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from agora import __version__

from .entries import KIND_TITLES, KINDS, all_entries

HERE = Path(__file__).parent
FILES = ("index.html", "catalogue.css", "search.js", "catalogue.json")


class CatalogueError(ValueError):
    """The catalogue cannot be written where asked."""


def build(out_dir: Path | str) -> Path:
    """Write index.html (with catalogue.css and search.js) and catalogue.json into `out_dir`;
    returns the path of index.html. Other files in the folder are left alone."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise CatalogueError(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    entries = all_entries(fresh=True)
    groups = [(k, [e for e in entries if e.kind == k]) for k in KINDS]
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    page = env.get_template("index.html").render(
        groups=[g for g in groups if g[1]], titles=KIND_TITLES, version=__version__,
        built=dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
    index = [{"kind": e.kind, "name": e.name, "summary": e.summary, "facts": dict(e.facts),
              "rows": [] if e.rows is None else e.rows.astype(str).to_dict("records")}
             for e in entries]
    _write(out / "index.html", page)
    _write(out / "catalogue.json", json.dumps(index, indent=1))
    for name in ("catalogue.css", "search.js"):
        shutil.copyfile(HERE / "static" / name, out / name)
    return out / "index.html"


def _write(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a page."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)

"""The review-and-publish workflow: submit, review, approve, reject, rollback, list.

Every change happens under the publish lock; published versions are numbered, read-only and never
rewritten, and only the current approved version of a dashboard is copied to the served directory.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import nbformat

from . import names, store
from .actors import DECIDERS, SUBMITTERS, Actor, known_org
from .errors import Conflict, InvalidName, InvalidNotebook, NotAllowed, NotFound

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
META_FIELDS = ("title", "description", "audience", "owner")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def load_notebook(path: str | Path) -> nbformat.NotebookNode:
    """Read and validate a notebook file; outputs are cleared (the server re-runs it)."""
    p = Path(path)
    if p.suffix != ".ipynb":
        raise InvalidNotebook(f"{p.name!r} is not a notebook: the file name must end in .ipynb")
    if not p.is_file():
        raise InvalidNotebook(f"no notebook file at {str(p)!r}")
    size = p.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise InvalidNotebook(f"{p.name} is {size:,} bytes; the limit is {MAX_NOTEBOOK_BYTES:,}")
    try:
        nb = nbformat.read(p, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several unrelated types
        raise InvalidNotebook(f"{p.name} is not a valid notebook: {str(exc)[:300]}") from None
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


@dataclass(frozen=True)
class Submission:
    slug: str
    number: int


def submit(path: str | Path, *, title: str, description: str, audience: str, actor: Actor,
           owner: str | None = None, slug: str | None = None) -> Submission:
    """Submit a notebook for review. The slug defaults to one made from the title."""
    actor.require(SUBMITTERS, "submit dashboards")
    record = {
        "title": names.text(title, "title", names.MAX_TITLE),
        "description": names.text(description, "description"),
        "audience": names.audience(audience),
        "owner": names.user(owner or actor.name),
    }
    if record["audience"] != names.PARTNERSHIP and not known_org(record["audience"]):
        raise InvalidName(f"audience {record['audience']!r} is not an organisation of the "
                          "partnership")
    slug = names.slug(slug) if slug is not None else names.slugify(record["title"])
    nb = load_notebook(path)
    with store.locked():
        try:
            meta = store.read_meta(slug)
        except NotFound:
            meta = {"slug": slug, "current": None, "versions": [], "submissions": [],
                    "history": [], **dict.fromkeys(META_FIELDS)}
        first = meta["submissions"][0]["owner"] if meta["submissions"] else None
        owner_now = meta["owner"] or first
        if owner_now not in (None, actor.name) and not actor.is_steward:
            raise NotAllowed(f"dashboard {slug!r} belongs to {owner_now}: only its owner or "
                             "a steward may submit a new version")
        number = len(meta["submissions"]) + 1
        store.write_atomic(store.submission_path(slug, number), nbformat.writes(nb).encode())
        meta["submissions"].append({"number": number, "status": "pending",
                                    "submitted_by": actor.name, "submitted_at": _now(), **record})
        _log(meta, actor, "submit", f"s{number}")
        store.write_meta(meta)
    return Submission(slug, number)


def _submission(meta: dict[str, Any], number: int | None) -> dict[str, Any]:
    subs = meta["submissions"]
    if number is None:
        pending = [s for s in subs if s["status"] == "pending"]
        if not pending:
            raise NotFound(f"dashboard {meta['slug']!r} has no submission awaiting review")
        return pending[-1]
    number = names.version(number)
    if number > len(subs):
        raise NotFound(f"dashboard {meta['slug']!r} has no submission s{number}")
    return subs[number - 1]


def review(slug: str, submission: int | None = None) -> str:
    """An nbdime diff (plain text) of a submission against the current published version."""
    from nbdime import diff_notebooks
    from nbdime.prettyprint import PrettyPrintConfig, pretty_print_diff

    meta = store.read_meta(slug)
    sub = _submission(meta, submission)
    new = nbformat.read(store.submission_path(slug, sub["number"]), as_version=4)
    if meta["current"]:
        base = nbformat.read(store.version_path(slug, meta["current"]), as_version=4)
        head = f"s{sub['number']} against published v{meta['current']}"
    else:
        base = nbformat.v4.new_notebook()
        head = f"s{sub['number']}: first version (no published version yet)"
    out = io.StringIO()
    cfg = PrettyPrintConfig(out=out, use_git=False, use_diff=False, use_color=False)
    pretty_print_diff(base, diff_notebooks(base, new), "notebook", cfg)
    meta_lines = [f"{k}: {sub[k]}" for k in META_FIELDS]
    return "\n".join([f"## {slug} {head}", f"## submitted by {sub['submitted_by']} at "
                      f"{sub['submitted_at']} ({sub['status']})", *meta_lines, "",
                      out.getvalue() or "(no changes)"])


def _decide(slug: str, submission: int | None, actor: Actor, comment: str, status: str) -> dict:
    actor.require(DECIDERS, f"{'approve' if status == 'approved' else 'reject'} dashboards")
    comment = names.text(comment, "comment", required=status == "rejected")
    with store.locked():
        meta = store.read_meta(slug)
        sub = _submission(meta, submission)
        if sub["status"] != "pending":
            raise Conflict(f"submission s{sub['number']} of {slug!r} was already {sub['status']}")
        sub.update(status=status, decided_by=actor.name, decided_at=_now(), comment=comment)
        if status == "approved":
            number = len(meta["versions"]) + 1
            src = store.submission_path(slug, sub["number"])
            store.copy_readonly(src, store.version_path(slug, number))
            meta["versions"].append({
                "version": number, "submission": sub["number"], "approved_by": actor.name,
                "approved_at": sub["decided_at"], "comment": comment,
                "sha256": hashlib.sha256(src.read_bytes()).hexdigest(),
                **{k: sub[k] for k in META_FIELDS}})
            sub["version"] = number
            _make_current(meta, number)
        _log(meta, actor, status, f"s{sub['number']}" + (f" -> v{sub.get('version')}"
                                                        if status == "approved" else ""))
        store.write_meta(meta)
        return meta


def approve(slug: str, actor: Actor, submission: int | None = None, comment: str = "") -> int:
    """Approve a pending submission (the latest by default); returns the new version number."""
    meta = _decide(slug, submission, actor, comment, "approved")
    return meta["current"]


def reject(slug: str, actor: Actor, comment: str, submission: int | None = None) -> None:
    """Reject a pending submission with a comment (required)."""
    _decide(slug, submission, actor, comment, "rejected")


def rollback(slug: str, actor: Actor, to: int | None = None, comment: str = "") -> int:
    """Serve an earlier published version (the one before the current by default)."""
    actor.require(DECIDERS, "roll back dashboards")
    comment = names.text(comment, "comment", required=False)
    with store.locked():
        meta = store.read_meta(slug)
        current = meta["current"]
        if to is None:
            if not current or current < 2:
                raise Conflict(f"dashboard {slug!r} has no earlier version to roll back to")
            to = current - 1
        to = names.version(to)
        if to > len(meta["versions"]):
            raise NotFound(f"dashboard {slug!r} has no version v{to}")
        if to == current:
            raise Conflict(f"v{to} of {slug!r} is already the current version")
        _make_current(meta, to)
        _log(meta, actor, "rollback", f"v{current} -> v{to} {comment}".strip())
        store.write_meta(meta)
    return to


def _make_current(meta: dict[str, Any], number: int) -> None:
    version = meta["versions"][number - 1]
    meta.update(current=number, **{k: version[k] for k in META_FIELDS})
    store.serve(meta["slug"], number)


def _log(meta: dict[str, Any], actor: Actor, action: str, detail: str) -> None:
    meta["history"].append({"at": _now(), "by": actor.name, "action": action, "detail": detail})


def dashboards() -> list[dict[str, Any]]:
    """Every dashboard's metadata (published or not), by slug."""
    return store.all_meta()


def pending() -> list[dict[str, Any]]:
    """Submissions awaiting review, oldest first, each with its dashboard slug."""
    out = [dict(s, slug=m["slug"], current=m["current"]) for m in store.all_meta()
           for s in m["submissions"] if s["status"] == "pending"]
    return sorted(out, key=lambda s: s["submitted_at"])


def published(actor: Actor | None = None) -> list[dict[str, Any]]:
    """Dashboards with a current approved version, filtered to those `actor` may see."""
    out = [m for m in store.all_meta() if m.get("current")]
    return [m for m in out if actor is None or actor.may_see(m["audience"])]


def audience_of(slug: str) -> str | None:
    """Audience of the currently served version of `slug` (None when nothing is served)."""
    try:
        meta = store.read_meta(slug)
    except (NotFound, names.InvalidName):
        return None
    return meta["audience"] if meta.get("current") else None

"""`agora publish`: submit notebooks as dashboards, review, approve, reject, roll back, list.

Run on the server. Who is acting is --as NAME or $USER, checked against the roles in the hub's
register (organisations.yaml): analysts submit; stewards review, approve, reject and roll back.
"""
from __future__ import annotations

import os
import sys
from functools import wraps

import click
from rich.console import Console
from rich.table import Table

from . import workflow
from .actors import Actor, actor_from_directory
from .errors import PublishError

console = Console()


def _actor(name: str | None) -> Actor:
    name = name or os.environ.get("USER") or ""
    if not name:
        raise PublishError("who is acting is unknown: pass --as NAME or set $USER")
    return actor_from_directory(name)


def clear_errors(fn):
    """Turn publishing errors (and a broken register) into a message and exit status 2."""
    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except PublishError as exc:
            raise click.ClickException(str(exc)) from None
        except Exception as exc:
            if type(exc).__name__ == "DirectoryError":
                raise click.ClickException(f"hub register: {exc}") from None
            raise
    return wrapper


as_option = click.option("--as", "acting", metavar="NAME",
                         help="Act as this hub user (default: $USER); roles come from the "
                              "register.")


@click.group("publish")
def command() -> None:
    """Review and publish notebooks as dashboards (only approved, current versions are served)."""


@command.command()
@click.argument("notebook", type=click.Path(dir_okay=False))
@click.option("--title", required=True, help="Title shown on the landing page.")
@click.option("--description", required=True, help="One or two sentences: what it shows.")
@click.option("--audience", required=True,
              help="'partnership' or one organisation code (for example RAJ).")
@click.option("--owner", help="Hub user who owns it (default: the submitter).")
@click.option("--slug", help="Dashboard name in URLs (default: made from the title).")
@as_option
@clear_errors
def submit(notebook, title, description, audience, owner, slug, acting) -> None:
    """Submit NOTEBOOK for review."""
    s = workflow.submit(notebook, title=title, description=description, audience=audience,
                        owner=owner, slug=slug, actor=_actor(acting))
    console.print(f"submitted {s.slug} s{s.number}: a steward reviews it with "
                  f"`agora publish review {s.slug}`")


@command.command()
@click.argument("slug")
@click.option("--submission", help="Submission number (default: the latest pending).")
@clear_errors
def review(slug, submission) -> None:
    """Show the nbdime diff of a submission against the published version."""
    click.echo(workflow.review(slug, submission))


@command.command()
@click.argument("slug")
@click.option("--submission", help="Submission number (default: the latest pending).")
@click.option("--comment", default="", help="Note kept with the version.")
@as_option
@clear_errors
def approve(slug, submission, comment, acting) -> None:
    """Approve a submission: it becomes the next numbered, served version (stewards)."""
    version = workflow.approve(slug, _actor(acting), submission=submission, comment=comment)
    console.print(f"{slug} v{version} is published")


@command.command()
@click.argument("slug")
@click.option("--comment", required=True, help="Why it is rejected (shown to the submitter).")
@click.option("--submission", help="Submission number (default: the latest pending).")
@as_option
@clear_errors
def reject(slug, comment, submission, acting) -> None:
    """Reject a submission with a comment (stewards)."""
    workflow.reject(slug, _actor(acting), comment=comment, submission=submission)
    console.print(f"{slug}: submission rejected")


@command.command()
@click.argument("slug")
@click.option("--to", "to", help="Version to serve (default: the one before the current).")
@click.option("--comment", default="", help="Why.")
@as_option
@clear_errors
def rollback(slug, to, comment, acting) -> None:
    """Serve an earlier published version again (stewards)."""
    version = workflow.rollback(slug, _actor(acting), to=to, comment=comment)
    console.print(f"{slug} now serves v{version}")


@command.command("list")
@click.option("--pending", is_flag=True, help="Only submissions awaiting review.")
@clear_errors
def list_(pending) -> None:
    """List dashboards (current version, audience, owner) or pending submissions."""
    if pending:
        table = Table("dashboard", "submission", "title", "audience", "submitted by", "at")
        for s in workflow.pending():
            table.add_row(s["slug"], f"s{s['number']}", s["title"], s["audience"],
                          s["submitted_by"], s["submitted_at"])
    else:
        table = Table("dashboard", "current", "title", "audience", "owner", "pending")
        for m in workflow.dashboards():
            waiting = sum(s["status"] == "pending" for s in m["submissions"])
            table.add_row(m["slug"], f"v{m['current']}" if m["current"] else "-",
                          m["title"] or "", m["audience"] or "", m["owner"] or "", str(waiting))
    Console(file=sys.stdout, width=160).print(table)

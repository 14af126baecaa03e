"""`agora admin`: organisations, people and roles, applied to the running hub at once.

Each change is validated first (nothing is written if it is wrong), then written back to the
YAML, then applied to the Unix accounts and, through the hub REST API with the admin service
token, to the running hub. If the hub is not running the change applies at its next start.
"""
from __future__ import annotations

from dataclasses import replace

import click
from rich.console import Console
from rich.table import Table

from ..config import Settings, settings
from . import accounts
from .api import HubClient
from .errors import HubAPIError, HubError
from .orgs import ORG_KINDS, Directory, Org, Person, load_directory, save, with_org, with_user
from .roles import ROLES
from .services import admin_token, admin_token_path
from .sync import apply_person

console = Console()


def hub_client(s: Settings) -> HubClient | None:
    """A client of the running hub, or None when it is not running (or never started here)."""
    if not admin_token_path(s).exists():
        return None
    host = "127.0.0.1" if s.hub_ip in ("", "0.0.0.0") else s.hub_ip
    client = HubClient(f"http://{host}:{s.hub_port}", admin_token(s), timeout=30)
    try:
        client.request("GET", "/")
    except HubAPIError:
        return None
    return client


def _apply(s: Settings, directory: Directory, person: Person) -> None:
    accounts.prepare_data_dir(s, directory)
    accounts.setup_person(s, directory, person)  # refuses system accounts before any write
    save(directory)
    client = hub_client(s)
    if client is None:
        console.print("[yellow]hub not running[/]: saved; applies when the hub next starts")
        return
    apply_person(client, directory, person)
    console.print("applied to the running hub")


def _load(s: Settings) -> Directory:
    try:
        return load_directory(s.hub_config_dir, demo=s.hub_demo)
    except HubError as exc:
        raise click.ClickException(str(exc)) from None


def _run(change) -> None:
    try:
        change()
    except (HubError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def command() -> None:
    """Manage organisations, people and roles of the hub (organisations.yaml + running hub).

    Roles: analyst, steward, viewer (dashboards and reports only), direct_care (with
    --practice), admin. Run as root on the hub machine.
    """


@command.command("list")
def list_() -> None:
    """List organisations and people, with their hub server state when the hub is running."""
    s = settings()
    directory = _load(s)
    client = hub_client(s)
    hub_users = {u["name"]: u for u in client.users()} if client else {}
    orgs = Table("code", "name", "kind", "group", title="organisations")
    for o in directory.orgs.values():
        orgs.add_row(o.code, o.name, o.kind, o.group)
    people = Table("name", "org", "role", "practice", "status", "server", title="people")
    for p in directory.users.values():
        u = hub_users.get(p.name)
        status = "disabled" if p.disabled else ("on hub" if u else "-")
        server = "running" if u and u.get("server") else "-"
        people.add_row(p.name, p.org, p.role, p.practice or "", status, server)
    console.print(orgs, people)
    if client is None:
        console.print("[dim]hub not running: server state unknown[/]")


@command.command("add-org")
@click.argument("code")
@click.option("--name", required=True, help="Full name of the organisation.")
@click.option("--kind", required=True, type=click.Choice(ORG_KINDS), help="Kind of organisation.")
@click.option("--group", required=True, help="Unix group of its workspace (e.g. org-raj).")
def add_org(code: str, name: str, kind: str, group: str) -> None:
    """Add organisation CODE (ODS or ONS code) with its own group-private workspace."""
    s = settings()

    def change():
        directory = with_org(_load(s), Org(code=code, name=name, kind=kind, group=group))
        save(directory)
        accounts.prepare_data_dir(s, directory)
        client = hub_client(s)
        if client is not None:
            client.ensure_group(group)
        console.print(f"organisation {code} added (group {group})")
    _run(change)


@command.command("add-user")
@click.argument("name")
@click.option("--org", required=True, help="Organisation code the person works for.")
@click.option("--role", required=True, type=click.Choice(ROLES), help="Agora role.")
@click.option("--practice", default=None, help="GP practice code (direct_care only).")
def add_user(name: str, org: str, role: str, practice: str | None) -> None:
    """Add person NAME (their Unix and hub name). With the native login they then sign up at
    /hub/signup and are approved at once, being declared here."""
    s = settings()

    def change():
        directory = _load(s)
        if name in directory.users:
            raise HubError(f"user {name!r} already exists (use set-role to change the role)")
        person = Person(name=name, org=org, role=role, practice=practice)
        directory = with_user(directory, person)
        _apply(s, directory, directory.users[name])
        console.print(f"user {name} added: {role} at {org}")
    _run(change)


@command.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--practice", default=None, help="GP practice code (direct_care only).")
def set_role(name: str, role: str, practice: str | None) -> None:
    """Give person NAME a new ROLE (takes effect on the running hub at once)."""
    s = settings()

    def change():
        directory = _load(s)
        if name not in directory.users:
            raise HubError(f"unknown user {name!r}")
        person = replace(directory.users[name], role=role, practice=practice)
        directory = with_user(directory, person)
        if role == "viewer":  # a viewer has no server
            client = hub_client(s)
            if client is not None and client.user(name):
                client.stop_server(name)
        _apply(s, directory, directory.users[name])
        console.print(f"user {name} is now {role}")
    _run(change)


@command.command("disable-user")
@click.argument("name")
def disable_user(name: str) -> None:
    """Disable person NAME: server stopped, removed from the hub, Unix account expired; their
    files are kept and the YAML keeps them as disabled."""
    s = settings()

    def change():
        directory = _load(s)
        if name not in directory.users:
            raise HubError(f"unknown user {name!r}")
        directory = with_user(directory, replace(directory.users[name], disabled=True))
        _apply(s, directory, directory.users[name])
        console.print(f"user {name} disabled")
    _run(change)

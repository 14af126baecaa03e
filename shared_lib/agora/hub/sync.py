"""Bring the running hub in line with the directory: users, admin flags, group membership."""
from __future__ import annotations

from .api import HubClient
from .config import hub_groups
from .orgs import Directory, Person
from .roles import role_group


def apply_person(client: HubClient, directory: Directory, person: Person) -> None:
    """One person's state on the hub: exists (or removed if disabled), admin flag, groups."""
    if person.disabled:
        if client.user(person.name) is not None:
            client.stop_server(person.name)
            client.delete_user(person.name)
        return
    client.create_user(person.name, admin=person.role == "admin")
    wanted = {directory.org_of(person).group, role_group(person.role)}
    for group in hub_groups(directory):
        members = (client.group(group) or {}).get("users", [])
        if group in wanted and person.name not in members:
            client.add_to_group(group, [person.name])
        elif group not in wanted and person.name in members:
            client.remove_from_group(group, [person.name])


def sync_hub(client: HubClient, directory: Directory) -> None:
    """Make the hub's groups hold exactly the directory's members; remove disabled people."""
    for group, spec in hub_groups(directory).items():
        client.ensure_group(group)
        current = set(client.group(group).get("users", []))
        wanted = set(spec["users"])
        client.remove_from_group(group, sorted(current - wanted))
        client.add_to_group(group, sorted(wanted - current))
    for person in directory.users.values():
        if person.disabled:
            apply_person(client, directory, person)
        else:
            client.create_user(person.name, admin=person.role == "admin")

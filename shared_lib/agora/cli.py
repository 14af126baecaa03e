"""The `agora` command line. Each subcommand lives beside the module it drives and is
registered here by name, loaded only when used (so `agora --help` stays fast)."""
from __future__ import annotations

import importlib

import click

# subcommand name -> "module:attribute" of a click command or group
COMMANDS: dict[str, str] = {
    "config": "agora.config_cli:config",
    "synth": "agora.synth:command",
    "ingest": "agora.ingest:command",
    "store": "agora.store:command",
    "dq": "agora.dq.cli:command",
    "demo": "agora.demo:command",
    "admin": "agora.hub.admin:command",
    "publish": "agora.publish.cli:command",
    "reports": "agora.reports.cli:command",
    "phm": "agora.phm.cli:command",
    "catalogue": "agora.catalogue.cli:command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="agora")
def main() -> None:
    """Agora: the partnership's shared analytics workspace.

    Synthetic feeds, pseudonymising ingestion into the shared DuckDB store, the helper library,
    the hub, scheduled reports and published dashboards. Settings come from AGORA_* environment
    variables (see `agora config`).
    """

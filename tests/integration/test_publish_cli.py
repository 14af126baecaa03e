"""`agora publish` on the command line: roles from the hub register, clear errors, exit codes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from agora.cli import main
from agora.hub.launch import write_test_directory
from publish_helpers import notebook


@pytest.fixture
def cli(agora_env, tmp_path, monkeypatch):
    names = write_test_directory(tmp_path / "hub_config", "p-")
    monkeypatch.setenv("AGORA_HUB_CONFIG_DIR", str(tmp_path / "hub_config"))
    monkeypatch.setenv("AGORA_HUB_DEMO", "true")
    monkeypatch.delenv("USER", raising=False)
    runner = CliRunner()

    def run(*args, ok=True):
        result = runner.invoke(main, ["publish", *map(str, args)], catch_exceptions=False)
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    run.names = names
    run.nb = notebook(tmp_path / "dash.ipynb", "print('hello')")
    return run


def test_cli_workflow(cli, monkeypatch):
    ana, stew = cli.names["ana"], cli.names["stew"]
    out = cli("submit", cli.nb, "--title", "UEC flow", "--description", "Daily",
              "--audience", "raj", "--as", ana)
    assert "submitted uec-flow s1" in out
    assert "uec-flow" in cli("list", "--pending")
    assert "first version" in cli("review", "uec-flow")
    assert "may not approve" in cli("approve", "uec-flow", "--as", ana, ok=False)
    monkeypatch.setenv("USER", stew)               # $USER when --as is not given
    assert "uec-flow v1 is published" in cli("approve", "uec-flow", "--comment", "fine")
    cli("submit", cli.nb, "--title", "UEC flow", "--description", "Daily", "--audience", "RAJ",
        "--as", ana)
    assert "rejected" in cli("reject", "uec-flow", "--comment", "same as v1")
    cli("submit", cli.nb, "--title", "UEC flow", "--description", "Daily", "--audience", "RAJ",
        "--as", ana)
    cli("approve", "uec-flow")
    assert "now serves v1" in cli("rollback", "uec-flow")
    listing = cli("list")
    assert "uec-flow" in listing and "v1" in listing and "RAJ" in listing


def test_cli_refuses_bad_input_clearly(cli, tmp_path):
    ana, vic = cli.names["ana"], cli.names["vic"]
    base = ["--title", "T", "--description", "D", "--audience", "RAJ"]
    assert "not an active user" in cli("submit", cli.nb, *base, "--as", "nobody", ok=False)
    assert "who is acting is unknown" in cli("submit", cli.nb, *base, ok=False)
    assert "may not submit" in cli("submit", cli.nb, *base, "--as", vic, ok=False)
    assert "not allowed" in cli("submit", cli.nb, *base, "--slug", "../../etc", "--as", ana,
                                ok=False)
    assert "no notebook file" in cli("submit", tmp_path / "none.ipynb", *base, "--as", ana,
                                     ok=False)
    assert "not an organisation" in cli("submit", cli.nb, "--title", "T", "--description", "D",
                                        "--audience", "ZZZ99", "--as", ana, ok=False)
    assert "no dashboard" in cli("review", "missing", ok=False)
    assert "not allowed" in cli("review", "../x", ok=False)
    assert "may not roll back" in cli("rollback", "x", "--as", ana, ok=False)
    assert "Missing option '--comment'" in cli("reject", "x", "--as", ana, ok=False)


def test_cli_help_runs_as_a_real_command():
    agora = Path(sys.executable).with_name("agora")
    out = subprocess.run([str(agora), "publish", "--help"], capture_output=True, text=True,
                         check=True).stdout
    for sub in ("submit", "review", "approve", "reject", "rollback", "list"):
        assert sub in out

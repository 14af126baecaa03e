"""The README cannot fall behind the code: settings and CLI commands are all documented."""
from pathlib import Path

from click.testing import CliRunner

from agora.cli import COMMANDS, main
from agora.config import SETTINGS
from agora.config_cli import markdown_table

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_setting_is_in_the_readme():
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in README]
    assert not missing, f"README configuration table lacks {missing}: run `agora config --markdown`"
    assert markdown_table() in README, "README configuration table is stale: `agora config --markdown`"


def test_every_command_has_help_and_is_in_the_readme():
    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage:" in result.output
        assert f"agora {name}" in README, f"README does not mention `agora {name}`"


def test_quick_start_commands_are_the_makefile_targets():
    assert "make demo" in README and "make test" in README
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "\ndemo:" in makefile and "\ntest:" in makefile
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "make test" in ci

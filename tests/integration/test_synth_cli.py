"""`agora synth` from the command line: help, a real small run, and clear refusals of bad
arguments that leave nothing half-written."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from agora.synth import SynthError, command, generate

def run(*args, env=None):
    return CliRunner().invoke(command, list(args), env=env)


def test_help_explains_every_option():
    result = run("--help")
    assert result.exit_code == 0
    for option in ("--scale", "--seed", "--out", "--months", "--start"):
        assert option in result.output
    assert "manifest.json" in result.output


@pytest.mark.slow
def test_the_agora_command_writes_a_small_partnership(tmp_path):
    out = tmp_path / "feeds out"
    proc = subprocess.run(
        [sys.executable, "-c", "from agora.cli import main; main()", "synth", "--scale", "0.001",
         "--seed", "9", "--out", str(out), "--months", "1", "--start", "2026-01-01"],
        capture_output=True, text=True, timeout=600, env={**os.environ, "COLUMNS": "120"})
    assert proc.returncode == 0, proc.stderr
    assert "Wrote" in proc.stdout and "1,200 residents" in proc.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["start"] == "2026-01-01" and manifest["months"] == 1
    assert (out / "feeds" / "raj_ecds_2026-01.csv").is_file()


@pytest.mark.parametrize("args,message", [
    (["--scale", "0"], "scale must be"), (["--scale", "-1"], "scale must be"),
    (["--scale", "1e9"], "scale must be"), (["--scale", "nan"], "scale must be"),
    (["--scale", "abc"], "not a valid float"), (["--seed", "-3"], "seed must be"),
    (["--seed", "1.5"], "not a valid integer"), (["--months", "0"], "months must be"),
    (["--months", "100000"], "months must be"), (["--start", "2025-13-01"], "start must be"),
    (["--start", "2025-04-15"], "first day of a month"),
    (["--start", "'; DROP TABLE person; --"], "start must be"),
    (["--start", "9" * 5000], "start must be")])
def test_bad_arguments_are_refused_clearly(tmp_path, args, message):
    out = tmp_path / "out"
    result = run("--out", str(out), "--scale", "0.001", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (out / "feeds").exists()


def test_output_must_be_a_new_or_empty_directory(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert run("--out", str(a_file), "--scale", "0.001").exit_code == 2
    used = tmp_path / "used"
    (used / "feeds").mkdir(parents=True)
    (used / "feeds" / "raj_ecds_2025-04.csv").write_text("keep me")
    result = run("--out", str(used), "--scale", "0.001")
    assert result.exit_code == 2 and "already holds files" in result.output
    assert (used / "feeds" / "raj_ecds_2025-04.csv").read_text() == "keep me"


def test_missing_out_and_bad_settings(tmp_path):
    assert run("--scale", "0.001").exit_code == 2
    result = run("--out", str(tmp_path / "o"), env={"AGORA_SCALE": "lots"})
    assert result.exit_code == 2 and "AGORA_SCALE" in result.output


@pytest.mark.parametrize("kwargs", [{"scale": "0.1"}, {"scale": True}, {"seed": 1.0},
                                    {"seed": True}, {"months": 2.5}, {"start": None}])
def test_the_python_api_refuses_wrong_types(tmp_path, kwargs):
    args = {"scale": 0.001, "seed": 1, "months": 1, "start": "2025-04-01", **kwargs}
    with pytest.raises(SynthError):
        generate(tmp_path / "o", args.pop("scale"), args.pop("seed"), **args)


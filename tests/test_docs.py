"""The README tells the truth: its Python examples run, and every command and option of
`warta` is documented there and has help text."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from warta.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_python_api_examples_run(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", _section("Python API"), re.S)
    assert blocks
    code = "\n".join(blocks).replace("/tmp/warta-api-example", str(tmp_path / "ix"))
    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "bad query:" in run.stdout and "articles in the archive" in run.stdout


def _subcommands() -> tuple[dict[str, argparse.ArgumentParser], dict[str, str | None]]:
    """Each subcommand's parser and its one-line help."""
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help for a in sub._choices_actions}
    return dict(sub.choices), helps


def test_every_command_and_option_is_documented_with_help() -> None:
    commands, helps = _subcommands()
    missing: list[str] = []
    for name, parser in commands.items():
        if f"warta {name}" not in README:
            missing.append(f"command {name}")
        if not helps.get(name):
            missing.append(f"help of {name}")
        for action in parser._actions:
            for flag in action.option_strings:
                if not flag.startswith("--") or flag in ("--help", "--index"):
                    continue
                if flag not in README:
                    missing.append(f"{name} {flag}")
                if not action.help and action.help is not argparse.SUPPRESS:
                    missing.append(f"help of {name} {flag}")
    assert not missing, missing

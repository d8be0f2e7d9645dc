"""Every command explains itself, and asking for help stays fast."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from surveycoal.cli import app

HEAVY = [
    "pandas",
    "scipy",
    "sqlalchemy",
    "jinja2",
    "questionary",
    "numpy",
    "openpyxl",
    "starlette",
    "uvicorn",
    "segno",
]


def _commands(group, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    yield path, group
    if hasattr(group, "commands"):
        for name, command in group.commands.items():
            yield from _commands(command, (*path, name))


ALL = list(_commands(typer.main.get_command(app)))


@pytest.mark.parametrize("path", [p for p, _ in ALL], ids=lambda p: " ".join(p) or "surveycoal")
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    command = dict(ALL)[path]
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    assert "Example" in result.output, f"`surveycoal {' '.join(path)} --help` shows no example"
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"option {param.opts} of {' '.join(path)} has no help"


def test_expected_commands_exist() -> None:
    names = {" ".join(p) for p, _ in ALL}
    for expected in (
        "init",
        "db upgrade",
        "programme add",
        "coalition add",
        "member add",
        "instrument list",
        "instrument preview",
        "instrument validate",
        "round open",
        "round list",
        "round show",
        "round close",
        "round reopen",
        "note add",
        "score",
        "export",
        "serve",
    ):
        assert expected in names


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys, json\n"
        "sys.argv = ['surveycoal', '--help']\n"
        "from surveycoal.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"`surveycoal --help` imported {loaded}"


def _callbacks(group: typer.Typer) -> list[object]:
    found = [info.callback for info in group.registered_commands]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        found += _callbacks(sub.typer_instance)
    return found


def test_command_signatures_need_no_evaluating() -> None:
    """typer reads every command's signature for ``--help``; string annotations would be
    compiled and evaluated twice per parameter, most of the time ``--help`` takes."""
    import inspect

    callbacks = _callbacks(app)
    assert len(callbacks) > 30
    for callback in callbacks:
        annotations = inspect.get_annotations(callback)  # type: ignore[arg-type]
        texts = [name for name, value in annotations.items() if isinstance(value, str)]
        assert texts == [], (callback, texts)


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "surveycoal", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.startswith("surveycoal ")

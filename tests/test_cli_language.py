"""Leads read the command line in Dutch or English: SURVEYCOAL_LANG, then the locale.

The other tests read English (conftest sets SURVEYCOAL_LANG=en); these ask for Dutch
through the environment a lead would have, and check that --json never changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from surveycoal.cli import _common, app
from surveycoal.demo import PROGRAMME, build_demo

#: The variables that may choose a language, all unset: the default is English.
NO_LANGUAGE: dict[str, str | None] = dict.fromkeys(
    ("SURVEYCOAL_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
)
DUTCH = {**NO_LANGUAGE, "SURVEYCOAL_LANG": "nl"}
DUTCH_LOCALE = {**NO_LANGUAGE, "LANG": "nl_NL.UTF-8"}


@pytest.fixture
def run(db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for printer in (_common.console, _common.err_console):
        monkeypatch.setattr(printer, "_width", 300)
    runner = CliRunner()

    def invoke(env: dict[str, str | None], *args: str) -> Result:
        return runner.invoke(app, list(args), env={**env, "SURVEYCOAL_DB": db_url})

    return invoke


def _plain(result: Result) -> str:
    return " ".join((result.stdout + result.stderr).split())


@pytest.mark.parametrize("env", [DUTCH, DUTCH_LOCALE], ids=["SURVEYCOAL_LANG=nl", "LANG=nl_NL"])
def test_messages_hints_and_table_headers_are_dutch(run, env) -> None:  # type: ignore[no-untyped-def]
    added = run(env, "programme", "add", "Expedities 2026")
    assert added.exit_code == 0, added.output
    assert "Programma 'Expedities 2026' is toegevoegd." in _plain(added)
    made = run(env, "coalition", "add", "Zuid Doet Samen", "--programme", "Expedities 2026")
    assert "Coalitie 'Zuid Doet Samen' is toegevoegd met de korte naam zuid-doet-samen." in (
        _plain(made)
    )
    listed = _plain(run(env, "coalition", "list"))
    for header in ("Korte naam", "Naam", "Programma", "Rondes"):
        assert header in listed
    assert "Slug" not in listed and "Programme" not in listed
    opened = _plain(run(env, "round", "open", "zuid-doet-samen"))
    assert "Ronde zuid-doet-samen/1 is open" in opened
    assert "Groepen kleiner dan 5 laten we nooit zien." in opened
    assert "Volgende stap: surveycoal invite zuid-doet-samen/1 --count 25" in opened
    shown = _plain(run(env, "round", "show", "zuid-doet-samen/1"))
    assert "Kleinste groep" in shown and "24 maanden na het sluiten" in shown


@pytest.mark.parametrize("env", [DUTCH, DUTCH_LOCALE], ids=["SURVEYCOAL_LANG=nl", "LANG=nl_NL"])
def test_an_error_and_its_hint_are_dutch(run, env) -> None:  # type: ignore[no-untyped-def]
    failed = run(env, "coalition", "show", "nergens")
    assert failed.exit_code == 1
    assert failed.exception is None or isinstance(failed.exception, SystemExit)
    assert "Traceback" not in failed.output
    assert _plain(failed) == (
        "Fout: Er is geen coalitie met de naam 'nergens'. Er zijn nog geen coalities."
    )
    bad = run(env, "round", "show", "zuid")
    assert bad.exit_code == 1
    assert "Fout: 'zuid' is geen ronde. Schrijf COALITIE/NUMMER" in _plain(bad)


def test_english_is_the_default_and_english_stays_english(run) -> None:  # type: ignore[no-untyped-def]
    for env in (
        NO_LANGUAGE,
        {**NO_LANGUAGE, "LANG": "C.UTF-8"},
        {**DUTCH_LOCALE, "SURVEYCOAL_LANG": "en"},
    ):
        failed = run(env, "coalition", "show", "nowhere")
        assert failed.exit_code == 1
        assert (
            _plain(failed) == "Error: No coalition called 'nowhere'. There are no coalitions yet."
        )


def test_a_real_process_reads_the_locale(db_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in NO_LANGUAGE}
    command = [
        sys.executable,
        "-m",
        "surveycoal",
        "coalition",
        "show",
        "nergens",
        "--db",
        str(db_path),
    ]
    dutch = subprocess.run(
        command, env={**env, "LANG": "nl_NL.UTF-8"}, capture_output=True, text=True
    )
    assert dutch.returncode == 1
    assert dutch.stderr.startswith("Fout: Er is geen coalitie met de naam 'nergens'.")
    assert "Traceback" not in dutch.stderr
    english = subprocess.run(command, env=env, capture_output=True, text=True)
    assert english.stderr.startswith("Error: No coalition called 'nergens'.")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("language-demo")).database


@pytest.mark.parametrize(
    "args",
    [
        ["score", "brugwijk-bloeit/2", "--json", "--items"],
        ["score", "klein-rietveld", "--from", "1", "--to", "3", "--json"],
        ["score", "--programme", PROGRAMME, "--json"],
    ],
)
def test_json_keys_and_values_are_the_same_in_every_language(
    demo_db: Path, args: list[str]
) -> None:
    runner = CliRunner()
    outputs = [
        runner.invoke(app, args, env={**env, "SURVEYCOAL_DB": str(demo_db)})
        for env in (NO_LANGUAGE, DUTCH, DUTCH_LOCALE)
    ]
    assert all(out.exit_code == 0 for out in outputs), [o.output for o in outputs]
    assert json.loads(outputs[0].stdout)
    assert outputs[0].stdout == outputs[1].stdout == outputs[2].stdout


def test_score_tables_are_dutch(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for printer in (_common.console, _common.err_console):
        monkeypatch.setattr(printer, "_width", 300)
    runner = CliRunner()
    env = {**DUTCH_LOCALE, "SURVEYCOAL_DB": str(demo_db)}
    round_ = runner.invoke(app, ["score", "brugwijk-bloeit/2"], env=env)
    assert round_.exit_code == 0, round_.output
    out = _plain(round_)
    assert "Brugwijk Bloeit, ronde 2 (brugwijk-bloeit/2): 32 ingevulde vragenlijsten" in out
    for header in ("Scores per dimensie, 0-100 (50 is neutraal)", "Dimensie", "Mediaan (95%-BI)"):
        assert header in out
    assert "gedeeld beeld (rwg 0," in out  # a Dutch number has a decimal comma
    assert "Dimension" not in out and "Scores per dimension" not in out
    change = _plain(
        runner.invoke(app, ["score", "klein-rietveld", "--from", "1", "--to", "3"], env=env)
    )
    assert "Verandering per dimensie (95%-BI)" in change and "Oordeel" in change
    wrong = runner.invoke(app, ["score", "klein-rietveld/3", "--from", "1"], env=env)
    assert wrong.exit_code == 1
    assert _plain(wrong).startswith("Fout: klein-rietveld/3 is één ronde.")
    assert "Bijvoorbeeld: surveycoal score klein-rietveld --from 1 --to 2" in _plain(wrong)

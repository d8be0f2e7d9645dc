"""Leads read the command line in Dutch or English: SURVEYCOAL_LANG, then the locale.

The other tests read English (conftest sets SURVEYCOAL_LANG=en); these ask for Dutch
through the environment a lead would have, and check that --json never changes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from surveycoal.cli import _common, app
from surveycoal.demo import PROGRAMME, build_demo
from surveycoal.store import create_store

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
    assert "Opzet" in change and "los van elkaar" in change and "independent" not in change
    assert "0,492" in change  # p (Holm) has a decimal comma too
    wrong = runner.invoke(app, ["score", "klein-rietveld/3", "--from", "1"], env=env)
    assert wrong.exit_code == 1
    assert _plain(wrong).startswith("Fout: klein-rietveld/3 is één ronde.")
    assert "Bijvoorbeeld: surveycoal score klein-rietveld --from 1 --to 2" in _plain(wrong)


# -- problems in files and databases ----------------------------------------------------


def _refused(result: Result) -> str:
    """The plain output of a command that stopped on bad input: exit 1, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    return _plain(result)


def test_a_malformed_instrument_file_is_told_in_dutch(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "kapot.yaml"
    path.write_text(
        "id: Kapot\nversion: 1\nlanguages: [nl, en]\ntitle: {nl: Titel}\nscales: []\nitemz: 3\n",
        encoding="utf-8",
    )
    out = _refused(run(DUTCH, "instrument", "validate", str(path)))
    assert "kapot.yaml:1: items: de sleutel 'items' ontbreekt; die is verplicht" in out
    assert "'Kapot' is geen goede id: gebruik kleine letters, cijfers en streepjes" in out
    assert "kapot.yaml:4: title.en: de vertaling in het Engels ontbreekt" in out
    assert "kapot.yaml:5: scales: de lijst is leeg; geef minstens één schaal" in out
    assert "kapot.yaml:6: itemz: onbekende sleutel 'itemz'; bedoel je 'items'?" in out
    assert "missing" not in out and "unknown key" not in out
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("id: [open\n", encoding="utf-8")
    assert "fout in de YAML:" in _refused(run(DUTCH, "instrument", "validate", str(syntax)))
    english = _refused(run(NO_LANGUAGE, "instrument", "validate", str(path)))
    assert "kapot.yaml:6: itemz: unknown key 'itemz'; did you mean 'items'?" in english


def test_a_broken_import_file_is_told_in_dutch(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run(DUTCH, "programme", "add", "Expedities 2026").exit_code == 0
    made = run(DUTCH, "coalition", "add", "Zuid Doet Samen", "--programme", "Expedities 2026")
    assert made.exit_code == 0, made.output
    assert run(DUTCH, "round", "open", "zuid-doet-samen").exit_code == 0
    answers = tmp_path / "antwoorden.csv"
    answers.write_text(
        "member_type,trust_keeps_agreements,tijdstempel\nbuitenaards,9,x\n", encoding="utf-8"
    )
    out = _refused(run(DUTCH, "import", "zuid-doet-samen/1", str(answers)))
    assert "Er is niets geïmporteerd: het bestand heeft" in out
    assert "rij 1, kolom C: 'tijdstempel' is geen stelling, open vraag, member_type" in out
    assert "rij 2, kolom A (member_type): 'buitenaards' is geen ledentype" in out
    assert "rij 2, kolom B (trust_keeps_agreements): '9' is geen antwoord (1 tot en met" in out
    assert "Nothing was imported" not in out and "is not an answer" not in out
    empty = tmp_path / "leeg.csv"
    empty.write_text("\n\n", encoding="utf-8")
    assert "leeg.csv is leeg: er is geen rij met kolomnamen." in _refused(
        run(DUTCH, "import", "zuid-doet-samen/1", str(empty))
    )


def test_a_database_problem_is_told_in_dutch(tmp_path: Path) -> None:
    runner = CliRunner()
    other = tmp_path / "notities.txt"
    other.write_text("dit is geen database\n", encoding="utf-8")
    out = _refused(runner.invoke(app, ["coalition", "list", "--db", str(other)], env=DUTCH))
    assert out.startswith(f"Fout: De database {other} is beschadigd of geen database van")
    future = tmp_path / "toekomst.db"
    create_store(future).close()
    with sqlite3.connect(future) as raw:
        raw.execute("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01')")
    raw.close()
    newer = _refused(runner.invoke(app, ["coalition", "list", "--db", str(future)], env=DUTCH))
    assert "is gemaakt door een nieuwere surveycoal (schemaversie 99;" in newer
    assert "Installeer de nieuwere surveycoal: pip install --upgrade surveycoal." in newer
    missing = _refused(
        runner.invoke(app, ["coalition", "list", "--db", str(tmp_path / "nergens.db")], env=DUTCH)
    )
    assert "Er is geen database van surveycoal op" in missing
    assert "Maak er een met `surveycoal init`" in missing


# -- slips, panel keys, reports and the web server --------------------------------------


def _dutch_round(run, *options: str) -> str:  # type: ignore[no-untyped-def]
    """A coalition with one open round, made in Dutch; its reference."""
    assert run(DUTCH, "programme", "add", "Expedities 2026").exit_code == 0
    made = run(DUTCH, "coalition", "add", "Zuid Doet Samen", "--programme", "Expedities 2026")
    assert made.exit_code == 0, made.output
    opened = run(DUTCH, "round", "open", "zuid-doet-samen", *options)
    assert opened.exit_code == 0, opened.output
    return "zuid-doet-samen/1"


def test_a_slip_address_is_checked_in_dutch(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = _dutch_round(run)
    slips = tmp_path / "briefjes"
    slips.mkdir()
    invite = ("invite", ref, "--count", "2", "--out-dir", str(slips))
    out = _refused(run(DUTCH, *invite, "--url", "vragen.example.nl"))
    assert out == (
        "Fout: 'vragen.example.nl' is geen webadres. Geef het hele adres, bijvoorbeeld "
        "https://vragen.example.nl of http://192.168.1.20:8080"
    )
    out = _refused(run(DUTCH, *invite, "--url", "https://vragen.example.nl/?ronde=1"))
    assert out.startswith(
        "Fout: In het adres 'https://vragen.example.nl/?ronde=1' mag geen ?vraag of #stukje staan."
    )
    assert list(slips.iterdir()) == []  # no codes were made
    english = _refused(run(NO_LANGUAGE, *invite, "--url", "vragen.example.nl"))
    assert english.startswith("Error: 'vragen.example.nl' is not a web address: give it whole")


def test_a_panel_key_in_an_import_file_is_checked_in_dutch(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = _dutch_round(run, "--link-rounds")
    answers = tmp_path / "antwoorden.csv"
    answers.write_text(
        "member_type,trust_keeps_agreements,panel_key\n"
        "resident_initiative,4,OL-7\n"
        "resident_initiative,4,OL-40-A-2\n",
        encoding="utf-8",
    )
    out = _refused(run(DUTCH, "import", ref, str(answers)))
    assert (
        "rij 2, kolom C (panel_key): een persoonlijke sleutel heeft 4 delen (letters van de "
        "voornaam van de moeder, geboortedag, letter van de geboorteplaats, oudere broers en "
        "zussen), bijvoorbeeld OL-7-A-2; hier staan er 2"
    ) in out
    assert "rij 3, kolom C (panel_key): Typ een getal van 1 tot 31." in out
    assert "panel key" not in out and "Type a number" not in out
    english = _refused(run(NO_LANGUAGE, "import", ref, str(answers)))
    assert "a panel key has 4 parts" in english and "Type a number from 1 to 31." in english


def test_an_open_round_is_refused_for_a_report_in_dutch(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref = _dutch_round(run)
    out = _refused(
        run(DUTCH, "report", "coalition", "zuid-doet-samen", "-o", str(tmp_path / "r.html"))
    )
    assert out.startswith("Fout: Ronde 1 van zuid-doet-samen is nog open.")
    assert f"Sluit de ronde eerst (surveycoal round close {ref}). Of zet er --open bij" in out
    assert not (tmp_path / "r.html").exists()


def test_serve_refuses_a_port_in_use_in_dutch(run) -> None:  # type: ignore[no-untyped-def]
    import socket

    ref = _dutch_round(run)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = _refused(run(DUTCH, "serve", ref, "--host", "127.0.0.1", "--port", str(port)))
    assert out == (
        f"Fout: Kan niet luisteren op 127.0.0.1:{port}. Misschien gebruikt een ander "
        "programma die poort. Kies een andere met --port."
    )  # before the address and the QR code, which would be of no use


def test_the_web_servers_own_lines_reach_the_lead_in_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from surveycoal.web.serving import LOGGERS, route_server_log

    for name, value in DUTCH.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    shown: list[str] = []
    handler = route_server_log(shown.append)
    uvicorn = logging.getLogger("uvicorn.error")
    try:
        uvicorn.warning("Invalid HTTP request received.")  # one phone's garbage: not the lead's
        uvicorn.error(OSError(98, "address already in use"))  # serve says it in Dutch itself
        try:
            raise RuntimeError("secret /path")
        except RuntimeError:
            uvicorn.exception("Exception in ASGI application\n")
        logging.getLogger("surveycoal.web").error("Er ging iets mis met een pagina (KeyError).")
    finally:
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(handler)
            logging.getLogger(name).propagate = True
    assert shown == [
        "De webserver had een probleem (RuntimeError). Hij gaat gewoon door.",
        "Er ging iets mis met een pagina (KeyError).",
    ]


def test_a_preview_in_a_language_the_questionnaire_lacks_is_refused_in_dutch(run) -> None:  # type: ignore[no-untyped-def]
    out = _refused(run(DUTCH, "instrument", "preview", "coalition-health", "--lang", "de"))
    assert out == (
        "Fout: De vragenlijst coalition-health heeft geen teksten in 'de'. "
        "Deze talen heeft hij wel: nl, en."
    )

"""Commands for questionnaires: list, preview and validate instrument files."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table
from rich.text import Text

from surveycoal.cli._common import console, err_console, key_column, success
from surveycoal.errors import InstrumentError
from surveycoal.i18n import _, ngettext
from surveycoal.safetext import shown

instrument_app = typer.Typer(
    help="Questionnaires (instruments): list them, read them, check a file you edited.\n\n"
    "Example: surveycoal instrument preview coalition-health --lang nl"
)


@instrument_app.command("list")
def instrument_list() -> None:
    """List the questionnaires surveycoal knows (shipped ones and those in SURVEYCOAL_INSTRUMENTS).

    Example: surveycoal instrument list
    """
    from surveycoal.instruments import list_instruments

    table = Table(
        key_column(_("Id")),
        _("Version"),
        _("Title"),
        _("Languages"),
        _("Items"),
        Column(_("File"), overflow="fold"),
    )
    for path, found in list_instruments():
        if isinstance(found, InstrumentError):
            table.add_row(
                path.stem,
                "-",
                Text(
                    ngettext(
                        "invalid ({count} problem)",
                        "invalid ({count} problems)",
                        len(found.problems),
                    ).format(count=len(found.problems)),
                    style="red",
                ),
                "-",
                "-",
                str(path),
            )
            continue
        title = found.title.get("en") or next(iter(found.title.values()))
        table.add_row(
            found.id,
            found.version,
            title,
            ", ".join(found.languages),
            str(len(found.items)),
            str(path),
        )
    console.print(table)


@instrument_app.command("preview")
def instrument_preview(
    name: Annotated[str, typer.Argument(help="An instrument id (coalition-health) or a file.")],
    lang: Annotated[str, typer.Option("--lang", "-l", help="Language: nl or en.")] = "nl",
) -> None:
    """Print the whole questionnaire as text, as a lead would check it before a round.

    Example: surveycoal instrument preview coalition-health --lang en
    """
    from surveycoal.instruments import load_instrument, render_preview

    console.print(render_preview(load_instrument(name), lang), markup=False, highlight=False)


@instrument_app.command("validate")
def instrument_validate(
    files: Annotated[list[Path], typer.Argument(help="One or more instrument YAML files.")],
) -> None:
    """Check instrument files and report every problem at once, with file and line.

    Example: surveycoal instrument validate instruments/my-questionnaire.yaml
    """
    from surveycoal.instruments import validate_instrument_file

    failed = False
    for path in files:
        problems = validate_instrument_file(path)
        if problems:
            failed = True
            err_console.print(
                Text.assemble(
                    (shown(str(path)), "bold red"),
                    ": "
                    + ngettext("{count} problem", "{count} problems", len(problems)).format(
                        count=len(problems)
                    ),
                ),
                soft_wrap=True,
            )
            for problem in problems:
                err_console.print(f"  {problem}", markup=False)
        else:
            success(_("{path} is a valid instrument.").format(path=path))
    if failed:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    app.add_typer(instrument_app, name="instrument")

"""The command line: a thin typer layer over the importable core.

This is the only place that prints or picks exit codes. Core modules raise
:class:`surveycoal.errors.SurveycoalError`; :class:`SurveycoalGroup` turns that
into a one-line message (and a hint) on standard error and exit code 1, never a
traceback.

The modules of this package do not use ``from __future__ import annotations``: typer reads
every command's signature when it builds the command tree (even for ``--help``), and
evaluates string annotations twice per parameter, which cost most of the time of
``surveycoal --help``. Annotations that name a heavy type imported only for type checking
are quoted instead.
"""

from typing import Any

import typer
from typer.core import TyperGroup

from surveycoal import __version__
from surveycoal.cli._common import err_console
from surveycoal.errors import SurveycoalError
from surveycoal.i18n import _
from surveycoal.threads import prefer_single_threaded_blas


class SurveycoalGroup(TyperGroup):
    """Runs commands, turning surveycoal's errors into messages and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        # What a killed run of surveycoal left half-written here goes first.
        from surveycoal.files import remove_stale_temps  # not needed for --help

        remove_stale_temps(".")
        try:
            return super().invoke(ctx)
        except SurveycoalError as exc:
            report_error(exc)
            raise typer.Exit(code=1) from None


def report_error(exc: SurveycoalError) -> None:
    text = str(exc)
    first, _sep, rest = text.partition("\n")
    err_console.print(_("Error:"), style="bold red", end=" ")
    err_console.print(first, soft_wrap=True)
    if rest:
        err_console.print(rest, soft_wrap=True)


app = typer.Typer(
    cls=SurveycoalGroup,
    name="surveycoal",
    help=(
        "Measure how well local coalitions work together: run the same trust-and-equality "
        "questionnaire round after round, score it honestly for small groups, and write "
        "comparison reports.\n\n"
        "Example: surveycoal demo"
    ),
    no_args_is_help=True,
    # Answers are personal data: never print local variables in a traceback.
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"surveycoal {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and stop."
    ),
) -> None:
    """Measure how well local coalitions work together."""


def _register() -> None:
    from surveycoal.cli import answering, instrument, reporting, rounds, scoring, serve, setup

    for module in (setup, instrument, rounds, answering, serve, scoring, reporting):
        module.register(app)


_register()


def main() -> None:
    """Entry point of the ``surveycoal`` console script."""
    prefer_single_threaded_blas()
    app()

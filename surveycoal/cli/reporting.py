"""Commands that write reports, and the demo that builds a whole programme to report on."""

from pathlib import Path
from typing import Annotated

import typer

from surveycoal.cli._common import DbOption, console, open_db, success
from surveycoal.errors import InputError
from surveycoal.i18n import _

report_app = typer.Typer(
    help="Write self-contained HTML reports for coalitions and funders.\n\n"
    "Example: surveycoal report coalition zuid-doet-samen --round 2 --lang nl -o zuid-doet-samen-2.html"
)

ReportLang = Annotated[
    str, typer.Option("--lang", "-l", help="Language of the report: nl (Dutch) or en (English).")
]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="The file to write: NAME.html, or NAME.pdf for a PDF (default: a name made "
        "from what is reported, here).",
        show_default=False,
        dir_okay=False,
    ),
]
Templates = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="A folder with your own templates (or style.css); files found there replace the "
        "built-in ones, one by one.",
        show_default=False,
        file_okay=False,
    ),
]
AllowOpen = Annotated[
    bool,
    typer.Option(
        "--open",
        help="Report a round that is still open. Two reports of one open round show, by "
        "subtraction, the answers given in between: keep such a report to yourself.",
    ),
]
Pdf = Annotated[
    bool,
    typer.Option(
        "--pdf",
        help="Also write the report as a PDF (A4, charts as vectors, text selectable), beside "
        "the HTML file. Needs chromium (or Chrome: set SURVEYCOAL_CHROMIUM).",
    ),
]
RoundOption = Annotated[
    int | None,
    typer.Option(
        "--round", "-r", help="The round to report (default: the latest).", min=1, max=2**31 - 1
    ),
]


def _write(
    kind: str, context: dict[str, object], output: Path, templates: Path | None, pdf: bool
) -> None:
    """Write the report as HTML, as PDF (``-o NAME.pdf``), or both (``--pdf``)."""
    from surveycoal.reports import render, write_html

    html = render(kind, context, templates)
    wants_pdf = pdf or output.suffix.lower() == ".pdf"
    if wants_pdf:
        from surveycoal.reports.pdf import engine

        engine()  # says what to install before anything is written
    if output.suffix.lower() != ".pdf":
        path = write_html(output, html)
        success(_("Report written to {path}").format(path=path))
    if wants_pdf:
        from surveycoal.reports.pdf import write_pdf

        target = output if output.suffix.lower() == ".pdf" else output.with_suffix(".pdf")
        path = write_pdf(target, html)
        success(_("PDF written to {path}").format(path=path))


@report_app.command("coalition")
def report_coalition(
    coalition: Annotated[str, typer.Argument(help="The coalition's slug.")],
    round_number: RoundOption = None,
    lang: ReportLang = "nl",
    output: Output = None,
    templates: Templates = None,
    pdf: Pdf = False,
    allow_open: AllowOpen = False,
    db: DbOption = None,
) -> None:
    """Write a coalition's report: its round read against the rounds before it.

    Example: surveycoal report coalition zuid-doet-samen --round 2 --lang nl -o zuid-doet-samen-2.html
    """
    from surveycoal.reports import build_coalition_context

    store = open_db(db)
    # a purged round is refused by the report itself (reports.purged), with what it needs
    context = build_coalition_context(
        store, coalition, round_number=round_number, lang=lang, allow_open=allow_open
    )
    number = context["round"]["number"]
    _write(
        "coalition",
        context,
        output or Path(f"{context['coalition']['slug']}-{number}.html"),
        templates,
        pdf,
    )


@report_app.command("programme")
def report_programme(
    programme: Annotated[str, typer.Argument(help="The programme's name.")],
    round_number: Annotated[
        int | None,
        typer.Option(
            "--round",
            "-r",
            help="Show every coalition's round N (default: each one's latest).",
            min=1,
            max=2**31 - 1,
        ),
    ] = None,
    lang: ReportLang = "nl",
    output: Output = None,
    templates: Templates = None,
    pdf: Pdf = False,
    allow_open: AllowOpen = False,
    db: DbOption = None,
) -> None:
    """Write the programme report for funders: all coalitions side by side, without a ranking.

    Example: surveycoal report programme "Expedities 2026" --round 2 -o programma.pdf
    """
    from surveycoal.reports import build_programme_context
    from surveycoal.store import slugify

    store = open_db(db)
    context = build_programme_context(
        store, programme, round_number=round_number, lang=lang, allow_open=allow_open
    )
    default = (
        f"{slugify(programme) or 'programme'}{f'-{round_number}' if round_number else ''}.html"
    )
    _write("programme", context, output or Path(default), templates, pdf)


@report_app.command("compare")
def report_compare(
    coalition: Annotated[str, typer.Argument(help="The coalition's slug.")],
    other: Annotated[
        str | None,
        typer.Argument(
            help="A second coalition, to compare two coalitions in one round.", show_default=False
        ),
    ] = None,
    from_round: Annotated[
        int | None,
        typer.Option("--from", help="The earlier round to compare.", min=1, max=2**31 - 1),
    ] = None,
    to_round: Annotated[
        int | None, typer.Option("--to", help="The later round to compare.", min=1, max=2**31 - 1)
    ] = None,
    round_number: Annotated[
        int | None,
        typer.Option(
            "--round",
            "-r",
            help="The round, when comparing coalitions or member types.",
            min=1,
            max=2**31 - 1,
        ),
    ] = None,
    member_types: Annotated[
        bool,
        typer.Option(
            "--member-types",
            help="Compare residents' initiatives and welfare organisations within --round.",
        ),
    ] = False,
    lang: ReportLang = "nl",
    output: Output = None,
    templates: Templates = None,
    pdf: Pdf = False,
    allow_open: AllowOpen = False,
    db: DbOption = None,
) -> None:
    """Compare two rounds of a coalition, two coalitions in a round, or member types in a round.

    Examples: surveycoal report compare zuid-doet-samen --from 1 --to 3

    surveycoal report compare zuid-doet-samen noord-verbindt --round 2

    surveycoal report compare zuid-doet-samen --round 2 --member-types
    """
    from surveycoal import reports

    store = open_db(db)
    if other is not None:
        if round_number is None or from_round is not None or to_round is not None or member_types:
            raise InputError(
                _(
                    "To compare two coalitions give one --round (and no --from, --to or "
                    "--member-types)."
                ),
                hint=_("For example: {command}").format(
                    command=f"surveycoal report compare {coalition} {other} --round 2"
                ),
            )
        context = reports.build_groups_compare_context(
            store, coalition, other, round_number, lang=lang, allow_open=allow_open
        )
        default = f"{coalition}-{other}-{round_number}.html"
    elif member_types:
        if round_number is None or from_round is not None or to_round is not None:
            raise InputError(
                _(
                    "--member-types compares the groups within one round: give --round and no "
                    "--from or --to."
                ),
                hint=_("For example: {command}").format(
                    command=f"surveycoal report compare {coalition} --round 2 --member-types"
                ),
            )
        context = reports.build_member_types_compare_context(
            store, coalition, round_number, lang=lang, allow_open=allow_open
        )
        default = f"{coalition}-{round_number}-member-types.html"
    else:
        if from_round is None or to_round is None or round_number is not None:
            raise InputError(
                _(
                    "Say what to compare: --from and --to for two rounds, a second coalition "
                    "with --round, or --round with --member-types."
                ),
                hint=_("For example: {command}").format(
                    command=f"surveycoal report compare {coalition} --from 1 --to 3"
                ),
            )
        context = reports.build_rounds_compare_context(
            store, coalition, from_round, to_round, lang=lang, allow_open=allow_open
        )
        default = f"{coalition}-{from_round}-{to_round}.html"
    _write("compare", context, output or Path(default), templates, pdf)


def demo(
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Folder for the demo database and its reports.", file_okay=False
        ),
    ] = Path("surveycoal-demo"),
    lang: ReportLang = "nl",
) -> None:
    """Build a demo programme of five invented coalitions, answer three rounds, and write every report.

    The database it makes says it holds demo data, so every report from it carries a demo banner.

    Example: surveycoal demo --out surveycoal-demo --lang en
    """
    from surveycoal.demo import PROGRAMME, build_demo

    result = build_demo(out, lang=lang)
    success(
        _("Demo programme {name!r} built in {path}").format(name=PROGRAMME, path=result.database)
    )
    console.print(_("Reports:"))
    for path in result.reports:
        console.print(f"  {path}", markup=False, soft_wrap=True)
    console.print(
        _("Try the commands on it, for example: {command}").format(
            command=f"surveycoal report coalition zonnehoek-samen --round 2 --db {result.database}"
        ),
        markup=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
    app.command("demo")(demo)

"""Commands that set things up: the database, programmes, coalitions, members and notes."""

from typing import Annotated

import typer
from rich.table import Column, Table
from rich.text import Text

from surveycoal.cli._common import (
    DbOption,
    console,
    err_console,
    key_column,
    open_db,
    parse_date,
    round_status,
    success,
)
from surveycoal.i18n import _
from surveycoal.safetext import shown

db_app = typer.Typer(
    help="Create, inspect and upgrade the database.\n\nExample: surveycoal db info"
)
programme_app = typer.Typer(
    help='Programmes group coalitions under one funder.\n\nExample: surveycoal programme add "Expedities 2026"'
)
coalition_app = typer.Typer(
    help="Coalitions, referred to by their slug.\n\n"
    'Example: surveycoal coalition add "Zuid Doet Samen" --programme "Expedities 2026"'
)
member_app = typer.Typer(
    help="The organisations in a coalition, each with a member type.\n\n"
    'Example: surveycoal member add zuid-doet-samen "Buurtcoöperatie Zuid" --type resident_initiative'
)
note_app = typer.Typer(
    help="Timeline notes (events in a coalition's life) and a coalition's own reading of a round.\n\n"
    'Example: surveycoal note add zuid-doet-samen "Nieuwe opbouwwerker gestart" --date 2026-09-01'
)


def init(db: DbOption = None) -> None:
    """Create a new database here (surveycoal.db); on a current database it changes nothing.

    A database made by an older surveycoal is upgraded with `surveycoal db upgrade`.

    Example: surveycoal init --db coalitions.db
    """
    from surveycoal.store import create_store

    store = create_store(db)
    success(
        _("Database ready at {location} (schema version {version}).").format(
            location=store.location, version=store.schema_version()
        )
    )
    console.print(_("Next: surveycoal programme add NAME, then surveycoal coalition add NAME."))


@db_app.command("info")
def db_info(db: DbOption = None) -> None:
    """Show where the database is, its backend and schema version, and what it holds.

    For a SQLite file it also shows the file's size and who may read it.

    Example: surveycoal db info --db coalitions.db
    """
    from surveycoal.store.copying import table_counts
    from surveycoal.store.database import exposed_files
    from surveycoal.store.migrations import LATEST_VERSION
    from surveycoal.store.rounds import list_rounds

    store = open_db(db)
    rounds = list_rounds(store)
    with store.read() as conn:
        counts = table_counts(conn)
    table = Table(Column(no_wrap=True), Column(overflow="fold"), show_header=False, box=None)
    table.add_row(_("Database"), Text(store.location))
    table.add_row(_("Backend"), f"{store.engine.dialect.name} ({store.engine.dialect.driver})")
    table.add_row(
        _("Schema version"),
        _("{version} (current: {latest})").format(
            version=store.schema_version(), latest=LATEST_VERSION
        ),
    )
    if store.is_sqlite:
        table.add_row(_("File"), _file_facts(store.location))
    table.add_row(_("Programmes"), str(counts["programmes"]))
    table.add_row(_("Coalitions"), _("{coalitions} ({members} members)").format(**counts))
    table.add_row(
        _("Rounds"),
        _("{rounds} ({open} open)").format(rounds=len(rounds), open=sum(r.is_open for r in rounds)),
    )
    table.add_row(
        _("Responses"),
        _("{responses} ({answers} answers, {open_answers} open answers)").format(**counts),
    )
    table.add_row(
        _("Codes, drafts"), _("{invitations} codes, {drafts} unsent drafts").format(**counts)
    )
    table.add_row(
        _("Notes, imports"), _("{notes} notes, {imports} imported files").format(**counts)
    )
    console.print(table)
    exposed = exposed_files(store)
    if exposed:
        err_console.print(
            _(
                "Warning: other users of this computer may read {files}. "
                "It holds every answer and the key that protects the codes. "
                "Make it yours alone: chmod 600 {paths}"
            ).format(files=", ".join(map(str, exposed)), paths=" ".join(map(str, exposed))),
            style="yellow",
            soft_wrap=True,
        )


def _file_facts(location: str) -> str:
    import stat
    from pathlib import Path

    info = Path(location).stat()
    mode = stat.S_IMODE(info.st_mode)
    who = _("only its owner can read it") if not mode & 0o077 else _("others can read it")
    return _("{size} MB, mode {mode} ({who})").format(
        size=f"{info.st_size / 1e6:.1f}", mode=f"{mode:04o}", who=who
    )


@db_app.command("copy")
def db_copy(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="The empty database to copy into: a SQLite file or a URL such as "
            "postgresql+psycopg://lead@dbhost/surveycoal.",
        ),
    ],
    db: DbOption = None,
) -> None:
    """Copy everything into an empty database, SQLite or PostgreSQL, and check the copy.

    Programmes, coalitions, members, rounds, notes, codes, drafts, responses,
    imports and the hashing key are copied as they are; the copy's counts and the
    score of every round are checked against this database before it is kept.
    A target that holds anything is refused.

    Example: surveycoal db copy --to postgresql+psycopg://lead@dbhost/surveycoal
    """
    from surveycoal.store.copying import copy_database

    store = open_db(db)
    result = copy_database(store, to)
    counts = result.counts
    console.print(
        _(
            "Copied {coalitions} coalitions, {rounds} rounds, {responses} responses "
            "({answers} answers) and {invitations} codes."
        ).format(**counts),
        soft_wrap=True,
    )
    success(
        _("{target} holds the same rows and scores all {rounds} rounds the same.").format(
            target=result.target, rounds=result.rounds_scored
        )
    )


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Upgrade a database made by an older surveycoal, after keeping a backup copy.

    Example: surveycoal db upgrade --db coalitions.db
    """
    from surveycoal.store import upgrade_store

    store, applied, backup = upgrade_store(db)
    if not applied:
        success(
            _("{location} is up to date (schema version {version}).").format(
                location=store.location, version=store.schema_version()
            )
        )
        return
    if backup is not None:
        console.print(_("Backup copy: {path}").format(path=backup), markup=False, soft_wrap=True)
    else:
        console.print(
            _(
                "No backup copy is made of a database server: the upgrade ran as one "
                "transaction. Keep your own copies (for PostgreSQL: pg_dump)."
            )
        )
    for name in applied:
        console.print("  " + _("applied: {name}").format(name=name))
    success(
        _("{location} upgraded to schema version {version}.").format(
            location=store.location, version=store.schema_version()
        )
    )


# -- programmes -------------------------------------------------------------------


@programme_app.command("add")
def programme_add(
    name: Annotated[str, typer.Argument(help="The programme's name.")],
    db: DbOption = None,
) -> None:
    """Add a programme.

    Example: surveycoal programme add "Expedities 2026"
    """
    from surveycoal.store import add_programme

    programme = add_programme(open_db(db), name)
    success(_("Programme {name!r} added.").format(name=programme.name))


@programme_app.command("list")
def programme_list(db: DbOption = None) -> None:
    """List the programmes and how many coalitions each has.

    Example: surveycoal programme list
    """
    from surveycoal.store import list_coalitions, list_programmes

    store = open_db(db)
    coalitions = list_coalitions(store)
    table = Table(_("Programme"), _("Coalitions"), _("Created"))
    for programme in list_programmes(store):
        count = sum(c.programme == programme.name for c in coalitions)
        table.add_row(programme.name, str(count), programme.created_on.isoformat())
    console.print(table)


# -- coalitions -------------------------------------------------------------------


@coalition_app.command("add")
def coalition_add(
    name: Annotated[str, typer.Argument(help="The coalition's name, as people know it.")],
    programme: Annotated[
        str | None, typer.Option("--programme", "-p", help="The programme it belongs to.")
    ] = None,
    slug: Annotated[
        str | None,
        typer.Option(help="Short id used in commands (default: made from the name)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a coalition; it gets a short slug to use in other commands.

    Example: surveycoal coalition add "Zuid Doet Samen" --programme "Expedities 2026"
    """
    from surveycoal.store import add_coalition

    coalition = add_coalition(open_db(db), name, programme=programme, slug=slug)
    success(
        _("Coalition {name!r} added with slug {slug}.").format(
            name=coalition.name, slug=coalition.slug
        )
    )


@coalition_app.command("list")
def coalition_list(
    programme: Annotated[
        str | None, typer.Option("--programme", "-p", help="Only this programme's coalitions.")
    ] = None,
    db: DbOption = None,
) -> None:
    """List the coalitions.

    Example: surveycoal coalition list --programme "Expedities 2026"
    """
    from surveycoal.store import list_coalitions, list_rounds

    store = open_db(db)
    rounds = list_rounds(store)
    table = Table(key_column(_("Slug")), _("Name"), _("Programme"), _("Rounds"))
    for c in list_coalitions(store, programme=programme):
        mine = [r for r in rounds if r.coalition == c.slug]
        open_ = [r.ref for r in mine if r.is_open]
        text = str(len(mine)) + (" " + _("({ref} open)").format(ref=open_[0]) if open_ else "")
        table.add_row(c.slug, c.name, c.programme or "-", text)
    console.print(table)


@coalition_app.command("show")
def coalition_show(
    slug: Annotated[str, typer.Argument(help="The coalition's slug.")],
    db: DbOption = None,
) -> None:
    """Show a coalition: its members, rounds and notes.

    Example: surveycoal coalition show zuid-doet-samen
    """
    from surveycoal.store import get_coalition, list_members, list_notes, list_rounds

    store = open_db(db)
    c = get_coalition(store, slug)
    console.print(
        Text.assemble(
            (shown(c.name), "bold"),
            shown(
                " "
                + _("({slug})  programme: {programme}").format(
                    slug=c.slug, programme=c.programme or "-"
                )
            ),
        )
    )
    members = Table(_("Member"), _("Type"), title=_("Members"), title_justify="left")
    for m in list_members(store, slug):
        members.add_row(m.name, m.member_type)
    console.print(members)
    rounds = Table(
        key_column(_("Round")),
        key_column(_("Instrument")),
        Column(_("Status"), overflow="fold"),
        _("Opened"),
        _("Closes"),
        title=_("Rounds"),
        title_justify="left",
    )
    for r in list_rounds(store, coalition=slug):
        rounds.add_row(
            r.ref,
            f"{r.instrument_id} {r.instrument_version}",
            round_status(r),
            r.opened_on.isoformat(),
            r.closes_on.isoformat() if r.closes_on else "-",
        )
    console.print(rounds)
    notes = list_notes(store, slug)
    if notes:
        table = Table(
            _("Date"), _("Kind"), _("Round"), _("Note"), title=_("Notes"), title_justify="left"
        )
        for n in notes:
            table.add_row(n.date.isoformat(), n.kind, str(n.round or "-"), n.text)
        console.print(table)


@coalition_app.command("delete")
def coalition_delete(
    slug: Annotated[str, typer.Argument(help="The coalition's slug.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    db: DbOption = None,
) -> None:
    """Delete a coalition for good: its members, notes, rounds and every answer in them.

    Example: surveycoal coalition delete zuid-doet-samen
    """
    from surveycoal.store import get_coalition
    from surveycoal.store.erasure import delete_coalition

    store = open_db(db)
    found = get_coalition(store, slug)
    if not yes:
        typer.confirm(
            _("Delete {slug} ({name}) with all its rounds and answers, for good?").format(
                slug=found.slug, name=found.name
            ),
            abort=True,
        )
    erased = delete_coalition(store, found.slug)
    success(_("Deleted coalition {slug}: {what}.").format(slug=found.slug, what=erased.describe()))


# -- members ----------------------------------------------------------------------


@member_app.command("add")
def member_add(
    coalition: Annotated[str, typer.Argument(help="The coalition's slug.")],
    name: Annotated[str, typer.Argument(help="The member organisation's name.")],
    member_type: Annotated[
        str,
        typer.Option(
            "--type",
            "-t",
            help="One of the instrument's member types, such as resident_initiative, "
            "welfare_organisation, municipality or other in coalition-health.",
        ),
    ],
    instrument: Annotated[
        str | None,
        typer.Option(
            "--instrument",
            "-i",
            help="Instrument id or file whose member types apply (default: the instrument "
            "of the coalition's latest round, or coalition-health before its first round).",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Add a member organisation to a coalition.

    Example: surveycoal member add zuid-doet-samen "Welzijn Zuid" --type welfare_organisation
    """
    from surveycoal.instruments import load_instrument
    from surveycoal.store import add_member

    checked_by = load_instrument(instrument) if instrument is not None else None
    member = add_member(open_db(db), coalition, name, member_type, instrument=checked_by)
    success(
        _("{name!r} ({type}) added to {coalition}.").format(
            name=member.name, type=member.member_type, coalition=member.coalition
        )
    )


@member_app.command("list")
def member_list(
    coalition: Annotated[str, typer.Argument(help="The coalition's slug.")],
    db: DbOption = None,
) -> None:
    """List a coalition's members.

    Example: surveycoal member list zuid-doet-samen
    """
    from surveycoal.store import list_members

    table = Table(_("Member"), _("Type"))
    for m in list_members(open_db(db), coalition):
        table.add_row(m.name, m.member_type)
    console.print(table)


@member_app.command("remove")
def member_remove(
    coalition: Annotated[str, typer.Argument(help="The coalition's slug.")],
    name: Annotated[str, typer.Argument(help="The member organisation's name.")],
    db: DbOption = None,
) -> None:
    """Remove a member organisation from a coalition (answers already given stay).

    Example: surveycoal member remove zuid-doet-samen "Welzijn Zuid"
    """
    from surveycoal.store import remove_member

    remove_member(open_db(db), coalition, name)
    success(_("{name!r} removed from {coalition}.").format(name=name, coalition=coalition))


# -- notes ------------------------------------------------------------------------


@note_app.command("add")
def note_add(
    coalition: Annotated[str, typer.Argument(help="The coalition's slug.")],
    text: Annotated[str, typer.Argument(help="What happened, or the coalition's reading.")],
    date: Annotated[
        str | None, typer.Option(help="When it happened, YYYY-MM-DD (default today).")
    ] = None,
    round_number: Annotated[
        int | None,
        typer.Option("--round", "-r", help="The round it belongs to.", min=1, max=2**31 - 1),
    ] = None,
    reading: Annotated[
        bool,
        typer.Option(
            "--reading",
            help="This is the coalition's own reading of a round (shown in its report).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Add a note to a coalition's timeline, or its own reading of a round with --reading.

    Examples: surveycoal note add zuid-doet-samen "Nieuwe opbouwwerker gestart" --date 2026-09-01

    surveycoal note add zuid-doet-samen "We herkennen ons in de uitkomst." --round 2 --reading
    """
    from surveycoal.store import add_note

    added = add_note(
        open_db(db),
        coalition,
        text,
        date=parse_date(date, "--date"),
        kind="reading" if reading else "timeline",
        round_number=round_number,
    )
    done = _("Reading added to {coalition} ({date}).") if added.kind == "reading" else None
    done = done or _("Note added to {coalition} ({date}).")
    success(done.format(coalition=added.coalition, date=added.date.isoformat()))


@note_app.command("list")
def note_list(
    coalition: Annotated[str, typer.Argument(help="The coalition's slug.")],
    db: DbOption = None,
) -> None:
    """List a coalition's notes.

    Example: surveycoal note list zuid-doet-samen
    """
    from surveycoal.store import list_notes

    table = Table(_("Date"), _("Kind"), _("Round"), _("Note"))
    for n in list_notes(open_db(db), coalition):
        table.add_row(n.date.isoformat(), n.kind, str(n.round or "-"), n.text)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(db_app, name="db")
    app.add_typer(programme_app, name="programme")
    app.add_typer(coalition_app, name="coalition")
    app.add_typer(member_app, name="member")
    app.add_typer(note_app, name="note")

"""Opening a database: SQLite file by default, any SQLAlchemy URL for a shared one.

SQLite runs in WAL mode with a busy timeout. Transactions that read and then write
start with ``BEGIN IMMEDIATE`` so that several kiosks writing at once queue up
instead of failing with "database is locked" (measured: 0 errors in 2,000
concurrent writes, against many with a plain BEGIN). SQLite has one writer at a
time whatever surveycoal asks for, so every lock below is PostgreSQL's alone.

On PostgreSQL writers take transaction-level advisory locks, in two levels, always
in this order (so two writers can never wait for each other):

1. The database-wide lock (:data:`WRITE_LOCK_KEY`). :meth:`Store.write` takes it
   exclusively: migrations, opening, closing and purging rounds, coalitions and
   members, everything that is not one round's answers. A check such as "no other
   round is open" cannot be raced. :meth:`Store.write_in_round` takes it *shared*,
   so writes to different rounds run side by side but never beside a
   database-wide write: closing a round (which deletes its drafts) waits for every
   write inside a round, and they wait for it.
2. The round's lock (:data:`ROUND_LOCK_CLASS` with the round's id), taken after
   the first: exclusively by what changes a round's responses or codes (a submit,
   an import, making codes), shared by draft saves, which change one row each and
   only need to keep out a submit of the same round (which deletes a draft) and
   a close (which deletes them all).

The order-of-arrival rewrite of a round (:mod:`surveycoal.store.traces`) runs
inside the submit's own transaction, under the round's exclusive lock: no other
write to the round's answer rows can come between its read and its write, so it
always sees, and writes back, every row the round has.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DataError,
    DisconnectionError,
    IntegrityError,
    OperationalError,
)

from surveycoal.errors import SchemaVersionError, StoreError
from surveycoal.files import create_private_file, readable_by_others
from surveycoal.i18n import _
from surveycoal.store import migrations, schema

DEFAULT_DB = "surveycoal.db"
BUSY_TIMEOUT_SECONDS = 30
#: The PostgreSQL advisory lock every write transaction takes first ("surv" in ASCII):
#: exclusively for a database-wide write, shared for a write inside one round.
WRITE_LOCK_KEY = 0x73757276
#: With a round's id, the two-key advisory lock of one round (a key space of its own).
ROUND_LOCK_CLASS = WRITE_LOCK_KEY
#: A pooled PostgreSQL connection unused for longer than this is tested before use; one
#: used just before is not (a round trip saved on every write of a busy questionnaire).
PING_AFTER_IDLE_SECONDS = 5.0

_PASSWORD = re.compile(r"(://[^/@:]*:)[^/]*@|([?&]password=)[^&]*")


def shown_url(url: str) -> str:
    """A database URL fit to print: its password replaced by ``***``.

    >>> shown_url("postgresql+psycopg://lead:geheim@db.example.nl/surveycoal")
    'postgresql+psycopg://lead:***@db.example.nl/surveycoal'
    """
    return _PASSWORD.sub(lambda m: f"{m[1]}***@" if m[1] else f"{m[2]}***", url)


def database_url(location: str | os.PathLike[str] | None) -> str:
    """Turn ``--db`` / ``SURVEYCOAL_DB`` (a path or a URL) into a SQLAlchemy URL."""
    text = str(location or os.environ.get("SURVEYCOAL_DB") or DEFAULT_DB)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL is set once, in the file, by _use_wal: connecting alone changes no file.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Overwrite deleted content (drafts) instead of leaving it in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN"
        conn.exec_driver_sql(mode)

    return engine


@dataclass
class Store:
    """An open surveycoal database.

    Use :meth:`read` for a transaction that only reads and :meth:`write` for one
    that writes (on SQLite it takes the write lock at once). Either rolls back
    completely when an exception leaves the block: nothing is half-written.
    """

    url: str
    engine: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def location(self) -> str:
        """The file path for SQLite, otherwise the URL without its password."""
        if self.is_sqlite:
            return str(self.engine.url.database)
        return shown_url(self.url)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A transaction that sees one moment of the database throughout, as SQLite's does."""
        with self._guard(), self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A database-wide write: it waits for every other write, and they wait for it."""
        with self._guard(), self.engine.connect() as conn:
            conn = conn.execution_options(immediate=True)
            with conn.begin():
                self._take_turns(conn)
                yield conn

    @contextmanager
    def write_in_round(
        self, round_id: int | None = None, *, shared: bool = False, durable: bool = True
    ) -> Iterator[Connection]:
        """A write inside one round: on PostgreSQL, writes to other rounds go on beside it.

        With ``round_id`` the round's lock is taken at once; without, the caller takes
        it with :func:`lock_round` or :func:`lock_round_of_code` before it reads
        anything it decides on. ``shared`` is for a write that changes only its own
        row (a draft). ``durable=False`` lets PostgreSQL report the commit before its
        log reaches the disk: the change is seen by everyone at once and survives
        any client being killed, only a crash of the server itself can lose the last
        fraction of a second of such writes (never the database's soundness). Drafts
        use it: the worst case is someone resuming one answer earlier.
        """
        with self._guard(), self.engine.connect() as conn:
            conn = conn.execution_options(immediate=True)
            with conn.begin():
                if self.engine.dialect.name == "postgresql":
                    lock = f"pg_advisory_xact_lock_shared({WRITE_LOCK_KEY})"
                    if not durable:
                        lock += ", set_config('synchronous_commit', 'off', true)"
                    conn.exec_driver_sql(f"SELECT {lock}")
                    if round_id is not None:
                        lock_round(conn, round_id, shared=shared)
                yield conn

    def _take_turns(self, conn: Connection) -> None:
        """Make write transactions queue behind each other, as BEGIN IMMEDIATE does on SQLite.

        PostgreSQL releases the lock itself at commit or rollback.
        """
        if self.engine.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except IntegrityError as exc:
            raise StoreError(
                _(
                    "The database {location} refused a change that conflicts with what it "
                    "holds: {reason}"
                ).format(location=self.location, reason=exc.orig),
                hint=_(
                    "Nothing was saved. If someone else was changing it at the same moment, "
                    "try again."
                ),
            ) from exc
        except DataError as exc:
            raise StoreError(
                _("The database {location} refused a value: {reason}").format(
                    location=self.location, reason=exc.orig
                ),
                hint=_("Nothing was saved."),
            ) from exc
        except OperationalError as exc:
            raise StoreError(
                _("The database {location} could not be used: {reason}").format(
                    location=self.location, reason=exc.orig
                )
            ) from exc
        except DatabaseError as exc:
            raise StoreError(
                _(
                    "The database {location} is damaged or not a surveycoal database: {reason}"
                ).format(location=self.location, reason=exc.orig)
            ) from exc

    def _use_wal(self) -> None:
        """Put a SQLite file in WAL mode (kept in the file) unless it is already."""
        if not self.is_sqlite:
            return
        with self._guard():
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    cursor.execute("PRAGMA journal_mode=WAL")
                cursor.close()
            finally:
                raw.close()

    def table_names(self) -> list[str]:
        """The tables in the database (in PostgreSQL: in its default schema)."""
        with self.read() as conn:
            return sorted(inspect(conn).get_table_names())

    def hash_key(self) -> bytes:
        """The secret key for hashing invitation codes and panel keys."""
        with self.read() as conn:
            value = conn.execute(
                select(schema.settings.c.value).where(schema.settings.c.key == "hash_key")
            ).scalar()
        if value is None:
            raise StoreError(_("The database has no hashing key; run `surveycoal db upgrade`."))
        return bytes.fromhex(value)

    def schema_version(self) -> int:
        with self.read() as conn:
            return migrations.current_version(conn)

    def close(self) -> None:
        self.engine.dispose()


def lock_round(conn: Connection, round_id: int, *, shared: bool = False) -> None:
    """Take a round's lock inside a :meth:`Store.write_in_round` transaction (PostgreSQL).

    Everything the transaction reads after it sees every write made to the round
    before (each statement of a PostgreSQL write transaction reads what is committed
    when it starts).
    """
    if conn.dialect.name == "postgresql":
        kind = "_shared" if shared else ""
        conn.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock{kind}({ROUND_LOCK_CLASS}, %s)", (int(round_id),)
        )


def lock_round_of_code(conn: Connection, code_hash: str, *, shared: bool = False) -> None:
    """Take the lock of the round an invitation code belongs to (nothing for an unknown code).

    One statement: the code's round never changes, so it may be read before the lock.
    """
    if conn.dialect.name == "postgresql":
        kind = "_shared" if shared else ""
        conn.exec_driver_sql(
            f"SELECT pg_advisory_xact_lock{kind}({ROUND_LOCK_CLASS}, round_id) "
            "FROM invitations WHERE code_hash = %s",
            (code_hash,),
        ).all()


def _ping_when_idle(engine: Engine) -> None:
    """Test a pooled connection before use only when it has been idle for a while.

    ``pool_pre_ping`` costs a round trip before every transaction; a questionnaire
    writes after every answer. A connection used less than
    :data:`PING_AFTER_IDLE_SECONDS` ago is taken as it is: should the server have
    restarted in that moment, that one command fails with a clear message (nothing is
    written) and the pool is renewed.
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as exc:  # the server went away: the pool connects again
            raise DisconnectionError() from exc


def _engine_for(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(_not_a_url(url)) from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    try:
        engine = create_engine(url)
    except ImportError as exc:
        raise StoreError(
            _("Cannot use the database {url}: its driver ({driver}) is not installed.").format(
                url=shown_url(url), driver=exc.name or _("a Python module")
            ),
            hint=_("For PostgreSQL install it with: pip install 'surveycoal[postgres]'"),
        ) from exc
    except Exception as exc:  # an unknown kind of database, a malformed URL
        raise StoreError(
            _("Cannot use the database {url}: {reason}").format(url=shown_url(url), reason=exc)
        ) from exc
    _ping_when_idle(engine)
    return engine


def _not_a_url(url: str) -> str:
    return _("{url!r} is neither a file path nor a database URL.").format(url=shown_url(url))


def _sqlite_path(url: str) -> Path | None:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(_not_a_url(url)) from exc
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise StoreError(
            _(
                "{url!r} names no database file (it would be a database in memory, "
                "gone when the command ends)."
            ).format(url=shown_url(url)),
            hint=_("Give a file: --db surveycoal.db, or a URL such as sqlite:///surveycoal.db"),
        )
    path = Path(parsed.database)
    try:
        if path.is_dir():
            raise StoreError(
                _("{path} is a folder, not a database file.").format(path=path),
                hint=_("Name a file, for example --db {path}").format(path=path / DEFAULT_DB),
            )
        path.exists()
    except PermissionError:
        raise StoreError(
            _("Cannot use the database {path}: you may not open the folder {folder}.").format(
                path=path, folder=path.parent
            ),
            hint=_(
                "Ask whoever owns that folder for access, or use a database in your own folder."
            ),
        ) from None
    return path


def exposed_files(store: Store) -> list[Path]:
    """The database's files (with its -wal and -shm) that other users may read."""
    if not store.is_sqlite:
        return []
    main = Path(store.location)
    candidates = [main, main.with_name(main.name + "-wal"), main.with_name(main.name + "-shm")]
    return [p for p in candidates if readable_by_others(p)]


def create_store(location: str | os.PathLike[str] | None = None) -> Store:
    """Create a new database, or open one that is current already, changing nothing.

    Raises
    ------
    StoreError
        When the database holds another program's tables.
    SchemaVersionError
        When it was made by an older surveycoal (the message says to run
        ``surveycoal db upgrade``, which keeps a backup first) or a newer one.
    """
    url = database_url(location)
    path = _sqlite_path(url)
    created = False
    if path is not None:
        if not path.parent.exists():
            raise StoreError(_("The folder {folder} does not exist.").format(folder=path.parent))
        # Made readable by its owner only before SQLite opens it; SQLite gives its
        # -wal and -shm files the same mode.
        try:
            created = create_private_file(path)
        except OSError as exc:
            raise StoreError(
                _("Cannot create the database {path}: {reason}.").format(
                    path=path, reason=exc.strerror
                )
            ) from None
    store = Store(url, _engine_for(url))
    try:
        if not created:
            _check_sound(store)
        _create_tables(store)
    except BaseException:
        store.close()
        if created and path is not None and path.stat().st_size == 0:
            path.unlink(missing_ok=True)
        raise
    store._use_wal()
    return store


def _create_tables(store: Store) -> None:
    with store.write() as conn:
        version = migrations.current_version(conn)
        _refuse_newer(store, version)
        if version == 0:
            _refuse_foreign(store, inspect(conn).get_table_names())
        else:
            _refuse_older(store, version)
        migrations.apply_migrations(conn)


def _check_sound(store: Store) -> None:
    """Refuse a SQLite file whose pages are damaged, even when its schema still reads."""
    if not store.is_sqlite:
        return
    try:
        with store._guard():
            raw = store.engine.raw_connection()
            try:
                cursor = raw.cursor()
                result = [row[0] for row in cursor.execute("PRAGMA quick_check").fetchall()]
                cursor.close()
            finally:
                raw.close()
    except sqlite3.DatabaseError as exc:
        result = [str(exc)]
    if result != ["ok"]:
        raise StoreError(
            _("The database {location} is damaged: {reason}").format(
                location=store.location, reason="; ".join(map(str, result[:3]))
            ),
            hint=_("Nothing was changed. Restore it from a backup copy."),
        )


def open_store(location: str | os.PathLike[str] | None = None) -> Store:
    """Open an existing database whose schema is current.

    Raises
    ------
    StoreError
        When there is no database there (the message says to run ``surveycoal init``).
    SchemaVersionError
        When the schema is older (the message says to run ``surveycoal db upgrade``)
        or newer than this surveycoal knows.
    """
    url = database_url(location)
    path = _sqlite_path(url)
    if path is not None and not path.exists():
        raise StoreError(
            _("There is no surveycoal database at {path}.").format(path=path),
            hint=_(
                "Create one with `surveycoal init`, or point to one with --db or SURVEYCOAL_DB."
            ),
        )
    store = Store(url, _engine_for(url))
    version = store.schema_version()
    _refuse_newer(store, version)
    if version == 0:
        _refuse_unset(store)
    _refuse_older(store, version)
    store._use_wal()
    return store


def _refuse_older(store: Store, version: int) -> None:
    if version < migrations.LATEST_VERSION:
        raise SchemaVersionError(
            _(
                "The database {location} has schema version {version}; this surveycoal "
                "needs version {latest}."
            ).format(location=store.location, version=version, latest=migrations.LATEST_VERSION),
            hint=_(
                "Run `surveycoal db upgrade --db {location}` (it keeps a backup copy first)."
            ).format(location=store.location),
        )


def _refuse_newer(store: Store, version: int) -> None:
    if version > migrations.LATEST_VERSION:
        raise SchemaVersionError(
            _(
                "The database {location} was made by a newer surveycoal (schema version "
                "{version}; this one knows up to {latest})."
            ).format(location=store.location, version=version, latest=migrations.LATEST_VERSION),
            hint=_(
                "Install the newer surveycoal: pip install --upgrade surveycoal. "
                "Nothing was changed."
            ),
        )


def _refuse_foreign(store: Store, tables: list[str]) -> None:
    """Refuse to add surveycoal's tables to a database that holds another program's."""
    if tables:
        shown = ", ".join(sorted(tables)[:8]) + (" ..." if len(tables) > 8 else "")
        raise StoreError(
            _("{location} is not a surveycoal database: it holds other tables ({shown}).").format(
                location=store.location, shown=shown
            ),
            hint=_(
                "Nothing was changed. Give surveycoal a database of its own, for example "
                "`surveycoal init --db surveycoal.db`."
            ),
        )


def _refuse_unset(store: Store) -> None:
    """Explain a database without surveycoal's migrations: empty, or another program's."""
    _refuse_foreign(store, store.table_names())
    raise StoreError(
        _("{location} is an empty database: surveycoal has not set it up yet.").format(
            location=store.location
        ),
        hint=_("Set it up with `surveycoal init --db {location}`.").format(location=store.location),
    )


def _backup_path(path: Path, version: int) -> Path:
    """``NAME.bak-vN``, or ``NAME.bak-vN-2`` ... when an earlier backup has that name."""
    target = path.with_name(f"{path.name}.bak-v{version}")
    number = 2
    while target.exists():
        target = path.with_name(f"{path.name}.bak-v{version}-{number}")
        number += 1
    return target


def _backup_sqlite(store: Store, target: Path) -> None:
    """Copy a live SQLite database, WAL included, with SQLite's own backup API."""
    try:
        create_private_file(target)
        raw = store.engine.raw_connection()
        try:
            destination = sqlite3.connect(target)
            try:
                raw.driver_connection.backup(destination)  # type: ignore[union-attr]
            finally:
                destination.close()
        finally:
            raw.close()
    except (sqlite3.Error, DatabaseError, OSError) as exc:
        target.unlink(missing_ok=True)
        raise StoreError(
            _("Could not write the backup copy {target}: {reason}").format(
                target=target, reason=exc
            ),
            hint=_(
                "Nothing was upgraded. Make room or fix the folder's permissions, then try again."
            ),
        ) from exc


def upgrade_store(
    location: str | os.PathLike[str] | None = None,
) -> tuple[Store, list[str], Path | None]:
    """Apply pending migrations, after copying a SQLite file to ``NAME.bak-vN``.

    Returns the store, the names of the migrations applied and the backup's path.
    """
    url = database_url(location)
    path = _sqlite_path(url)
    if path is not None and not path.exists():
        raise StoreError(_("There is no surveycoal database at {path}.").format(path=path))
    store = Store(url, _engine_for(url))
    version = store.schema_version()
    _refuse_newer(store, version)
    if version == 0:
        _refuse_unset(store)
    backup = None
    if version < migrations.LATEST_VERSION and path is not None:
        backup = _backup_path(path, version)
        _backup_sqlite(store, backup)
    with store.write() as conn:
        applied = migrations.apply_migrations(conn)
    store._use_wal()
    return store, [m.name for m in applied], backup

"""Importing answers typed into a spreadsheet (paper forms) or exported by an online form.

A file has one row per response and a header row naming the columns: one per
item id, optionally one per open question, ``member_type`` and, in rounds that
link rounds, an optional ``panel_key``. Answers are 1..points, empty for "not
answered", or one of the "don't know" words (``dk``, ``weet niet``, ``don't
know`` ... and the scale's own label in either language).

CSV files may be UTF-8 (with or without a byte order mark) or Windows-1252, with
comma, semicolon (Dutch Excel) or tab between the columns; ``.xlsx`` files are
read with openpyxl. Every row is checked first and every problem is reported
with its row and column; only a file without problems is stored, all of it in
one transaction.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from surveycoal.answering import clean_text
from surveycoal.codes import panel_key_from_text
from surveycoal.errors import DataImportError, InputError
from surveycoal.i18n import _, ngettext
from surveycoal.instruments import Instrument
from surveycoal.store import NewResponse, Store, get_round, require_answerable
from surveycoal.store.imports import Progress, refuse_a_second_import, store_import
from surveycoal.store.rounds import Round

DONT_KNOW_WORDS = frozenset(
    {
        "dk",
        "?",
        "weet niet",
        "weet ik niet",
        "weetniet",
        "wn",
        "don't know",
        "dont know",
        "don’t know",
        "do not know",
        "n/a",
    }
)
MEMBER_TYPE_COLUMN = "member_type"
PANEL_KEY_COLUMN = "panel_key"
MAX_ROWS = 100_000
#: Limits checked before a file is read whole: its size, the columns of a row, the
#: length of one cell, and for XLSX (a zip of XML files) how far it unpacks.
MAX_FILE_BYTES = 50_000_000
MAX_COLUMNS = 1_000
MAX_CELL_CHARACTERS = 10_000
MAX_UNPACKED_BYTES = 500_000_000
MAX_ZIP_RATIO = 100
_PROGRESS_EVERY = 50


@dataclass(frozen=True)
class Table:
    """A file read into text cells: the header and the data rows with their row numbers."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""
    blank_rows: int = 0
    header_row: int = 1


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, with ``dry_run``, would do)."""

    round_ref: str
    responses: int
    skipped_empty_rows: int
    stored: bool
    encoding: str
    delimiter: str


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index.

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# -- reading files ----------------------------------------------------------------


def decode(data: bytes, name: str = "The file") -> tuple[str, str]:
    """Text and encoding name: UTF-8 (BOM or not), else Windows-1252.

    Excel's "Unicode text" (UTF-16 with a byte order mark) is read too; any other
    file with NUL bytes is not text (a spreadsheet saved under a .csv name).
    Messages start with ``name`` (the file's name).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DataImportError(
                _("{name} starts like UTF-16 text but cannot be read as it.").format(name=name),
                [_unreadable_byte(exc.start)],
            ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataImportError(
            _(
                "{name} is not a text file (it holds NUL bytes): perhaps a spreadsheet saved "
                "under a .csv name."
            ).format(name=name),
            [_("byte {byte}: save the file as CSV UTF-8, or as .xlsx").format(byte=nul)],
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise DataImportError(
            _("{name} is neither UTF-8 nor Windows-1252 text.").format(name=name),
            [_unreadable_byte(exc.start)],
        ) from None


def _unreadable_byte(byte: int) -> str:
    return _("byte {byte}: cannot be read; save the file as CSV UTF-8").format(byte=byte)


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_limited(path: Path) -> bytes:
    """The file's bytes, refused before reading when it is larger than MAX_FILE_BYTES."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DataImportError(
            _("{name} cannot be read: {reason}.").format(name=path.name, reason=exc.strerror or exc)
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise DataImportError(_too_big(path))
    return data


def _too_big(path: Path) -> str:
    return _(
        "{name} is larger than {size} MB: that is far more than the answers of a round; "
        "split it, or check that it is the right file."
    ).format(name=path.name, size=MAX_FILE_BYTES // 1_000_000)


def _check_row(path: Path, number: int, row: Sequence[str]) -> None:
    if len(row) > MAX_COLUMNS:
        raise DataImportError(
            _("{name}, row {number}, has {count} columns; at most {most}.").format(
                name=path.name, number=number, count=len(row), most=MAX_COLUMNS
            )
        )
    if not row or max(map(len, row)) <= MAX_CELL_CHARACTERS:
        return
    for index, cell in enumerate(row):
        if len(cell) > MAX_CELL_CHARACTERS:
            raise DataImportError(
                _("{name}, cell {cell}, holds {count} characters; at most {most}.").format(
                    name=path.name,
                    cell=f"{column_letter(index)}{number}",
                    count=len(cell),
                    most=MAX_CELL_CHARACTERS,
                )
            )


def _check_zip(path: Path) -> None:
    """Refuse an XLSX that would unpack to far more than its size (a "zip bomb")."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataImportError(
            _(
                "{name} cannot be opened as an Excel file: it is damaged or not an .xlsx "
                "file ({reason})."
            ).format(name=path.name, reason=exc)
        ) from None
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or (
        unpacked > 1_000_000 and unpacked / packed > MAX_ZIP_RATIO
    ):
        raise DataImportError(
            _(
                "{name} would unpack to {unpacked} MB from {packed} KB: "
                "no sheet of answers is like that, so it is not read."
            ).format(name=path.name, unpacked=unpacked // 1_000_000, packed=packed // 1000),
        )


def read_csv(path: Path) -> Table:
    text, encoding = decode(_read_limited(path), path.name)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        # A record is a spreadsheet row, even when a quoted cell spans several lines.
        for number, row in enumerate(reader, start=1):
            _check_row(path, number, row)
            lines.append((number, row))
            if len(lines) > MAX_ROWS + 1:
                raise DataImportError(_too_many_rows(path))
    except csv.Error as exc:
        raise DataImportError(
            _("{name} is not a readable CSV file.").format(name=path.name),
            [_("line {line}: {reason}").format(line=reader.line_num, reason=exc)],
        ) from None
    return _table(path, lines, encoding, delimiter)


def _too_many_rows(path: Path) -> str:
    return _("{name} has more than {most} rows; at most {most} at a time.").format(
        name=path.name, most=MAX_ROWS
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"<date {value}>"
    return str(value)


def read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    if path.stat().st_size > MAX_FILE_BYTES:
        raise DataImportError(_too_big(path))
    _check_zip(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise DataImportError(
            _("{name} cannot be opened as an Excel file: {reason}").format(
                name=path.name, reason=exc
            )
        ) from None
    rows = []
    try:
        sheet = workbook.worksheets[0]
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            row = [_cell_text(v) for v in values]
            _check_row(path, n, row)
            rows.append((n, row))
            if len(rows) > MAX_ROWS + 1:
                raise DataImportError(_too_many_rows(path))
    except DataImportError:
        raise
    except Exception as exc:  # a damaged sheet, or XML the parser refuses (entity expansion)
        raise DataImportError(
            _("{name} cannot be read as an Excel file: its sheet is damaged ({reason}).").format(
                name=path.name, reason=exc
            )
        ) from None
    finally:
        workbook.close()
    return _table(path, rows, "xlsx", "")


def _table(path: Path, lines: list[tuple[int, list[str]]], encoding: str, delimiter: str) -> Table:
    filled = [(n, row) for n, row in lines if any(cell.strip() for cell in row)]
    if not filled:
        raise DataImportError(_("{name} is empty: it has no header row.").format(name=path.name))
    (header_number, header), *rows = filled
    blank = sum(1 for n, _row in lines if n > header_number) - len(rows)
    if len(rows) > MAX_ROWS:
        raise DataImportError(
            _("{name} has {count} rows; at most {most} at a time.").format(
                name=path.name, count=len(rows), most=MAX_ROWS
            )
        )
    return Table([h.strip() for h in header], rows, encoding, delimiter, blank, header_number)


def read_table(path: str | Path) -> Table:
    """Read a .csv (or .txt/.tsv) or .xlsx file into text cells."""
    path = Path(path)
    if path.is_dir():
        raise InputError(
            _("{path} is a folder; give the answers file inside it.").format(path=path)
        )
    if not path.is_file():
        raise InputError(_("There is no file {path}.").format(path=path))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(path)
    raise InputError(
        _("{name}: import reads .csv and .xlsx files, not {suffix}.").format(
            name=path.name, suffix=suffix or _("this")
        )
    )


# -- checking rows ----------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.strip().casefold().split())


@dataclass(frozen=True)
class _Columns:
    items: dict[int, str]
    open_questions: dict[int, str]
    member_type: int | None
    panel_key: int | None


def _map_columns(
    instrument: Instrument, header: Sequence[str], header_row: int
) -> tuple[_Columns, list[str]]:
    problems: list[str] = []
    items = {_norm(i): i for i in instrument.item_ids}
    questions = {_norm(q.id): q.id for q in instrument.open_questions}
    found = _Columns({}, {}, None, None)
    seen: dict[str, str] = {}
    member_type = panel_key = None
    for index, name in enumerate(header):
        where = _("column {letter}").format(letter=column_letter(index))
        key = _norm(name)
        if not key:
            problems.append(
                _("row {row}, {where}: the column has no name").format(row=header_row, where=where)
            )
            continue
        if key in seen:
            problems.append(
                _("row {row}, {where}: {name!r} appears twice (also in {other})").format(
                    row=header_row, where=where, name=name, other=seen[key]
                )
            )
            continue
        seen[key] = where
        if key in items:
            found.items[index] = items[key]
        elif key in questions:
            found.open_questions[index] = questions[key]
        elif key in (MEMBER_TYPE_COLUMN, "member type"):
            member_type = index
        elif key in (PANEL_KEY_COLUMN, "panel key"):
            panel_key = index
        else:
            problems.append(
                _(
                    "row {row}, {where}: {name!r} is not an item, an open question, "
                    "{member_type} or {panel_key}; rename it, or delete the "
                    "column (an online form's time stamp, for example)"
                ).format(
                    row=header_row,
                    where=where,
                    name=name,
                    member_type=MEMBER_TYPE_COLUMN,
                    panel_key=PANEL_KEY_COLUMN,
                )
            )
    if member_type is None:
        problems.append(
            _("row {row}: there is no {column} column").format(
                row=header_row, column=MEMBER_TYPE_COLUMN
            )
        )
    missing = [i for i in instrument.item_ids if i not in found.items.values()]
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        problems.append(
            _("row {row}: {count} item column(s) are missing: {shown}").format(
                row=header_row, count=len(missing), shown=shown
            )
        )
    return _Columns(found.items, found.open_questions, member_type, panel_key), problems


def _member_types(instrument: Instrument) -> dict[str, str]:
    names: dict[str, str] = {}
    for mt in instrument.member_types:
        names[_norm(mt.id)] = mt.id
        names[_norm(mt.id.replace("_", " "))] = mt.id
        for label in (*mt.label.values(), *(mt.group or {}).values()):
            names[_norm(label)] = mt.id
    return names


def _dont_know_words(instrument: Instrument) -> set[str]:
    words = set(DONT_KNOW_WORDS)
    for scale in instrument.scales:
        words.update(_norm(label) for label in scale.dont_know.values())
    return words


_NUMBER = re.compile(r"^\s*(\d+)(?:[.,]0+)?\s*$")


class RowChecker:
    """Turns rows of text cells into responses, collecting every problem."""

    def __init__(
        self, round_: Round, header: Sequence[str], secret: bytes | None, header_row: int = 1
    ) -> None:
        self.round = round_
        self.instrument = round_.instrument
        self.columns, self.problems = _map_columns(self.instrument, header, header_row)
        self.header = list(header)
        self._member_types = _member_types(self.instrument)
        self._dont_know = _dont_know_words(self.instrument)
        self._secret = secret
        self._limits = {q.id: q.max_length for q in self.instrument.open_questions}
        # Answers as they are usually typed ("4", "dk"), read without any parsing; the
        # rest go the long way below.
        self._points = {
            item.id: self.instrument.scale_for(item).points for item in self.instrument.items
        }
        self._plain: dict[int, dict[str, int | None]] = {
            points: {str(v): v for v in range(1, points + 1)} | dict.fromkeys(self._dont_know)
            for points in set(self._points.values())
        }

    def _where(self, row_number: int, index: int) -> str:
        return _("row {row}, column {letter} ({name})").format(
            row=row_number, letter=column_letter(index), name=self.header[index]
        )

    def check(self, row_number: int, cells: Sequence[str]) -> NewResponse | None:
        """The row's response, or None when it has problems (added to ``problems``)."""
        before = len(self.problems)
        if len(cells) > len(self.header) and any(c.strip() for c in cells[len(self.header) :]):
            self.problems.append(
                _("row {row}: there are more cells than column names").format(row=row_number)
            )

        def cell(index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        member_type = None
        raw_type = cell(self.columns.member_type)
        if self.columns.member_type is not None:
            if not raw_type:
                where = self._where(row_number, self.columns.member_type)
                self.problems.append(_("{where}: the member type is empty").format(where=where))
            else:
                member_type = self._member_types.get(_norm(raw_type))
                if member_type is None:
                    self.problems.append(
                        _("{where}: {value!r} is not a member type ({choices})").format(
                            where=self._where(row_number, self.columns.member_type),
                            value=raw_type,
                            choices=", ".join(self.instrument.member_type_ids),
                        )
                    )
        answers: dict[str, int | None] = {}
        width = len(cells)
        for index, item_id in self.columns.items.items():
            raw = cells[index].strip() if index < width else ""
            if not raw:
                continue
            points = self._points[item_id]
            plain = self._plain[points]
            if raw in plain:
                answers[item_id] = plain[raw]
                continue
            if _norm(raw) in self._dont_know:
                answers[item_id] = None
                continue
            match = _NUMBER.match(raw)
            if match is None or not 1 <= int(match.group(1)) <= points:
                self.problems.append(
                    _(
                        "{where}: {value!r} is not an answer (1 to {points}, empty, "
                        "or dk for don't know)"
                    ).format(where=self._where(row_number, index), value=raw, points=points)
                )
                continue
            answers[item_id] = int(match.group(1))
        open_answers: dict[str, str] = {}
        for index, question_id in self.columns.open_questions.items():
            raw = cell(index)
            if not raw:
                continue
            try:
                open_answers[question_id] = clean_text(raw, self._limits[question_id])
            except InputError:
                self.problems.append(
                    _("{where}: the answer is longer than {most} characters").format(
                        where=self._where(row_number, index), most=self._limits[question_id]
                    )
                )
        panel_hash = None
        raw_key = cell(self.columns.panel_key)
        if raw_key:
            where = self._where(row_number, self.columns.panel_key or 0)
            if not self.round.link_rounds:
                self.problems.append(
                    _("{where}: round {ref} does not link rounds, so it takes no panel key").format(
                        where=where, ref=self.round.ref
                    )
                )
            elif self._secret is not None:
                try:
                    panel_hash = panel_key_from_text(self._secret, raw_key)
                except InputError as exc:
                    self.problems.append(f"{where}: {exc.message}")
        if not answers and not open_answers and len(self.problems) == before:
            self.problems.append(
                _("row {row}: there are no answers in this row").format(row=row_number)
            )
        if len(self.problems) > before or member_type is None:
            return None
        return NewResponse(
            member_type=member_type,
            answers=answers,
            open_answers=open_answers,
            panel_key_hash=panel_hash,
            complete=True,
        )


def check_table(
    round_: Round,
    table: Table,
    *,
    secret: bytes | None = None,
    progress: Progress | None = None,
) -> list[NewResponse]:
    """Every row as a response, or DataImportError listing every problem in the file."""
    checker = RowChecker(round_, table.header, secret, table.header_row)
    responses = []
    total = len(table.rows)
    for done, (row_number, cells) in enumerate(table.rows, start=1):
        response = checker.check(row_number, cells)
        if response is not None:
            responses.append(response)
        if progress is not None and (done % _PROGRESS_EVERY == 0 or done == total):
            progress("check", done, total)
    if checker.problems:
        count = len(checker.problems)
        raise DataImportError(
            ngettext(
                "Nothing was imported: the file has {count} problem.",
                "Nothing was imported: the file has {count} problems.",
                count,
            ).format(count=count),
            checker.problems,
        )
    if not responses:
        raise DataImportError(_("Nothing was imported: the file has no rows with answers."))
    return responses


#: One encoder for every row: ``json.dumps`` with options builds a new one per call.
_ROW_JSON = json.JSONEncoder(ensure_ascii=False).encode


def content_hash(key: bytes, responses: Sequence[NewResponse]) -> str:
    """One keyed hash of a file's answers, whatever their order, spelling or file format."""
    rows = sorted(
        _ROW_JSON(
            [
                r.member_type,
                sorted(r.answers.items()),
                sorted(r.open_answers.items()),
                r.panel_key_hash,
            ]
        )
        for r in responses
    )
    return hmac.new(key, "\n".join(rows).encode("utf-8"), hashlib.sha256).hexdigest()


def import_answers(
    store: Store,
    ref: str,
    path: str | Path,
    *,
    dry_run: bool = False,
    again: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Check a file and store all of its rows as responses of ``ref`` in one transaction.

    With ``dry_run`` only the checks run. Raises DataImportError (every problem,
    with row and column) and stores nothing when any row is wrong. The same answers
    imported into the round before are refused (they would count twice) unless
    ``again`` says they really are new responses.
    """
    round_ = get_round(store, ref)
    if not dry_run:
        require_answerable(round_, today)
    table = read_table(path)
    secret = store.hash_key() if round_.link_rounds else None
    responses = check_table(round_, table, secret=secret, progress=progress)
    content = content_hash(store.hash_key(), responses)
    if dry_run and not again:
        refuse_a_second_import(store, round_, content)
    if not dry_run:
        store_import(store, round_, responses, content, again=again, today=today, progress=progress)
    return ImportResult(
        round_ref=round_.ref,
        responses=len(responses),
        skipped_empty_rows=table.blank_rows,
        stored=not dry_run,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )

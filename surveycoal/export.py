"""Writing tables for spreadsheet programs: CSV and XLSX, safe to open.

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return)
is read as a formula by Excel and LibreOffice; such text cells get a leading
apostrophe so they stay text ("CSV injection"). Numbers are left alone, so a
negative change of -3.5 stays a number.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from surveycoal.errors import InputError

FORMATS = ("csv", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Make a text cell safe for spreadsheet programs; other values pass unchanged.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise(-3.5)
    -3.5
    >>> neutralise("goed")
    'goed'
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) neutralised."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def write_tables(
    sheets: Mapping[str, pd.DataFrame], path: Path, *, fmt: str | None = None, force: bool = False
) -> list[Path]:
    """Write named tables: one XLSX with a sheet each, or one CSV each (``NAME-sheet.csv``).

    The first sheet goes to ``path`` itself when writing CSV. Files are written
    to a temporary name first and moved into place, so a failure leaves no
    half-written file. Returns the paths written.
    """
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in FORMATS:
        raise InputError(f"{fmt!r} is not an export format; use csv or xlsx.")
    if fmt == "xlsx":
        targets = dict.fromkeys(sheets, path)
    else:
        first = next(iter(sheets))
        targets = {
            name: path if name == first else path.with_name(f"{path.stem}-{name}{path.suffix}")
            for name in sheets
        }
    existing = sorted({str(p) for p in targets.values() if p.exists()})
    if existing and not force:
        raise InputError(f"{', '.join(existing)} exists already; use --force to replace it.")
    if not path.parent.exists():
        raise InputError(f"The folder {path.parent} does not exist.")
    if fmt == "xlsx":
        tmp = path.with_name(path.name + ".tmp")
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                neutralise_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)
        os.replace(tmp, path)
        return [path]
    written = []
    for name, frame in sheets.items():
        target = targets[name]
        tmp = target.with_name(target.name + ".tmp")
        neutralise_frame(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
        os.replace(tmp, target)
        written.append(target)
    return written

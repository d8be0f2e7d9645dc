"""Finding and loading instruments: the shipped ones, a user's folder, or a file.

A name such as ``coalition-health`` is looked up first in the folder named by
``SURVEYCOAL_INSTRUMENTS``, then among the shipped instruments; a path is read as is.
"""

from __future__ import annotations

import os
from pathlib import Path

from surveycoal.errors import InputError, InstrumentError, NotFoundError
from surveycoal.i18n import _, ngettext
from surveycoal.instruments.checker import _read
from surveycoal.instruments.model import Instrument
from surveycoal.resources import instruments_dir

#: Environment variable that names a folder of the user's own instruments.
USER_INSTRUMENTS_ENV = "SURVEYCOAL_INSTRUMENTS"
#: The instrument a round opens with, and a member is checked against, when none is named.
DEFAULT_INSTRUMENT = "coalition-health"


def instrument_folders() -> list[Path]:
    """Where instruments are looked up by name: the user's folder first, then the shipped one.

    The user's folder is the one ``SURVEYCOAL_INSTRUMENTS`` names, when it is set.
    """
    folders: list[Path] = []
    user = os.environ.get(USER_INSTRUMENTS_ENV, "").strip()
    if user:
        folder = Path(user).expanduser()
        if not folder.is_dir():
            raise InputError(
                _("{variable} is set to {value!r}, which is not a folder.").format(
                    variable=USER_INSTRUMENTS_ENV, value=user
                ),
                hint=_("Point it at the folder that holds your instrument files, or unset it."),
            )
        folders.append(folder)
    shipped = instruments_dir()
    if not any(f.resolve() == shipped.resolve() for f in folders):
        folders.append(shipped)
    return folders


def _instrument_files() -> list[Path]:
    """One file per name: a user's file hides a shipped file of the same name."""
    files: list[Path] = []
    names: set[str] = set()
    for folder in instrument_folders():
        for path in sorted(folder.iterdir()):
            if path.suffix in (".yaml", ".yml") and path.is_file() and path.stem not in names:
                names.add(path.stem)
                files.append(path)
    return files


def _is_path(path_or_name: str | os.PathLike[str]) -> bool:
    if not isinstance(path_or_name, str):
        return True
    return path_or_name.endswith((".yaml", ".yml")) or "/" in path_or_name or os.sep in path_or_name


def find_instrument(name: str) -> Path:
    """The file of the instrument called ``name`` (its file name or its id).

    Raises
    ------
    NotFoundError
        When no instrument folder holds it; the error lists the names there are.
    """
    files = _instrument_files()
    for path in files:
        if path.stem == name:
            return path
    known = {path.stem for path in files}
    for path, found in list_instruments():
        if isinstance(found, Instrument):
            if found.id == name:
                return path
            known.add(found.id)
    raise NotFoundError("instrument", name, known)


def load_instrument(path_or_name: str | os.PathLike[str]) -> Instrument:
    """Load and validate an instrument from a file, or by name from the instrument folders.

    A name such as ``coalition-health`` is looked up first in the folder named by
    ``SURVEYCOAL_INSTRUMENTS``, then among the shipped instruments.

    Raises
    ------
    InstrumentError
        When the file has problems; ``problems`` holds every one (see :class:`Problem`).
    NotFoundError
        When no instrument has that name.

    Examples
    --------
    >>> load_instrument("coalition-health").dimensions[0].id
    'trust'
    """
    path = Path(path_or_name) if _is_path(path_or_name) else find_instrument(str(path_or_name))
    data, problems = _read(path)
    if problems:
        raise InstrumentError(
            ngettext(
                "{path} is not a valid instrument ({count} problem):",
                "{path} is not a valid instrument ({count} problems):",
                len(problems),
            ).format(path=path, count=len(problems)),
            problems,
        )
    return Instrument.from_dict(data)


def list_instruments() -> list[tuple[Path, Instrument | InstrumentError]]:
    """Every instrument file in the user's and the shipped folders, loaded or with its problems."""
    found: list[tuple[Path, Instrument | InstrumentError]] = []
    for path in _instrument_files():
        try:
            found.append((path, load_instrument(path)))
        except InstrumentError as exc:
            found.append((path, exc))
    return found

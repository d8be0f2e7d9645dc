"""Writing files that hold answers: whole or not at all, readable by their owner only.

Exports, reports, codes and slips hold answers or live codes, so every file
surveycoal writes is created with mode 0600 whatever the umask, and written to a
temporary file in the same folder, flushed to disk and then renamed into place:
a reader sees the old file or the whole new one, never half of one. The
temporary file is removed when anything goes wrong; one left behind by a run that
was killed (``kill -9``, a power cut) is removed by the next run that writes in
that folder, or by any command started in it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from surveycoal.errors import InputError
from surveycoal.i18n import _

PRIVATE = 0o600
#: Temporary files end in this, after the pid of the process that writes them.
TEMP_SUFFIX = ".surveycoal-tmp"


def _describe(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _cannot_write(target: Path, exc: OSError) -> InputError:
    return InputError(
        _("Cannot write {path}: {reason}.").format(path=target, reason=_describe(exc))
    )


def check_target(path: Path) -> None:
    """Refuse a path that cannot take a file, with a message naming it."""
    parent = path.parent
    try:
        for ancestor in [parent, *parent.parents]:
            if ancestor.exists():
                if not ancestor.is_dir():
                    raise InputError(
                        _("Cannot write {path}: {ancestor} is a file, not a folder.").format(
                            path=path, ancestor=ancestor
                        )
                    )
                break
        if not parent.exists():
            raise InputError(_("The folder {folder} does not exist.").format(folder=parent))
        if path.is_dir():
            raise InputError(_("Cannot write {path}: it is a folder.").format(path=path))
        resolved = parent.resolve()
    except PermissionError:
        raise InputError(
            _("Cannot write {path}: you may not open the folder {folder}.").format(
                path=path, folder=parent
            )
        ) from None
    system = (Path("/proc"), Path("/sys"), Path("/dev"))
    if any(resolved == top or top in resolved.parents for top in system):
        raise InputError(
            _("Cannot write {path}: {folder} is a system folder, not one for files.").format(
                path=path, folder=parent
            )
        )


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def remove_stale_temps(folder: Path | str = ".") -> list[Path]:
    """Remove temporary files that a killed surveycoal left in ``folder``; returns them.

    A temporary file is named ``.NAME.PID.RANDOM.surveycoal-tmp``: it is stale when
    no process with that pid runs any more, so another surveycoal writing in the same
    folder at this moment keeps its own.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.endswith(TEMP_SUFFIX) or not entry.name.startswith("."):
            continue
        parts = entry.name[: -len(TEMP_SUFFIX)].rsplit(".", 2)
        try:
            pid = int(parts[-2])
        except (IndexError, ValueError):
            continue
        if _pid_alive(pid):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def staged(path: str | os.PathLike[str]) -> Iterator[tuple[Path, Callable[[], Path]]]:
    """A private temporary file next to ``path``, and a function that moves it into place.

    Inside the block, write the temporary file (by its path) and call the function
    to put it in place; leave the block without calling it, or with an exception,
    and the temporary file is removed. Used by :func:`write_private` and wherever
    several files must be ready before anything else happens (invitation codes).
    """
    target = Path(path).expanduser()
    check_target(target)
    folder = target.parent
    remove_stale_temps(folder)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, PRIVATE)

    def commit() -> Path:
        try:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, target)
        except OSError as exc:
            if exc.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST):
                raise InputError(
                    _("Cannot write {path}: it is a folder.").format(path=target)
                ) from None
            raise _cannot_write(target, exc) from None
        _fsync_folder(folder)
        return target

    try:
        yield tmp, commit
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_private(
    path: str | os.PathLike[str],
    content: str | bytes | Callable[[Path], None],
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Path:
    """Write a whole file, mode 0600, through a temporary file; returns its path.

    ``content`` is text, bytes, or a function that writes the file at the path
    it is given (pandas, openpyxl). Nothing is left behind when it fails.
    """
    with staged(path) as (tmp, commit):
        if callable(content):
            content(tmp)
            os.chmod(tmp, PRIVATE)
        elif isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            with open(tmp, "w", encoding=encoding, newline=newline) as f:
                f.write(content)
        return commit()


def create_private_file(path: Path) -> bool:
    """Create an empty file mode 0600 unless one exists; True when it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, PRIVATE)
    return True


def readable_by_others(path: Path) -> bool:
    """True when the file's group or other users may read it."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_IRGRP | stat.S_IROTH))

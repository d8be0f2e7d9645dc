"""Printing a report to PDF: the same HTML, laid out for A4 by a browser engine.

The PDF keeps the charts as vectors and the text selectable, because it is
printed from the report's own HTML and SVG, not from pictures of them. The
printer is chromium (or Chrome):

1. driven by Playwright, when that is installed (the test setup);
2. on its own otherwise (``chromium --headless --print-to-pdf``), for example
   Debian's ``apt-get install chromium``; ``SURVEYCOAL_CHROMIUM`` names another
   chromium or Chrome program.

WeasyPrint is not used: it draws the report's SVG charts without the stylesheet's
colours (every bar black), so its PDFs would mislead. Without chromium
:class:`~surveycoal.errors.InputError` says what to install.
The HTML is written to a private temporary folder for the browser to open and
removed afterwards; the report itself needs no network, and nothing leaves it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from surveycoal.errors import InputError, SurveycoalError
from surveycoal.i18n import _

#: Names a chromium or Chrome binary goes by on the usual systems.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Seconds a browser may take to print one report.
TIMEOUT = 120

BROWSER_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
)

INSTALL_HINT = (
    "Install chromium (on Debian or Ubuntu: sudo apt-get install chromium; on a Mac or on "
    "Windows, install Chrome and set SURVEYCOAL_CHROMIUM to its program), or write HTML "
    "(-o report.html) and print it to PDF from any browser."
)


def find_chromium() -> str | None:
    """The chromium (or Chrome) program to print with, if there is one."""
    named = os.environ.get("SURVEYCOAL_CHROMIUM")
    if named:
        found = shutil.which(named)
        if found is None:
            raise InputError(
                _(
                    "SURVEYCOAL_CHROMIUM names {named}, which is not a program that can be run."
                ).format(named=named)
            )
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def engine() -> str:
    """Which engine :func:`html_to_pdf` would use: playwright or chromium.

    Raises :class:`InputError` with what to install when there is none.
    """
    chromium = find_chromium()
    if chromium and _has_playwright():
        return "playwright"
    if chromium:
        return "chromium"
    raise InputError(
        _("Writing a PDF needs chromium, which is not installed."), hint=_(INSTALL_HINT)
    )


def html_to_pdf(html: str) -> bytes:
    """The PDF of one report's HTML, on A4 as the report's print styles lay it out."""
    which = engine()
    printers: dict[str, Callable[[Path, Path], None]] = {
        "playwright": _print_playwright,
        "chromium": _print_chromium,
    }
    with tempfile.TemporaryDirectory(prefix="surveycoal-pdf-") as folder:
        tmp = Path(folder)
        source = tmp / "report.html"
        source.write_text(html, encoding="utf-8")
        source.chmod(0o600)
        target = tmp / "report.pdf"
        printers[which](source, target)
        try:
            data = target.read_bytes()
        except OSError:
            data = b""
    if not data.startswith(b"%PDF"):
        raise SurveycoalError(
            _("Printing the report to PDF with {which} gave no PDF.").format(which=which)
        )
    return data


def _print_playwright(source: Path, target: Path) -> None:
    from playwright.sync_api import Error, sync_playwright

    chromium = find_chromium()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=list(BROWSER_ARGS))
            try:
                page = browser.new_page()
                # nothing but the file itself may load (the report asks for nothing else)
                url = source.as_uri()
                page.route(
                    "**/*",
                    lambda route: route.continue_() if route.request.url == url else route.abort(),
                )
                page.goto(url, wait_until="load")
                page.emulate_media(media="print")
                page.pdf(
                    path=str(target),
                    format="A4",
                    print_background=True,
                    prefer_css_page_size=True,
                    tagged=True,
                )
            finally:
                browser.close()
    except Error as exc:
        raise SurveycoalError(
            _("chromium could not print the report: {reason}").format(reason=exc.message)
        ) from None


def _print_chromium(source: Path, target: Path) -> None:
    chromium = find_chromium()
    if chromium is None:  # pragma: no cover - engine() checked
        raise InputError(_("chromium is not installed."), hint=_(INSTALL_HINT))
    profile = target.parent / "profile"
    command = [
        chromium,
        *BROWSER_ARGS,
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
        f"--print-to-pdf={target}",
        source.as_uri(),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SurveycoalError(
            _("chromium took longer than {seconds} s to print the report.").format(seconds=TIMEOUT)
        ) from None
    except OSError as exc:
        raise InputError(
            _("chromium ({chromium}) could not be started: {reason}.").format(
                chromium=chromium, reason=exc.strerror
            )
        ) from None
    if done.returncode != 0 or not target.exists():
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise SurveycoalError(
            _("chromium could not print the report: {reason}").format(reason=last)
        )


def write_pdf(path: str | os.PathLike[str], html: str) -> Path:
    """Print ``html`` to a PDF at ``path``; a failed print or write leaves no file behind."""
    target = Path(path).expanduser()
    if target.parent and not target.parent.exists():
        raise InputError(_("The folder {folder} does not exist.").format(folder=target.parent))
    data = html_to_pdf(html)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(
            _("Cannot write {path}: {reason}.").format(path=target, reason=exc.strerror)
        ) from None
    return target

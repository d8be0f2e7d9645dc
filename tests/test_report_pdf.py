"""Reports as PDF: ``surveycoal report ... -o report.pdf`` and ``--pdf``.

The demo programme of five coalitions prints on at most 12 A4 pages, with every
chart in it, drawn as vectors (no picture of a chart), and its text extractable.
Printing needs chromium; without it the command says what to install and writes
nothing. Without chromium, playwright or pypdf the printing tests are skipped
locally and fail under CI.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_fixtures import build_demo_reports, chromium_or_skip, parse_html
from typer.testing import CliRunner

from surveycoal.cli import app
from surveycoal.demo import PROGRAMME
from surveycoal.reports import pdf as pdf_module

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
MAX_PAGES = 12


def _reader(data: bytes):  # type: ignore[no-untyped-def]
    try:
        from pypdf import PdfReader
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("pypdf is needed to read the PDF reports in CI.")
        pytest.skip("pypdf is not installed")
    return PdfReader(io.BytesIO(data))


def _pictures(reader) -> list[str]:  # type: ignore[no-untyped-def]
    """Raster images anywhere on the pages: drawn directly or inside a fill pattern."""
    found = []

    def look(resources, where: str) -> None:  # type: ignore[no-untyped-def]
        resources = resources.get_object() if resources is not None else {}
        for name, obj in (resources.get("/XObject") or {}).items():
            obj = obj.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append(f"{where} {name}")
            elif obj.get("/Subtype") == "/Form":
                look(obj.get("/Resources"), f"{where} {name}")
        for name, obj in (resources.get("/Pattern") or {}).items():
            look(obj.get_object().get("/Resources"), f"{where} {name}")

    for k, page in enumerate(reader.pages):
        look(page.get("/Resources"), f"page {k + 1}")
    return found


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("pdf-demo")
    result = build_demo_reports(folder, lang="nl")
    yield result.database, folder


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


@pytest.mark.browser
def test_the_programme_prints_to_a_pdf_of_at_most_twelve_pages_with_every_chart(demo) -> None:  # type: ignore[no-untyped-def]
    chromium_or_skip()
    database, folder = demo
    target = folder / "programme.pdf"
    result = _run("report", "programme", PROGRAMME, "--db", str(database), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "PDF written to" in result.output
    assert not (folder / "programme.html").exists() or target.exists()
    data = target.read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "programme-cli.pdf").write_bytes(data)
    reader = _reader(data)
    pages = [_squash(page.extract_text() or "") for page in reader.pages]
    assert 1 <= len(pages) <= MAX_PAGES, len(pages)
    text = " ".join(pages)
    # the same report as the HTML: every figure's caption and every funnel panel
    html_path = folder / "reports" / "programme.html"
    tree = parse_html(html_path.read_text(encoding="utf-8"))
    captions = [_squash(f.text()) for f in tree.find_all("figcaption")]
    assert captions
    for caption in captions:
        assert caption in text, caption
    headings = [
        _squash(t.text())
        for svg in tree.find_all("svg")
        if "chart-funnel" in svg.classes()
        for t in svg.find_all("text")
        if "panel-heading" in t.classes()
    ]
    assert len(headings) == 8
    for heading in headings:
        assert heading in text, heading
    # findings on page 1, with the cover
    assert "Om over te praten" in pages[0] and PROGRAMME in pages[0]
    assert "Het programma per dimensie".upper() in pages[0].upper()
    # charts are vectors: the PDF holds no pictures, not even inside fill patterns
    assert _pictures(reader) == []


@pytest.mark.browser
def test_pdf_beside_the_html_and_without_playwright(demo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    chromium_or_skip()
    database, folder = demo
    # chromium on its own, as a user without the test tools has it
    monkeypatch.setattr(pdf_module, "_has_playwright", lambda: False)
    assert pdf_module.engine() == "chromium"
    target = folder / "klein.html"
    result = _run(
        "report", "coalition", "klein-rietveld", "--db", str(database), "-o", str(target), "--pdf"
    )
    assert result.exit_code == 0, result.output
    assert target.exists() and target.with_suffix(".pdf").exists()
    reader = _reader(target.with_suffix(".pdf").read_bytes())
    text = _squash(" ".join(page.extract_text() or "" for page in reader.pages))
    assert "Klein Rietveld" in text and "Samenvatting" in text


def test_without_chromium_the_message_says_what_to_install_and_nothing_is_written(  # type: ignore[no-untyped-def]
    demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    database, folder = demo
    monkeypatch.setattr(pdf_module, "find_chromium", lambda: None)
    target = folder / "nothing.pdf"
    result = _run("report", "programme", PROGRAMME, "--db", str(database), "-o", str(target))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "chromium" in result.output and "apt-get install chromium" in result.output
    assert not target.exists()
    # --pdf beside HTML: not even the HTML is written, so a rerun is the whole fix
    html = folder / "nothing.html"
    result = _run("report", "programme", PROGRAMME, "--db", str(database), "-o", str(html), "--pdf")
    assert result.exit_code == 1 and not html.exists()


def test_a_chromium_named_by_the_environment_must_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    from surveycoal.errors import InputError

    monkeypatch.setenv("SURVEYCOAL_CHROMIUM", "/nowhere/chromium")
    with pytest.raises(InputError, match="SURVEYCOAL_CHROMIUM"):
        pdf_module.find_chromium()

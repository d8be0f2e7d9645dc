"""The method document lives in the repository, and every citation of it names a real section."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METHODS = ROOT / "docs" / "METHODS.md"
CITE = re.compile(r"docs/METHODS\.md,? sections? (\d+)(?:\s*(?:-|to|and)\s*(\d+))?")


def _sources() -> list[Path]:
    files = [*sorted((ROOT / "surveycoal").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py"))]
    return [*files, ROOT / "README.md"]


def _sections() -> set[int]:
    text = METHODS.read_text(encoding="utf-8")
    return {int(n) for n in re.findall(r"^## (\d+)\. ", text, flags=re.MULTILINE)}


def test_method_document_has_every_section_the_code_needs() -> None:
    assert _sections() >= set(range(0, 9))


def test_every_citation_names_the_document_in_the_repository_and_a_section_of_it() -> None:
    sections = _sections()
    cited = 0
    for path in _sources():
        if path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "METHODS" not in line:
                continue
            where = f"{path.relative_to(ROOT)}:{number}"
            assert "shared" not in line, where
            found = CITE.findall(line)
            assert found, f"{where} cites the method without docs/METHODS.md and a section"
            for first, last in found:
                for section in range(int(first), int(last or first) + 1):
                    assert section in sections, where
            cited += 1
    assert cited >= 70


def test_golden_numbers_are_written_in_the_method() -> None:
    text = METHODS.read_text(encoding="utf-8")
    for golden in (
        "[0.7971, 0.8932]",
        "0.732661",
        "0.801695",
        "[3.0, 4.25]",
        "[0.354, 0.879]",
        "0.9617",
        "t = 2.4191",
        "[.05, .08, .09, .09, .09]",
        "-4.0621",
        "[-0.7266, 0.3890]",
        "p = .453",
        "[27, 100]",
        "ICC(2) = 0.9144",
        "tau^2 63.0",
    ):
        assert golden in text, golden

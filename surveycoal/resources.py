"""Where the shipped instruments and report templates are found at run time.

An installed wheel carries them in ``surveycoal/_data``; a checkout (or an
editable install) keeps them at the top of the project.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def instruments_dir() -> Path:
    """The folder that holds the shipped questionnaires (``*.yaml``)."""
    return _data_dir("instruments")


def reports_dir() -> Path:
    """The folder that holds the shipped report templates."""
    return _data_dir("reports")

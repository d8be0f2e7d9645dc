"""Turning a report context into one self-contained HTML file.

Templates are looked up in the user's ``--templates`` folder first, then in the
shipped ``reports/`` folder, file by file: a user can replace only ``style.css`` or
only the chart macros. Autoescaping is on and undefined names are errors, so a
name, a note or an open answer is always shown as text, and a typo in a template
fails loudly instead of leaving a gap in a report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from markupsafe import Markup

from surveycoal.errors import InputError, SurveycoalError
from surveycoal.files import write_private
from surveycoal.i18n import _
from surveycoal.resources import reports_dir
from surveycoal.safetext import shown

TEMPLATES = {
    "coalition": "coalition.html.j2",
    "programme": "programme.html.j2",
    "compare": "compare.html.j2",
}
STYLESHEET = "style.css"


def environment(templates: str | os.PathLike[str] | None = None) -> Environment:
    """The jinja2 environment: the user's folder (if any) before the shipped templates."""
    folders: list[Path] = []
    if templates is not None:
        folder = Path(templates).expanduser()
        if not folder.is_dir():
            raise InputError(
                _("The templates folder {folder} does not exist.").format(folder=folder)
            )
        folders.append(folder)
    folders.append(reports_dir())
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(f)) for f in folders]),
        autoescape=True,
        finalize=_shown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _shown(value: Any) -> Any:
    """Every value a template prints: control characters made visible (autoescape does the rest).

    Markup (a chart, an escaped snippet) stays Markup: the control pictures that
    replace control bytes are ordinary characters, so nothing needs escaping again.
    """
    if isinstance(value, Markup):
        return Markup(shown(str(value)))
    if isinstance(value, str):
        return shown(value)
    return value


def stylesheet(env: Environment) -> Markup:
    """The report CSS, read through the same loader so a user's ``style.css`` wins.

    It goes into a ``<style>`` element as it is; a closing ``</style`` in it is
    refused because it would end the element early.
    """
    loader = env.loader
    if loader is None:  # pragma: no cover - environment() always sets one
        raise SurveycoalError("The report templates have no loader.")
    try:
        source, _filename, _uptodate = loader.get_source(env, STYLESHEET)
    except TemplateNotFound:
        raise SurveycoalError(
            _("The report stylesheet {name} is missing from {folder}.").format(
                name=STYLESHEET, folder=reports_dir()
            )
        ) from None
    if "</style" in source.lower():
        raise InputError(_("{name} may not contain '</style'.").format(name=STYLESHEET))
    return Markup(source)


def render(
    kind: str, context: Mapping[str, Any], templates: str | os.PathLike[str] | None = None
) -> str:
    """Render the report ``kind`` (coalition, programme, compare) to an HTML string."""
    env = environment(templates)
    try:
        template = env.get_template(TEMPLATES[kind])
        return template.render(**context, css=stylesheet(env))
    except TemplateNotFound as exc:
        raise SurveycoalError(
            _("The report template {name} was not found.").format(name=exc.name)
        ) from None
    except TemplateError as exc:
        where = (
            _(" ({file}, line {line})").format(file=exc.filename, line=exc.lineno)  # type: ignore[attr-defined]
            if getattr(exc, "lineno", None)
            else ""
        )
        raise SurveycoalError(
            _("The report template could not be used: {reason}{where}").format(
                reason=exc, where=where
            )
        ) from None


def write_html(path: str | os.PathLike[str], html: str) -> Path:
    """Write ``html`` to ``path``, whole or not at all, readable by its owner only."""
    return write_private(path, html)

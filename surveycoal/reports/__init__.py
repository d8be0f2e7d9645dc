"""Reports for coalitions and funders: self-contained HTML files.

The flow is: database -> :mod:`~surveycoal.reports.gather` (plain objects) ->
scoring (anonymity applied) -> a ``build_*_context`` function of
:mod:`~surveycoal.reports.context` (a plain dict) -> :func:`render` with the jinja2
templates in ``reports/`` -> :func:`write_html`.

    >>> from surveycoal.reports import build_coalition_context, render, write_html
    >>> html = render("coalition", build_coalition_context(store, "zuid-doet-samen"))  # doctest: +SKIP
"""

from surveycoal.reports.context import (
    build_coalition_context,
    build_groups_compare_context,
    build_member_types_compare_context,
    build_programme_context,
    build_rounds_compare_context,
)
from surveycoal.reports.render import environment, render, write_html

__all__ = [
    "build_coalition_context",
    "build_groups_compare_context",
    "build_member_types_compare_context",
    "build_programme_context",
    "build_rounds_compare_context",
    "environment",
    "render",
    "write_html",
]

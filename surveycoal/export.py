"""Writing tables for spreadsheet programs: CSV and XLSX, safe to open.

:func:`responses_sheets` and :func:`scores_sheets` build the tables of a round's
export (anonymity already applied by :mod:`surveycoal.scoring`); :func:`write_tables`
writes them.

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return)
is read as a formula by Excel and LibreOffice; such text cells get a leading
apostrophe so they stay text ("CSV injection"). Numbers are left alone, so a
negative change of -3.5 stays a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from surveycoal.errors import InputError
from surveycoal.files import check_target, staged, write_private
from surveycoal.i18n import _
from surveycoal.reports.words import hidden_words as reason_words
from surveycoal.safetext import spreadsheet_text

if TYPE_CHECKING:
    from surveycoal.rounddata import RoundData
    from surveycoal.scoring import DimensionScore, ItemScore, RoundScores

FORMATS = ("csv", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Make a text cell safe for spreadsheet programs; other values pass unchanged.

    Control characters are made visible (:func:`surveycoal.safetext.spreadsheet_text`):
    they could be shown raw by a program reading the CSV, and an XLSX file refuses them.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise(-3.5)
    -3.5
    >>> neutralise("goed")
    'goed'
    """
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return spreadsheet_text(value)


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
    to a temporary name first and moved into place, readable by their owner only
    (:mod:`surveycoal.files`), so a failure leaves no half-written file. Returns
    the paths written.
    """
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in FORMATS:
        raise InputError(_("{value!r} is not an export format; use csv or xlsx.").format(value=fmt))
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
        if len(existing) == 1:
            raise InputError(
                _("{path} exists already; use --force to replace it.").format(path=existing[0])
            )
        raise InputError(
            _("{paths} exist already; use --force to replace them.").format(
                paths=", ".join(existing)
            )
        )
    for target in dict.fromkeys(targets.values()):
        check_target(target)
    if fmt == "xlsx":

        def write_xlsx(tmp: Path) -> None:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                for name, frame in sheets.items():
                    neutralise_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)

        return [write_private(path, write_xlsx)]
    # Every CSV file is written before any is put in place: all of them, or none.
    with ExitStack() as stack:
        commits = []
        for name, frame in sheets.items():
            tmp, commit = stack.enter_context(staged(targets[name]))
            neutralise_frame(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
            commits.append(commit)
        return [commit() for commit in commits]


def responses_sheets(data: RoundData, *, seed: int | None = None) -> dict[str, pd.DataFrame]:
    """A round's answers for export: ``responses`` (one shuffled row per response) and ``codebook``.

    See :func:`surveycoal.scoring.responses_for_export` for what the rows hold and
    when an export is refused.
    """
    from surveycoal.scoring import DEFAULT_SEED, codebook, responses_for_export

    frame = responses_for_export(data, seed=DEFAULT_SEED if seed is None else seed)
    return {"responses": frame, "codebook": codebook(data.instrument)}


#: The gap's figures in the equality sheet, in its column order: column -> Gap field.
_GAP_COLUMNS = {
    name: name
    for name in (
        "first",
        "second",
        "gap",
        "ci_low",
        "ci_high",
        "cliffs_delta",
        "delta_ci_low",
        "delta_ci_high",
        "magnitude",
        "p",
        "test",
        "equality_index",
        "ei_ci_low",
        "ei_ci_high",
    )
} | {"gap": "diff"}


def _shares(found: DimensionScore | ItemScore) -> dict[str, float | None]:
    """The share of each answer band (disagree, neutral, agree); empty when hidden."""
    from surveycoal.stats.constants import BANDS

    return {name: found.share(name) for name in BANDS}


def _reason(suppressed: bool, reason: str | None) -> str | None:
    return reason_words(reason) if suppressed else None


def scores_sheets(scores: RoundScores) -> dict[str, pd.DataFrame]:
    """A round's scores as tables: ``scores``, ``equality`` and ``items``.

    ``scores`` has a row per dimension for the whole round (``group`` "all") and
    one per member type; ``equality`` the gap between the questionnaire's pair of
    member types per dimension, and a last row ``all`` with the mean equality index
    and its own interval; ``items`` the answers per statement. Hidden figures are empty
    and the ``reason`` column says why in words (never with a number).
    """
    rows: list[dict[str, Any]] = []
    gaps: list[dict[str, Any]] = []
    for dim in scores.dimensions:
        rows.append(
            {
                "dimension": dim.id,
                "group": "all",
                "n": dim.n,
                "score": dim.mean,
                "ci_low": dim.ci_low,
                "ci_high": dim.ci_high,
                "median": dim.median,
                "median_ci_low": dim.median_ci_low,
                "median_ci_high": dim.median_ci_high,
                **_shares(dim),
                "dont_know": dim.dont_know,
                "alpha": dim.alpha,
                "alpha_source": dim.alpha_source,
                "alpha_flags": "; ".join(dim.alpha_flags) or None,
                "rwg": dim.rwg,
                "shared_view": dim.shared_view,
                "suppressed": dim.suppressed,
                "reason": _reason(dim.suppressed, dim.suppressed_reason),
                "distribution_reason": None
                if dim.suppressed or dim.bands is not None
                else reason_words(dim.bands_reason),
            }
        )
        for name, cell in dim.by_member_type.items():
            rows.append(
                {
                    "dimension": dim.id,
                    "group": name,
                    "n": cell.n,
                    "score": cell.mean,
                    "ci_low": cell.ci_low,
                    "ci_high": cell.ci_high,
                    "dont_know": cell.dont_know,
                    "suppressed": cell.suppressed,
                    "reason": _reason(cell.suppressed, cell.suppressed_reason),
                }
            )
        gap = dim.gap
        gaps.append(
            {
                "dimension": dim.id,
                **{column: getattr(gap, key, None) for column, key in _GAP_COLUMNS.items()},
                "suppressed": gap is None,
                "reason": None if gap is not None else reason_words(dim.gap_reason),
            }
        )
    # The mean index over the dimensions whose gap is shown, with its own interval.
    overall = scores.equality_index
    gaps.append(
        {
            "dimension": "all",
            "equality_index": overall,
            "ei_ci_low": scores.equality_index_ci_low,
            "ei_ci_high": scores.equality_index_ci_high,
            "suppressed": overall is None,
            "reason": None if overall is not None else reason_words(scores.equality_index_reason),
        }
    )
    items = []
    for item in scores.items:
        row = {
            "item": item.id,
            "dimension": item.dimension,
            "reverse": item.reverse,
            "n": item.n,
            "dont_know": item.dont_know,
            **_shares(item),
        }
        for name, rate in item.dont_know_by_member_type.items():
            row[f"dont_know_{name}"] = rate
        row["suppressed"] = item.suppressed
        row["reason"] = _reason(item.suppressed, item.suppressed_reason)
        items.append(row)
    scores_frame = pd.DataFrame(rows, columns=_SCORE_COLUMNS)
    items_frame = pd.DataFrame(items)
    # counts stay whole numbers next to the empty cells of hidden groups
    for frame in (scores_frame, items_frame):
        if "n" in frame.columns:
            frame["n"] = frame["n"].astype("Int64")
    return {"scores": scores_frame, "equality": pd.DataFrame(gaps), "items": items_frame}


_SCORE_COLUMNS = [
    "dimension",
    "group",
    "n",
    "score",
    "ci_low",
    "ci_high",
    "median",
    "median_ci_low",
    "median_ci_high",
    "disagree",
    "neutral",
    "agree",
    "dont_know",
    "alpha",
    "alpha_source",
    "alpha_flags",
    "rwg",
    "shared_view",
    "suppressed",
    "reason",
    "distribution_reason",
]

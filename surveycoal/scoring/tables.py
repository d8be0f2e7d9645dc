"""Tables for export: a round's responses, shuffled and anonymised, and the codebook."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from surveycoal import privacy as priv
from surveycoal.errors import PrivacyError
from surveycoal.i18n import _
from surveycoal.instruments import Instrument
from surveycoal.rounddata import RoundData
from surveycoal.scoring.prepared import _prepare
from surveycoal.scoring.results import DEFAULT_SEED


def responses_for_export(data: RoundData, *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One row per response, shuffled, for a CSV or spreadsheet export.

    Columns: ``member_type``, then one per item id holding the answer as an int,
    ``"dk"`` for "don't know", or missing when unanswered. No response ids, no
    panel keys, no open answers, no dates.

    Every row shows all of a person's answers, so the rows of any group give that
    group's answers per statement: an export follows the rule for item
    distributions (docs/METHODS.md section 7: none below ``min_item_distribution``,
    10 by default). The round needs that many responses, and a member type is
    named only when its group reaches it too, with complementary suppression
    (the blanked types together reach it as well); other rows get None.

    Raises
    ------
    PrivacyError
        When the round has fewer responses than that threshold.
    """
    prep = _prepare(data)
    settings = priv.validate_settings(data.privacy)
    n = data.n_responses
    needed = max(settings.min_group, settings.min_item_distribution)
    if n < needed:
        raise PrivacyError(
            _(
                "Round {number} of {coalition!r} has {count} responses; an export of the "
                "answers needs at least {needed}."
            ).format(number=data.round, coalition=data.coalition, count=n, needed=needed),
            hint=_(
                "Every row shows all of a person's answers, so an export follows the rule "
                "for answers per statement: they are shown from {needed} responses."
            ).format(needed=needed),
        )
    sizes = {name: int(np.sum(prep.type_codes == g)) for g, name in enumerate(prep.type_names)}
    decisions = priv.suppress_parts(sizes, min_group=needed)
    order = np.random.default_rng(seed).permutation(n)
    shown_type = np.array([decisions[name].shown for name in prep.type_names])
    codes = prep.type_codes[order]
    member_type = prep.member_type[order].copy()
    member_type[~shown_type[codes]] = None
    columns: dict[str, Any] = {"member_type": member_type}
    raw = prep.raw[order]
    dk = prep.dont_know[order]
    for j, item_id in enumerate(prep.layout.item_ids):
        col = np.empty(n, dtype=object)
        answered = ~np.isnan(raw[:, j])
        col[:] = None
        col[answered] = raw[answered, j].astype(int).tolist()
        col[dk[:, j]] = "dk"
        columns[item_id] = col
    return pd.DataFrame(columns, index=pd.RangeIndex(n))


def codebook(instrument: Instrument) -> pd.DataFrame:
    """The instrument as a table: one row per item.

    Columns: ``item``, ``dimension``, ``reverse``, ``scale``, ``points``, then per
    language ``text_<lang>``, ``dimension_<lang>`` (the dimension's name),
    ``labels_<lang>`` ("1 = ...; 2 = ...") and ``dont_know_<lang>`` (what an
    exported ``dk`` stands for).
    """
    dimension_labels = {d.id: d.label for d in instrument.dimensions}
    rows = []
    for item in instrument.items:
        scale = instrument.scale_for(item)
        row: dict[str, Any] = {
            "item": item.id,
            "dimension": item.dimension,
            "reverse": bool(item.reverse),
            "scale": scale.id,
            "points": scale.points,
        }
        for lang in instrument.languages:
            row[f"text_{lang}"] = item.text.get(lang, "")
            row[f"dimension_{lang}"] = dimension_labels.get(item.dimension, {}).get(lang, "")
            row[f"labels_{lang}"] = "; ".join(
                f"{i + 1} = {label.get(lang, '')}" for i, label in enumerate(scale.labels)
            )
            row[f"dont_know_{lang}"] = scale.dont_know.get(lang, "")
        rows.append(row)
    return pd.DataFrame(rows)

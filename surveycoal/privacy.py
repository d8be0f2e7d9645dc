"""Anonymity rules: which cells of a table may be shown (docs/METHODS.md section 7).

Every output (HTML, terminal, JSON, CSV) is built from cells: a number of
respondents and the figures computed over them. The functions here decide, from
the sizes alone, which cells are shown; each hidden cell carries a reason code
that a report translates into words:

=====================  ========================================================
``below_minimum``      fewer respondents than the round's minimum group
``complementary``      hidden so that a hidden neighbour cannot be recomputed
``differencing``       two shown cells differ by fewer than the minimum
``part_below_minimum`` a derived figure (gap, equality index) needs a hidden part
``too_few_for_items``  item distributions need ``min_item_distribution`` answers
``too_few_for_text``   free text needs ``min_free_text`` answers
``no_responses``       nobody in the cell
=====================  ========================================================

Suppressed cells show no number at all, not even their n.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from surveycoal.errors import InputError
from surveycoal.i18n import _
from surveycoal.instruments import PrivacySettings

#: No configuration may show a group smaller than this.
ABSOLUTE_MIN_GROUP = 3

REASONS = (
    "below_minimum",
    "complementary",
    "differencing",
    "part_below_minimum",
    "too_few_for_items",
    "too_few_for_text",
    "no_responses",
)

#: The reason a hidden cell gives in published JSON, whatever the cause: which cell was
#: too small and which was hidden beside it would tell a reader which group is small
#: (docs/METHODS.md section 7).
PUBLIC_REASON = "anonymity"


def published(value: Any) -> Any:
    """A JSON-like result as it is published: every privacy reason read as one.

    The typed results keep the cause (tests and maintainers need it); what leaves
    the program says only that a cell is hidden to protect anonymity.

    >>> published({"suppressed_reason": "complementary", "cells": [{"suppressed_reason": None}]})
    {'suppressed_reason': 'anonymity', 'cells': [{'suppressed_reason': None}]}
    """
    if isinstance(value, dict):
        return {
            key: (
                PUBLIC_REASON if key == "suppressed_reason" and item in REASONS else published(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [published(item) for item in value]
    return value


@dataclass(frozen=True)
class CellDecision:
    """Whether a cell is shown and, when it is not, why (a code from :data:`REASONS`)."""

    shown: bool
    reason: str | None = None

    @property
    def suppressed(self) -> bool:
        return not self.shown


SHOWN = CellDecision(True)


def hidden(reason: str) -> CellDecision:
    """A hidden cell with its reason code."""
    if reason not in REASONS:
        raise ValueError(f"unknown suppression reason {reason!r}")
    return CellDecision(False, reason)


def validate_settings(settings: PrivacySettings) -> PrivacySettings:
    """Check thresholds before a round opens or a report is built.

    The minimum group is never below 3; item distributions and free text never
    need fewer respondents than a group does.

    Raises
    ------
    InputError
        When a threshold is lower than the rules allow.

    Examples
    --------
    >>> validate_settings(PrivacySettings(min_group=2))
    Traceback (most recent call last):
    ...
    surveycoal.errors.InputError: The minimum group size is 2; it may not be below 3.
    Raise min_group in the instrument's privacy settings.
    """
    if settings.min_group < ABSOLUTE_MIN_GROUP:
        raise InputError(
            _("The minimum group size is {min_group}; it may not be below {least}.").format(
                min_group=settings.min_group, least=ABSOLUTE_MIN_GROUP
            ),
            hint=_("Raise min_group in the instrument's privacy settings."),
        )
    for name in ("min_item_distribution", "min_free_text"):
        value = getattr(settings, name)
        if value < settings.min_group:
            raise InputError(
                _("{name} is {value}; it may not be below min_group ({min_group}).").format(
                    name=name, value=value, min_group=settings.min_group
                ),
            )
    return settings


def cell_decision(n: int, min_group: int) -> CellDecision:
    """Shown when n >= min_group.

    Examples
    --------
    >>> cell_decision(4, 5)
    CellDecision(shown=False, reason='below_minimum')
    """
    if n <= 0:
        return hidden("no_responses")
    return SHOWN if n >= min_group else hidden("below_minimum")


def suppress_parts(
    sizes: Mapping[str, int],
    *,
    min_group: int,
    total_shown: bool = True,
    present: Collection[str] = (),
) -> dict[str, CellDecision]:
    """Decide the parts of a total (member types of a round, say).

    Parts under the minimum are hidden; then, while the hidden parts together
    stay under the minimum, the next smallest shown part is hidden too
    (complementary suppression), so no hidden part can be recomputed from the
    total. Empty parts hold nobody and reveal nothing.

    Parameters
    ----------
    sizes : mapping
        Part name -> respondents in it; the parts add up to the total.
    min_group : int
        The round's minimum.
    total_shown : bool
        False when the total itself is hidden: then every part is hidden too.
    present : collection of str
        Parts that hold people in the round, though perhaps nobody in this cell
        (a member type whose one respondent answered "don't know" to every
        statement of a dimension). Such an empty part is hidden as a small one
        is, for the same reason, and gets its complement: otherwise the cells
        shown in this dimension, unlike the others, would tell that the group
        answered nothing here (docs/METHODS.md section 7).

    Examples
    --------
    >>> suppress_parts({"resident_initiative": 3, "welfare_organisation": 6}, min_group=5)
    {'resident_initiative': CellDecision(shown=False, reason='below_minimum'), \
'welfare_organisation': CellDecision(shown=False, reason='complementary')}
    >>> d = suppress_parts({"a": 8, "b": 7, "c": 2, "d": 4}, min_group=5)
    >>> {k: v.shown for k, v in d.items()}
    {'a': True, 'b': True, 'c': False, 'd': False}
    >>> d = suppress_parts({"a": 8, "b": 6, "c": 0}, min_group=5, present={"a", "b", "c"})
    >>> {k: (v.shown, v.reason) for k, v in d.items()}
    {'a': (True, None), 'b': (False, 'complementary'), 'c': (False, 'below_minimum')}
    """
    decisions: dict[str, CellDecision] = {}
    for name, n in sizes.items():
        if n <= 0 and name not in present:
            decisions[name] = hidden("no_responses")
        elif not total_shown or n < min_group:
            decisions[name] = hidden("below_minimum")
        else:
            decisions[name] = SHOWN
    hidden_parts = [
        name for name in sizes if not decisions[name].shown and (sizes[name] > 0 or name in present)
    ]
    hidden_total = sum(sizes[name] for name in hidden_parts)
    while hidden_parts and hidden_total < min_group:
        candidates = [
            (n, pos, name) for pos, (name, n) in enumerate(sizes.items()) if decisions[name].shown
        ]
        if not candidates:
            break
        n, _order, name = min(candidates)
        decisions[name] = hidden("complementary")
        hidden_total += n
    return decisions


def _as_members(cell: Collection[Hashable] | np.ndarray) -> frozenset:
    if isinstance(cell, np.ndarray) and cell.dtype == bool:
        return frozenset(np.flatnonzero(cell).tolist())
    return frozenset(cell)


def protect_differencing(
    cells: Mapping[str, Collection[Hashable] | np.ndarray],
    decisions: Mapping[str, CellDecision],
    *,
    min_group: int,
) -> dict[str, CellDecision]:
    """Hide one of any two shown cells whose memberships differ by 1 to min_group - 1 people.

    Subtracting one cell from the other would show the few people in between.
    The smaller cell is hidden (the later one on a tie); repeated until stable.

    Parameters
    ----------
    cells : mapping
        Cell name -> its members (ids, or a boolean mask over the respondents).
    decisions : mapping
        The decisions so far (cells missing here count as shown).

    Examples
    --------
    >>> cells = {"all": range(12), "filtered": range(10)}
    >>> protect_differencing(cells, {}, min_group=5)["filtered"]
    CellDecision(shown=False, reason='differencing')
    """
    members = {name: _as_members(cell) for name, cell in cells.items()}
    result = {name: decisions.get(name, SHOWN) for name in members}
    for name, decision in decisions.items():
        result.setdefault(name, decision)
    order = list(members)
    changed = True
    while changed:
        changed = False
        shown = [name for name in order if result[name].shown]
        for i, first in enumerate(shown):
            for second in shown[i + 1 :]:
                gap = len(members[first] ^ members[second])
                if 0 < gap < min_group:
                    smaller = second if len(members[second]) <= len(members[first]) else first
                    result[smaller] = hidden("differencing")
                    changed = True
                    break
            if changed:
                break
    return result


def derived_decision(
    parts: Sequence[str],
    sizes: Mapping[str, int],
    decisions: Mapping[str, CellDecision],
    *,
    min_group: int,
) -> CellDecision:
    """A figure derived from several cells (gap, equality index) needs every part shown.

    Examples
    --------
    >>> derived_decision(["a", "b"], {"a": 6, "b": 4}, {}, min_group=5)
    CellDecision(shown=False, reason='part_below_minimum')
    """
    for part in parts:
        n = sizes.get(part, 0)
        if n < min_group:
            return hidden("part_below_minimum")
    for part in parts:
        decision = decisions.get(part, SHOWN)
        if not decision.shown:
            return hidden(decision.reason or "complementary")
    return SHOWN


def item_distribution_decision(n: int, settings: PrivacySettings) -> CellDecision:
    """Item distributions (shares agree/neutral/disagree) only from ``min_item_distribution`` answers.

    Examples
    --------
    >>> item_distribution_decision(9, PrivacySettings())
    CellDecision(shown=False, reason='too_few_for_items')
    """
    if n <= 0:
        return hidden("no_responses")
    return (
        SHOWN
        if n >= max(settings.min_item_distribution, settings.min_group)
        else hidden("too_few_for_items")
    )


@dataclass(frozen=True)
class FreeText:
    """The answers to one open question that may be shown, shuffled, without dates."""

    question_id: str
    decision: CellDecision
    texts: tuple[str, ...] = ()


def free_text(
    question_id: str,
    answers: Sequence[str],
    settings: PrivacySettings,
    *,
    seed: int,
) -> FreeText:
    """Open answers of one question: shown only with ``min_free_text`` answers, in shuffled order.

    Free text is never split by member type; callers pass the answers of a whole
    round (coalition x round) and no dates.

    Examples
    --------
    >>> free_text("q", ["a", "b"], PrivacySettings(), seed=1).decision.reason
    'too_few_for_text'
    """
    texts = [t.strip() for t in answers if isinstance(t, str) and t.strip()]
    if len(texts) < max(settings.min_free_text, settings.min_group):
        reason = "no_responses" if not texts else "too_few_for_text"
        return FreeText(question_id, hidden(reason))
    order = np.random.default_rng(seed).permutation(len(texts))
    return FreeText(question_id, SHOWN, tuple(texts[i] for i in order))


__all__ = [
    "ABSOLUTE_MIN_GROUP",
    "REASONS",
    "SHOWN",
    "CellDecision",
    "FreeText",
    "cell_decision",
    "derived_decision",
    "free_text",
    "hidden",
    "item_distribution_decision",
    "protect_differencing",
    "suppress_parts",
    "published",
    "PUBLIC_REASON",
    "validate_settings",
]

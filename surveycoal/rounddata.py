"""The tidy form of one round's answers that scoring works on.

The store builds it from the database (:func:`surveycoal.store.load_round_data`);
tests and benchmarks can build it directly. It holds no codes and no order of
submission: responses are indexed by their random id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from surveycoal.instruments import Instrument, PrivacySettings

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class RoundData:
    """One round of one coalition, ready for scoring.

    Attributes
    ----------
    coalition : str
        The coalition's slug.
    round : int
        The round number within the coalition (1, 2, ...).
    instrument : Instrument
        The snapshot the round was opened with.
    privacy : PrivacySettings
        The anonymity thresholds fixed when the round opened.
    responses : pandas.DataFrame
        Index ``response_id`` (str). Columns ``member_type`` (str) and
        ``panel_key`` (str, or None when the response is not linked).
    values : pandas.DataFrame
        Index ``response_id``; one float column per item id of the instrument, in
        instrument order. Raw answers 1..points, **not** reverse-keyed; NaN for
        "don't know" and for unanswered.
    dont_know : pandas.DataFrame
        Same shape as ``values``, bool: True where the answer was "don't know".
    open_answers : pandas.DataFrame
        Columns ``question_id``, ``text``; no response id, no member type.
    invited : int or None
        People asked (for the response rate): the number given when the round opened
        (``--expected``), else the invitation codes issued; None when unknown.
    coalition_name : str
        The coalition's display name.
    programme : str or None
        The programme's name, when the coalition belongs to one.
    """

    coalition: str
    round: int
    instrument: Instrument
    privacy: PrivacySettings
    responses: pd.DataFrame
    values: pd.DataFrame
    dont_know: pd.DataFrame
    open_answers: pd.DataFrame
    invited: int | None = None
    coalition_name: str = ""
    programme: str | None = None

    @property
    def n_responses(self) -> int:
        return int(len(self.responses))

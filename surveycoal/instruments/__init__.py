"""Questionnaire definitions ("instruments"): the typed model, the checker and loading.

An instrument is a YAML file in ``instruments/``. Loading checks it strictly and
returns a frozen :class:`Instrument`. A round stores ``Instrument.to_dict()`` as its
snapshot, so a later edit of the file never changes a round that is open or closed.

- :mod:`~surveycoal.instruments.model`: the frozen dataclasses and their look-ups;
- :mod:`~surveycoal.instruments.checker`: reading the YAML within limits, every rule;
- :mod:`~surveycoal.instruments.loading`: finding instruments by name or path;
- :mod:`~surveycoal.instruments.preview`: the questionnaire as plain text.
"""

from __future__ import annotations

from typing import Any

from surveycoal.instruments.checker import (
    MAX_EXPANDED_SIZE,
    MAX_ID,
    MAX_INSTRUMENT_BYTES,
    MAX_INSTRUMENT_ID,
    MAX_MEMBER_TYPE_ID,
    MAX_NESTING,
    MAX_NUMBER_DIGITS,
    MAX_OPEN_LENGTH,
    MAX_SCALE_POINTS,
    MAX_VERSION,
    RESERVED_IDS,
    Problem,
    validate_instrument_file,
)
from surveycoal.instruments.loading import (
    DEFAULT_INSTRUMENT,
    USER_INSTRUMENTS_ENV,
    find_instrument,
    instrument_folders,
    list_instruments,
    load_instrument,
)
from surveycoal.instruments.model import (
    DEFAULT_GAP_PAIR,
    DEFAULT_OPEN_LENGTH,
    Dimension,
    Instrument,
    Item,
    MemberType,
    OpenQuestion,
    PrivacySettings,
    Scale,
    Text,
)
from surveycoal.instruments.preview import render_preview
from surveycoal.resources import instruments_dir


def __getattr__(name: str) -> Any:
    # One definition, in surveycoal.privacy (docs/METHODS.md section 7); read on demand
    # because privacy loads numpy and imports this package.
    if name == "ABSOLUTE_MIN_GROUP":
        from surveycoal.privacy import ABSOLUTE_MIN_GROUP

        return ABSOLUTE_MIN_GROUP
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ABSOLUTE_MIN_GROUP",
    "DEFAULT_GAP_PAIR",
    "DEFAULT_INSTRUMENT",
    "DEFAULT_OPEN_LENGTH",
    "MAX_EXPANDED_SIZE",
    "MAX_ID",
    "MAX_INSTRUMENT_BYTES",
    "MAX_INSTRUMENT_ID",
    "MAX_MEMBER_TYPE_ID",
    "MAX_NESTING",
    "MAX_NUMBER_DIGITS",
    "MAX_OPEN_LENGTH",
    "MAX_SCALE_POINTS",
    "MAX_VERSION",
    "RESERVED_IDS",
    "USER_INSTRUMENTS_ENV",
    "Dimension",
    "Instrument",
    "Item",
    "MemberType",
    "OpenQuestion",
    "PrivacySettings",
    "Problem",
    "Scale",
    "Text",
    "find_instrument",
    "instrument_folders",
    "instruments_dir",
    "list_instruments",
    "load_instrument",
    "render_preview",
    "validate_instrument_file",
]

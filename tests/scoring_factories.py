"""Factories for scoring tests: an instrument built in code and seeded rounds of answers.

Importable by any test module::

    from scoring_factories import make_instrument, make_round_data

Nothing here reads files, so the tests do not depend on the instrument loader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from surveycoal.instruments import (
    Dimension,
    Instrument,
    Item,
    MemberType,
    OpenQuestion,
    PrivacySettings,
    Scale,
)
from surveycoal.rounddata import RoundData

DIMENSIONS = (
    "trust",
    "equality",
    "shared_goal",
    "ownership",
    "meeting",
    "knowing",
    "durability",
    "results",
)
MEMBER_TYPES = ("resident_initiative", "welfare_organisation", "municipality", "other")
#: Default mix of member types in a generated round.
DEFAULT_MIX = {
    "resident_initiative": 0.45,
    "welfare_organisation": 0.35,
    "municipality": 0.1,
    "other": 0.1,
}


def _text(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def agree5() -> Scale:
    labels = (
        _text("Helemaal oneens", "Strongly disagree"),
        _text("Oneens", "Disagree"),
        _text("Neutraal", "Neutral"),
        _text("Eens", "Agree"),
        _text("Helemaal eens", "Strongly agree"),
    )
    return Scale(
        id="agree5", points=5, labels=labels, dont_know=_text("Weet ik niet", "Don't know")
    )


def make_instrument(
    *,
    n_dimensions: int = 8,
    items_per_dimension: int | Sequence[int] = 4,
    privacy: PrivacySettings | None = None,
    version: str = "1.0",
) -> Instrument:
    """8 dimensions x 4 items on the 5-point "agree5" scale; the 2nd item of each dimension is reversed."""
    counts = (
        [items_per_dimension] * n_dimensions
        if isinstance(items_per_dimension, int)
        else list(items_per_dimension)
    )
    dims = tuple(
        Dimension(
            id=DIMENSIONS[d] if d < len(DIMENSIONS) else f"dim{d}",
            label=_text(f"Dimensie {d + 1}", f"Dimension {d + 1}"),
            description=_text("", ""),
        )
        for d in range(n_dimensions)
    )
    items = []
    for dim, count in zip(dims, counts, strict=True):
        for j in range(count):
            items.append(
                Item(
                    id=f"{dim.id}_{j + 1}",
                    dimension=dim.id,
                    text=_text(f"Stelling {dim.id} {j + 1}", f"Statement {dim.id} {j + 1}"),
                    reverse=(j == 1),
                    scale="agree5",
                )
            )
    return Instrument(
        id="coalition-monitor",
        version=version,
        languages=("nl", "en"),
        title=_text("Coalitiemonitor", "Coalition monitor"),
        intro=_text("Welkom", "Welcome"),
        scales=(agree5(),),
        dimensions=dims,
        items=tuple(items),
        open_questions=(OpenQuestion(id="best", text=_text("Wat gaat goed?", "What goes well?")),),
        member_types=tuple(
            MemberType(id=m, label=_text(m.replace("_", " "), m.replace("_", " ")))
            for m in MEMBER_TYPES
        ),
        privacy=privacy or PrivacySettings(),
    )


def member_type_list(
    n: int, rng: np.random.Generator, mix: Mapping[str, float] | None = None
) -> list[str]:
    mix = dict(mix or DEFAULT_MIX)
    names = list(mix)
    weights = np.array([mix[m] for m in names], dtype=float)
    return [names[i] for i in rng.choice(len(names), size=n, p=weights / weights.sum())]


def make_round_data(
    instrument: Instrument,
    n: int,
    rng: np.random.Generator,
    *,
    member_types: Sequence[str] | Mapping[str, float] | None = None,
    panel_keys: Sequence[str | None] | None = None,
    shift: float | Mapping[str, float] = 0.0,
    type_shift: Mapping[str, float] | None = None,
    dont_know_rate: float = 0.05,
    coalition: str = "noord",
    round_number: int = 1,
    privacy: PrivacySettings | None = None,
    open_answers: Sequence[str] = (),
    latent: np.ndarray | None = None,
) -> RoundData:
    """A seeded round: respondents' answers around a latent level per dimension.

    Parameters
    ----------
    member_types : list (one per respondent) or mapping type -> share
    panel_keys : one key (or None) per respondent; default: nobody linked
    shift : added to every latent level (scale points), or per dimension id
    type_shift : added per member type (scale points)
    latent : optional (n x dimensions) latent levels, to make linked rounds correlate
    """
    if isinstance(member_types, Mapping) or member_types is None:
        types = member_type_list(n, rng, member_types)
    else:
        types = list(member_types)
        if len(types) != n:
            raise ValueError("one member type per respondent")
    keys = list(panel_keys) if panel_keys is not None else [None] * n
    dims = [d.id for d in instrument.dimensions]
    if latent is None:
        latent = rng.normal(0.0, 0.8, size=(n, len(dims)))
    levels = np.array(latent, dtype=float, copy=True)
    for k, dim in enumerate(dims):
        levels[:, k] += shift.get(dim, 0.0) if isinstance(shift, Mapping) else shift
    if type_shift:
        levels += np.array([type_shift.get(t, 0.0) for t in types])[:, None]
    columns = {}
    dk_columns = {}
    for item in instrument.items:
        k = dims.index(item.dimension)
        points = instrument.scale_for(item).points
        raw = np.clip(np.rint(3.3 + levels[:, k] + rng.normal(0, 0.7, size=n)), 1, points)
        if item.reverse:
            raw = (1 + points) - raw
        dk = rng.random(n) < dont_know_rate
        raw[dk] = np.nan
        columns[item.id] = raw
        dk_columns[item.id] = dk
    ids = [f"r{rng.integers(10**12):012d}" for _ in range(n)]
    index = pd.Index(ids, name="response_id")
    responses = pd.DataFrame({"member_type": types, "panel_key": keys}, index=index)
    responses["panel_key"] = responses["panel_key"].astype(object)
    values = pd.DataFrame(columns, index=index)
    dont_know = pd.DataFrame(dk_columns, index=index)
    opens = pd.DataFrame({"question_id": ["best"] * len(open_answers), "text": list(open_answers)})
    return RoundData(
        coalition=coalition,
        round=round_number,
        instrument=instrument,
        privacy=privacy or instrument.privacy,
        responses=responses,
        values=values,
        dont_know=dont_know,
        open_answers=opens,
        invited=None,
        coalition_name=coalition.title(),
        programme="Expedities",
    )


def make_panel_rounds(
    instrument: Instrument,
    n_before: int,
    n_after: int,
    n_linked: int,
    rng: np.random.Generator,
    *,
    shift: float | Mapping[str, float] = 0.0,
    coalition: str = "noord",
) -> tuple[RoundData, RoundData]:
    """Two consecutive rounds in which ``n_linked`` people answered both (same panel key)."""
    k = len(instrument.dimensions)
    latent_before = rng.normal(0.0, 0.8, size=(n_before, k))
    keys_before = [f"p{i:03d}" for i in range(n_before)]
    linked = list(range(n_linked))
    latent_after = rng.normal(0.0, 0.8, size=(n_after, k))
    latent_after[:n_linked] = latent_before[linked] + rng.normal(0, 0.3, size=(n_linked, k))
    keys_after = [f"p{i:03d}" for i in linked] + [f"q{i:03d}" for i in range(n_after - n_linked)]
    types_before = member_type_list(n_before, rng)
    types_after = types_before[:n_linked] + member_type_list(n_after - n_linked, rng)
    before = make_round_data(
        instrument,
        n_before,
        rng,
        member_types=types_before,
        panel_keys=keys_before,
        latent=latent_before,
        coalition=coalition,
        round_number=1,
    )
    after = make_round_data(
        instrument,
        n_after,
        rng,
        member_types=types_after,
        panel_keys=keys_after,
        latent=latent_after,
        shift=shift,
        coalition=coalition,
        round_number=2,
    )
    return before, after


# The JSON fields the README documents for other programs ("Scores ... as JSON"):
# every output must have at least these.
ROUND_KEYS = {"coalition", "round", "instrument", "n_responses", "min_group", "dimensions", "items"}
DIMENSION_KEYS = {
    "id",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "median",
    "alpha",
    "rwg",
    "shared_view",
    "suppressed",
    "by_member_type",
    "gap",
}
TYPE_KEYS = {"n", "mean", "ci_low", "ci_high", "suppressed"}
GAP_KEYS = {
    "diff",
    "ci_low",
    "ci_high",
    "cliffs_delta",
    "delta_ci_low",
    "delta_ci_high",
    "p",
    "equality_index",
    "ei_ci_low",
    "ei_ci_high",
}
ITEM_KEYS = {"id", "n", "dont_know", "agree", "neutral", "disagree", "suppressed"}
CHANGE_KEYS = {
    "dimension",
    "n_from",
    "n_to",
    "n_linked",
    "diff",
    "ci_low",
    "ci_high",
    "p",
    "p_adjusted",
    "effect_size",
    "verdict",
    "detectable_change",
}


def demo_rounds(folder: object) -> list[RoundData]:
    """Every round of the demo programme (five coalitions x three rounds), read back from
    a demo database built in ``folder`` without writing its reports."""
    from pathlib import Path

    import pytest

    from surveycoal import demo
    from surveycoal.store import list_rounds, load_many, open_store

    with pytest.MonkeyPatch.context() as patch:
        for name in (
            "build_coalition_context",
            "build_programme_context",
            "build_rounds_compare_context",
            "build_member_types_compare_context",
            "build_groups_compare_context",
            "render",
        ):
            patch.setattr(demo, name, lambda *args, **kwargs: {"round": {"number": 0}})
        patch.setattr(demo, "write_html", lambda path, html: path)
        built = demo.build_demo(Path(str(folder)))
    store = open_store(built.database)
    try:
        refs = [r.ref for r in list_rounds(store, programme=demo.PROGRAMME)]
        return load_many(store, sorted(refs))
    finally:
        store.close()


def demo_results(rounds: Sequence[RoundData]) -> dict[str, object]:
    """The JSON of every kind of result over the demo rounds: each round scored, each
    consecutive change and first-to-last change, the coalitions of the last round side by
    side, each round's member types compared, and the programme per round and latest."""
    from surveycoal import scoring

    by_coalition: dict[str, list[RoundData]] = {}
    for data in rounds:
        by_coalition.setdefault(data.coalition, []).append(data)
    pooled = scoring.pool_reliability(rounds)
    out: dict[str, object] = {}
    for slug, own in sorted(by_coalition.items()):
        own = sorted(own, key=lambda d: d.round)
        for data in own:
            key = f"{slug}/{data.round}"
            out[f"round {key}"] = scoring.score_round(data, pooled_alpha=pooled).to_json()
            out[f"types {key}"] = scoring.compare_member_types(data).to_json()
        for a, b in [*zip(own, own[1:], strict=False), (own[0], own[-1])]:
            out[f"change {slug} {a.round}-{b.round}"] = scoring.compare_rounds(a, b).to_json()
    slugs = sorted(by_coalition)
    for first, second in zip(slugs, slugs[1:], strict=False):
        a, b = by_coalition[first][-1], by_coalition[second][-1]
        out[f"groups {first} {second}"] = scoring.compare_groups(a, b).to_json()
    for number in (None, 1, 2, 3):
        out[f"programme {number}"] = scoring.score_programme(rounds, round_number=number).to_json()
    return out

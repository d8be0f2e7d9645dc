"""The whole questionnaire as plain text, for a lead to read it through before a round."""

from __future__ import annotations

import textwrap

from surveycoal.errors import InstrumentError
from surveycoal.i18n import _
from surveycoal.instruments.model import Dimension, Instrument, Item

_PREVIEW_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "version": "versie {version}, talen: {languages}",
        "scale": "Antwoordschaal",
        "items": "{n} zinnen",
        "reverse": "(R) = omgekeerde zin: eens zijn geeft een lage score. Deelnemers zien dit teken niet.",
        "other_scale": "schaal",
        "open": "Open vragen",
        "max_length": "hoogstens {n} tekens",
        "member_types": "Hoe mensen meedoen",
        "group": "in rapporten: {name}",
        "privacy": "Privacy",
        "min_group": "Een groep is pas te zien vanaf {n} antwoorden.",
        "min_item_distribution": "De verdeling van de antwoorden per zin is pas te zien vanaf {n} antwoorden.",
        "min_free_text": "Antwoorden op open vragen zijn pas te zien vanaf {n} antwoorden.",
    },
    "en": {
        "version": "version {version}, languages: {languages}",
        "scale": "Answer scale",
        "items": "{n} statements",
        "reverse": "(R) = reverse-keyed: agreeing gives a low score. Participants do not see this mark.",
        "other_scale": "scale",
        "open": "Open questions",
        "max_length": "at most {n} characters",
        "member_types": "Member types",
        "group": "in reports: {name}",
        "privacy": "Privacy",
        "min_group": "A group is shown only from {n} answers.",
        "min_item_distribution": "The spread of answers per statement is shown only from {n} answers.",
        "min_free_text": "Answers to open questions are shown only from {n} answers.",
    },
}


def _items_in_order(instrument: Instrument) -> list[tuple[Dimension, list[Item]]]:
    return [(dim, list(instrument.items_in(dim.id))) for dim in instrument.dimensions]


def render_preview(instrument: Instrument, lang: str) -> str:
    """The whole questionnaire as plain text in one language, for a lead to read it through.

    Reverse-keyed items are marked ``(R)``; participants never see that mark.

    Raises
    ------
    InstrumentError
        When the instrument has no texts in ``lang``.
    """
    if lang not in instrument.languages:
        raise InstrumentError(
            _(
                "The instrument {id} has no texts in {lang!r}. Languages it has: {languages}."
            ).format(id=instrument.id, lang=lang, languages=", ".join(instrument.languages))
        )
    words = _PREVIEW_WORDS.get(lang, _PREVIEW_WORDS["en"])

    def say(key: str, **values: object) -> str:
        return words[key].format(**values)

    title = instrument.title[lang]
    lines = [title, "=" * len(title)]
    lines.append(
        f"{instrument.id}, "
        + say("version", version=instrument.version, languages=", ".join(instrument.languages))
    )
    lines += ["", textwrap.fill(instrument.intro[lang], width=78), ""]

    for scale in instrument.scales:
        lines.append(f"{say('scale')} ({scale.id})")
        lines += [f"  {point}  {label[lang]}" for point, label in enumerate(scale.labels, start=1)]
        lines += [f"  -  {scale.dont_know[lang]}", ""]

    lines += [say("items", n=len(instrument.items)) + ". " + say("reverse"), ""]
    number = 0
    first_scale = instrument.scales[0].id if instrument.scales else ""
    for part, (dim, items) in enumerate(_items_in_order(instrument), start=1):
        lines.append(f"{part}. {dim.label[lang]} ({dim.id})")
        lines.append(f"   {dim.description[lang]}")
        for item in items:
            number += 1
            marks = " (R)" if item.reverse else ""
            if item.scale and item.scale != first_scale:
                marks += f" [{say('other_scale')} {item.scale}]"
            lines.append(f"  {number:>3}. {item.text[lang]}{marks}")
        lines.append("")

    if instrument.open_questions:
        lines.append(say("open"))
        for count, question in enumerate(instrument.open_questions, start=1):
            limit = say("max_length", n=question.max_length)
            lines.append(f"  {count:>3}. {question.text[lang]} ({limit})")
        lines.append("")

    if instrument.member_types:
        lines.append(say("member_types"))
        for mt in instrument.member_types:
            group = f"; {say('group', name=mt.group[lang])}" if mt.group else ""
            lines.append(f"  - {mt.label[lang]} ({mt.id}{group})")
        lines.append("")

    privacy = instrument.privacy
    lines.append(say("privacy"))
    lines.append("  " + say("min_group", n=privacy.min_group))
    lines.append("  " + say("min_item_distribution", n=privacy.min_item_distribution))
    lines.append("  " + say("min_free_text", n=privacy.min_free_text))
    return "\n".join(lines) + "\n"

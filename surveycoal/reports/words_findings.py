"""The words of the findings that open a report, its baselines, glossary and PDF.

Kept apart from :mod:`surveycoal.reports.words` so each stays a size one can
read; :mod:`~surveycoal.reports.words` merges these into its catalogue, so the
context builders look every word up in one place.
"""

from __future__ import annotations

EN: dict[str, str] = {
    # -- the programme's findings ------------------------------------------------------
    "sec_findings": "Findings",
    "and_word": "and",
    "findings_intro": (
        "The programme's score per dimension, and how many coalitions changed. A score runs "
        "from 0 to 100; 50 is neutral. The range after each score is where the true value very "
        "likely lies."
    ),
    "findings_title": "The programme per dimension",
    "findings_dimension": "Dimension",
    "findings_score": "Programme score (range)",
    "since_first": "Since the first round",
    "since_previous": "Since the previous round",
    "since_first_and_previous": "Since the first round (also the previous one)",
    "tally_improved": "improved",
    "tally_possibly": "possibly changed",
    "tally_none": "no detectable change",
    "tally_declined": "declined",
    "tally_untested": "not tested",
    "tally_zero": "no coalition compared yet",
    "tally_legend": (
        "Counts of coalitions. \u25b2 improved \u00b7 \u25c7 possibly changed: the range leaves "
        "out zero, but with eight dimensions tested at once that can happen by chance \u00b7 "
        "\u25cb no detectable change \u00b7 \u25bc declined \u00b7 \u2013 not tested: a round "
        "too small or hidden."
    ),
    "programme_score_note": (
        "The programme score is the mean of the coalitions' scores, each coalition counted once; "
        "its range is wide when the coalitions differ."
    ),
    "flags_title": "Worth a conversation",
    "flags_none": (
        "Nothing stands out: no dimension declined, no gap between residents and professionals "
        "became clear, every coalition answered in enough numbers."
    ),
    "flags_more": "And {count} more: see the sections below.",
    "flag_declined": "{name}: lower since round {n} on {dims}.",
    "flag_gap": (
        "{name}: on {dims}, residents and professionals now answer clearly differently; "
        "in round {n} they did not."
    ),
    "flag_rate": (
        "{name}: fewer than half of those invited answered in round {n} ({rate}): the scores "
        "may not speak for everyone."
    ),
    "flag_hidden": "{name}: round {n} is hidden, because fewer than {min} people answered.",
    "flag_hidden_many": "{name}: rounds {rounds} are hidden, because fewer than {min} people answered.",
    "change_prev_title": "Change in {dimension} since the previous round",
    "page_changes_prev": "Since the previous round (R{n})",
    "page_changes_first": "Since the first round (R{n})",
    "change_section_intro": (
        "Every coalition's change since its first round, per dimension; the tables give the "
        "change since the previous round too. A bar is the range the true change very likely "
        "lies in; a bar across zero means no detectable change."
    ),
    # -- the coalition's findings --------------------------------------------------------
    "glance_since_first": "Since round {n}, the first round",
    "glance_since_previous": "Since round {n}, the previous round",
    "first_change_hidden_middle": (
        "Round {hidden} is hidden, so the change is measured from round {n} to this round."
    ),
    # -- measurement in plain words (methods) ---------------------------------------------
    "measurement_title": "Can the coalitions be told apart?",
    "measurement_apart": (
        "On {dims} the differences between coalitions are larger than the differences within "
        "them: a coalition's score says something about that coalition."
    ),
    "measurement_not_apart": (
        "On {dims} members of one coalition differ about as much as coalitions do: read the "
        "coalitions' scores on these dimensions as one picture, not as differences between "
        "coalitions."
    ),
    "measurement_icc": "(In numbers: ICC(2) per dimension, {values}; 0.70 or more counts as reliable.)",
    "glossary_title": "Words used in this report",
    "glossary": (
        "Range (95% confidence interval)|The values the true score very likely lies "
        "between.\n"
        "No detectable change|The range of the change includes zero: the data fit a small "
        "rise and a small fall alike.\n"
        "Possibly changed|The range leaves out zero, but with several dimensions tested at "
        "once this happens by chance too often to call it a change (Holm's correction).\n"
        "Equality index|100 means residents and professionals answer alike; lower means "
        "their answers differ (from Cliff's delta).\n"
        "Funnel plot|Each coalition's score against its number of respondents, with limits "
        "that are wider for small groups.\n"
        "ICC(2)|How well coalitions can be told apart by their mean score; from 0.70 it is "
        "reliable.\n"
        "Linked|People who gave the same personal key in both rounds, so their own answers "
        "can be compared."
    ),
    # -- funnel ---------------------------------------------------------------------------
    "funnels_title": "Every dimension: scores against the number of respondents",
    "funnels_desc": (
        "Small multiples, one funnel plot per dimension: each coalition's score (vertical) "
        "against its number of respondents (horizontal), with the programme centre and limits "
        "at 95% and 99.8%; coalitions are named at their points."
    ),
    "heatmap_table_title": "Scores of the coalitions per dimension, round {n} (numbers only)",
    "funnel_axis_x": "respondents",
    "funnel_axis_y": "score",
    "funnel_table_title": "Where each coalition falls, per dimension",
    "where_within": "within",
    "where_above": "above",
    "where_below": "below",
    "overdispersion_on": (
        "On {dims} the coalitions spread more than chance alone would give; the limits are "
        "widened for that."
    ),
    "funnel_note": (
        "Dashed: 95% limits; solid: 99.8% limits. Inside the limits a coalition does not differ "
        "from the programme by more than chance."
    ),
    # -- statements ---------------------------------------------------------------------
    "dk_legend": "don't know",
    "legend_good": "favourable",
    "legend_bad": "unfavourable",
    "items_legend_disagree": "disagree (good on a statement marked \u21c4)",
    # -- tables on phones -------------------------------------------------------------------
    "scroll_cue": "Wide table: swipe sideways to see every column.",
    # -- comparisons ------------------------------------------------------------------------
    "ei_mean_ci": "Mean over the dimensions (range)",
    "ei_mean_head": "Mean over the dimensions",
    "ei_ci_note": (
        "The large dot is the mean over the dimensions whose gap can be shown, with its 95% "
        "range; the small dots are those dimensions, each with its own range in the columns "
        "before."
    ),
    "ei_dots_note": (
        "The large dot is the mean over the dimensions whose gap can be shown, the small dots "
        "are those dimensions, each with its own range in the columns before. The mean is a "
        "description of these dimensions: it has no range of its own here, so read it "
        "together with theirs."
    ),
    "equality_overall_ci": ("Equality index over all shown dimensions: {ei} out of 100 ({range})."),
    "reading_none_plain": "The coalition has not added its own reading of this round yet.",
    "appendix_title": "Appendix for the coalition lead",
    "appendix_intro": (
        "Not needed to read the report: how to add to it, and what identifies this "
        "calculation, so it can be repeated exactly."
    ),
    "appendix_reading": "surveycoal note add {slug} TEXT --round {n} --reading",
    "p_small": "less than 0.001",
    "p_smaller": "less than 0.01",
    "columns_explained": (
        "p (Holm): how surprising the difference would be if there were none, corrected for "
        "testing every dimension at once; effect size (g): the difference in standard "
        "deviations; smallest findable difference: in points, what these group sizes can show."
    ),
    "test_details": "The tests behind the verdicts",
    "linked_explained": "Linked: people who gave the same personal key in both rounds.",
    "columns_explained_linked": (
        "p (Holm): how surprising the change would be if there were none, corrected for "
        "testing every dimension at once; effect size (g): the change in standard deviations; "
        "smallest findable difference: in points, what these group sizes can show; linked: "
        "people who gave the same personal key in both rounds."
    ),
}

NL: dict[str, str] = {
    "sec_findings": "Bevindingen",
    "and_word": "en",
    "findings_intro": (
        "De score van het programma per dimensie, en hoeveel coalities veranderden. Een score "
        "loopt van 0 tot 100; 50 is neutraal. De marge achter elke score geeft aan waar de echte "
        "waarde zeer waarschijnlijk ligt."
    ),
    "findings_title": "Het programma per dimensie",
    "findings_dimension": "Dimensie",
    "findings_score": "Score van het programma (marge)",
    "since_first": "Sinds de eerste ronde",
    "since_previous": "Sinds de vorige ronde",
    "since_first_and_previous": "Sinds de eerste ronde (ook de vorige)",
    "tally_improved": "verbeterd",
    "tally_possibly": "mogelijk veranderd",
    "tally_none": "geen aantoonbare verandering",
    "tally_declined": "achteruitgegaan",
    "tally_untested": "niet getoetst",
    "tally_zero": "nog geen coalitie vergeleken",
    "tally_legend": (
        "Aantallen coalities. \u25b2 verbeterd \u00b7 \u25c7 mogelijk veranderd: de marge "
        "sluit nul uit, maar met acht dimensies tegelijk getoetst kan dat ook toeval zijn "
        "\u00b7 \u25cb geen aantoonbare verandering \u00b7 \u25bc achteruitgegaan \u00b7 "
        "\u2013 niet getoetst: een ronde te klein of verborgen."
    ),
    "programme_score_note": (
        "De score van het programma is het gemiddelde van de scores van de coalities, elke "
        "coalitie telt één keer; de marge is breed als de coalities verschillen."
    ),
    "flags_title": "Om over te praten",
    "flags_none": (
        "Er springt niets uit: geen dimensie ging achteruit, geen verschil tussen bewoners en "
        "professionals werd duidelijk, elke coalitie deed met genoeg mensen mee."
    ),
    "flags_more": "En nog {count}: zie de hoofdstukken hieronder.",
    "flag_declined": "{name}: sinds ronde {n} achteruitgegaan bij {dims}.",
    "flag_gap": (
        "{name}: bij {dims} antwoorden bewoners en professionals nu duidelijk verschillend; "
        "in ronde {n} was dat niet zo."
    ),
    "flag_rate": (
        "{name}: minder dan de helft van de uitgenodigden deed mee in ronde {n} ({rate}): de "
        "scores spreken misschien niet voor iedereen."
    ),
    "flag_hidden": "{name}: ronde {n} is verborgen, omdat minder dan {min} mensen meededen.",
    "flag_hidden_many": (
        "{name}: de rondes {rounds} zijn verborgen, omdat minder dan {min} mensen meededen."
    ),
    "change_prev_title": "Verandering in {dimension} sinds de vorige ronde",
    "page_changes_prev": "Sinds de vorige ronde (R{n})",
    "page_changes_first": "Sinds de eerste ronde (R{n})",
    "change_section_intro": (
        "De verandering van elke coalitie sinds haar eerste ronde, per dimensie; de tabellen "
        "geven ook de verandering sinds de vorige ronde. Een balk is de marge waarin de echte "
        "verandering zeer waarschijnlijk ligt; een balk over de nul heen betekent: geen "
        "aantoonbare verandering."
    ),
    "glance_since_first": "Sinds ronde {n}, de eerste ronde",
    "glance_since_previous": "Sinds ronde {n}, de vorige ronde",
    "first_change_hidden_middle": (
        "Ronde {hidden} is verborgen, dus de verandering is gemeten van ronde {n} tot deze ronde."
    ),
    "measurement_title": "Zijn de coalities van elkaar te onderscheiden?",
    "measurement_apart": (
        "Bij {dims} zijn de verschillen tussen coalities groter dan de verschillen binnen "
        "coalities: de score zegt iets over die coalitie."
    ),
    "measurement_not_apart": (
        "Bij {dims} verschillen leden van één coalitie ongeveer even veel als coalities onderling: "
        "lees de scores op deze dimensies als één beeld, niet als verschillen tussen coalities."
    ),
    "measurement_icc": (
        "(In cijfers: ICC(2) per dimensie, {values}; vanaf 0,70 geldt het als betrouwbaar.)"
    ),
    "glossary_title": "Woorden in dit rapport",
    "glossary": (
        "Marge (95%-betrouwbaarheidsinterval)|De waarden waartussen de echte score zeer "
        "waarschijnlijk ligt.\n"
        "Geen aantoonbare verandering|De marge van de verandering bevat nul: de gegevens passen "
        "bij een kleine stijging en bij een kleine daling.\n"
        "Mogelijk veranderd|De marge sluit nul uit, maar met meerdere dimensies tegelijk "
        "getoetst gebeurt dat te vaak bij toeval om het een verandering te noemen "
        "(Holm-correctie).\n"
        "Gelijkwaardigheidsindex|100 betekent dat bewoners en professionals gelijk antwoorden; "
        "lager betekent dat hun antwoorden verschillen (berekend met Cliff's delta).\n"
        "Trechterdiagram|De score van elke coalitie tegen het aantal deelnemers, met grenzen "
        "die bij kleine groepen breder zijn.\n"
        "ICC(2)|Hoe goed coalities op hun gemiddelde score van elkaar te onderscheiden zijn; "
        "vanaf 0,70 is dat betrouwbaar.\n"
        "Gekoppeld|Mensen die in beide rondes dezelfde persoonlijke sleutel gaven, zodat hun "
        "eigen antwoorden te vergelijken zijn."
    ),
    "funnels_title": "Alle dimensies: scores tegen het aantal deelnemers",
    "funnels_desc": (
        "Kleine veelvouden, één trechterdiagram per dimensie: de score van elke coalitie "
        "(verticaal) tegen het aantal deelnemers (horizontaal), met het midden van het programma "
        "en grenzen bij 95% en 99,8%; de coalities staan met naam bij hun punt."
    ),
    "heatmap_table_title": "Scores van de coalities per dimensie, ronde {n} (alleen cijfers)",
    "funnel_axis_x": "deelnemers",
    "funnel_axis_y": "score",
    "funnel_table_title": "Waar elke coalitie valt, per dimensie",
    "where_within": "binnen",
    "where_above": "erboven",
    "where_below": "eronder",
    "overdispersion_on": (
        "Bij {dims} liggen de coalities verder uiteen dan toeval alleen zou geven; de grenzen "
        "zijn daarvoor verbreed."
    ),
    "funnel_note": (
        "Gestreept: 95%-grenzen; doorgetrokken: 99,8%-grenzen. Binnen de grenzen verschilt een "
        "coalitie niet meer van het programma dan toeval."
    ),
    "dk_legend": "weet ik niet",
    "legend_good": "gunstig",
    "legend_bad": "ongunstig",
    "items_legend_disagree": "oneens (goed bij een stelling met \u21c4)",
    "scroll_cue": "Brede tabel: veeg opzij om alle kolommen te zien.",
    "ei_mean_ci": "Gemiddelde over de dimensies (marge)",
    "ei_mean_head": "Gemiddelde over de dimensies",
    "ei_ci_note": (
        "De grote stip is het gemiddelde over de dimensies waarvan het verschil getoond kan "
        "worden, met zijn 95%-marge; de kleine stippen zijn die dimensies, elk met een eigen "
        "marge in de kolommen ervoor."
    ),
    "ei_dots_note": (
        "De grote stip is het gemiddelde over de dimensies waarvan het verschil getoond kan "
        "worden, de kleine stippen zijn die dimensies, elk met een eigen marge in de kolommen "
        "ervoor. Het gemiddelde beschrijft deze dimensies: het heeft hier geen eigen marge, "
        "dus lees het samen met die van de dimensies."
    ),
    "equality_overall_ci": (
        "Gelijkwaardigheidsindex over alle getoonde dimensies: {ei} van de 100 ({range})."
    ),
    "reading_none_plain": "De coalitie heeft nog geen eigen duiding van deze ronde toegevoegd.",
    "appendix_title": "Bijlage voor de trekker van de coalitie",
    "appendix_intro": (
        "Niet nodig om het rapport te lezen: hoe u er iets aan toevoegt, en wat deze berekening "
        "aanduidt, zodat ze precies te herhalen is."
    ),
    "appendix_reading": "surveycoal note add {slug} TEKST --round {n} --reading",
    "p_small": "kleiner dan 0,001",
    "p_smaller": "kleiner dan 0,01",
    "columns_explained": (
        "p (Holm): hoe verrassend het verschil zou zijn als er geen verschil was, gecorrigeerd "
        "voor het toetsen van alle dimensies tegelijk; effectgrootte (g): het verschil in "
        "standaarddeviaties; kleinste vindbare verschil: in punten, wat deze groepen kunnen "
        "laten zien."
    ),
    "test_details": "De toetsen achter de oordelen",
    "linked_explained": "Gekoppeld: mensen die in beide rondes dezelfde persoonlijke sleutel gaven.",
    "columns_explained_linked": (
        "p (Holm): hoe verrassend de verandering zou zijn als er geen verandering was, "
        "gecorrigeerd voor het toetsen van alle dimensies tegelijk; effectgrootte (g): de "
        "verandering in standaarddeviaties; kleinste vindbare verschil: in punten, wat deze "
        "groepen kunnen laten zien; gekoppeld: mensen die in beide rondes dezelfde persoonlijke "
        "sleutel gaven."
    ),
}

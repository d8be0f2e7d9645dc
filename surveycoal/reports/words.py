"""The words of the reports, in Dutch and English, and how numbers are written.

Every sentence a report shows is here, so a translation is one dictionary. Texts
with ``{name}`` fields are filled with :meth:`str.format` by the context builders;
templates only look words up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from surveycoal.privacy import REASONS

LANGUAGES = ("nl", "en")

#: The minus sign used in every number (U+2212, not a hyphen).
MINUS = "\u2212"

_EN: dict[str, str] = {
    # -- page furniture --------------------------------------------------------------
    "lang_name": "English",
    "demo_banner": "Demo data: invented coalitions and answers, not real results",
    "demo_print": "DEMO DATA - invented, not real results",
    "made_with": "Made with surveycoal {version} on {date}.",
    "contents": "Contents",
    "round_word": "round",
    "round_short": "R{n}",
    "round_n": "Round {n}",
    "programme_word": "Programme",
    "coalition_word": "Coalition",
    "no_programme": "not part of a programme",
    "open_round_warning": (
        "Round {n} is still open: people can still answer, so these figures may change."
    ),
    "numbers_behind": "The numbers behind this chart",
    "hidden_legend": "Hatched: hidden to protect anonymity.",
    "score_of_100": "out of 100",
    "ci_words": "95% confidence interval",
    "ci_short": "95% CI",
    "ci_range": "{low} to {high}",
    "ci_explain": (
        "A score is the mean of the members' answers on a scale of 0 (all strongly disagree) "
        "to 100 (all strongly agree); 50 is neutral. The bar around it is the 95% confidence "
        "interval: the range the coalition's true score very likely lies in. With few "
        "respondents the range is wide."
    ),
    "neutral_mark": "neutral",
    "dimension": "Dimension",
    "statement": "Statement",
    "n_word": "n",
    "mean_word": "Score",
    "median_word": "Median",
    "yes": "yes",
    "no": "no",
    "dash": "-",
    "not_available": "not available",
    # -- titles ------------------------------------------------------------------------
    "coalition_title": "{name}: round {n}",
    "coalition_kicker": "Coalition report",
    "programme_title": "{name}",
    "programme_kicker": "Programme report",
    "programme_round": "Round {n}",
    "programme_latest": "Each coalition's latest round",
    "compare_kicker": "Comparison",
    "compare_rounds_title": "{name}: round {a} and round {b}",
    "compare_groups_title": "{a} and {b}: round {n}",
    "compare_types_title": "{name}: {a} and {b} in round {n}",
    # -- sections ----------------------------------------------------------------------
    "sec_summary": "Summary",
    "sec_profile": "Profile of the dimensions",
    "sec_trends": "Trends over the rounds",
    "sec_equality": "Equality between residents and professionals",
    "sec_items": "Answers per statement",
    "sec_strengths": "Strengths and points of attention",
    "sec_reading": "The coalition's own reading",
    "sec_open": "Open answers",
    "sec_methods": "Methods and data quality",
    "sec_heatmap": "All coalitions side by side",
    "sec_change": "Change since the first round",
    "sec_ei": "Equality index across coalitions",
    "sec_funnel": "Funnel plots: who stands out?",
    "sec_participation": "Participation and data quality",
    "sec_coalitions": "One page per coalition",
    "sec_side_by_side": "Side by side",
    "sec_differences": "Differences and verdicts",
    # -- summary -----------------------------------------------------------------------
    "responses_invited": "{n} of {invited} invited people answered ({rate}).",
    "responses_only": "{n} people answered (how many were invited is not recorded).",
    "round_dates": "Open from {opened} to {closed}.",
    "round_dates_open": "Open since {opened}.",
    "headline_score": "{score} out of 100",
    "headline_ci": "very likely between {low} and {high}",
    "since_round": "Since round {n}",
    "first_round": "This is the coalition's first round: there is nothing to compare with yet.",
    "change_sentence_nodiff": "{verdict}.",
    "change_short": "{diff}; the data fit {low} to {high}.",
    "hidden_round": (
        "This round has fewer than {min} responses, so no scores are shown: "
        "groups that small would make answers traceable to people."
    ),
    # -- profile -----------------------------------------------------------------------
    "profile_title": "Scores per dimension with their 95% confidence intervals",
    "profile_desc": (
        "Dot plot of the {count} dimension scores on a 0-100 scale; a horizontal bar shows "
        "each 95% confidence interval; the dashed line marks the neutral midpoint, 50."
    ),
    "shared_view": "Shared view?",
    "shared_yes": "yes, members largely agree",
    "shared_no": "no: members disagree",
    "shared_unknown": "cannot be judged",
    "distribution": "{disagree} disagree, {neutral} neutral, {agree} agree",
    # -- trends ------------------------------------------------------------------------
    "trend_title": "{dimension} over the rounds",
    "trend_desc": (
        "Line chart of the {dimension} score in rounds {rounds}, with a shaded band for the "
        "95% confidence interval{notes}."
    ),
    "trend_desc_notes": " and numbered markers for the timeline notes",
    "timeline": "Timeline notes",
    "timeline_none": "No timeline notes were added for this coalition.",
    "trend_verdicts": "Change from round to round",
    # -- equality ----------------------------------------------------------------------
    "equality_intro": (
        "The gap is the residents' score minus the professionals' score. The equality index "
        "runs from 0 to 100: 100 means the answers of the two groups cannot be told apart, "
        "lower means one group answers systematically higher than the other."
    ),
    "equality_overall": "Equality index over all shown dimensions: {ei} out of 100 (a descriptive mean).",
    "equality_overall_hidden": "No equality index can be shown: {reason}.",
    "groups_title": "Scores of {a} and {b} per dimension",
    "groups_desc": (
        "Dot plot comparing two groups on {count} dimensions, each score with its 95% "
        "confidence interval; circles for {a}, diamonds for {b}."
    ),
    "ei_title": "Equality index per dimension",
    "ei_desc": (
        "Dot plot of the equality index (0-100) for {count} dimensions with 95% confidence "
        "intervals; 100 means the two groups cannot be told apart."
    ),
    "gap": "Gap",
    "equality_index": "Equality index",
    # -- items -------------------------------------------------------------------------
    "items_intro": (
        "How the answers to each statement are spread: disagree to the left of the centre "
        'line, agree to the right, neutral split over the middle. "Don\'t know" is not an '
        "opinion and is shown apart, on the right. Statements that are phrased negatively "
        "are shown as asked. With so few answers a share is rough: the table gives each "
        "share's 95% interval."
    ),
    "items_title": "Answers to the statements about {dimension}",
    "items_desc": (
        "Diverging stacked bar chart of {count} statements: share disagree, neutral and agree "
        "of the valid answers, and separately the share that answered don't know."
    ),
    "disagree": "disagree",
    "neutral": "neutral",
    "agree": "agree",
    "dont_know": "don't know",
    "reverse_note": "(phrased negatively)",
    "valid_answers": "valid answers",
    # -- strengths ---------------------------------------------------------------------
    "strengths": "Strengths",
    "attention": "Points of attention",
    "strength_high": "{dimension}: clearly positive, {score} (very likely between {low} and {high}).",
    "strength_improved": "{dimension}: {verdict} since round {n} ({diff}).",
    "attention_low": "{dimension}: clearly below neutral, {score} (very likely between {low} and {high}).",
    "attention_declined": "{dimension}: {verdict} since round {n} ({diff}).",
    "attention_gap": "{dimension}: residents and professionals experience this differently (gap {diff}, {low} to {high}).",
    "attention_dk": '{dimension}: many answered "don\'t know" ({share}).',
    "attention_disagree": "{dimension}: members disagree with each other; look at the spread, not only the score.",
    "attention_scale": "{dimension}: the statements do not form one scale here; read them one by one.",
    "nothing_stands_out": (
        "Nothing stands out clearly. With this many responses only large differences can be "
        'seen: that is not the same as "everything is average".'
    ),
    "strength_rules": (
        "A dimension counts as a strength when its whole confidence interval lies above 60 "
        "or when it improved; as a point of attention when "
        "its whole interval lies below 50, when it declined, when residents and professionals "
        'differ clearly, when 20% or more answered "don\'t know" (in the whole coalition, or '
        "in one member type clearly more often than in the coalition), or when members "
        "disagree."
    ),
    # -- reading -----------------------------------------------------------------------
    "reading_none": (
        "The coalition has not added its own reading of this round yet "
        "(surveycoal note add {slug} TEXT --round {n} --reading)."
    ),
    "reading_date": "Added on {date}",
    # -- open answers ------------------------------------------------------------------
    "open_intro": (
        "Open answers are shown only when at least {min} people answered, in random order, "
        "without dates and never split by member type."
    ),
    "open_none": "Nobody answered this question.",
    # -- methods -----------------------------------------------------------------------
    "methods_intro": (
        "Scores are means of the answered statements per person, on 0-100, with a t-based 95% "
        'confidence interval. "Don\'t know" is never counted as neutral. Changes between '
        "rounds are tested with Welch's t-test, a paired t-test for people who answered both "
        "rounds (linked by an anonymous panel key), or the partially overlapping samples "
        "t-test when only some are linked; p-values are adjusted with Holm's method and "
        "checked with a permutation test. The gap between member types uses Cliff's delta "
        "(equality index = 100 \u00d7 (1 \u2212 |delta|))."
    ),
    "quality_title": "Reliability, agreement and don't know per dimension",
    "alpha": "Reliability (alpha)",
    "alpha_pooled": "pooled over the programme",
    "alpha_own": "this coalition",
    "agreement": "Agreement (rwg)",
    "agreement_cutoff": "random answers reach {cutoff}",
    "random_cutoff": "Random answers reach",
    "pooled_note": "* Reliability pooled over the programme's coalitions in this round: with fewer than 20 respondents a coalition's own alpha is too imprecise.",
    "dk_rate": "Don't know",
    "incomplete": "Scores on fewer statements",
    "flag_imprecise": "imprecise (fewer than 20 respondents)",
    "flag_not_a_scale": "statements do not form a scale: read them one by one",
    "flag_questionable": "questionable",
    "flag_check_reverse_keying": "check the negatively phrased statements",
    "anonymity_title": "Anonymity rules applied",
    "rule_min_group": "No group smaller than {min} is ever shown, not even its size.",
    "rule_items": "Answers per statement are shown from {min} responses.",
    "rule_text": "Open answers are shown from {min} responses, shuffled and never per member type.",
    "rule_complementary": (
        "When one part of a total is hidden, the next smallest part is hidden too, so the hidden "
        "part cannot be worked out by subtraction."
    ),
    "rule_derived": "A gap or equality index is shown only when both groups have at least {min}.",
    "hidden_count": "Figures hidden in this report: {count}.",
    "hidden_none": "No figure had to be hidden in this report.",
    "instrument_line": "Questionnaire {id} version {version} (fingerprint {hash}).",
    "seed_line": "Resampling seed {seed}: running the report again gives the same numbers.",
    "response_rate": "Response rate",
    "responses": "Responses",
    "invited": "Invited",
    "member_types": "Member types",
    "detectable": "Smallest change this design can find (80% power): about {value} points.",
    # -- verdicts (docs/METHODS.md section 8) -------------------------------------------------
    "verdict_improved": "improved",
    "verdict_slightly_improved": "slightly improved (less than {mid} points)",
    "verdict_declined": "declined",
    "verdict_slightly_declined": "slightly declined (less than {mid} points)",
    "verdict_no_detectable_change": "no detectable change",
    "verdict_inconclusive": "inconclusive: the two tests disagree",
    "verdict_too_few": "too few responses to test",
    "verdict_higher": "higher",
    "verdict_slightly_higher": "slightly higher (less than {mid} points)",
    "verdict_lower": "lower",
    "verdict_slightly_lower": "slightly lower (less than {mid} points)",
    "verdict_no_detectable_difference": "no detectable difference",
    "verdict_possibly_improved": "possibly improved",
    "verdict_possibly_declined": "possibly declined",
    "verdict_possibly_higher": "possibly higher",
    "verdict_possibly_lower": "possibly lower",
    "side_higher": "{group} higher",
    "side_slightly_higher": "{group} slightly higher (less than {mid} points)",
    "side_possibly_higher": "{group} possibly higher",
    "fits_range": "the data fit anything from {low} to {high} points",
    # -- hidden cells (privacy reason codes) -----------------------------------------------
    "hidden_short": "hidden",
    "reason_hidden": "hidden to protect anonymity",
    "reason_below_minimum": "hidden: fewer than {min}",
    "reason_complementary": "hidden: a smaller hidden group could otherwise be worked out",
    "reason_differencing": "hidden: subtraction would reveal a small group",
    "reason_part_below_minimum": "hidden: a group has fewer than {min}",
    "reason_too_few_for_items": "hidden: shown from {min_items} answers",
    "reason_too_few_for_text": "hidden: shown from {min_text} answers",
    "reason_no_responses": "no responses",
    "reason_not_in_round": "no round",
    "reason_one_round": "only one round so far",
    "reason_purged": "answers deleted: not tested",
    "mark_purged": "deleted",
    "purged_note": (
        '"Deleted": the answers of that round were deleted after their retention period. Its '
        "scores are kept and shown, but a change from or to it cannot be tested."
    ),
    # -- programme ---------------------------------------------------------------------
    "programme_summary": (
        "{count} coalitions; {responses} responses in {round_words}; response rate {rate}."
    ),
    "programme_summary_norate": "{count} coalitions; {responses} responses in {round_words}.",
    "programme_hidden": "{count} coalition(s) had fewer than {min} responses: their scores are hidden.",
    "no_league": (
        "This report does not rank coalitions. Coalitions differ in size, neighbourhood and "
        "history; a position in a list would suggest a precision the data do not have."
    ),
    "told_apart": "Coalitions can be told apart reliably (ICC(2) {icc}).",
    "not_told_apart": (
        "Coalitions cannot be told apart reliably (ICC(2) {icc}, below 0.70): "
        "differences between their scores are mostly noise."
    ),
    "told_apart_on": "Coalitions can be told apart reliably on: {dims}.",
    "not_told_apart_on": (
        "Coalitions cannot be told apart reliably on: {dims}. The number is ICC(2); below 0.70 "
        "differences between coalitions' scores are mostly noise."
    ),
    "told_apart_unknown": "Too few coalitions are shown to judge whether they differ.",
    "heatmap_title": "Scores of the coalitions per dimension, round {n}",
    "heatmap_desc": (
        "Heat map of {rows} coalitions by {cols} dimensions; paler blue is lower, deeper blue "
        "is higher, each cell also shows its score and, below it, the margin of its 95% "
        "confidence interval; hatched cells are hidden."
    ),
    "heat_margin_note": (
        "Under each score its margin (\u00b1): the 95% confidence interval reaches that far "
        "on either side. Colours that look alike may hide wide margins."
    ),
    "change_title": "Change in {dimension} since the first round",
    "change_desc": (
        "Forest plot of the change per coalition with 95% confidence intervals around zero; "
        "the symbol of the verdict and the change are written next to each bar."
    ),
    "change_from_to": "From round {a} to round {b}",
    "change_cell": "{diff} ({low} to {high})",
    "ei_across_title": "Equality index per coalition",
    "ei_across_desc": (
        "Dot plot of the equality index (0-100) of {count} coalitions: a large dot for the mean "
        "over dimensions and small dots for the separate dimensions."
    ),
    "ei_mean": "mean over dimensions",
    "ei_dimensions": "separate dimensions",
    "ei_small_dots": "The small dots are the separate dimensions whose gap can be shown; the number is their mean.",
    "funnel_title": "Funnel plot of {dimension}",
    "funnel_desc": (
        "Funnel plot: each coalition's score against its number of respondents, with the "
        "programme centre line and control limits at 95% and 99.8%; points outside the limits "
        "are drawn as triangles. Each point carries its coalition's letter from the table; "
        "the letters follow the alphabet, not the scores."
    ),
    "funnel_explain": (
        "Small coalitions scatter more by chance, so the limits widen to the left. A coalition "
        "outside the outer limits (99.8%) differs from the programme by more than chance; "
        "inside them it does not, whatever its position."
    ),
    "funnel_centre": "centre {centre}",
    "funnel_unlabelled": (
        "Letters are written where they fit and always for a coalition outside the limits; "
        "the table lists every coalition."
    ),
    "limits_95": "95% limits",
    "limits_998": "99.8% limits",
    "position": "Position",
    "position_within": "within the limits",
    "position_above": "above the limits",
    "position_below": "below the limits",
    "group_top": "top group",
    "group_middle": "middle group",
    "group_bottom": "bottom group",
    "overdispersion": "Limits widened for more spread than chance (overdispersion {phi}).",
    "participation_title": "Responses and response rate per round",
    "quality_dk": "Don't know (latest round)",
    "quality_flags": "Reliability notes",
    "coalition_page_round": "Latest round shown: {n}",
    "mini_profile_title": "{name}: scores in round {n}",
    "page_changes": "Change since round {n}",
    "page_reading": "The coalition's reading",
    # -- compare -----------------------------------------------------------------------
    "compare_intro_rounds": (
        "Round {a} and round {b} of {name}. People who answered both rounds with the same "
        "panel key are linked: {linked}."
    ),
    "compare_intro_groups": "{a} and {b} in round {n}, each scored separately.",
    "compare_intro_types": "{a} and {b} within round {n} of {name}.",
    "compare_title": "Scores side by side",
    "compare_desc": (
        "Dot plot of {count} dimensions for two groups, each score with its 95% confidence "
        "interval: hollow circles for {a}, filled circles for {b}."
    ),
    "diff_title": "Differences with their 95% confidence intervals",
    "diff_desc": (
        "Forest plot of the difference per dimension ({what}) with 95% confidence intervals "
        "around zero; the symbol of the verdict and the difference are next to each bar."
    ),
    "diff_what_rounds": "round {b} minus round {a}",
    "diff_what_groups": "{a} minus {b}",
    "difference": "Difference",
    "verdict": "Verdict",
    "linked": "Linked",
    "effect_size": "Effect size (g)",
    "detectable_short": "Smallest findable difference",
    "p_adjusted": "p (Holm)",
    "instrument_changed": (
        "The two rounds used different versions of the questionnaire; only the dimensions in "
        "both are compared."
    ),
    "skipped": "Not in both rounds: {dims}.",
    "verdict_rules": (
        '"Improved" or "declined" means: after adjusting for testing several dimensions at '
        "once (Holm), the change is larger than chance would give, the interval excludes zero "
        'and a permutation test agrees. "Slightly" means less than {mid} points, the smallest '
        'change that matters. "Possibly improved" or "possibly declined": the interval leaves '
        'out zero, but not after that adjustment. "No detectable change" (the interval holds '
        'zero) never means "unchanged": the interval shows what the data still allow.'
    ),
    # -- counts that would reveal a small group -----------------------------------------
    "responses_hidden_invited": (
        "Fewer than {min} of the {invited} invited people answered, so nothing of this round "
        "is shown."
    ),
    "responses_hidden": "Fewer than {min} people answered, so nothing of this round is shown.",
    "programme_not_counted": (
        "Rounds with fewer than {min} responses are not counted in these totals."
    ),
    "point_one": "point",
    "point_many": "points",
    # -- what changed, at a glance -------------------------------------------------------
    "since_glance": "What changed since round {n}",
    "holm_sentence": (
        "the interval leaves out zero, but after correcting for testing {count} dimensions "
        "at once the change is not clear enough to call"
    ),
    "holm_mark": "\u2020",
    "holm_footnote": (
        "\u2020 Possibly: the interval leaves out zero, but after correcting for testing "
        "several dimensions at once (Holm) the change is not clear enough to call it certain."
    ),
    # -- equality: the gap and its course ----------------------------------------------
    "gap_title": "The gap per dimension: {a} minus {b}",
    "gap_desc": (
        "Forest plot of the gap between {a} and {b} on {count} dimensions, in points on the "
        "0-100 scale, each with its 95% confidence interval around zero."
    ),
    "gap_legend": (
        "Left of zero: {a} scores lower; right of zero: higher. \u25bc lower \u00b7 "
        "\u25b2 higher \u00b7 \u25cb no clear gap."
    ),
    "gap_rounds_title": "The gap in every round ({a} minus {b})",
    "groups_all_hidden": (
        "The scores of {a} and {b} cannot be shown separately in this round: {reason}."
    ),
    "ei_all_hidden": "No gap or equality index can be shown in this round: {reason}.",
    # -- don't know per member type --------------------------------------------------------
    "dk_types_title": "Don't know per member type",
    "all_members": "All members",
    "attention_dk_type": (
        '{dimension}: {share} of the answers of {type} were "don\'t know" (all members: {overall}).'
    ),
    "flag_dims": "{flag} ({dims})",
}

_NL: dict[str, str] = {
    "lang_name": "Nederlands",
    "demo_banner": "Demogegevens: verzonnen coalities en antwoorden, geen echte resultaten",
    "demo_print": "DEMOGEGEVENS - verzonnen, geen echte resultaten",
    "made_with": "Gemaakt met surveycoal {version} op {date}.",
    "contents": "Inhoud",
    "round_word": "ronde",
    "round_short": "R{n}",
    "round_n": "Ronde {n}",
    "programme_word": "Programma",
    "coalition_word": "Coalitie",
    "no_programme": "geen deel van een programma",
    "open_round_warning": (
        "Ronde {n} staat nog open: er kan nog geantwoord worden, dus deze cijfers kunnen nog "
        "veranderen."
    ),
    "numbers_behind": "De cijfers achter deze grafiek",
    "hidden_legend": "Gearceerd: verborgen om anonimiteit te beschermen.",
    "score_of_100": "van de 100",
    "ci_words": "95%-betrouwbaarheidsinterval",
    "ci_short": "95%-BI",
    "ci_range": "{low} tot {high}",
    "ci_explain": (
        "Een score is het gemiddelde van de antwoorden van de leden op een schaal van 0 (iedereen "
        "helemaal oneens) tot 100 (iedereen helemaal eens); 50 is neutraal. De balk eromheen is "
        "het 95%-betrouwbaarheidsinterval: daartussen ligt de echte score van de coalitie "
        "zeer waarschijnlijk. Bij weinig deelnemers is die marge breed."
    ),
    "neutral_mark": "neutraal",
    "dimension": "Dimensie",
    "statement": "Stelling",
    "n_word": "n",
    "mean_word": "Score",
    "median_word": "Mediaan",
    "yes": "ja",
    "no": "nee",
    "dash": "-",
    "not_available": "niet beschikbaar",
    "coalition_title": "{name}: ronde {n}",
    "coalition_kicker": "Coalitierapport",
    "programme_title": "{name}",
    "programme_kicker": "Programmarapport",
    "programme_round": "Ronde {n}",
    "programme_latest": "De laatste ronde van elke coalitie",
    "compare_kicker": "Vergelijking",
    "compare_rounds_title": "{name}: ronde {a} en ronde {b}",
    "compare_groups_title": "{a} en {b}: ronde {n}",
    "compare_types_title": "{name}: {a} en {b} in ronde {n}",
    "sec_summary": "Samenvatting",
    "sec_profile": "Profiel van de dimensies",
    "sec_trends": "Verloop over de rondes",
    "sec_equality": "Gelijkwaardigheid tussen bewoners en professionals",
    "sec_items": "Antwoorden per stelling",
    "sec_strengths": "Sterke punten en aandachtspunten",
    "sec_reading": "De eigen duiding van de coalitie",
    "sec_open": "Open antwoorden",
    "sec_methods": "Methode en kwaliteit van de gegevens",
    "sec_heatmap": "Alle coalities naast elkaar",
    "sec_change": "Verandering sinds de eerste ronde",
    "sec_ei": "Gelijkwaardigheidsindex per coalitie",
    "sec_funnel": "Trechterdiagrammen: wie valt op?",
    "sec_participation": "Deelname en kwaliteit van de gegevens",
    "sec_coalitions": "Eén pagina per coalitie",
    "sec_side_by_side": "Naast elkaar",
    "sec_differences": "Verschillen en oordelen",
    "responses_invited": "{n} van de {invited} uitgenodigde mensen hebben geantwoord ({rate}).",
    "responses_only": "{n} mensen hebben geantwoord (hoeveel er zijn uitgenodigd is niet vastgelegd).",
    "round_dates": "Open van {opened} tot {closed}.",
    "round_dates_open": "Open sinds {opened}.",
    "headline_score": "{score} van de 100",
    "headline_ci": "zeer waarschijnlijk tussen {low} en {high}",
    "since_round": "Sinds ronde {n}",
    "first_round": "Dit is de eerste ronde van de coalitie: er is nog niets om mee te vergelijken.",
    "change_sentence_nodiff": "{verdict}.",
    "change_short": "{diff}; de gegevens passen bij {low} tot {high}.",
    "hidden_round": (
        "Deze ronde heeft minder dan {min} antwoorden, dus er worden geen scores getoond: bij "
        "zulke kleine groepen zijn antwoorden tot personen te herleiden."
    ),
    "profile_title": "Scores per dimensie met hun 95%-betrouwbaarheidsintervallen",
    "profile_desc": (
        "Stippengrafiek van de {count} dimensiescores op een schaal van 0 tot 100; een "
        "horizontale balk toont elk 95%-betrouwbaarheidsinterval; de stippellijn markeert het "
        "neutrale midden, 50."
    ),
    "shared_view": "Gedeeld beeld?",
    "shared_yes": "ja, de leden zijn het grotendeels eens",
    "shared_no": "nee: de leden verschillen van mening",
    "shared_unknown": "niet te beoordelen",
    "distribution": "{disagree} oneens, {neutral} neutraal, {agree} eens",
    "trend_title": "{dimension} over de rondes",
    "trend_desc": (
        "Lijngrafiek van de score voor {dimension} in de rondes {rounds}, met een gekleurde band "
        "voor het 95%-betrouwbaarheidsinterval{notes}."
    ),
    "trend_desc_notes": " en genummerde markeringen voor de tijdlijnnotities",
    "timeline": "Tijdlijn",
    "timeline_none": "Er zijn geen tijdlijnnotities toegevoegd voor deze coalitie.",
    "trend_verdicts": "Verandering van ronde tot ronde",
    "equality_intro": (
        "Het verschil is de score van bewoners min die van professionals. De "
        "gelijkwaardigheidsindex loopt van 0 tot 100: 100 betekent dat de antwoorden van de twee "
        "groepen niet van elkaar te onderscheiden zijn; lager betekent dat de ene groep "
        "stelselmatig hoger antwoordt dan de andere."
    ),
    "equality_overall": "Gelijkwaardigheidsindex over alle getoonde dimensies: {ei} van de 100 (een beschrijvend gemiddelde).",
    "equality_overall_hidden": "Er kan geen gelijkwaardigheidsindex worden getoond: {reason}.",
    "groups_title": "Scores van {a} en {b} per dimensie",
    "groups_desc": (
        "Stippengrafiek die twee groepen vergelijkt op {count} dimensies, elke score met zijn "
        "95%-betrouwbaarheidsinterval; rondjes voor {a}, ruiten voor {b}."
    ),
    "ei_title": "Gelijkwaardigheidsindex per dimensie",
    "ei_desc": (
        "Stippengrafiek van de gelijkwaardigheidsindex (0-100) voor {count} dimensies met "
        "95%-betrouwbaarheidsintervallen; 100 betekent dat de groepen niet te onderscheiden zijn."
    ),
    "gap": "Verschil",
    "equality_index": "Gelijkwaardigheidsindex",
    "items_intro": (
        "Hoe de antwoorden op elke stelling verdeeld zijn: oneens links van de middellijn, eens "
        'rechts, neutraal verdeeld over het midden. "Weet ik niet" is geen mening en staat '
        "apart, rechts. Negatief geformuleerde stellingen staan zoals ze gevraagd zijn. Met zo "
        "weinig antwoorden is een percentage grof: de tabel geeft bij elk percentage het "
        "95%-interval."
    ),
    "items_title": "Antwoorden op de stellingen over {dimension}",
    "items_desc": (
        "Gestapelde staafgrafiek rond het midden voor {count} stellingen: aandeel oneens, "
        "neutraal en eens van de geldige antwoorden, en apart het aandeel weet ik niet."
    ),
    "disagree": "oneens",
    "neutral": "neutraal",
    "agree": "eens",
    "dont_know": "weet ik niet",
    "reverse_note": "(negatief geformuleerd)",
    "valid_answers": "geldige antwoorden",
    "strengths": "Sterke punten",
    "attention": "Aandachtspunten",
    "strength_high": "{dimension}: duidelijk positief, {score} (zeer waarschijnlijk tussen {low} en {high}).",
    "strength_improved": "{dimension}: {verdict} sinds ronde {n} ({diff}).",
    "attention_low": "{dimension}: duidelijk onder neutraal, {score} (zeer waarschijnlijk tussen {low} en {high}).",
    "attention_declined": "{dimension}: {verdict} sinds ronde {n} ({diff}).",
    "attention_gap": "{dimension}: bewoners en professionals ervaren dit verschillend (verschil {diff}, {low} tot {high}).",
    "attention_dk": '{dimension}: veel mensen antwoordden "weet ik niet" ({share}).',
    "attention_disagree": "{dimension}: de leden verschillen van mening; kijk naar de spreiding, niet alleen naar de score.",
    "attention_scale": "{dimension}: de stellingen vormen hier geen schaal; lees ze één voor één.",
    "nothing_stands_out": (
        "Niets springt er duidelijk uit. Met zo weinig antwoorden zijn alleen grote verschillen "
        'te zien: dat is iets anders dan "alles is gemiddeld".'
    ),
    "strength_rules": (
        "Een dimensie telt als sterk punt als het hele betrouwbaarheidsinterval boven 60 ligt "
        "of als ze verbeterd is; als aandachtspunt als het "
        "hele interval onder 50 ligt, als ze achteruitging, als bewoners en professionals "
        'duidelijk verschillen, als 20% of meer "weet ik niet" antwoordde (in de hele coalitie, '
        "of in één soort lid duidelijk vaker dan in de coalitie) of als de leden van mening "
        "verschillen."
    ),
    "reading_none": (
        "De coalitie heeft nog geen eigen duiding van deze ronde toegevoegd "
        "(surveycoal note add {slug} TEKST --round {n} --reading)."
    ),
    "reading_date": "Toegevoegd op {date}",
    "open_intro": (
        "Open antwoorden worden alleen getoond als minstens {min} mensen antwoordden, in "
        "willekeurige volgorde, zonder data en nooit per soort lid."
    ),
    "open_none": "Niemand heeft deze vraag beantwoord.",
    "methods_intro": (
        "Scores zijn per persoon het gemiddelde van de beantwoorde stellingen, op 0-100, met een "
        '95%-betrouwbaarheidsinterval volgens de t-verdeling. "Weet ik niet" telt nooit als '
        "neutraal. Veranderingen tussen rondes worden getoetst met de t-toets van Welch, een "
        "gepaarde t-toets voor mensen die beide rondes invulden (gekoppeld via een anonieme "
        "panelsleutel), of de t-toets voor deels overlappende steekproeven als maar een deel "
        "gekoppeld is; p-waarden worden gecorrigeerd met de methode van Holm en gecontroleerd "
        "met een permutatietoets. Het verschil tussen soorten leden gebruikt Cliff's delta "
        "(gelijkwaardigheidsindex = 100 \u00d7 (1 \u2212 |delta|))."
    ),
    "quality_title": "Betrouwbaarheid, overeenstemming en weet ik niet per dimensie",
    "alpha": "Betrouwbaarheid (alfa)",
    "alpha_pooled": "samengenomen over het programma",
    "alpha_own": "deze coalitie",
    "agreement": "Overeenstemming (rwg)",
    "agreement_cutoff": "willekeurige antwoorden halen {cutoff}",
    "random_cutoff": "Willekeurige antwoorden halen",
    "pooled_note": "* Betrouwbaarheid samengenomen over de coalities van het programma in deze ronde: bij minder dan 20 deelnemers is de eigen alfa van een coalitie te onnauwkeurig.",
    "dk_rate": "Weet ik niet",
    "incomplete": "Scores op minder stellingen",
    "flag_imprecise": "onnauwkeurig (minder dan 20 deelnemers)",
    "flag_not_a_scale": "de stellingen vormen geen schaal: lees ze één voor één",
    "flag_questionable": "twijfelachtig",
    "flag_check_reverse_keying": "controleer de negatief geformuleerde stellingen",
    "anonymity_title": "Toegepaste anonimiteitsregels",
    "rule_min_group": "Geen groep kleiner dan {min} wordt ooit getoond, ook de grootte niet.",
    "rule_items": "Antwoorden per stelling worden getoond vanaf {min} antwoorden.",
    "rule_text": "Open antwoorden worden getoond vanaf {min} antwoorden, door elkaar en nooit per soort lid.",
    "rule_complementary": (
        "Als één deel van een totaal verborgen is, wordt ook het op één na kleinste deel "
        "verborgen, zodat het verborgen deel niet door aftrekken te vinden is."
    ),
    "rule_derived": "Een verschil of gelijkwaardigheidsindex wordt alleen getoond als beide groepen minstens {min} tellen.",
    "hidden_count": "Verborgen cijfers in dit rapport: {count}.",
    "hidden_none": "In dit rapport hoefde geen enkel cijfer verborgen te worden.",
    "instrument_line": "Vragenlijst {id} versie {version} (vingerafdruk {hash}).",
    "seed_line": "Startgetal voor hersteekproeven {seed}: het rapport opnieuw maken geeft dezelfde cijfers.",
    "response_rate": "Respons",
    "responses": "Antwoorden",
    "invited": "Uitgenodigd",
    "member_types": "Soorten leden",
    "detectable": "Kleinste verandering die deze opzet kan vinden (80% onderscheidend vermogen): ongeveer {value} punten.",
    "verdict_improved": "verbeterd",
    "verdict_slightly_improved": "iets verbeterd (minder dan {mid} punten)",
    "verdict_declined": "achteruitgegaan",
    "verdict_slightly_declined": "iets achteruitgegaan (minder dan {mid} punten)",
    "verdict_no_detectable_change": "geen aantoonbare verandering",
    "verdict_inconclusive": "onbeslist: de twee toetsen spreken elkaar tegen",
    "verdict_too_few": "te weinig antwoorden om te toetsen",
    "verdict_higher": "hoger",
    "verdict_slightly_higher": "iets hoger (minder dan {mid} punten)",
    "verdict_lower": "lager",
    "verdict_slightly_lower": "iets lager (minder dan {mid} punten)",
    "verdict_no_detectable_difference": "geen aantoonbaar verschil",
    "verdict_possibly_improved": "mogelijk verbeterd",
    "verdict_possibly_declined": "mogelijk achteruitgegaan",
    "verdict_possibly_higher": "mogelijk hoger",
    "verdict_possibly_lower": "mogelijk lager",
    "side_higher": "{group} hoger",
    "side_slightly_higher": "{group} iets hoger (minder dan {mid} punten)",
    "side_possibly_higher": "{group} mogelijk hoger",
    "fits_range": "de gegevens passen bij alles van {low} tot {high} punten",
    "hidden_short": "verborgen",
    "reason_hidden": "verborgen om de anonimiteit te beschermen",
    "reason_below_minimum": "verborgen: minder dan {min}",
    "reason_complementary": "verborgen: anders is een kleinere verborgen groep te herleiden",
    "reason_differencing": "verborgen: door aftrekken zou een kleine groep zichtbaar worden",
    "reason_part_below_minimum": "verborgen: een groep telt minder dan {min}",
    "reason_too_few_for_items": "verborgen: getoond vanaf {min_items} antwoorden",
    "reason_too_few_for_text": "verborgen: getoond vanaf {min_text} antwoorden",
    "reason_no_responses": "geen antwoorden",
    "reason_not_in_round": "geen ronde",
    "reason_one_round": "nog maar één ronde",
    "reason_purged": "antwoorden verwijderd: niet getoetst",
    "mark_purged": "verwijderd",
    "purged_note": (
        '"Verwijderd": de antwoorden van die ronde zijn na hun bewaartermijn verwijderd. De '
        "scores zijn bewaard en getoond, maar een verandering van of naar die ronde is niet te "
        "toetsen."
    ),
    "programme_summary": (
        "{count} coalities; {responses} antwoorden in {round_words}; respons {rate}."
    ),
    "programme_summary_norate": "{count} coalities; {responses} antwoorden in {round_words}.",
    "programme_hidden": "{count} coalitie(s) hadden minder dan {min} antwoorden: hun scores zijn verborgen.",
    "no_league": (
        "Dit rapport zet coalities niet op volgorde. Coalities verschillen in grootte, wijk en "
        "geschiedenis; een plaats in een lijst zou een precisie suggereren die de gegevens niet "
        "hebben."
    ),
    "told_apart": "Coalities zijn betrouwbaar van elkaar te onderscheiden (ICC(2) {icc}).",
    "not_told_apart": (
        "Coalities zijn niet betrouwbaar van elkaar te onderscheiden (ICC(2) {icc}, onder 0,70): "
        "verschillen tussen hun scores zijn grotendeels toeval."
    ),
    "told_apart_on": "Coalities zijn betrouwbaar van elkaar te onderscheiden op: {dims}.",
    "not_told_apart_on": (
        "Coalities zijn niet betrouwbaar van elkaar te onderscheiden op: {dims}. Het getal is "
        "ICC(2); onder 0,70 zijn verschillen tussen de scores van coalities grotendeels toeval."
    ),
    "told_apart_unknown": "Te weinig coalities zichtbaar om te beoordelen of ze verschillen.",
    "heatmap_title": "Scores van de coalities per dimensie, ronde {n}",
    "heatmap_desc": (
        "Warmtekaart van {rows} coalities bij {cols} dimensies; lichter blauw is lager, "
        "donkerder blauw is hoger, elke cel toont ook haar score en daaronder de marge van het "
        "95%-betrouwbaarheidsinterval; gearceerde cellen zijn verborgen."
    ),
    "heat_margin_note": (
        "Onder elke score de marge (\u00b1): zo ver reikt het 95%-betrouwbaarheidsinterval naar "
        "beide kanten. Kleuren die op elkaar lijken kunnen brede marges verbergen."
    ),
    "change_title": "Verandering in {dimension} sinds de eerste ronde",
    "change_desc": (
        "Bosdiagram van de verandering per coalitie met 95%-betrouwbaarheidsintervallen rond nul; "
        "het symbool van het oordeel en de verandering staan naast elke balk."
    ),
    "change_from_to": "Van ronde {a} naar ronde {b}",
    "change_cell": "{diff} ({low} tot {high})",
    "ei_across_title": "Gelijkwaardigheidsindex per coalitie",
    "ei_across_desc": (
        "Stippengrafiek van de gelijkwaardigheidsindex (0-100) van {count} coalities: een grote "
        "stip voor het gemiddelde over de dimensies en kleine stippen voor de afzonderlijke "
        "dimensies."
    ),
    "ei_mean": "gemiddelde over de dimensies",
    "ei_dimensions": "afzonderlijke dimensies",
    "ei_small_dots": "De kleine stippen zijn de afzonderlijke dimensies waarvan het verschil getoond kan worden; het getal is hun gemiddelde.",
    "funnel_title": "Trechterdiagram van {dimension}",
    "funnel_desc": (
        "Trechterdiagram: de score van elke coalitie tegen haar aantal deelnemers, met de "
        "middellijn van het programma en controlegrenzen op 95% en 99,8%; punten buiten de "
        "grenzen zijn driehoeken. Elk punt draagt de letter van zijn coalitie uit de tabel; "
        "de letters volgen het alfabet, niet de scores."
    ),
    "funnel_explain": (
        "Kleine coalities wijken door toeval meer af, dus de grenzen lopen naar links uit elkaar. "
        "Een coalitie buiten de buitenste grenzen (99,8%) wijkt meer af van het programma dan "
        "toeval verklaart; daarbinnen niet, wat haar plaats ook is."
    ),
    "funnel_centre": "midden {centre}",
    "funnel_unlabelled": (
        "Letters staan waar ze passen en altijd bij een coalitie buiten de grenzen; de tabel "
        "noemt elke coalitie."
    ),
    "limits_95": "95%-grenzen",
    "limits_998": "99,8%-grenzen",
    "position": "Positie",
    "position_within": "binnen de grenzen",
    "position_above": "boven de grenzen",
    "position_below": "onder de grenzen",
    "group_top": "bovenste groep",
    "group_middle": "middengroep",
    "group_bottom": "onderste groep",
    "overdispersion": "Grenzen verbreed voor meer spreiding dan toeval (overdispersie {phi}).",
    "participation_title": "Antwoorden en respons per ronde",
    "quality_dk": "Weet ik niet (laatste ronde)",
    "quality_flags": "Opmerkingen over betrouwbaarheid",
    "coalition_page_round": "Laatst getoonde ronde: {n}",
    "mini_profile_title": "{name}: scores in ronde {n}",
    "page_changes": "Verandering sinds ronde {n}",
    "page_reading": "De duiding van de coalitie",
    "compare_intro_rounds": (
        "Ronde {a} en ronde {b} van {name}. Mensen die beide rondes invulden met dezelfde "
        "panelsleutel zijn gekoppeld: {linked}."
    ),
    "compare_intro_groups": "{a} en {b} in ronde {n}, elk apart gescoord.",
    "compare_intro_types": "{a} en {b} binnen ronde {n} van {name}.",
    "compare_title": "Scores naast elkaar",
    "compare_desc": (
        "Stippengrafiek van {count} dimensies voor twee groepen, elke score met zijn "
        "95%-betrouwbaarheidsinterval: open rondjes voor {a}, dichte rondjes voor {b}."
    ),
    "diff_title": "Verschillen met hun 95%-betrouwbaarheidsintervallen",
    "diff_desc": (
        "Bosdiagram van het verschil per dimensie ({what}) met 95%-betrouwbaarheidsintervallen "
        "rond nul; het symbool van het oordeel en het verschil staan naast elke balk."
    ),
    "diff_what_rounds": "ronde {b} min ronde {a}",
    "diff_what_groups": "{a} min {b}",
    "difference": "Verschil",
    "verdict": "Oordeel",
    "linked": "Gekoppeld",
    "effect_size": "Effectgrootte (g)",
    "detectable_short": "Kleinste vindbare verschil",
    "p_adjusted": "p (Holm)",
    "instrument_changed": (
        "De twee rondes gebruikten verschillende versies van de vragenlijst; alleen de dimensies "
        "die in beide staan worden vergeleken."
    ),
    "skipped": "Niet in beide rondes: {dims}.",
    "verdict_rules": (
        '"Verbeterd" of "achteruitgegaan" betekent: na correctie voor het toetsen van meerdere '
        "dimensies tegelijk (Holm) is de verandering groter dan toeval geeft, het interval "
        'bevat geen nul en een permutatietoets is het ermee eens. "Iets" betekent minder dan '
        '{mid} punten, de kleinste verandering die ertoe doet. "Mogelijk verbeterd" of '
        '"mogelijk achteruitgegaan": het interval sluit nul uit, maar na die correctie niet '
        'meer. "Geen aantoonbare verandering" (het interval bevat nul) betekent nooit '
        '"onveranderd": het interval laat zien wat de gegevens nog toelaten.'
    ),
    # -- aantallen die een kleine groep zouden verraden ------------------------------------
    "responses_hidden_invited": (
        "Minder dan {min} van de {invited} uitgenodigde mensen hebben geantwoord; daarom wordt "
        "niets van deze ronde getoond."
    ),
    "responses_hidden": (
        "Minder dan {min} mensen hebben geantwoord; daarom wordt niets van deze ronde getoond."
    ),
    "programme_not_counted": (
        "Rondes met minder dan {min} antwoorden tellen in deze totalen niet mee."
    ),
    "point_one": "punt",
    "point_many": "punten",
    # -- wat er veranderde, in een oogopslag ---------------------------------------------
    "since_glance": "Wat er veranderde sinds ronde {n}",
    "holm_sentence": (
        "het interval sluit nul uit, maar na correctie voor het tegelijk toetsen van "
        "{count} dimensies is de verandering niet duidelijk genoeg"
    ),
    "holm_mark": "\u2020",
    "holm_footnote": (
        "\u2020 Mogelijk: het interval sluit nul uit, maar na correctie voor het tegelijk "
        "toetsen van meerdere dimensies (Holm) is de verandering niet zeker genoeg om te "
        "benoemen."
    ),
    # -- gelijkwaardigheid: het verschil en zijn verloop --------------------------------
    "gap_title": "Het verschil per dimensie: {a} min {b}",
    "gap_desc": (
        "Bosdiagram van het verschil tussen {a} en {b} op {count} dimensies, in punten op de "
        "schaal 0-100, elk met zijn 95%-betrouwbaarheidsinterval rond nul."
    ),
    "gap_legend": (
        "Links van nul: {a} scoort lager; rechts van nul: hoger. \u25bc lager \u00b7 "
        "\u25b2 hoger \u00b7 \u25cb geen duidelijk verschil."
    ),
    "gap_rounds_title": "Het verschil in elke ronde ({a} min {b})",
    "groups_all_hidden": (
        "De scores van {a} en {b} kunnen in deze ronde niet apart getoond worden: {reason}."
    ),
    "ei_all_hidden": (
        "In deze ronde kan geen verschil of gelijkwaardigheidsindex getoond worden: {reason}."
    ),
    # -- weet ik niet per soort lid ------------------------------------------------------
    "dk_types_title": "Weet ik niet per soort lid",
    "all_members": "Alle leden",
    "attention_dk_type": (
        '{dimension}: {share} van de antwoorden van {type} was "weet ik niet" (alle leden: '
        "{overall})."
    ),
    "flag_dims": "{flag} ({dims})",
}

WORDS: dict[str, dict[str, str]] = {"en": _EN, "nl": _NL}


def _merge_findings() -> None:
    """Add the words of :mod:`surveycoal.reports.words_findings`; a clash is a bug."""
    from surveycoal.reports import words_findings

    for lang, extra in (("en", words_findings.EN), ("nl", words_findings.NL)):
        clash = sorted(set(extra) & set(WORDS[lang]))
        if clash:  # pragma: no cover - caught by the tests of the catalogue
            raise KeyError(f"report words defined twice: {', '.join(clash)}")
        WORDS[lang].update(extra)


_merge_findings()


def words(lang: str) -> dict[str, str]:
    """The words of one language (``nl`` or ``en``)."""
    try:
        return WORDS[lang]
    except KeyError:
        from surveycoal.errors import InputError

        raise InputError(
            f"There are no report words in {lang!r}.", hint=f"Use one of: {', '.join(LANGUAGES)}."
        ) from None


def say(lang: str, key: str, **values: Any) -> str:
    """One sentence of ``lang`` with its fields filled in."""
    text = words(lang)[key]
    return text.format(**values) if values else text


# -- numbers ------------------------------------------------------------------------


def number(value: float | None, lang: str, digits: int = 0) -> str:
    """A number as a reader writes it: decimal comma in Dutch, a real minus sign.

    >>> number(68.75, "nl"), number(0.815, "nl", 2), number(-3.2, "en", 1)
    ('69', '0,81', '\u22123.2')
    """
    if value is None or not math.isfinite(value):
        return words(lang)["dash"]
    text = f"{abs(value):.{digits}f}"
    if lang == "nl":
        text = text.replace(".", ",")
    rounded_zero = float(f"{abs(value):.{digits}f}") == 0.0
    return (MINUS if value < 0 and not rounded_zero else "") + text


def signed(value: float | None, lang: str, digits: int = 0) -> str:
    """A difference with its sign always written: +8, \u22123, 0.

    >>> signed(8.2, "en"), signed(-0.04, "en", 1), signed(0.0, "nl")
    ('+8', '0.0', '0')
    """
    text = number(value, lang, digits)
    if value is not None and math.isfinite(value) and value > 0 and text.strip("0,.") != "":
        return "+" + text
    return text


def percent(share: float | None, lang: str) -> str:
    """A share of 0..1 as a whole percentage.

    >>> percent(0.754, "nl")
    '75%'
    """
    if share is None or not math.isfinite(share):
        return words(lang)["dash"]
    return f"{number(100 * share, lang)}%"


def date_text(value: Any, lang: str) -> str:
    """A date as 9 March 2026 / 9 maart 2026."""
    months = {
        "en": (
            "January February March April May June July August September October November December"
        ).split(),
        "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    }
    return f"{value.day} {months[lang][value.month - 1]} {value.year}"


#: Every reason scoring may give for hiding a cell.
PRIVACY_REASONS = frozenset(REASONS)


def hidden_words(reason: str | None, lang: str = "en") -> str:
    """What a reader is told about a cell hidden for privacy: one phrase, whatever the cause.

    The causes differ in what they give away: "no responses" in one cell and "too
    small" in the next would tell that the one municipal respondent answered
    "don't know" to every trust statement. So, as statistical offices do with one
    mark, every hidden cell says the same; the methods section explains the rules.

    >>> hidden_words("no_responses") == hidden_words("below_minimum") == hidden_words(None)
    True
    """
    return words(lang)["reason_hidden"]


def reason_text(reason: str | None, lang: str, limits: Mapping[str, int]) -> str:
    """Why a cell has no figure, in words (``limits``: min, min_items, min_text).

    Every privacy reason gives the one phrase of :func:`hidden_words`; only cells
    that are empty for another cause (no such round, only one round) say so.
    """
    code = reason or "below_minimum"
    if code in PRIVACY_REASONS:
        return hidden_words(code, lang)
    key = f"reason_{code}"
    table = words(lang)
    if key not in table:
        key = "reason_below_minimum"
    return table[key].format(**limits)


def p_text(p: float | None, lang: str) -> str:
    """A p-value as readers read it: two decimals, or "less than 0.01" / "less than 0.001".

    >>> p_text(0.0004, "nl"), p_text(0.004, "nl"), p_text(0.0312, "nl"), p_text(1.0, "en")
    ('kleiner dan 0,001', 'kleiner dan 0,01', '0,03', '1.00')
    """
    if p is None or not math.isfinite(p):
        return words(lang)["dash"]
    if p < 0.001:
        return words(lang)["p_small"]
    if p < 0.01:
        return words(lang)["p_smaller"]
    return number(p, lang, 2)


def verdict_text(code: str, lang: str, mid: float = 5.0) -> str:
    """The plain words of a verdict code (docs/METHODS.md section 8)."""
    return words(lang)[f"verdict_{code}"].format(mid=number(mid, lang))


#: Group verdict -> the words key that names the higher side.
_SIDE = {
    "higher": "side_higher",
    "lower": "side_higher",
    "slightly_higher": "side_slightly_higher",
    "slightly_lower": "side_slightly_higher",
    "possibly_higher": "side_possibly_higher",
    "possibly_lower": "side_possibly_higher",
}


def difference_text(code: str, higher: str | None, lang: str, mid: float = 5.0) -> str:
    """A group difference's verdict naming the side that scores higher.

    ``higher`` is the label of the group the result names as higher; without one (no
    difference, inconclusive, too few) the verdict's own words.

    >>> difference_text("lower", "Professionals", "en"), difference_text("possibly_higher", "Bewoners", "nl")
    ('Professionals higher', 'Bewoners mogelijk hoger')
    """
    key = _SIDE.get(code)
    if key is None or not higher:
        return verdict_text(code, lang, mid)
    return words(lang)[key].format(group=higher, mid=number(mid, lang))

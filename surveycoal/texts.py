"""Every text a participant sees, in plain Dutch (B1) and English.

Dutch uses short sentences and everyday words, and "je" like the shipped
instruments do. Placeholders in braces are
filled with :meth:`str.format`. The questionnaire's own texts (items, scales,
member types) come from the instrument; these are the texts around them.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("nl", "en")
LANGUAGE_NAMES: dict[str, str] = {"nl": "Nederlands", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    # -- codes ----------------------------------------------------------------
    "ask_code": {
        "nl": "Typ je persoonlijke code (bijvoorbeeld K7QM-4TRXY) en druk op Enter.",
        "en": "Type your personal code (for example K7QM-4TRXY) and press Enter.",
    },
    "code_empty": {
        "nl": "Je hebt geen code getypt.",
        "en": "You did not type a code.",
    },
    "code_length": {
        "nl": "Een code heeft {length} letters en cijfers. Je typte er {typed}.",
        "en": "A code has {length} letters and digits. You typed {typed}.",
    },
    "code_symbol": {
        "nl": "Deze tekens komen niet voor in codes: {symbols}. Codes gebruiken nooit {left_out}.",
        "en": "These characters are not used in codes: {symbols}. Codes never use {left_out}.",
    },
    "code_check": {
        "nl": "Deze code klopt niet. Kijk of je een letter of cijfer verkeerd hebt getypt.",
        "en": "This code is not right. Check if you mistyped a letter or digit.",
    },
    "code_unknown": {
        "nl": "Deze code kennen we niet. Kijk of je de code goed hebt overgenomen.",
        "en": "We do not know this code. Check that you copied it correctly.",
    },
    "code_used": {
        "nl": "Met deze code zijn de vragen al ingevuld. Een code werkt maar één keer.",
        "en": "This code has been used already. A code works only once.",
    },
    "code_expired": {
        "nl": "Deze code is verlopen op {date}. Vraag om een nieuwe code.",
        "en": "This code expired on {date}. Ask for a new code.",
    },
    "round_closed": {
        "nl": "Deze vragenlijst is gesloten. Je kunt niet meer antwoorden.",
        "en": "This questionnaire is closed. You cannot answer any more.",
    },
    # -- start ----------------------------------------------------------------
    "choose_language": {
        "nl": "Kies je taal",
        "en": "Choose your language",
    },
    "welcome_title": {
        "nl": "Welkom bij de vragenlijst van {coalition}",
        "en": "Welcome to the questionnaire of {coalition}",
    },
    "welcome_purpose": {
        "nl": "Met deze vragen kijken we hoe de samenwerking gaat: vertrouwen, "
        "gelijkwaardigheid en wat er in de buurt gebeurt. Bewoners en professionals "
        "krijgen dezelfde vragen.",
        "en": "These questions show how the collaboration is going: trust, equality, "
        "and what happens in the neighbourhood. Residents and professionals get the "
        "same questions.",
    },
    "welcome_duration": {
        "nl": "Het kost ongeveer {minutes} minuten. Er zijn {items} vragen.",
        "en": "It takes about {minutes} minutes. There are {items} questions.",
    },
    "welcome_anonymous": {
        "nl": "Je antwoorden zijn anoniem. Niemand ziet wat jij invult. We slaan niet op "
        "wie je bent. We bewaren alleen de dag waarop je antwoordt, niet het tijdstip.",
        "en": "Your answers are anonymous. Nobody sees what you fill in. We do not store "
        "who you are. We keep only the day you answer, not the time.",
    },
    "welcome_min_group": {
        "nl": "We laten alleen uitkomsten zien van groepen van {min_group} mensen of meer. "
        "Uitkomsten van een kleinere groep laten we nooit zien.",
        "en": "We only show results for groups of {min_group} people or more. Results of "
        "a smaller group are never shown.",
    },
    "welcome_retention": {
        "nl": "We bewaren je antwoorden tot {months} maanden na het einde van deze ronde. "
        "Daarna wissen we ze. Alleen de uitkomsten van de hele groep blijven.",
        "en": "We keep your answers until {months} months after this round ends. Then we "
        "delete them. Only the results of the whole group stay.",
    },
    "welcome_linking": {
        "nl": "Deze ronde wordt gekoppeld aan andere rondes. Daarvoor vragen we je om een "
        "persoonlijke sleutel: een paar letters en cijfers die alleen jij weet. Zo kunnen "
        "we je antwoorden van nu en later naast elkaar leggen, zonder te weten wie je "
        "bent. Meedoen is niet verplicht.",
        "en": "This round is linked to other rounds. For that we ask you for a personal "
        "key: a few letters and numbers that only you know. This lets us compare your "
        "answers now and later, without knowing who you are. You do not have to take part.",
    },
    "welcome_no_linking": {
        "nl": "Je antwoorden worden niet gekoppeld aan eerdere of latere rondes.",
        "en": "Your answers are not linked to earlier or later rounds.",
    },
    "welcome_keys": {
        "nl": "Kies een antwoord met de pijltjes of met een cijfer. Druk dan op Enter.",
        "en": "Choose an answer with the arrow keys or a number, then press Enter.",
    },
    "welcome_keys_plain": {
        "nl": "Typ het nummer van je antwoord. Druk dan op Enter.",
        "en": "Type the number of your answer and press Enter.",
    },
    "ready": {"nl": "Klaar om te beginnen?", "en": "Ready to start?"},
    "start": {"nl": "Beginnen", "en": "Start"},
    "welcome_back": {
        "nl": "Welkom terug. Je antwoorden zijn bewaard. Je gaat verder bij vraag {next} van {total}.",
        "en": "Welcome back. Your answers were saved. You continue at question {next} of {total}.",
    },
    "welcome_back_end": {
        "nl": "Welkom terug. Je antwoorden zijn bewaard. Je bent bijna klaar.",
        "en": "Welcome back. Your answers were saved. You are nearly done.",
    },
    # -- member type and panel key -------------------------------------------
    "member_type": {
        "nl": "Hoe doe je mee?",
        "en": "How do you take part?",
    },
    "panel_intro": {
        "nl": "Je kunt nu een persoonlijke sleutel maken. Je krijgt dan vier makkelijke "
        "vragen over jezelf. Geef de volgende keer dezelfde antwoorden. Je antwoorden op "
        "deze vragen bewaren we niet. We bewaren alleen een code die we ervan maken.",
        "en": "You can now make a personal key. You get four easy questions about "
        "yourself. Give the same answers next time. We do not keep your answers to these "
        "questions. We keep only a code made from them.",
    },
    "panel_choice": {
        "nl": "Wil je een persoonlijke sleutel maken?",
        "en": "Do you want to make a personal key?",
    },
    "panel_yes": {
        "nl": "Ja, maak mijn sleutel",
        "en": "Yes, make my key",
    },
    "panel_no": {
        "nl": "Nee, koppel mijn antwoorden niet",
        "en": "No, do not link my answers",
    },
    "panel_mother_name": {
        "nl": "De eerste twee letters van de voornaam van je moeder (of van wie jou opvoedde):",
        "en": "The first two letters of your mother's first name (or of who raised you):",
    },
    "panel_birth_day": {
        "nl": "De dag van de maand waarop je geboren bent (1 tot 31):",
        "en": "The day of the month you were born (1 to 31):",
    },
    "panel_birth_place": {
        "nl": "De eerste letter van de plaats waar je geboren bent:",
        "en": "The first letter of the place where you were born:",
    },
    "panel_older_siblings": {
        "nl": "Hoeveel oudere broers en zussen heb je? (0 als je er geen hebt):",
        "en": "How many older brothers and sisters do you have? (0 if none):",
    },
    "panel_back": {
        "nl": "Wil je terug? Typ dan {word} en druk op Enter.",
        "en": "Want to go back? Type {word} and press Enter.",
    },
    "back_word": {"nl": "terug", "en": "back"},
    "panel_need_letter": {
        "nl": "Typ minstens 1 letter.",
        "en": "Type at least 1 letter.",
    },
    "panel_need_letters": {
        "nl": "Typ minstens {count} letters.",
        "en": "Type at least {count} letters.",
    },
    "panel_need_number": {
        "nl": "Typ een getal van {low} tot {high}.",
        "en": "Type a number from {low} to {high}.",
    },
    # -- questions ------------------------------------------------------------
    "part": {
        "nl": "Deel {number} van {total}: {label}",
        "en": "Part {number} of {total}: {label}",
    },
    "progress": {
        "nl": "vraag {number} van {total}",
        "en": "question {number} of {total}",
    },
    "back": {
        "nl": "Vorige vraag",
        "en": "Previous question",
    },
    "item_keys": {
        "nl": "Kies met een cijfer van 1 tot {high} of met de pijltjes. 0 = weet ik niet. "
        "Druk dan op Enter.",
        "en": "Choose with a number from 1 to {high} or with the arrow keys. 0 = don't know. "
        "Then press Enter.",
    },
    "choose_keys": {
        "nl": "Kies met een cijfer of met de pijltjes. Druk dan op Enter.",
        "en": "Choose with a number or with the arrow keys. Then press Enter.",
    },
    "back_keys": {
        "nl": "{back} = terug.",
        "en": "{back} = back.",
    },
    "choose_first": {
        "nl": "Je hebt nog niets gekozen.",
        "en": "You have not chosen anything yet.",
    },
    "kept_answer": {
        "nl": "Je vorige antwoord: {answer}. Enter houdt het.",
        "en": "Your earlier answer: {answer}. Enter keeps it.",
    },
    "open_progress": {
        "nl": "open vraag {number} van {total}",
        "en": "open question {number} of {total}",
    },
    "open_hint": {
        "nl": "Niet verplicht. Wil je niets schrijven? Druk dan alleen op Enter. Niet meer "
        "dan {max} tekens. We laten je tekst zien zonder te zeggen van wie hij komt. Schrijf "
        "er daarom geen namen in.",
        "en": "Optional. Leave empty and press Enter to skip. At most {max} characters. We "
        "show your text without saying who wrote it. So please do not write names in it.",
    },
    "open_back": {
        "nl": "Terug naar de vorige vraag? Typ alleen {back} en druk op Enter.",
        "en": "Back to the previous question? Type only {back} and press Enter.",
    },
    "too_long": {
        "nl": "Dat is te lang: niet meer dan {max} tekens (je hebt er {length}).",
        "en": "That is too long: at most {max} characters (you have {length}).",
    },
    "choose_number": {
        "nl": "Typ een nummer van de lijst en druk op Enter.",
        "en": "Type a number from the list and press Enter.",
    },
    # -- summary and end ------------------------------------------------------
    "summary_title": {
        "nl": "Je antwoorden",
        "en": "Your answers",
    },
    "summary_counts": {
        "nl": "Je hebt {answered} van de {total} vragen beantwoord. {dont_know} keer "
        "koos je 'weet ik niet'.",
        "en": "You answered {answered} of the {total} questions. {dont_know} times you "
        "chose 'don't know'.",
    },
    "summary_open": {
        "nl": "Open vragen beantwoord: {answered} van {total}.",
        "en": "Open questions answered: {answered} of {total}.",
    },
    "not_answered": {"nl": "(niet beantwoord)", "en": "(not answered)"},
    "empty_answer": {"nl": "(leeg)", "en": "(empty)"},
    "summary_question": {
        "nl": "Kies Versturen ({send}). Wil je eerst iets veranderen? Kies dan de vraag.",
        "en": "Choose Send ({send}). Want to change something first? Then choose the question.",
    },
    "summary_keys": {
        "nl": "{send} = versturen. Een nummer = die vraag veranderen. Of kies met de "
        "pijltjes. Druk dan op Enter.",
        "en": "{send} = send. A number = change that question. Or choose with the arrow "
        "keys. Then press Enter.",
    },
    "your_answer": {"nl": "antwoord", "en": "answer"},
    "send": {"nl": "Versturen", "en": "Send"},
    "thanks": {
        "nl": "Dank je wel! Je antwoorden zijn verstuurd.",
        "en": "Thank you! Your answers have been sent.",
    },
    "saved_for_later": {
        "nl": "Je antwoorden zijn bewaard. Gebruik dezelfde code om later verder te gaan.",
        "en": "Your answers are saved. Use the same code to continue later.",
    },
    "retype_code": {
        "nl": "Met deze code zijn al antwoorden bewaard. Typ je code nog een keer om verder "
        "te gaan.",
        "en": "Answers are saved with this code already. Type your code once more to go on.",
    },
    "retype_differs": {
        "nl": "Dat is niet dezelfde code.",
        "en": "That is not the same code.",
    },
    # -- kiosk ----------------------------------------------------------------
    "kiosk_answered_none": {
        "nl": "Hier heeft nog niemand geantwoord.",
        "en": "Nobody has answered here yet.",
    },
    "kiosk_answered_one": {
        "nl": "1 persoon heeft hier al geantwoord.",
        "en": "1 person has answered here so far.",
    },
    "kiosk_answered": {
        "nl": "{count} mensen hebben hier al geantwoord.",
        "en": "{count} people have answered here so far.",
    },
    "still_there": {
        "nl": "Ben je er nog?",
        "en": "Are you still there?",
    },
    "still_there_yes": {
        "nl": "Ja, ik ga verder",
        "en": "Yes, I want to continue",
    },
    "stop_word": {
        "nl": "Stopwoord van de begeleider",
        "en": "The lead's stop word",
    },
    "stop_word_choose": {
        "nl": "Kies een stopwoord. Je hebt het nodig om de kiosk te stoppen:",
        "en": "Choose a stop word. You need it to stop the kiosk:",
    },
    "stop_word_short": {
        "nl": "Dat is te kort: kies een woord van minstens {count} tekens.",
        "en": "That is too short: choose a word of at least {count} characters.",
    },
    "stop_word_again": {
        "nl": "Typ het stopwoord nog een keer:",
        "en": "Type the stop word again:",
    },
    "stop_word_differ": {
        "nl": "De twee woorden zijn niet gelijk. Kies het stopwoord opnieuw.",
        "en": "The two words differ. Choose the stop word again.",
    },
    "stop_word_set": {
        "nl": "Stopwoord gekozen: {dots} ({count} tekens). Stoppen: Ctrl-C, dan het stopwoord.",
        "en": "Stop word chosen: {dots} ({count} characters). To stop: Ctrl-C, then the stop word.",
    },
    "next_person": {
        "nl": "Druk op Enter. Dan kan de volgende persoon beginnen.",
        "en": "Press Enter. Then the next person can start.",
    },
    "next_person_ok": {"nl": "Volgende", "en": "Next"},
    # -- web --
    "web_title": {"nl": "Vragenlijst", "en": "Questionnaire"},
    "web_code_title": {
        "nl": "Vul je persoonlijke code in",
        "en": "Fill in your personal code",
    },
    "web_code_label": {
        "nl": "Je code staat op je briefje, bijvoorbeeld K7QM-4TRXY.",
        "en": "Your code is on your slip, for example K7QM-4TRXY.",
    },
    "web_code_button": {"nl": "Verder", "en": "Continue"},
    "web_next": {"nl": "Volgende", "en": "Next"},
    "web_welcome_how": {
        "nl": "Kies bij elke vraag een antwoord en druk op Volgende. Elk antwoord wordt meteen "
        "bewaard. Valt je telefoon uit? Open deze pagina opnieuw, dan ga je verder waar je was.",
        "en": "Choose an answer to each question and press Next. Every answer is saved at once. "
        "Did your phone switch off? Open this page again and you continue where you were.",
    },
    "web_choose_answer": {
        "nl": "Kies eerst een antwoord. Weet je het niet? Kies dan 'weet ik niet'.",
        "en": "Choose an answer first. Not sure? Then choose 'don't know'.",
    },
    "web_choose_one": {
        "nl": "Kies eerst een van de mogelijkheden.",
        "en": "Choose one of the options first.",
    },
    "web_open_label": {"nl": "Je antwoord (niet verplicht)", "en": "Your answer (optional)"},
    "web_change": {"nl": "Veranderen", "en": "Change"},
    "web_summary_question": {
        "nl": "Wil je je antwoorden versturen? Wil je eerst iets veranderen? Kies dan "
        "Veranderen bij die vraag.",
        "en": "Do you want to send your answers? Want to change something first? Then "
        "choose Change at that question.",
    },
    "web_change_named": {"nl": "Verander: {title}", "en": "Change: {title}"},
    "web_thanks_close": {
        "nl": "Je kunt deze pagina nu sluiten.",
        "en": "You can close this page now.",
    },
    "web_sent_already": {
        "nl": "Vanaf deze telefoon zijn de antwoorden al verstuurd. Dank je wel!",
        "en": "The answers from this phone have been sent already. Thank you!",
    },
    "web_full": {
        "nl": "Er zijn al genoeg antwoorden binnen. Meer kunnen er niet bij.",
        "en": "Enough answers have come in already. No more can be added.",
    },
    "web_stale": {
        "nl": "Dit scherm was al verstuurd, of je antwoorden zijn in een ander venster veranderd. "
        "Er is niets veranderd. Ga verder waar je was.",
        "en": "This screen was sent already, or your answers changed in another window. "
        "Nothing was changed. Continue where you were.",
    },
    "web_continue": {"nl": "Verder waar ik was", "en": "Continue where I was"},
    "web_start_over": {"nl": "Naar de eerste pagina", "en": "To the first page"},
    "web_expired": {
        "nl": "Deze pagina is verlopen. Er is niets opgeslagen. Begin opnieuw op de eerste pagina.",
        "en": "This page has expired. Nothing was saved. Start again on the first page.",
    },
    "web_bad_form": {
        "nl": "Dit antwoord kan niet: het staat niet bij deze vraag. Er is niets opgeslagen.",
        "en": "This answer is not possible: it is not one of this question's answers. "
        "Nothing was saved.",
    },
    "web_unknown_screen": {
        "nl": "Deze vraag hoort niet bij deze vragenlijst. Er is niets opgeslagen.",
        "en": "This question is not part of this questionnaire. Nothing was saved.",
    },
    "web_not_yet": {
        "nl": "Deze vraag komt later. Beantwoord eerst de vragen ervoor.",
        "en": "This question comes later. Answer the questions before it first.",
    },
    "web_too_big": {
        "nl": "Wat je stuurde is te groot. Er is niets opgeslagen.",
        "en": "What you sent is too large. Nothing was saved.",
    },
    "web_slow_down": {
        "nl": "Er zijn te veel verkeerde codes geprobeerd. Wacht {seconds} seconden en probeer "
        "het dan opnieuw.",
        "en": "Too many wrong codes were tried. Wait {seconds} seconds, then try again.",
    },
    "web_other_round": {
        "nl": "Deze code hoort bij een andere vragenlijst dan die hier wordt ingevuld.",
        "en": "This code belongs to another questionnaire than the one answered here.",
    },
    "web_not_found": {"nl": "Deze pagina bestaat niet.", "en": "This page does not exist."},
    "web_error": {
        "nl": "Er ging iets mis. Je antwoorden tot nu toe zijn bewaard. Probeer het opnieuw.",
        "en": "Something went wrong. Your answers so far are saved. Please try again.",
    },
}


def text(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang`` (Dutch when the language is unknown), filled in."""
    entry = TEXTS[key]
    template = entry.get(lang) or entry["nl"]
    return template.format(**values) if values else template


def both(key: str, **values: object) -> str:
    """The text in Dutch and in English on one line, for short prompts shown before a
    language is chosen."""
    return " / ".join(text(key, lang, **values) for lang in LANGUAGES)


def both_lines(key: str, **values: object) -> str:
    """The text in Dutch, then in English on the next line: for sentences shown before
    a language is chosen, which read badly run together."""
    return "\n".join(text(key, lang, **values) for lang in LANGUAGES)


def count_text(key: str, lang: str, count: int) -> str:
    """``key`` for a number: ``KEY_none`` for 0, ``KEY_one`` for 1, ``KEY`` otherwise."""
    variant = {0: f"{key}_none", 1: f"{key}_one"}.get(count, key)
    return text(variant if variant in TEXTS else key, lang, count=count)

"""A synthetic programme, answered, scored and reported: what ``surveycoal demo`` builds.

Five invented coalitions (not real organisations) go through three rounds of the
shipped questionnaire, each with a story in its numbers:

* Zonnehoek Samen: trust grows round after round (rounds linked by panel keys);
* Kanaaleiland Verbindt: the gap between residents and professionals closes;
* Molenweide Doet Mee: that gap widens after the welfare organisation takes over;
* Brugwijk Bloeit: large and steady, with a few municipal members whose group is
  hidden by complementary suppression;
* Klein Rietveld: too small, so its member groups are hidden and its second round
  shows nothing at all.

Every answer goes in through :func:`surveycoal.store.submit_responses`, the same
path as real answers; panel keys are hashed with
:func:`surveycoal.codes.panel_key_hash` like real ones. The database records that
it holds demo data (:func:`surveycoal.reports.gather.mark_demo`), and every report
made from it carries a demo banner because of that record.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from surveycoal.codes import PANEL_QUESTIONS, panel_key_hash
from surveycoal.errors import AlreadyExistsError, InputError
from surveycoal.i18n import _
from surveycoal.instruments import Instrument
from surveycoal.reports import (
    build_coalition_context,
    build_groups_compare_context,
    build_member_types_compare_context,
    build_programme_context,
    build_rounds_compare_context,
    render,
    write_html,
)
from surveycoal.reports.gather import is_demo, mark_demo
from surveycoal.store import (
    NewResponse,
    Store,
    add_coalition,
    add_member,
    add_note,
    add_programme,
    close_round,
    create_store,
    open_round,
    open_store,
    submit_responses,
)

DEMO_SEED = 2026
DEMO_DB = "surveycoal-demo.db"
PROGRAMME = "Buurten aan Zet 2026 (demo)"
INSTRUMENT = "coalition-health"
ROUND_DATES = (dt.date(2025, 3, 10), dt.date(2025, 9, 8), dt.date(2026, 3, 9))

RESIDENT = "resident_initiative"
WELFARE = "welfare_organisation"
MUNICIPALITY = "municipality"
OTHER = "other"


@dataclass(frozen=True)
class Story:
    """One invented coalition and what its numbers should tell.

    ``groups`` gives, per round, how many people of each member type answer;
    ``level`` shifts every answer of a round (scale points), ``focus`` shifts the
    focus dimension on top, and ``resident_gap`` moves residents' answers on the
    equality-related dimensions against the professionals'.
    """

    name: str
    members: Sequence[tuple[str, str]]
    groups: Sequence[Mapping[str, int]]
    level: Sequence[float] = (0.0, 0.0, 0.0)
    focus: Sequence[float] = (0.0, 0.0, 0.0)
    resident_gap: Sequence[float] = (0.0, 0.0, 0.0)
    linked: bool = False
    notes: Sequence[tuple[dt.date, str]] = ()
    reading: tuple[int, str] | None = None
    answers_open: float = 0.7
    went_well: Sequence[str] = field(default_factory=tuple)
    to_change: Sequence[str] = field(default_factory=tuple)


STORIES: tuple[Story, ...] = (
    Story(
        name="Zonnehoek Samen",
        members=(
            ("Bewonersinitiatief De Zonnehoek", RESIDENT),
            ("Buurtkracht Zonnehoek", RESIDENT),
            ("Welzijn Oost-Velderhaven", WELFARE),
            ("Stichting Ouderenwerk Zonnehoek", WELFARE),
        ),
        groups=(
            {RESIDENT: 9, WELFARE: 7},
            {RESIDENT: 10, WELFARE: 8},
            {RESIDENT: 11, WELFARE: 9},
        ),
        level=(-0.1, 0.1, 0.25),
        focus=(-0.4, 0.1, 0.5),
        linked=True,
        notes=(
            (dt.date(2025, 5, 12), "Vaste opbouwwerker gestart, elke dinsdag in het buurthuis."),
            (dt.date(2025, 11, 20), "Eerste buurtmaaltijd, helemaal georganiseerd door bewoners."),
        ),
        reading=(
            3,
            "We herkennen het groeiende vertrouwen: afspraken worden nagekomen en we zien elkaar "
            "vaker. Aandachtspunt blijft dat er nog weinig jongeren meedoen.",
        ),
        went_well=(
            "Afspraken worden nu echt nagekomen.",
            "We kennen elkaar beter sinds de buurtmaaltijden.",
            "De opbouwwerker is er elke week, dat helpt.",
            "Fijn dat we samen de plannen maken.",
            "Er is meer vertrouwen dan vorig jaar.",
            "Iedereen mag zeggen wat hij denkt.",
            "De buurtmaaltijd was een succes.",
            "We helpen elkaar als het nodig is.",
            "Ik voel me serieus genomen.",
            "Als iemand iets belooft, gebeurt het ook.",
            "Het overleg is gezelliger geworden.",
            "Nieuwe mensen worden snel opgenomen.",
            "We durven elkaar aan te spreken als iets niet lekker loopt.",
            "De dinsdagochtend in het buurthuis is vaste prik.",
        ),
        to_change=(
            "Jongeren doen nog te weinig mee.",
            "Het overleg mag korter.",
            "Meer bekendheid in de buurt.",
            "De verslagen komen vaak laat.",
            "Meer activiteiten in het weekend.",
            "Ook de flat aan de rand van de wijk erbij betrekken.",
            "Minder afhankelijk worden van één trekker.",
            "Een vaste plek om spullen op te slaan.",
            "Vaker laten zien wat we bereikt hebben.",
            "Meer aandacht voor ouderen die alleen wonen.",
            "Afspraken beter opschrijven.",
            "Een keer per jaar samen terugkijken.",
        ),
    ),
    Story(
        name="Kanaaleiland Verbindt",
        members=(
            ("Bewonerscollectief Kanaaleiland", RESIDENT),
            ("Buurtcoöperatie De Sluis", RESIDENT),
            ("Welzijnswerk Kanaalzone", WELFARE),
            ("Stichting Jongerenwerk Eiland", WELFARE),
        ),
        groups=(
            {RESIDENT: 13, WELFARE: 11},
            {RESIDENT: 13, WELFARE: 12},
            {RESIDENT: 14, WELFARE: 12},
        ),
        level=(0.0, 0.1, 0.15),
        resident_gap=(-1.1, -0.55, 0.0),
        linked=True,
        notes=(
            (dt.date(2025, 4, 15), "Twee bewoners schuiven aan bij de stuurgroep."),
            (dt.date(2025, 10, 1), "Budget voor bewonersideeën: bewoners beslissen zelf."),
        ),
        reading=(
            3,
            "Bewoners en professionals ervaren de samenwerking nu vrijwel hetzelfde. Dat komt "
            "volgens ons door het eigen budget van de bewoners.",
        ),
        went_well=(
            "Bewoners beslissen nu echt mee.",
            "Het eigen budget maakt verschil.",
            "De professionals luisteren beter dan vorig jaar.",
            "Meer bewoners aan tafel dan eerst.",
            "We spreken nu dezelfde taal.",
            "Bewoners krijgen het laatste woord over het budget.",
            "De stuurgroep is open en eerlijk.",
            "Goede afspraken over wie wat doet.",
            "De jongerenwerkers denken mee met bewoners.",
            "Bewoners zijn nu de helft van de stuurgroep.",
            "We vergaderen nu ook eens 's avonds.",
            "Ideeën van bewoners krijgen echt geld.",
            "Professionals vragen eerst wat wij willen.",
        ),
        to_change=(
            "Vergaderingen zijn nog vaak overdag.",
            "Minder vakjargon in de stukken.",
            "De stuurgroep kan nog meer bewoners gebruiken.",
            "Sneller beslissen over kleine aanvragen.",
            "Meer jongeren van het eiland betrekken.",
            "Het budget mag ook voor onderhoud gebruikt worden.",
        ),
    ),
    Story(
        name="Molenweide Doet Mee",
        members=(
            ("Bewonersinitiatief Molenweide", RESIDENT),
            ("Buurtcoöperatie De Wiek", RESIDENT),
            ("Welzijn Molenweide", WELFARE),
            ("Stichting Buurtwerk West", WELFARE),
        ),
        groups=(
            {RESIDENT: 11, WELFARE: 10},
            {RESIDENT: 12, WELFARE: 10},
            {RESIDENT: 11, WELFARE: 10},
        ),
        level=(0.1, 0.0, -0.1),
        resident_gap=(0.0, -0.4, -0.85),
        notes=(
            (dt.date(2025, 6, 3), "De welzijnsorganisatie neemt de coördinatie over."),
            (dt.date(2025, 12, 1), "De buurtcoöperatie verliest haar vaste ruimte."),
        ),
        went_well=(
            "De activiteiten zelf lopen goed.",
            "Goede samenwerking met de school.",
            "De welzijnswerkers zijn betrokken.",
            "De zomeractiviteiten waren druk bezocht.",
            "Er wordt hard gewerkt.",
            "De koffieochtend trekt nieuwe mensen.",
            "De nieuwsbrief komt op tijd.",
            "Het speelplein is mooi geworden.",
            "Ik leer de andere organisaties beter kennen.",
            "De welzijnsorganisatie regelt de praktische dingen goed.",
            "We hebben een goede band met de school.",
            "Vrijwilligers worden goed bedankt.",
        ),
        to_change=(
            "Het voelt steeds meer als hun project.",
            "Beslissingen worden buiten de vergadering genomen.",
            "Wij worden te laat geïnformeerd.",
            "Geef de buurtcoöperatie haar ruimte terug.",
            "Bewoners mogen weer zelf de agenda maken.",
            "Meer ruimte voor ideeën van bewoners.",
            "Niet alles via de coördinator laten lopen.",
            "Eerst vragen, dan plannen maken.",
        ),
    ),
    Story(
        name="Brugwijk Bloeit",
        members=(
            ("Bewonersvereniging Brugwijk", RESIDENT),
            ("Moestuin De Brug", RESIDENT),
            ("Welzijn Brugwijk", WELFARE),
            ("Gemeente Velderhaven, wijkteam", MUNICIPALITY),
            ("Woningstichting Velderhaven", OTHER),
        ),
        groups=(
            {RESIDENT: 13, WELFARE: 9, MUNICIPALITY: 6, OTHER: 3},
            {RESIDENT: 14, WELFARE: 10, MUNICIPALITY: 6, OTHER: 2},
            {RESIDENT: 13, WELFARE: 9, MUNICIPALITY: 5, OTHER: 3},
        ),
        level=(0.25, 0.3, 0.3),
        notes=((dt.date(2025, 9, 29), "Nieuwe wethouder bezoekt de coalitie."),),
        went_well=(
            "Een stabiele club mensen die elkaar kent.",
            "De moestuin brengt de buurt samen.",
            "Het wijkteam denkt goed mee.",
            "Afspraken zijn helder.",
            "We vieren samen wat goed gaat.",
            "Het wijkteam is goed bereikbaar.",
            "Veel buren doen mee met de moestuin.",
            "De woningstichting luistert naar ons.",
            "De vergaderingen zijn goed voorbereid.",
            "We kennen elkaars sterke kanten.",
            "Er komen steeds nieuwe vrijwilligers bij.",
            "De oogstdag was een feest voor de hele wijk.",
        ),
        to_change=(
            "Er mag wat meer vernieuwing komen.",
            "Nieuwe bewoners weten ons nog niet te vinden.",
        ),
    ),
    Story(
        name="Klein Rietveld",
        members=(
            ("Bewonersgroep Rietveld", RESIDENT),
            ("Welzijn Rietveld", WELFARE),
        ),
        groups=(
            {RESIDENT: 4, WELFARE: 3},
            {RESIDENT: 2, WELFARE: 2},
            {RESIDENT: 5, WELFARE: 3},
        ),
        level=(0.0, 0.0, 0.1),
        went_well=("Klein maar fijn.",),
        to_change=("We zijn met te weinig mensen.",),
    ),
)


@dataclass(frozen=True)
class DemoResult:
    """Where the demo put its database and its reports."""

    database: Path
    reports: tuple[Path, ...]


@dataclass
class _Person:
    member_type: str
    level: np.ndarray  # one latent level per dimension, scale points
    panel: list[str]  # the typed answers of the panel key


def _load_instrument() -> Instrument:
    from surveycoal.instruments import load_instrument
    from surveycoal.resources import instruments_dir

    return load_instrument(instruments_dir() / f"{INSTRUMENT}.yaml")


def _dimension_roles(instrument: Instrument) -> tuple[int, list[int], list[int]]:
    """The focus dimension (trust), the equality-related ones and those whose results
    residents often cannot judge, as positions in the instrument's dimensions."""
    ids = [d.id for d in instrument.dimensions]

    def find(*words: str) -> list[int]:
        return [k for k, d in enumerate(ids) if any(w in d.lower() for w in words)]

    trust = (find("trust", "vertrouw") or [0])[0]
    equal = find("equal", "gelijk", "owner", "eigenaar", "agenda", "goal", "doel") or [
        min(1, len(ids) - 1)
    ]
    unknowable = find("result", "resultat", "durab", "duurza", "continu") or [len(ids) - 1]
    return trust, equal, unknowable


def _panel_answers(rng: np.random.Generator) -> list[str]:
    letters = "ABCDEFGHIJKLMNOPRSTUVWZ"
    out = []
    for q in PANEL_QUESTIONS:
        if q.kind == "letters":
            out.append("".join(rng.choice(list(letters)) for _letter in range(q.letters)))
        else:
            out.append(str(int(rng.integers(q.low, q.high + 1))))
    return out


def _new_person(member_type: str, n_dims: int, rng: np.random.Generator) -> _Person:
    general = rng.normal(0.0, 0.45)
    return _Person(member_type, general + rng.normal(0.0, 0.35, n_dims), _panel_answers(rng))


def _cast(story: Story, n_dims: int, rng: np.random.Generator) -> list[list[_Person]]:
    """Who answers in each round: in linked coalitions most people come back."""
    rounds: list[list[_Person]] = []
    previous: list[_Person] = []
    for groups in story.groups:
        people: list[_Person] = []
        for member_type, count in groups.items():
            returning = [p for p in previous if p.member_type == member_type]
            rng.shuffle(returning)
            keep = returning[: int(round(count * 0.75))] if story.linked else []
            people += keep
            people += [
                _new_person(member_type, n_dims, rng) for _person in range(count - len(keep))
            ]
        rounds.append(people)
        previous = people
    return rounds


def _answers(
    story: Story,
    k: int,
    person: _Person,
    instrument: Instrument,
    roles: tuple[int, list[int], list[int]],
    rng: np.random.Generator,
) -> dict[str, int | None]:
    trust, equal, unknowable = roles
    dims = [d.id for d in instrument.dimensions]
    answers: dict[str, int | None] = {}
    for item in instrument.items:
        if item.dimension not in dims:
            continue
        d = dims.index(item.dimension)
        scale = instrument.scale_for(item)
        mid = (scale.min + scale.max) / 2
        level = mid + 0.55 + story.level[k] + person.level[d]
        if d == trust:
            level += story.focus[k]
        if d in equal and person.member_type == RESIDENT:
            level += story.resident_gap[k]
        dont_know = 0.03
        if d in unknowable and person.member_type == RESIDENT:
            dont_know = 0.22
        if rng.random() < dont_know:
            answers[item.id] = None
            continue
        value = int(np.clip(np.rint(level + rng.normal(0.0, 0.65)), scale.min, scale.max))
        answers[item.id] = (scale.min + scale.max - value) if item.reverse else value
    return answers


#: Answers to a last, catch-all open question.
ANYTHING_ELSE = (
    "Dank voor het organiseren.",
    "Goed dat we dit samen bekijken.",
    "Ik ben benieuwd naar de uitkomst.",
)


def _open_pools(story: Story, instrument: Instrument, rng: np.random.Generator) -> list[list[str]]:
    """For one round, each open question's possible answers in a random order.

    Every answer is given at most once a round, as in a real group where people
    write their own words; when a question's answers run out, nobody else answers it.
    """
    pools = (story.went_well, story.to_change, ANYTHING_ELSE)
    out = []
    for j in range(len(instrument.open_questions)):
        pool = list(pools[min(j, len(pools) - 1)])
        out.append([pool[i] for i in rng.permutation(len(pool))])
    return out


def _open_answers(
    story: Story, instrument: Instrument, remaining: list[list[str]], rng: np.random.Generator
) -> dict[str, str]:
    """One person's open answers: what goes well, then what should change, then anything else."""
    out = {}
    for j, question in enumerate(instrument.open_questions):
        if remaining[j] and rng.random() < story.answers_open / (1 + j):
            out[question.id] = remaining[j].pop()[: question.max_length]
    return out


def _write_story(
    store: Store, story: Story, instrument: Instrument, rng: np.random.Generator, secret: bytes
) -> str:
    coalition = add_coalition(store, story.name, programme=PROGRAMME)
    for member, member_type in story.members:
        add_member(store, coalition.slug, member, member_type)
    roles = _dimension_roles(instrument)
    cast = _cast(story, len(instrument.dimensions), rng)
    hashed: dict[tuple[str, ...], str] = {}

    def panel_hash(typed: list[str]) -> str:
        """A person gives the same key every round; the slow hash is worked out once."""
        if tuple(typed) not in hashed:
            hashed[tuple(typed)] = panel_key_hash(secret, typed)
        return hashed[tuple(typed)]

    for k, (people, opened) in enumerate(zip(cast, ROUND_DATES, strict=True)):
        invited = len(people) + int(rng.integers(3, 9))
        round_ = open_round(
            store,
            coalition.slug,
            instrument,
            link_rounds=story.linked,
            expected_respondents=invited,
            today=opened,
        )
        remaining = _open_pools(story, instrument, rng)
        responses = [
            NewResponse(
                member_type=person.member_type,
                answers=_answers(story, k, person, instrument, roles, rng),
                open_answers=_open_answers(story, instrument, remaining, rng),
                panel_key_hash=panel_hash(person.panel) if story.linked else None,
            )
            for person in people
        ]
        order = rng.permutation(len(responses))
        submit_responses(
            store, round_.ref, [responses[i] for i in order], today=opened + dt.timedelta(days=9)
        )
        close_round(store, round_.ref, today=opened + dt.timedelta(days=21))
    for date, text in story.notes:
        add_note(store, coalition.slug, text, date=date)
    if story.reading is not None:
        number, text = story.reading
        add_note(
            store,
            coalition.slug,
            text,
            kind="reading",
            round_number=number,
            date=ROUND_DATES[number - 1] + dt.timedelta(days=35),
        )
    return coalition.slug


def _fresh_database(folder: Path) -> Store:
    """A new database at ``folder/surveycoal-demo.db``, replacing an earlier demo one only."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DEMO_DB
    if path.exists():
        old = open_store(path)
        try:
            demo = is_demo(old)
        finally:
            old.close()
        if not demo:
            raise AlreadyExistsError(
                _("{path} exists and is not a demo database; it was left alone.").format(path=path),
                hint=_("Choose another folder with --out."),
            )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = create_store(path)
    mark_demo(store)
    return store


def build_demo(
    folder: str | os.PathLike[str],
    *,
    lang: str = "nl",
    instrument: Instrument | None = None,
    seed: int = DEMO_SEED,
) -> DemoResult:
    """Build the demo programme in ``folder`` and write every report into ``folder/reports``.

    Returns the database's path and the reports' paths. The same seed gives the
    same answers, so the same figures.
    """
    if lang not in ("nl", "en"):
        raise InputError(_("The demo is written in nl or en, not {lang!r}.").format(lang=lang))
    base = Path(folder).expanduser()
    instrument = instrument or _load_instrument()
    store = _fresh_database(base)
    try:
        rng = np.random.default_rng(seed)
        secret = store.hash_key()
        add_programme(store, PROGRAMME)
        slugs = [_write_story(store, story, instrument, rng, secret) for story in STORIES]
        out = base / "reports"
        out.mkdir(exist_ok=True)
        written = []
        for slug in slugs:
            ctx = build_coalition_context(store, slug, lang=lang)
            name = f"coalition-{slug}-{ctx['round']['number']}.html"
            written.append(write_html(out / name, render("coalition", ctx)))
        written.append(
            write_html(
                out / "programme.html",
                render("programme", build_programme_context(store, PROGRAMME, lang=lang)),
            )
        )
        grows, closes = slugs[0], slugs[1]
        last = len(ROUND_DATES)
        written.append(
            write_html(
                out / f"compare-{grows}-1-{last}.html",
                render("compare", build_rounds_compare_context(store, grows, 1, last, lang=lang)),
            )
        )
        written.append(
            write_html(
                out / f"compare-{closes}-{last}-member-types.html",
                render(
                    "compare", build_member_types_compare_context(store, closes, last, lang=lang)
                ),
            )
        )
        written.append(
            write_html(
                out / f"compare-{slugs[1]}-{slugs[2]}-{last}.html",
                render(
                    "compare",
                    build_groups_compare_context(store, slugs[1], slugs[2], last, lang=lang),
                ),
            )
        )
        return DemoResult(Path(store.location), tuple(written))
    finally:
        store.close()

"""The six exercise sets (``exercises/0N_*_exercises.ipynb``) and the registry that finds them.

Every expected answer that is a fact is computed from the data tables when a check runs
(rows are looked up by their ``id``); nothing here restates a date or a number. Judgement
questions (source criticism) have fixed right options, with explanations that cite the
paper's footnotes or mark an outside source as context. The question wording lives in the
solution notebooks; option and item labels are listed here and in the notebook (a test keeps
them equal). Hints name the section of the narrative notebook to reread, never a row id.

>>> get_set("1").name
'01_leaning_exercises'
"""
from __future__ import annotations

import datetime as _dt
import importlib.util
import os
import re
import threading
from typing import Any

from yalu.course import BY_NUMBER
from yalu.data import load
from yalu.exercises.questions import (
    ChoiceQuestion,
    DateQuestion,
    ExerciseSet,
    NamesQuestion,
    NumberQuestion,
    OrderQuestion,
    Reread,
    WrittenQuestion,
)

__all__ = ["EXERCISE_SETS", "register", "get_set", "people_vocabulary", "NAME_VARIANTS"]

EXERCISE_SETS: dict[str, ExerciseSet] = {}


def register(es: ExerciseSet) -> ExerciseSet:
    EXERCISE_SETS[es.set_id] = es
    return es


_PLUGINS_LOADED = [False]
_PLUGINS_LOCK = threading.Lock()


def _load_plugins() -> None:
    """Extra question sets from files named in $YALU_QUESTION_PLUGINS (the tests' tiny set "99").

    Loaded once, under a lock, and marked loaded only afterwards: the grader looks sets up
    from several threads (``-j``), and none may see the flag before the sets exist.
    """
    with _PLUGINS_LOCK:
        if _PLUGINS_LOADED[0]:
            return
        for i, path in enumerate(p for p in os.environ.get("YALU_QUESTION_PLUGINS", "").split(os.pathsep) if p):
            spec = importlib.util.spec_from_file_location(f"_yalu_plugin_{i}", path)
            if spec and spec.loader:
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
        _PLUGINS_LOADED[0] = True


def get_set(name: Any) -> ExerciseSet:
    """The exercise set for "01", "1", 1, "01_leaning_exercises" or "01_leaning_exercises.ipynb"."""
    if not _PLUGINS_LOADED[0]:
        _load_plugins()
    key = str(name).strip()
    key = key[:-6] if key.endswith(".ipynb") else key
    m = re.match(r"^(\d+)", key)
    if m:
        key = f"{int(m[1]):02d}"
    if key not in EXERCISE_SETS:
        names = ", ".join(f"{k} ({v.name})" for k, v in sorted(EXERCISE_SETS.items()))
        raise KeyError(f"There is no exercise set {str(name)[:40]!r}. The sets are: {names}.")
    return EXERCISE_SETS[key]


# --------------------------------------------------------------------------- data helpers


def row(table: str, rid: str):
    """One row of a table by id (a clear error if the id has gone)."""
    frame = load(table)
    hits = frame[frame["id"] == rid]
    if hits.empty:
        raise LookupError(f"the table {table} has no row {rid!r}")
    return hits.iloc[0]


def start(table: str, rid: str) -> _dt.date:
    value = row(table, rid)["date_start"]
    if value is None or value != value:  # NaT
        raise LookupError(f"{table} row {rid!r} has no date")
    return value.date()


def days_between(table: str, first: str, second: str) -> int:
    return (start(table, second) - start(table, first)).days


def chronological(table: str, items: dict[str, str]):
    """A function giving the letters of ``items`` (letter -> row id) sorted by date_start."""

    def order() -> list[str]:
        dated = [(start(table, rid), letter) for letter, rid in items.items()]
        if len({d for d, _ in dated}) != len(dated):
            raise ValueError("two items share a date, so the order is not defined")
        return [letter for _, letter in sorted(dated)]

    return order


def letters_where(table: str, mapping: dict[str, str], test):
    """Accepted letters: those whose row (letter -> row id) passes ``test(row)``."""
    return lambda: {letter for letter, rid in mapping.items() if test(row(table, rid))}


# Common romanisations and forms of address a student may type. Only family names and
# full names: a given name alone ("Zedong", "Enlai") is never accepted.
NAME_VARIANTS = {
    "mao_zedong": ["Mao Tse-tung", "Mao Tsetung", "Chairman Mao"],
    "zhou_enlai": ["Chou En-lai", "Chou Enlai", "Chou"],
    "liu_shaoqi": ["Liu Shao-chi", "Liu Shao-ch'i"],
    "zhu_de": ["Chu Teh"],
    "peng_dehuai": ["P'eng Te-huai", "Peng Teh-huai", "P'eng"],
    "lin_biao": ["Lin Piao"],
    "gao_gang": ["Kao Kang"],
    "jiang_jieshi": ["Chiang Kai-shek", "Chiang"],
    "wang_jiaxiang": ["Wang Chia-hsiang"],
    "kim_il_sung": ["Kim Il Sung", "Kim Ilsung"],
    "stalin": ["Joseph Stalin", "Iosif Stalin", "Filippov"],
    "khrushchev": ["Nikita Khrushchev", "Khrushchov"],
    "vasilevskii": ["Vasilevsky", "Vasilevskiy"],
    "vyshinsky": ["Vyshinskii", "Vyshinskiy"],
}


def people_vocabulary() -> dict[str, list[str]]:
    """{name as the table writes it: accepted spellings}: full name, family name, variants."""
    vocab = {}
    people = load("people")
    for _, p in people[people["kind"] == "person"].iterrows():
        name = str(p["name"])
        plain = re.sub(r"\s*\(.*?\)", "", name).strip()
        family = str(p["id"]).split("_")[0]
        vocab[name] = sorted({plain, family, *NAME_VARIANTS.get(p["id"], [])})
    return vocab


def person_name(pid: str) -> str:
    return row("people", pid)["name"]


def _fmt(d: _dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


NB = {number: n.file for number, n in BY_NUMBER.items()}  # the narrative notebook of each exercise set


def reread(set_id: str, heading: str, table: str | None = None, extra: str = "") -> Reread:
    return Reread(NB[set_id], heading, table, extra)


SOURCE_RUBRIC_CLOSE = "Uses at least one date or row from the tables to place the passage in the sequence of events."

# --------------------------------------------------------------------------- 01 Leaning to one side

s1 = register(ExerciseSet("01", "01_leaning_exercises", "Exercise 1: Leaning to one side (1949)", NB["01"]))

Q1_ITEMS = {
    "a": ("ev_liu_yalou_arrives", "Liu Yalou and the Chinese air-force delegation reach Moscow"),
    "b": ("ev_ctx_mikoyan_xibaipo", "Mikoyan holds talks with Mao at Xibaipo"),
    "c": ("ev_ccpcc_air_cable", "The CCP Central Committee cables Liu Shaoqi about air-force aid"),
    "d": ("ev_vasilevskii_meeting", "The air-force delegation meets Marshal Vasilevskii"),
    "e": ("ev_liu_stalin_air_talks", "Liu Shaoqi puts the air-force requests to Stalin"),
}
s1.add(OrderQuestion(
    "q1", "chronology", reread("01", "3. Liu Shaoqi in Moscow", "events", "sort by date_start"),
    items={k: v[1] for k, v in Q1_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q1_ITEMS.items()}),
    explain="Mikoyan's visit (dated from an outside source, marked as context) comes months before the "
            "July-August air-force talks, which the paper dates day by day (footnotes 32-33).",
))
s1.add(NumberQuestion(
    "q2", "chronology", reread("01", "4. The air-force aid requested and offered", "events",
                               "the rows of the cable and of the delegation's arrival"),
    expected=lambda: days_between("events", "ev_ccpcc_air_cable", "ev_liu_yalou_arrives"), unit="days",
    explain=lambda n: f"From the cable of {_fmt(start('events', 'ev_ccpcc_air_cable'))} to the arrival on "
                      f"{_fmt(start('events', 'ev_liu_yalou_arrives'))}: {n} days. The requests and the people to "
                      "negotiate them came within a fortnight, while Liu Shaoqi was still in Moscow to introduce "
                      "the delegation himself.",
))


def _aircraft_vocabulary():
    air = load("soviet_air")
    vocab = {}
    for item in air.loc[air["unit"] == "aircraft", "item"].unique():
        vocab[item] = [item.rstrip("s"), item.lower()]
    # the short forms people type for the two types requested in July 1949
    for item, short in (("Yak fighters", ["Yaks", "Yak", "fighters", "fighter", "Yak fighter planes"]),
                        ("heavy bombers", ["bombers", "bomber", "heavy bomber planes"])):
        if item in vocab:
            vocab[item] += short
    return vocab


def _requested_aircraft_on(day: str):
    def expected():
        air = load("soviet_air")
        mask = (air["unit"] == "aircraft") & (air["status"] == "requested") & (air["date_start"] == day)
        return sorted(air.loc[mask, "item"])

    return expected


s1.add(NamesQuestion(
    "q3", "tables", reread("01", "4. The air-force aid requested and offered", "soviet_air",
                           "filter on status and date"),
    vocabulary=_aircraft_vocabulary, expected=_requested_aircraft_on("1949-07-26"), what="aircraft type",
    explain=lambda items: f"The cable of 26 July 1949 asked about {' and '.join(items)} (footnote 32).",
))
s1.add(NumberQuestion(
    "q4", "tables", reread("01", "4. The air-force aid requested and offered", "soviet_air",
                           "quantity_max of the aircraft requested on 26 July 1949"),
    expected=lambda: int(load("soviet_air").pipe(
        lambda a: a.loc[(a["unit"] == "aircraft") & (a["status"] == "requested") & (a["date_start"] == "1949-07-26"),
                        "quantity_max"].sum())),
    unit="aircraft",
    misses=lambda: {int(load("soviet_air").pipe(
        lambda a: a.loc[(a["unit"] == "aircraft") & (a["status"] == "requested") & (a["date_start"] == "1949-07-26"),
                        "quantity_min"].sum())):
        "That adds up the lower ends of the ranges (quantity_min); the question asks for the largest numbers."},
    explain="The upper ends of the two ranges (fighters and heavy bombers) added together. The table keeps "
            "a range (quantity_min, quantity_max) because the cable asked for 'between' figures.",
))
Q1_OFFER = {
    "a": ("air_air_force_300_350", "An air force of 300-350 planes within a year"),
    "b": ("air_advisors_req", "Soviet air-force advisers sent to China"),
    "c": ("air_pilot_schools_offer", "Help in setting up pilot schools in Manchuria"),
    "d": ("air_division_aug1950", "A Soviet air division to defend Northeast China"),
}
s1.add(ChoiceQuestion(
    "q5", "tables", reread("01", "4. The air-force aid requested and offered", "soviet_air", "the status column"),
    options={
        "a": (Q1_OFFER["a"][1], "This was a Chinese request, made at the meeting with Vasilevskii on 13 August 1949."),
        "b": (Q1_OFFER["b"][1], "Advisers were part of the Chinese request of 26 July, not a Soviet offer."),
        "c": (Q1_OFFER["c"][1], "The Soviets offered this instead of training Chinese pilots in Soviet air schools "
                                "(status 'offered', 27 July 1949, footnote 33)."),
        "d": (Q1_OFFER["d"][1], "That division arrived a year later, in August 1950 (footnote 83)."),
    },
    accepted=letters_where("soviet_air", {k: v[0] for k, v in Q1_OFFER.items()},
                           lambda r: r["status"] == "offered"),
))
Q1_CLAIMANTS = {"a": "official_source", "b": "intelligence", "c": "interview", "d": "historian"}


def _who_gives_a_number():
    claims = load("claims")
    mask = (claims["conflict"] == "conf_korean_divisions_1949") & claims["strength_min"].notna()
    kinds = set(claims.loc[mask, "claimant_kind"].astype(str))
    return {letter for letter, kind in Q1_CLAIMANTS.items() if kind in kinds}


s1.add(ChoiceQuestion(
    "q6", "sources", reread("01", "5. The Korean-nationality divisions sent back to Korea", "claims",
                            "the claims about the Korean-nationality soldiers"),
    options={
        "a": ("An official Chinese source (a PLA organisational history)",
              "The official source names two divisions and dates them to July 1949, but gives no head count."),
        "b": ("South Korean and US intelligence",
              "These sources have long given 30,000-40,000 soldiers for July-October 1949 (footnote 31, citing "
              "Cumings's summary). Estimates by intelligence services on the other side of the conflict: a figure "
              "to test, not a count."),
        "c": ("Chinese military researchers interviewed by Chen Jian",
              "They confirmed the two divisions and the autumn 1949 date, but gave no number."),
        "d": ("Chen Jian himself, in his own narrative of 1949",
              "Chen dates the return to July-August 1949 but gives no number of his own."),
    },
    accepted=_who_gives_a_number,
))
s1.add(ChoiceQuestion(
    "q7", "sources", reread("01", "5. The Korean-nationality divisions sent back to Korea", None, "footnotes 29-31"),
    options={
        "a": ("Yao Xu's firm denial in Chen's telephone interview of 27 May 1991",
              "Testimony that he never heard of the agreement cannot prove it did not exist, and Chen found that one "
              "of Yao Xu's arguments (where Zhou Baozhong was) does not hold (footnote 30)."),
        "b": ("The report in the GMD newspaper Zhongyang ribao of 5 May 1949",
              "This is where the allegation comes from (footnote 29): a hostile, wartime source cannot confirm its "
              "own claim."),
        "c": ("The fact that the 164th and 166th Divisions went back to Korea in 1949",
              "The transfer fits an agreement but does not prove there was a formal one in March 1949; it could "
              "have been arranged in other ways (Chen's researchers speak of an easy agreement between leaders)."),
        "d": ("The text of the agreement in the parties' own archives",
              "Only documents from the parties themselves could settle it. Chen notes that the PLA General Staff's "
              "records on units sent to Korea are still classified (footnote 31)."),
    },
    accepted={"d"},
    explain="Chen himself leaves the question open: no Chinese source proves the alleged agreement.",
))
s1.add(WrittenQuestion(
    "q8", "written", reread("01", "1. Two camps and the fear of American intervention", None, "footnotes 2-7"),
    min_words=25, max_words=150,
    key_terms=(("camp",), ("intervene", "intervention", "united states", "america", "u.s."),
               ("domestic", "democratic parties", "middle"), ("footnote", "fn")),
    rubric=("Names the two-camp view of the world, with its evidence.",
            "Names the fear of American intervention, with its evidence.",
            "Names the answer to those at home who hoped for a middle course.",
            "Says what kind of evidence this is (the CCP's own published writing) and what it cannot show."),
))
s1.add(WrittenQuestion(
    "q9", "source analysis", reread("01", "1. Two camps and the fear of American intervention", None, "footnote 3"),
    key_terms=(("mao",), ("politburo", "conference", "party"), ("intervene", "intervention", "troops"),
               ("worst case", "assum", "prepare", "plan"), ("lean", "soviet", "alliance", "moscow"),
               ("1949",)),
    passage="When we make war plans, we have always taken into our account the possibility that the U.S. "
            "government may send troops to occupy some of the coastal cities and fight us directly.",
    footnote=3,
    rubric=("Says who wrote the passage, when and for whom: Mao's own paper for an enlarged Politburo meeting in "
            "January 1949, an internal party document.",
            "Explains what it shows: the CCP planned for a direct American intervention, one of the reasons Chen "
            "gives for leaning to the Soviet side.",
            "Names a limit: a planning document shows what the leaders feared and assumed (a 'worst case'), not "
            "what the United States intended.",
            SOURCE_RUBRIC_CLOSE),
))

# --------------------------------------------------------------------------- 02 The treaty talks

s2 = register(ExerciseSet("02", "02_treaty_exercises", "Exercise 2: The treaty talks (October 1949 - February 1950)",
                          NB["02"]))
Q2_ITEMS = {
    "a": ("ev_tass_interview", "Tass publishes Mao's interview"),
    "b": ("ev_soviet_recognition", "The Soviet Union recognises the People's Republic"),
    "c": ("ev_zhou_arrives_moscow", "Zhou Enlai and his delegation reach Moscow"),
    "d": ("ev_mao_cables_wang_nov", "Mao cables Wang Jiaxiang about the trip and about Zhou"),
    "e": ("ev_wang_jiaxiang_ambassador", "Wang Jiaxiang is named ambassador to the Soviet Union"),
    "f": ("ev_ctx_treaty_signed", "The treaty of alliance is signed in Moscow"),
}
s2.add(OrderQuestion(
    "q1", "chronology", reread("02", "1. Recognition", "events", "the rows of phase 'treaty', sorted by date_start"),
    items={k: v[1] for k, v in Q2_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q2_ITEMS.items()}),
    explain="The signing date comes from an outside source (FRUS, marked as context): the extract's pages on the "
            "signing are missing.",
))
s2.add(NumberQuestion(
    "q2", "chronology", reread("02", "5. Zhou's delegation and the negotiations", "events"),
    expected=lambda: days_between("events", "ev_zhou_arrives_moscow", "ev_ctx_treaty_signed"), unit="days",
    explain=lambda n: f"{n} days from Zhou's arrival ({_fmt(start('events', 'ev_zhou_arrives_moscow'))}, footnote 55) "
                      f"to the signing ({_fmt(start('events', 'ev_ctx_treaty_signed'))}, FRUS): once Stalin had "
                      "agreed to a new treaty, the negotiation itself took weeks, not the months of the stand-off.",
))
s2.add(DateQuestion(
    "q3", "chronology", reread("02", "5. Zhou's delegation and the negotiations", "events",
                               "the row on the opening of the negotiations"),
    expected=lambda: start("events", "ev_negotiations_begin"),
    explain=lambda d: f"Two days after Zhou's arrival, on {_fmt(d)}, talks opened with Vyshinsky's team.",
))
s2.add(NamesQuestion(
    "q4", "tables", reread("02", "4. The Tass interview and Mao's three options", "communications",
                           "the recipients of Mao's conversation of 2 January 1950"),
    vocabulary=people_vocabulary,
    expected=lambda: sorted(person_name(p) for p in row("communications", "com_mao_molotov_mikoyan_19500102")["recipients"]),
    what="person",
    explain=lambda names: f"Mao put the three options to {' and '.join(names)} (footnote 54).",
))
s2.add(ChoiceQuestion(
    "q5", "tables", reread("02", "4. The Tass interview and Mao's three options", None, "footnote 54"),
    options={
        "a": ("A joint communique of the two news agencies", "Mao listed this as his second option; Molotov did not "
                                                             "choose it."),
        "b": ("A new alliance treaty", "Molotov at once backed this option, and Mao then called Zhou to Moscow "
                                       "(footnote 54)."),
        "c": ("An open statement of principles, not a treaty", "This was Mao's third option; Molotov did not "
                                                                 "choose it."),
        "d": ("Keeping the 1945 treaty with the GMD government",
              "That was not one of Mao's three options, though his second and third would have left the 1945 "
              "treaty in place. Mao hoped for a new treaty to replace it (footnote 45), and after Molotov's answer "
              "he asked whether a new treaty would be signed to replace the old one (footnote 54)."),
    },
    accepted={"b"},
))
s2.add(ChoiceQuestion(
    "q6", "sources", reread("02", "6. The treaty", "events", "the source column of the treaty rows"),
    options={
        "a": ("Footnote 55 of the paper", "Footnote 55 supports Zhou's arrival on 20 January, not the signing; its "
                                          "text is missing from our extract anyway."),
        "b": ("The paper's own account of the signing",
              "The pages of the extract that would describe the signing are missing."),
        "c": ("Mao's Tass interview of 2 January 1950",
              "The interview speaks of a treaty still to be made."),
        "d": ("FRUS 1950, vol. VI, doc. 157, an outside source",
              "The events table takes the date from this Editorial Note and marks the row as context from outside "
              "the paper."),
    },
    accepted=lambda: {"d"} if str(row("events", "ev_ctx_treaty_signed")["source"]).startswith("ctx_") else set(),
))
s2.add(ChoiceQuestion(
    "q7", "sources", reread("02", "3. Mao's journey and the standoff in Moscow", "sources",
                            "footnote 45 in the sources table"),
    options={
        "a": ("A public statement meant for foreign governments",
              "Footnote 45 cites no public statement; it points to an internal message and a history."),
        "b": ("A single memoir written long after the events",
              "Footnote 45 cites two sources, neither of them a memoir."),
        "c": ("Two sources together, so the extract does not show which of them holds Mao's words",
              "Footnote 45 cites Mao's message to the CCP Central Committee of 3 January 1950 and the history by Han "
              "et al. Mao's words could come from either: read them as Mao's view as reported, not as a quotation "
              "from one dated document."),
        "d": ("A Soviet record of the talks in Moscow",
              "Footnote 45 cites Chinese publications only; Soviet records of Mao's talks are outside sources."),
    },
    accepted=lambda: {"c"} if ";" in str(row("sources", "fn_45")["citation"]) else set(),
))
s2.add(WrittenQuestion(
    "q8", "written", reread("02", "3. Mao's journey and the standoff in Moscow", None, "footnotes 45-54"),
    min_words=25, max_words=150,
    key_terms=(("zhou",), ("stalin",), ("treaty",), ("2 january", "tass", "molotov", "three options")),
    rubric=("Mao's aim: a new treaty to replace the 1945 treaty.",
            "The tactic: leaving it to Stalin whether Zhou should come, to sound out his intentions.",
            "The stand-off, and what broke it on 2 January 1950 (the Tass interview, the three options, Molotov).",
            "Notes that pages of the extract are missing in the middle of this story."),
))
s2.add(WrittenQuestion(
    "q9", "source analysis", reread("02", "3. Mao's journey and the standoff in Moscow", None, "footnote 49"),
    key_terms=(("stalin",), ("zhou",), ("mao",), ("treaty",), ("footnote 49", "fn 49", "missing", "source"),
               ("wait", "initiative", "standoff", "stand-off")),
    passage='So, when Mao asked if Zhou should be called to join him in Moscow, Stalin replied: "If we cannot '
            'make certain what we really want to work out, what is the use to call Zhou to come here." Mao, again, '
            'made no direct answer.',
    footnote=49,
    rubric=("Explains what each leader was doing: Mao waiting for Stalin to offer a new treaty, Stalin waiting for "
            "Mao to say what he wanted.",
            "Notes that the text of footnote 49 is missing from our copy, so we cannot see whose record of the "
            "conversation Chen follows.",
            "Asks what a reported conversation can and cannot show (words recalled by one side, not a transcript).",
            SOURCE_RUBRIC_CLOSE),
))

# --------------------------------------------------------------------------- 03 Korea, 1949 to June 1950

s3 = register(ExerciseSet("03", "03_korea_exercises", "Exercise 3: Korea, 1949 to June 1950", NB["03"]))
Q3_ITEMS = {
    "a": ("ev_outbreak", "The Korean War breaks out"),
    "b": ("ev_ctx_kim_pak_beijing", "Kim Il-sung and Pak Hon-yong arrive in Beijing"),
    "c": ("ev_ctx_acheson_speech", "Acheson's speech on the US defensive perimeter"),
    "d": ("ev_ctx_seventh_fleet", "Truman orders the Seventh Fleet to shield Formosa"),
    "e": ("ev_su_yu_report_jan27", "Su Yu's second report on the Taiwan problem"),
    "f": ("ev_diplomats_to_korea", "Zhou decides to send a team of diplomats to North Korea"),
}
s3.add(OrderQuestion(
    "q1", "chronology", reread("03", "4. The outbreak", "events", "the rows of phase 'korea'"),
    items={k: v[1] for k, v in Q3_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q3_ITEMS.items()}),
    explain="Three of these six dates come from outside sources (marked as context): the extract is silent on "
            "Kim's visit to Beijing and gives Acheson's speech only as 'January 1950'.",
))
s3.add(NumberQuestion(
    "q2", "chronology", reread("03", "4. The outbreak", "events"),
    expected=lambda: days_between("events", "ev_outbreak", "ev_diplomats_to_korea"), unit="days",
    explain=lambda n: f"{n} days: the paper itself counts them (\"five days after the outbreak\", footnote 72). Zhou "
                      "sent the diplomats, most of them military intelligence staff, \"to establish better "
                      "communications\" with Kim Il-sung and to gather first-hand material on the fighting.",
))
s3.add(ChoiceQuestion(
    "q3", "sources", reread("03", "2. Khrushchev's memoir: how far to trust it", None, "footnotes 61-63"),
    multiple=True,
    options={
        "a": ("His account of Zhou's secret visit after Inchon is compatible with recently released Chinese sources, "
              "even in small details",
              "Chen's first reason (footnote 63): where Khrushchev can be checked against Chinese sources, he holds up."),
        "b": ("Chinese sources show the CCP had begun to play down the danger of US intervention",
              "Chen's second reason: Khrushchev's story that Mao thought US intervention unlikely fits what Chinese "
              "sources say about the CCP's view in late 1949 and early 1950 (footnote 64)."),
        "c": ("Chinese archives confirm what Mao told Stalin about Kim's plan",
              "Chen says the opposite: in 1992 the Chinese sources held no hard evidence "
              "for or against Khrushchev's account."),
        "d": ("Khrushchev kept notes at the meetings between Stalin and Kim",
              "The paper says nothing of the kind."),
    },
    accepted={"a", "b"},
))
s3.add(NamesQuestion(
    "q4", "sources", reread("03", "2. Khrushchev's memoir: how far to trust it", "communications", "and footnote 61"),
    vocabulary=people_vocabulary, expected=lambda: [person_name("mao_zedong")], what="person",
    explain="According to Khrushchev, Stalin sought Mao's advice and Mao thought the Americans would not "
            "intervene (footnote 61). This is Khrushchev's account, not a Chinese record.",
))
s3.add(NumberQuestion(
    "q5", "pandas", reread("03", "1. Kim's plan", "events", "phase 'korea', source starting with ctx_"),
    expected=lambda: int(load("events").pipe(
        lambda e: ((e["phase"] == "korea") & e["source"].str.startswith("ctx_")).sum())),
    unit="rows",
    explain="Each of these rows cites a public source outside the paper, marked as context: the extract has a gap "
            "exactly where Kim's plan and the spring of 1950 would be.",
))
s3.add(ChoiceQuestion(
    "q6", "sources", reread("03", "5. The Taiwan campaign postponed", "events"),
    options={
        "a": ("Acheson's speech of 12 January 1950",
              "That speech left Taiwan outside the US defensive perimeter: if anything it made a Taiwan campaign "
              "look safer (footnote 64)."),
        "b": ("Stalin's reply of 14 May 1950 on Kim's plan",
              "That telegram is about Kim's move toward reunification needing China's agreement, not about Taiwan."),
        "c": ("Truman's order of 27 June 1950 on the Seventh Fleet",
              "The US navy now stood between the mainland and Taiwan (FRUS 1950, vol. VI, doc. 195, an outside "
              "source marked as context); the surviving fragment of the paper also mentions the fleet."),
        "d": ("The treaty's entry into force on 11 April 1950",
              "The treaty came into force before the war; it did not stand in the way of a Taiwan campaign."),
    },
    accepted={"c"},
    explain="The paper says only that the campaign was postponed to focus on Korea (footnote 71); the reasons "
            "are ours to weigh.",
))
s3.add(WrittenQuestion(
    "q7", "written", reread("03", "3. The CCP's changing view of the American threat", None, "footnote 64"),
    min_words=25, max_words=150,
    key_terms=(("su yu",), ("acheson", "perimeter"), ("five years", "emphasis on the west", "allies"),
               ("shanghai", "qingdao", "coast", "landing")),
    rubric=("Experience: no American landing came when the PLA took the coastal cities in 1949.",
            "Military judgement: Su Yu's reports of January 1950 on how long the US would need.",
            "Acheson's perimeter, and where its date comes from.",
            "Notes that footnote 64 is cut off in our copy."),
))
s3.add(WrittenQuestion(
    "q8", "source analysis", reread("03", "3. The CCP's changing view of the American threat", None, "footnote 64"),
    key_terms=(("acheson",), ("su yu",), ("perimeter", "taiwan", "korea"), ("view", "threat", "intervene"),
               ("cut off", "footnote 64", "fn 64"), ("1950",)),
    passage="This view was further strengthened in January 1950 by Secretary of State Dean Acheson's open exclusion "
            "of Taiwan and South Korea from the U.S. western Pacific defensive perimeter.",
    footnote=64,
    rubric=("Says which view is meant (that the US was not ready to fight a major war in East Asia) and whose view "
            "it was: CCP planners such as Su Yu.",
            "Separates what the passage reports (Acheson's public speech) from what it claims (the effect on "
            "Chinese thinking), and says what evidence would show that effect.",
            "Notes that footnote 64 is cut off in our copy and that the speech's exact date comes from an outside "
            "source.",
            SOURCE_RUBRIC_CLOSE),
))

# --------------------------------------------------------------------------- 04 Preparing to intervene

s4 = register(ExerciseSet("04", "04_preparing_exercises", "Exercise 4: Preparing to intervene (June - September 1950)",
                          NB["04"]))
Q4_ITEMS = {
    "a": ("ev_inchon", "UN forces land at Inchon"),
    "b": ("ev_politburo_aug4", "The Politburo meets on Korea; Mao argues for sending volunteers"),
    "c": ("ev_july_conferences_nebda", "Two conferences create the Northeastern Border Defense Army"),
    "d": ("ev_zhou_self_reliance", "Zhou lays down the principle of self-reliance"),
    "e": ("ev_nebda_ordered_aug5", "Mao orders the NEBDA to be ready by early September"),
    "f": ("ev_cmcc_officers_sep17", "The CMCC sends officers to survey Korea"),
}
s4.add(OrderQuestion(
    "q1", "chronology", reread("04", "1. The Northeastern Border Defense Army", "events",
                               "the rows of phase 'preparing'"),
    items={k: v[1] for k, v in Q4_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q4_ITEMS.items()}),
    explain="The build-up came in two steps: July-August (the NEBDA) and, after Inchon, mid-September.",
))
s4.add(NumberQuestion(
    "q2", "pandas", reread("04", "The build-up on the border", "troop_movements", "the strength columns"),
    expected=lambda: int(row("troop_movements", "tm_border_250000")["strength_min"]), unit="troops",
    explain="'More than' this number (footnote 74): the table stores it as strength_min and leaves "
            "strength_max empty, because the paper gives only a lower bound.",
))
s4.add(NumberQuestion(
    "q3", "chronology", reread("04", "4. Inchon", "events"),
    expected=lambda: days_between("events", "ev_outbreak", "ev_inchon"), unit="days",
    explain=lambda n: f"{n} days from the outbreak to the landing at Inchon: the time in which Beijing built up the "
                      "border army before the war turned against North Korea.",
))
Q4_AIR = {
    "a": ("air_umbrella_korea_understanding", "An air umbrella over Chinese troops in Korea"),
    "b": ("air_air_divisions_total", "Thirteen Soviet air divisions across China"),
    "c": ("air_equipment_promised", "Soviet military equipment and ammunition"),
    "d": ("air_division_aug1950", "One Soviet air division"),
}
s4.add(ChoiceQuestion(
    "q4", "tables", reread("04", "3. The first Soviet air division", "soviet_air", "compare the status and date columns"),
    options={
        "a": (Q4_AIR["a"][1], "This was an understanding after Inchon (footnote 86): a promise, not something "
                              "that had arrived."),
        "b": (Q4_AIR["b"][1], "These were sent from October to December 1950 (footnote 107), after the decision."),
        "c": (Q4_AIR["c"][1], "Stalin's promise of equipment was reported by Zhou on 18 October 1950 (footnote 107)."),
        "d": (Q4_AIR["d"][1], "It arrived in August 1950 to defend the Northeast (footnote 83): the only Soviet air "
                              "unit the table shows in China before October."),
    },
    accepted=letters_where("soviet_air", {k: v[0] for k, v in Q4_AIR.items()},
                           lambda r: r["status"] == "arrived" and r["date_end"] < _dt.datetime(1950, 10, 1)),
))
s4.add(ChoiceQuestion(
    "q5", "sources", reread("04", "3. The first Soviet air division", None, "footnote 83"),
    options={
        "a": ("That Stalin had promised air cover for Chinese troops fighting in Korea",
              "That understanding came only after Inchon (footnote 86)."),
        "b": ("That Beijing and Moscow kept in contact that summer",
              "Chen takes the division, which came 'following the agreement of the Chinese and Soviet governments', "
              "as a clear indication of such contacts, though no record of top-level talks has been released "
              "(footnote 83)."),
        "c": ("That Soviet pilots were already fighting over Korea in 1950",
              "The division was sent to defend Northeast China, not to fight in Korea."),
        "d": ("That the Soviet air force ran pilot schools in Manchuria",
              "Pilot schools were a Soviet offer of July 1949 (footnote 33)."),
    },
    accepted={"b"},
    explain="Chen knows of the division 'through one Chinese source': the claim rests on how far we trust that "
            "one source.",
))
s4.add(ChoiceQuestion(
    "q6", "sources", reread("04", "5. The air-umbrella understanding", "sources", "footnote 85"),
    options={
        "a": ("The footnote cites Zhou's own memoirs", "The footnote cannot be read in our extract."),
        "b": ("The paper gives no footnote for it", "The text does carry footnote 85; it is the footnote's text "
                                                    "that is lost."),
        "c": ("Its footnote is garbled in our copy, so we cannot check it",
              "The sources table marks footnote 85 as garbled: the statement rests on Chen's text alone for us."),
        "d": ("The footnote cites a Soviet archive that is still closed", "The footnote cannot be read in our extract."),
    },
    accepted=lambda: {"c"} if row("sources", "fn_85")["status"] == "garbled" else set(),
))
s4.add(WrittenQuestion(
    "q7", "written", reread("04", "2. The August Politburo", None, "footnote 75"), min_words=25, max_words=150,
    key_terms=(("bo yibo", "memoir"), ("volunteer",), ("4 august", "politburo"), ("5 august", "nebda", "border")),
    rubric=("What Mao argued, as Bo Yibo recalls it.",
            "The kind of source: a participant's memoir, written after the events.",
            "One reason for caution.",
            "One piece of corroboration from the tables (the order of 5 August, the build-up on the border)."),
))
s4.add(WrittenQuestion(
    "q8", "source analysis", reread("04", "3. The first Soviet air division", "soviet_air", "footnote 83"),
    key_terms=(("one chinese source", "one source", "single source"), ("agreement",), ("contact",),
               ("august 1950", "august"), ("air division", "division"), ("indication", "evidence", "proof")),
    passage='In actuality, we do know, through one Chinese source, that a Soviet air force division, "following the '
            'agreement of the Chinese and Soviet governments," arrived in the Northeastern area in August 1950, '
            '"to take the responsibility of defending this area."',
    footnote=83,
    rubric=("Explains why Chen needs this fact: no record of top-level Sino-Soviet talks in the summer of 1950 had "
            "been released.",
            "Weighs the evidence: one Chinese source, quoted in a footnote; Chen calls it a clear indication, not "
            "a proof.",
            "Separates the fact (a division arrived to defend the Northeast) from the inference (the two "
            "governments were in close contact).",
            SOURCE_RUBRIC_CLOSE),
))

# --------------------------------------------------------------------------- 05 The decision

s5 = register(ExerciseSet("05", "05_decision_exercises", "Exercise 5: The decision (1 - 19 October 1950)", NB["05"]))
Q5_ITEMS = {
    "a": ("ev_black_sea_meeting", "Zhou meets Stalin in a Black Sea villa"),
    "b": ("ev_halt_oct12", "Mao halts all movement of the Thirteenth Army Corps"),
    "c": ("ev_order_to_enter_war", "Mao formally orders the entry into the war"),
    "d": ("ev_rok_crosses_38th", "The South Korean 3rd Division crosses the 38th parallel"),
    "e": ("ev_politburo_oct13", "An emergency Politburo meeting decides to go on"),
    "f": ("ev_regiment_42_enters", "A regiment of the Forty-second Army enters Korea"),
    "g": ("ev_yalu_crossing", "Chinese troops cross the Yalu"),
}
s5.add(OrderQuestion(
    "q1", "chronology", reread("05", "1. The day-by-day calendar", "events", "the rows of phase 'decision'"),
    items={k: v[1] for k, v in Q5_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q5_ITEMS.items()}),
    explain="Note that one regiment was already in Korea two days before the main crossing (footnote 105).",
))
s5.add(DateQuestion(
    "q2", "chronology", reread("05", "4. Halt and go", "troop_movements", "the action column"),
    expected=lambda: start("troop_movements", "tm_thirteenth_halted"),
    explain=lambda d: f"On the evening of {_fmt(d)} (footnote 98); the Politburo met the next day.",
))
s5.add(NumberQuestion(
    "q3", "chronology", reread("05", "The crossing: 19 October", "events"),
    expected=lambda: days_between("events", "ev_order_to_enter_war", "ev_yalu_crossing"), unit="days",
    explain=lambda n: f"{n} days between Mao's formal order (footnote 92) and the crossing: long enough for the "
                      "Soviet retreat on air cover, a halt and a new decision to fit in between.",
))
s5.add(NumberQuestion(
    "q4", "pandas", reread("05", "5. The Soviet air divisions, October – December 1950", "soviet_air",
                           "unit 'divisions', status 'sent'"),
    expected=lambda: int(row("soviet_air", "air_air_divisions_total")["quantity_max"]), unit="divisions",
    misses=lambda: {int(load("soviet_air").pipe(lambda a: a.loc[(a["unit"] == "divisions") & (a["status"] == "sent"),
                                                            "quantity_max"].sum())):
                    "That adds the row for all types to the rows for its parts (fighter and bomber divisions): "
                    "read the item column."},
    explain="Twelve fighter divisions and one bomber division, sent to four regions of China, not to Korea "
            "(footnote 107).",
))
Q5_PROMISE = {
    "a": ("air_equipment_promised", "Military equipment and ammunition"),
    "b": ("air_umbrella_china_promised", "An air umbrella over China's own territory"),
    "c": ("air_umbrella_korea_understanding", "An air umbrella over Chinese troops in Korea"),
    "d": ("air_fighters_bombers_agenda", "Soviet fighters and bombers flying over Korea"),
}
s5.add(ChoiceQuestion(
    "q5", "tables", reread("05", "Wavering again: 15–18 October", "soviet_air", "the rows dated 18 October 1950"),
    multiple=True,
    options={
        "a": (Q5_PROMISE["a"][1], "Promised, as Zhou reported on 18 October (footnote 107)."),
        "b": (Q5_PROMISE["b"][1], "Promised: Soviet aircraft would cover Chinese territory (footnote 107)."),
        "c": (Q5_PROMISE["c"][1], "This was the general understanding reached after Inchon (footnote 86; the "
                                  "paper gives no date), which the Soviet change of heart undid."),
        "d": (Q5_PROMISE["d"][1], "This was on the agenda at the Black Sea; Soviet air forces were not to enter "
                                  "the war directly."),
    },
    accepted=letters_where("soviet_air", {k: v[0] for k, v in Q5_PROMISE.items()},
                           lambda r: r["status"] == "promised" and r["date_start"] == _dt.datetime(1950, 10, 18)),
))
s5.add(ChoiceQuestion(
    "q6", "sources", reread("05", "3. The Black Sea meeting and the Soviet change of heart", "soviet_air",
                            "the source column"),
    options={
        "a": ("The footnote to Chen's account of the Black Sea meeting",
              "Chen's account of the meeting breaks off: the pages with its outcome are missing from our extract."),
        "b": ("Cable No. 4785 of 11 October 1950, an outside source",
              "The Wilson Center's Cable No. 4785, from Stalin and Zhou to Mao, reports that Soviet air cover could "
              "not be given for about two months; the row is marked as context from outside the paper."),
        "c": ("Mao's cable to Zhou after the Politburo meeting of 13 October",
              "That cable argues for going on; it does not report what Stalin said."),
        "d": ("Khrushchev's memoir", "Khrushchev is cited on Kim's plan and Zhou's visit, not on this cable."),
    },
    accepted=lambda: {"b"} if str(row("soviet_air", "air_ctx_no_air_cover_4785")["source"]).startswith("ctx_") else set(),
))
s5.add(WrittenQuestion(
    "q7", "written", reread("05", "4. Halt and go", None, "footnotes 98-102"), min_words=25, max_words=150,
    key_terms=(("politburo", "13 october"), ("air", "umbrella", "cover"), ("defensive", "defence", "defense"),
               ("stalin", "soviet")),
    rubric=("The Politburo's reasons for going on without Soviet air cover.",
            "The defensive strategy of 14 October.",
            "One wider point: Mao's outlook, the wavering of 15-18 October, or the effect on the alliance."),
))
s5.add(WrittenQuestion(
    "q8", "source analysis", reread("05", "Go: 13 October", "events", "footnote 99"),
    key_terms=(("politburo",), ("air support", "air cover", "umbrella"), ("12 october", "halt"),
               ("peng", "xie fang"), ("missing", "footnote 99", "fn 99"), ("overnight", "night")),
    passage="The CCP politburo held an emergency meeting on 13 October to discuss whether China should intervene "
            "without Soviet air support. After an overnight meeting, they decided to go on, and Peng immediately "
            "called Xie Fang, chief of staff of the CPV, asking CPV units to continue preparation for entering Korea.",
    footnote=99,
    rubric=("Places the meeting: after the Soviet retreat on air cover and Mao's halt of 12 October.",
            "Says what the passage shows about the role of Soviet air support in the decision.",
            "Notes that footnote 99's text is missing from our copy, so the source of this account cannot be "
            "checked here; names what record would confirm it.",
            SOURCE_RUBRIC_CLOSE),
))

# --------------------------------------------------------------------------- 06 The evidence

s6 = register(ExerciseSet("06", "06_evidence_exercises", "Exercise 6: The evidence", NB["06"]))


def _footnotes():
    src = load("sources")
    return src[src["kind"] == "footnote"]


s6.add(NumberQuestion(
    "q1", "pandas", reread("06", "2. What the extract itself lacks", "sources",
                           "kind 'footnote': the cited_in_extract and citation columns"),
    expected=lambda: int(_footnotes().pipe(lambda f: (f["cited_in_extract"].fillna(False).astype(bool)
                                                      & f["citation"].isna()).sum())),
    unit="footnotes",
    explain="These are the notes the surviving text points to but whose text we cannot read in our copy: missing, "
            "cut off before any text, or garbled. Many more are lost together with the pages that cite them.",
))
s6.add(NumberQuestion(
    "q2", "tables", reread("06", "2. What the extract itself lacks", "sources", "status 'garbled'"),
    expected=lambda: int(_footnotes().loc[lambda f: f["status"] == "garbled", "footnote"].iloc[0]),
    unit="",
    explain="Its text is conversion garbage in the extract; the collection never quotes it.",
))
Q6_ITEMS = {
    "a": ("ev_glasnost_tapes_1990", "Khrushchev's Glasnost Tapes are published"),
    "b": ("ev_paper_published", "Chen Jian's working paper is published"),
    "c": ("ev_khrushchev_remembers_1971", "Khrushchev Remembers is published"),
    "d": ("ev_yao_xu_interview", "Chen's telephone interview with Yao Xu"),
    "e": ("ev_yao_xu_monograph_1985", "Yao Xu's book, the first Chinese monograph on the war"),
}
s6.add(OrderQuestion(
    "q3", "chronology", reread("06", "1. The kinds of sources the paper rests on", "events",
                               "the rows of phase 'historiography'"),
    items={k: v[1] for k, v in Q6_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q6_ITEMS.items()}),
    explain="The paper came out in 1992, before the Russian version of Mao's message of 2 October 1950 was made "
            "public (1995/96).",
))
s6.add(ChoiceQuestion(
    "q4", "sources", reread("06", "The Chinese version", "communications", "the footnote of Mao's message of 2 October"),
    options={
        "a": ("The Chinese text printed in Mao Zedong wengao", "Chen cites this text in footnote 90."),
        "b": ("The Russian text: Roshchin's telegram to Stalin of 3 October 1950",
              "That text was made public only in 1995/96 (an outside source), after the paper."),
        "c": ("Both versions, compared side by side", "In 1992 only the Chinese text was available."),
        "d": ("Neither: he paraphrases a memoir", "Footnote 90 cites the document itself in Mao Zedong wengao."),
    },
    accepted=lambda: {"a"} if row("communications", "com_mao_stalin_19501002_cn")["footnote"] == 90 else set(),
))
s6.add(ChoiceQuestion(
    "q5", "sources", reread("06", "The debate", "conflicts", "the conflict about Mao's message of 2 October"),
    options={
        "a": ("The fact that the Chinese text is printed in Mao's collected manuscripts",
              "Wengao prints manuscripts: it shows that Mao wrote the text, not that it was sent."),
        "b": ("Which of the two versions sounds more like Mao",
              "Style cannot tell a draft from a sent message; both could be Mao's words."),
        "c": ("What Chen Jian concluded in 1992", "Chen wrote before the Russian version was known."),
        "d": ("Records that a telegram was sent or received on 2-3 October",
              "Whether a text was sent is a question about transmission, so records of transmission (logs, or a "
              "copy in the Soviet archive matching the Chinese text) are what would settle it. The debate is still "
              "open; do not treat either version as the last word."),
    },
    accepted={"d"},
))
s6.add(ChoiceQuestion(
    "q6", "sources", reread("06", "Interviews", None, "footnotes 30-31"),
    options={
        "a": ("They were hostile to the CCP", "They were Chinese military researchers with access to PLA archives."),
        "b": ("The records behind their account are classified",
              "Chen notes that the PLA General Staff's records on the units sent to Korea are still top secret "
              "(footnote 31): no one outside can check the account against them."),
        "c": ("They contradict every other source on the divisions",
              "They agree with the official source on the two divisions; they differ on the timing (autumn, not "
              "July 1949)."),
        "d": ("They gave no date at all", "They dated the return to the autumn of 1949 (footnote 31)."),
    },
    accepted={"b"},
))
s6.add(WrittenQuestion(
    "q7", "source analysis", reread("06", "The Chinese version", "conflicts", "footnote 90"),
    key_terms=(("wengao", "chinese version", "chinese text"), ("russian version", "roshchin", "russian"),
               ("draft", "sent"), ("annihilate", "drive them out", "war aims", "aim"), ("1992", "1995", "1996"),
               ("decided", "decision")),
    passage="Since we have decided to send Chinese troops to Korea to fight the Americans.... we should be able to "
            "solve the problem, that is, we are going to annihilate the aggression troops of America and other "
            "countries, and drive them out [of Korea].",
    footnote=90,
    rubric=("Says what the passage claims: the decision is made and the aim is to drive the US and its allies out "
            "of Korea.",
            "Names the source (Mao Zedong wengao, a collection of Mao's manuscripts) and what it cannot show: that "
            "this text was sent.",
            "Sets it against the Russian version (Roshchin's telegram of 3 October, public since 1995/96, an "
            "outside source) without settling the debate.",
            "Notes the ellipsis and the bracketed words: Chen cut and completed the quotation."),
))
s6.add(WrittenQuestion(
    "q8", "capstone", reread("06", "3. The two versions of Mao's message of 2 October 1950: an open debate",
                             "conflicts"),
    min_words=300, max_words=500, min_terms=3,
    key_terms=(("2 october", "message"), ("russian version", "roshchin"), ("wengao", "chinese version"),
               ("air", "umbrella", "air cover"), ("13 october", "politburo"), ("12 october", "halt"),
               ("table", "events", "claims", "conflicts", "soviet_air")),
    rubric=("States a clear thesis on when and how firmly Beijing decided to intervene, and how far the Soviet "
            "alliance shaped that decision.",
            "Uses the tables: at least three dated rows (events, claims, conflicts or soviet_air), each with its "
            "source.",
            "Weighs the two versions of Mao's message of 2 October as evidence, and says how the thesis changes "
            "if either was the text Stalin received.",
            "Keeps open what the sources leave open, and says which new evidence would change the argument."),
))

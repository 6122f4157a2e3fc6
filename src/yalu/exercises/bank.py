"""The six exercise sets (``exercises/0N_*_exercises.ipynb``) and the registry that finds them.

Every expected answer that is a fact is computed from the data tables when a check runs
(rows are looked up by their ``id``); nothing here restates a date or a number. Judgement
questions (sourcing, corroboration, contextualisation, causation, interpretation) have fixed right
options, with explanations that cite the paper's footnotes or mark an outside source as
context. Every written question has a rubric of four levels, each with an exemplar and the
sources that exemplar rests on. The question wording lives in the
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
    ExerciseSet,
    NamesQuestion,
    NumberQuestion,
    OrderQuestion,
    Reread,
    WrittenQuestion,
    rubric,
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



# Sources named in rubric data: the paper by footnote, outside sources by their public title.
FN = "Chen, fn. {}".format
D8 = "Cable, Mao Zedong to the Central Committee of the CCP, 2 January 1950 (Wilson Center Digital Archive, outside the paper)"
D15 = "Ciphered Telegram No. 8600, Vyshinsky to Mao Zedong, 14 May 1950 (Wilson Center Digital Archive, outside the paper)"
D34 = "Cable No. 4785, Filippov [Stalin] and Zhou Enlai, 11 October 1950 (Wilson Center Digital Archive, outside the paper)"
D35 = ("Ciphered Telegram No. 25553, Roshchin to Filippov [Stalin], 12 October 1950 (Wilson Center Digital Archive, "
       "outside the paper)")
D36 = "Ciphered Telegram, Roshchin to Filippov (Stalin), 13 October 1950 (Wilson Center Digital Archive, outside the paper)"
FRUS_TREATY = "FRUS 1950, vol. VI, doc. 157, Editorial Note (outside the paper)"
FRUS_FLEET = "FRUS 1950, vol. VI, doc. 195 (outside the paper)"
ACHESON = "Department of State Bulletin XXII, no. 551 (Acheson's speech, 12 January 1950; outside the paper)"
ROSHCHIN_1003 = ("Roshchin to Filippov (Stalin), 3 October 1950, Archive of the President of the Russian Federation, "
                 "published by Mansourov, CWIHP Bulletin 6-7 (outside the paper)")
TABLES = "the collection's tables (events, soviet_air)"

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
            "July-August air-force talks, which the paper dates day by day (footnotes 32-33): a visit early in the "
            "year, concrete requests in the summer.",
))
s1.add(ChoiceQuestion(
    "q2", "contextualisation", reread("01", "2. Mikoyan's visit", "events", "the rows of 1949, by date_start"),
    options={
        "a": ("A Soviet offer to set up pilot schools in Manchuria",
              "That offer came the day after the cable, on 27 July 1949 (footnote 33): it could not shape the "
              "request."),
        "b": ("What Mao had heard from Mikoyan at Xibaipo",
              "Mikoyan's talks with Mao took place in early 1949 (an outside source, marked as context), months "
              "before the cable of 26 July."),
        "c": ("The terms of a treaty of alliance with Moscow",
              "The treaty was signed only in February 1950 (an outside source, marked as context)."),
        "d": ("The Soviet air division based in the Northeast",
              "That division arrived in August 1950, a year later (footnote 83)."),
    },
    accepted={"b"},
    explain="A question of what could be known: only what had already happened by 26 July 1949 can have "
            "shaped the cable. The extract itself is silent on what was said at Xibaipo.",
))
s1.add(NamesQuestion(
    "q3", "look-up", reread("01", "4. The air-force aid requested and offered", "soviet_air",
                            "filter on status and date"),
    vocabulary=_aircraft_vocabulary, expected=_requested_aircraft_on("1949-07-26"), what="aircraft type",
    explain=lambda items: f"The cable of 26 July 1949 asked about {' and '.join(items)} (footnote 32).",
))
s1.add(WrittenQuestion(
    "q4", "causation", reread("01", "1. Two camps and the fear of American intervention", None, "footnotes 2-7"),
    min_words=25, max_words=150,
    key_terms=(("camp",), ("intervene", "intervention", "united states", "america", "u.s."),
               ("domestic", "democratic parties", "middle"), ("footnote", "fn")),
    rubric=rubric(
        ("Weighs at least two of Chen's three causes (the two-camp view, the fear of American intervention, the "
         "answer to those at home who hoped for a middle course), each with its footnote, says which weighed "
         "most and why, and notes that the evidence is the CCP's own writing.",
         "The two-camp view came first: Chen's evidence (fn. 2) shows the leaders saw no middle ground between "
         "Moscow and Washington. The fear of an American intervention (fn. 3-6) added a reason of security, and "
         "the choice also answered the democratic parties (fn. 7). All of this is the CCP's own writing, so it shows the "
         "stated reasons, not how they were weighed.",
         (FN(2), "Chen, fn. 3-6", FN(7))),
        ("Names two causes with their evidence, but does not weigh them or say what kind of evidence it is.",
         "The CCP saw two camps and no middle way (fn. 2), and it feared the United States might intervene "
         "(fn. 3), so it leaned to Moscow.",
         (FN(2), FN(3))),
        ("Names one or two causes without evidence from the paper.",
         "The CCP leaned to the Soviet side because it was communist and afraid of America.",
         ()),
        ("Gives a cause the extract does not support, or none.",
         "China leaned to the Soviet side because Stalin ordered it to.",
         ()),
    ),
))
Q1_CLAIMANTS = {"a": "official_source", "b": "intelligence", "c": "interview", "d": "historian"}


def _who_gives_a_number():
    claims = load("claims")
    mask = (claims["conflict"] == "conf_korean_divisions_1949") & claims["strength_min"].notna()
    kinds = set(claims.loc[mask, "claimant_kind"].astype(str))
    return {letter for letter, kind in Q1_CLAIMANTS.items() if kind in kinds}


s1.add(ChoiceQuestion(
    "q5", "sourcing", reread("01", "5. The Korean-nationality divisions sent back to Korea", "claims",
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
    "q6", "corroboration", reread("01", "5. The Korean-nationality divisions sent back to Korea", None,
                                  "footnotes 29-31"),
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
s1.add(ChoiceQuestion(
    "q7", "interpretation", reread("01", "1. Two camps and the fear of American intervention", None,
                                   "footnotes 2-3"),
    options={
        "a": ("Mao's paper for the Politburo of January 1949",
              "An internal paper in which the CCP plans for an American intervention (footnote 3): the party's own "
              "fear, written before any alliance, which fits Chen's reading."),
        "b": ("The Soviet offer of pilot schools in Manchuria",
              "A Soviet offer shows what Moscow gave once the CCP had turned to it (footnote 33), not why the CCP "
              "turned."),
        "c": ("The intelligence estimates of 30,000-40,000 soldiers",
              "These are about the Korean-nationality soldiers (footnote 31), not about the CCP's reasons."),
        "d": ("The Soviet air division sent to the Northeast in 1950",
              "It came in August 1950 (footnote 83), long after the choice of 1949."),
    },
    accepted={"a"},
    explain="It supports the reading; it does not prove it. A planning paper shows what the leaders feared, not "
            "how they weighed that fear against other reasons.",
))
s1.add(WrittenQuestion(
    "q8", "sourcing", reread("01", "1. Two camps and the fear of American intervention", None, "footnote 3"),
    key_terms=(("mao",), ("politburo", "conference", "party"), ("intervene", "intervention", "troops"),
               ("worst case", "assum", "prepare", "plan"), ("lean", "soviet", "alliance", "moscow"),
               ("1949",)),
    passage="When we make war plans, we have always taken into our account the possibility that the U.S. "
            "government may send troops to occupy some of the coastal cities and fight us directly.",
    footnote=3,
    rubric=rubric(
        ("Says who wrote the passage, when and for whom (Mao's paper for the enlarged Politburo meeting of "
         "January 1949, an internal party document); explains what it shows (the CCP planned for a direct "
         "American intervention, one of Chen's reasons for leaning to the Soviet side); names its limit (it "
         "shows what the leaders feared, not what the United States intended); and places it with a dated row.",
         "Mao wrote this for the enlarged Politburo meeting of January 1949 (fn. 3), an internal paper, so it "
         "records what the leaders planned for among themselves: an American landing on the coast. That fear is "
         "one of the reasons Chen gives for leaning to Moscow. It cannot show what Washington intended, only "
         "what Beijing assumed. It comes before Liu Shaoqi's talks with Stalin in July 1949 (events table).",
         (FN(3), "the events table (Liu Shaoqi's talks, July 1949; Chen, fn. 32-33)")),
        ("Identifies the author, date and audience and what the passage shows, but names no limit or uses no "
         "row of the tables.",
         "This is Mao's paper for the Politburo in January 1949 (fn. 3). It shows that the CCP planned for the "
         "United States to land troops, which pushed it toward the Soviet Union.",
         (FN(3),)),
        ("Paraphrases the passage without saying who wrote it for whom, or what kind of evidence it is.",
         "The passage says the Chinese thought the Americans might attack the coastal cities, so they were "
         "afraid.",
         (FN(3),)),
        ("Treats the passage as proof of what the United States planned, or misreads who wrote it.",
         "This shows that the United States was planning to invade China's coast in 1949.",
         ()),
    ),
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
    explain="Zhou travelled only after 2 January, the day of the Tass interview and of Mao's three options: the "
            "order is part of the argument about what broke the stand-off. The signing date comes from an outside source (FRUS, marked as context): the "
            "extract's pages on the signing are missing.",
))
s2.add(NamesQuestion(
    "q2", "look-up", reread("02", "4. The Tass interview and Mao's three options", "communications",
                            "the recipients of Mao's conversation of 2 January 1950"),
    vocabulary=people_vocabulary,
    expected=lambda: sorted(person_name(p) for p in row("communications", "com_mao_molotov_mikoyan_19500102")["recipients"]),
    what="person",
    explain=lambda names: f"Mao put the three options to {' and '.join(names)} (footnote 54).",
))
s2.add(ChoiceQuestion(
    "q3", "causation", reread("02", "4. The Tass interview and Mao's three options", "communications",
                              "the rows of 2 January 1950 and footnote 54"),
    options={
        "a": ("The Soviet Union's recognition of the People's Republic",
              "Recognition came in October 1949 (footnote 41), before Mao's journey: it did not end a stand-off "
              "that began in Moscow."),
        "b": ("The arrival of Zhou's delegation in Moscow",
              "Zhou arrived on 20 January 1950 (footnote 55): a result of the breakthrough, not its cause."),
        "c": ("Mao's three options, put to Molotov and Mikoyan",
              "On the evening of 2 January, the day Tass published Mao's interview (footnote 53), Mao put three "
              "options to Molotov and Mikoyan; Molotov backed a new treaty and Mao then called Zhou to Moscow "
              "(footnote 54)."),
        "d": ("Stalin's talks with Mao of 22 January 1950",
              "Those talks (an outside source, marked as context) came after the breakthrough."),
    },
    accepted={"c"},
    explain="The paper gives the sequence; why Stalin gave way on that day is not in the extract, whose pages on "
            "the stand-off are partly missing.",
))
s2.add(ChoiceQuestion(
    "q4", "corroboration", reread("02", "4. The Tass interview and Mao's three options", None, "footnote 54"),
    options={
        "a": ("It contradicts the paper: Stalin still refuses a new treaty",
              "Read the summary again: the cable reports agreement, not refusal."),
        "b": ("It shifts the breakthrough to the end of January 1950",
              "The cable is dated 2 January 1950, the same day as the paper's breakthrough."),
        "c": ("It says nothing about Zhou Enlai",
              "The cable asks for Zhou to come to Moscow."),
        "d": ("It agrees with the paper, in Mao's own words",
              "In it Mao tells Beijing that Stalin has agreed to a new treaty and asks for Zhou to come: Mao's own "
              "report, the same day, of the turn the paper describes (footnote 54)."),
    },
    accepted={"d"},
    explain="One document agreeing with the paper strengthens the account of 2 January; it does not show why "
            "Stalin gave way.",
))
s2.add(ChoiceQuestion(
    "q5", "sourcing", reread("02", "6. The treaty", "events", "the source column of the treaty rows"),
    options={
        "a": ("Footnote 55 of the paper", "Footnote 55 supports Zhou's arrival on 20 January, not the signing."),
        "b": ("The paper's own account of the signing",
              "The pages of the extract that would describe the signing are missing."),
        "c": ("Mao's Tass interview of 2 January 1950",
              "The interview speaks of a treaty still to be made."),
        "d": ("FRUS 1950, vol. VI, doc. 157, an outside source",
              "The events table takes the date from this Editorial Note and marks the row as context from outside "
              "the paper: a US editors' note, not a record made by either party."),
    },
    accepted=lambda: {"d"} if str(row("events", "ev_ctx_treaty_signed")["source"]).startswith("ctx_") else set(),
))
s2.add(ChoiceQuestion(
    "q6", "contextualisation", reread("02", "3. Mao's journey and the standoff in Moscow", None, "footnotes 45-49"),
    options={
        "a": ("Whether Stalin would agree to replace the 1945 treaty",
              "Mao did not know: the surviving text speaks of an intention to sound out what Stalin had in mind, "
              "and Mao left it to Stalin whether Zhou should come (footnotes 45-49)."),
        "b": ("That the treaty would bring a credit of US$300 million",
              "The terms are known from the treaty of February 1950 (FRUS, an outside source): no one could know "
              "them in December 1949."),
        "c": ("That Molotov would back a new alliance treaty",
              "That happened on 2 January 1950 (footnote 54), after Mao had been in Moscow for weeks."),
        "d": ("That Zhou Enlai would join him in January",
              "Whether Zhou should come was the open question; he arrived on 20 January 1950 (footnote 55)."),
    },
    accepted={"a"},
))
s2.add(ChoiceQuestion(
    "q7", "sourcing", reread("02", "3. Mao's journey and the standoff in Moscow", "sources",
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
    "q8", "interpretation", reread("02", "3. Mao's journey and the standoff in Moscow", None, "footnotes 45-54"),
    min_words=25, max_words=150,
    key_terms=(("zhou",), ("stalin",), ("treaty",), ("2 january", "tass", "molotov", "three options")),
    rubric=rubric(
        ("Sets out the reading (Mao left it to Stalin whether Zhou should come, to sound out whether Stalin "
         "would replace the 1945 treaty), supports it with the sequence of the talks up to 2 January 1950, and "
         "says what limits it: the sentence on sounding out Stalin begins on a missing page, pages are missing in "
         "the middle of the story, and Mao's cable of 2 January (outside the paper) reports the result, not his "
         "motive.",
         "Read this way, the Zhou question was Mao's way of testing Stalin: Mao wanted a new treaty to replace the "
         "1945 one (fn. 45) but would not ask outright. Stalin's answer, that there was no use calling Zhou until "
         "they knew what to work out (fn. 49), fits that reading, and Zhou was called only once Molotov backed a "
         "new treaty on 2 January (fn. 54). Mao's own cable of that day confirms the turn, not the tactic, and "
         "pages are missing in between, so the reading is plausible rather than proved.",
         (FN(45), FN(49), FN(54), D8)),
        ("Sets out the reading with evidence from the paper, but does not say what limits it.",
         "Mao wanted a new treaty (fn. 45) and used the question of Zhou's coming to find out whether Stalin "
         "would agree. When Molotov backed a new treaty on 2 January, Zhou was called (fn. 54).",
         (FN(45), FN(54))),
        ("Tells the story of the talks without weighing the reading.",
         "Mao went to Moscow, there was a stand-off with Stalin, and in January Zhou came and the treaty was "
         "negotiated.",
         ("Chen, fn. 45-55",)),
        ("States a motive the extract does not give, or none.",
         "Mao did not want Zhou in Moscow because he did not trust him.",
         ()),
    ),
))
s2.add(WrittenQuestion(
    "q9", "sourcing", reread("02", "3. Mao's journey and the standoff in Moscow", None, "footnote 49"),
    key_terms=(("stalin",), ("zhou",), ("mao",), ("treaty",), ("footnote 49", "fn 49", "missing", "source"),
               ("wait", "initiative", "standoff", "stand-off")),
    passage='So, when Mao asked if Zhou should be called to join him in Moscow, Stalin replied: "If we cannot '
            'make certain what we really want to work out, what is the use to call Zhou to come here." Mao, again, '
            'made no direct answer.',
    footnote=49,
    rubric=rubric(
        ("Says what each leader was doing (Mao waiting for Stalin to offer a new treaty, Stalin waiting for Mao "
         "to say what he wanted); asks what a reported conversation can show (words recalled or recorded by one "
         "side, not a transcript we can read); notes that the footnote's text is not in our extract, so we cannot "
         "see whose record Chen follows; and places the exchange before 2 January 1950 with a dated row.",
         "Each leader waited for the other: Mao wanted a new treaty but would not ask, and Stalin would not take "
         "the initiative until Mao said what he wanted (fn. 49). Stalin's words reach us through Chen, and the "
         "note that names his source is not in our extract, so we cannot tell whose record this is. The deadlock "
         "lasted until 2 January 1950, when Molotov backed a new treaty (fn. 54).",
         (FN(49), FN(54))),
        ("Explains the stand-off and places it in time, but does not ask whose record of the words this is.",
         "Stalin would not call Zhou until Mao said what he wanted, and Mao would not say it (fn. 49). This went "
         "on until 2 January 1950 (fn. 54).",
         (FN(49), FN(54))),
        ("Paraphrases the passage without placing it or weighing it as evidence.",
         "Stalin asked what the use of calling Zhou was, and Mao did not answer him.",
         (FN(49),)),
        ("Takes the quoted words as a verbatim transcript, or misreads who said what.",
         "Mao told Stalin there was no use calling Zhou, so Stalin had to give in.",
         ()),
    ),
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
s3.add(ChoiceQuestion(
    "q2", "contextualisation", reread("03", "1. Kim's plan", "communications", "the telegram of 14 May 1950"),
    options={
        "a": ("That Truman would send the Seventh Fleet to the Taiwan Strait",
              "Truman gave that order on 27 June 1950 (FRUS, an outside source), six weeks later."),
        "b": ("That Stalin had agreed to Kim's plan if the Chinese agreed",
              "Stalin's telegram of 14 May 1950 to Mao says so (an outside source, marked as context)."),
        "c": ("That the war would begin on 25 June",
              "Nothing in the paper or the telegram gives Mao a date in May."),
        "d": ("That Soviet aircraft would cover Chinese troops in Korea",
              "The paper places such an understanding after Inchon, in September 1950 or later (footnote 86)."),
    },
    accepted={"b"},
    explain="The extract is silent on Kim's visit to Beijing; what Mao heard from Stalin that week comes from a "
            "document outside the paper.",
))
s3.add(ChoiceQuestion(
    "q3", "sourcing", reread("03", "2. Khrushchev's memoir: how far to trust it", None, "footnotes 61-63"),
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
s3.add(ChoiceQuestion(
    "q4", "corroboration", reread("03", "2. Khrushchev's memoir: how far to trust it", "communications",
                                  "footnote 61 and the telegram of 14 May 1950"),
    options={
        "a": ("It fits: Stalin made Mao's view part of the decision",
              "The telegram makes Stalin's consent depend on China's: that fits Khrushchev's memory that Stalin "
              "sought Mao's advice (footnote 61), though it does not show what Mao answered."),
        "b": ("It contradicts him: Stalin never consulted Beijing",
              "The telegram is addressed to Mao and asks for China's agreement."),
        "c": ("It proves Mao thought the Americans would not fight",
              "The telegram is Stalin's message; it says nothing of Mao's view of the United States."),
        "d": ("It shows Kim never went to Beijing",
              "Kim and Pak were in Beijing that week (an outside source, marked as context)."),
    },
    accepted={"a"},
    explain="A document that fits a memoir on one point makes that point likelier; it does not vouch for the "
            "rest of the memoir.",
))
s3.add(NumberQuestion(
    "q5", "look-up", reread("03", "1. Kim's plan", "events", "phase 'korea', source starting with ctx_"),
    expected=lambda: int(load("events").pipe(
        lambda e: ((e["phase"] == "korea") & e["source"].str.startswith("ctx_")).sum())),
    unit="rows",
    explain="Each of these rows cites a public source outside the paper, marked as context: for a historian, "
            "that many rows is a measure of how much of this chapter's story the extract does not carry.",
    pandas=True,
))
s3.add(ChoiceQuestion(
    "q6", "causation", reread("03", "5. The Taiwan campaign postponed", "events"),
    options={
        "a": ("Acheson's speech of 12 January 1950 on the US perimeter",
              "That speech left Taiwan outside the US defensive perimeter (footnote 64); it came months before the "
              "postponement and put no US forces in the way."),
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
    "q7", "interpretation", reread("03", "3. The CCP's changing view of the American threat", None, "footnote 64"),
    min_words=25, max_words=150,
    key_terms=(("su yu",), ("acheson", "perimeter"), ("five years", "emphasis on the west", "allies"),
               ("shanghai", "qingdao", "coast", "landing")),
    rubric=rubric(
        ("Tests Chen's reading (that by early 1950 CCP leaders, like Stalin, doubted the United States would "
         "fight in East Asia) against its evidence: the experience of 1949 (no landing when the PLA took the "
         "coastal cities), Su Yu's reports of January 1950, and Acheson's speech; says what strains or limits it "
         "(footnote 64 is cut off in our copy, and the speech's exact date comes from outside the paper).",
         "The reading holds on the evidence Chen gives: no American landing came when the PLA took the coastal "
         "cities in 1949, Su Yu's reports of January 1950 held that the US would need at least five years to be ready for "
         "major operations in the Far East (fn. 64), and Acheson's speech "
         "of 12 January left Taiwan and South Korea outside the perimeter. But the note for this is cut off in "
         "our copy and the speech's day comes from an outside source, so we can check only part of the chain.",
         (FN(64), ACHESON)),
        ("Gives two strands of evidence for the reading, but does not say what limits it.",
         "Su Yu's reports of January 1950 (fn. 64) and Acheson's speech leaving Taiwan outside the perimeter both "
         "made the CCP think the US would not fight.",
         (FN(64), ACHESON)),
        ("Names one piece of evidence, without testing the reading.",
         "Acheson said Taiwan was outside the American defensive perimeter.",
         (ACHESON,)),
        ("Asserts the view without evidence, or misplaces it in time.",
         "China knew in 1949 that the Americans would never fight in Korea.",
         ()),
    ),
))
s3.add(WrittenQuestion(
    "q8", "sourcing", reread("03", "3. The CCP's changing view of the American threat", None, "footnote 64"),
    key_terms=(("acheson",), ("su yu",), ("perimeter", "taiwan", "korea"), ("view", "threat", "intervene"),
               ("cut off", "footnote 64", "fn 64"), ("1950",)),
    passage="This view was further strengthened in January 1950 by Secretary of State Dean Acheson's open exclusion "
            "of Taiwan and South Korea from the U.S. western Pacific defensive perimeter.",
    footnote=64,
    rubric=rubric(
        ("Says whose view is meant (that the US was not ready to fight a major war in East Asia, held by CCP "
         "planners such as Su Yu); separates what the passage reports (Acheson's public speech) from what it "
         "claims (the effect on Chinese thinking) and says what evidence would show that effect (Chinese records "
         "that mention the speech); notes the cut-off note and the outside date; places it with a dated row.",
         "'This view' is the CCP military planners' judgement, voiced by Su Yu in his reports of 5 and 27 January "
         "1950, that the US would need at least five years to be ready for major operations in the Far "
         "East (fn. 64). The speech itself is public; its effect on Beijing is "
         "Chen's claim, and only Chinese records that mention the speech would show it. The note is cut off in "
         "our copy and the speech's date (12 January) comes from an outside source.",
         (FN(64), ACHESON, "the events table (Su Yu's report of 27 January 1950)")),
        ("Identifies the view and the speech, and places them, but does not separate report from claim.",
         "The view is Su Yu's, that the US would not fight soon (fn. 64); Acheson's speech of January 1950 "
         "strengthened it by leaving Taiwan and South Korea outside the perimeter.",
         (FN(64), ACHESON)),
        ("Paraphrases the passage without asking what evidence lies behind it.",
         "Acheson excluded Taiwan and South Korea from the perimeter, which made the Chinese more confident.",
         (FN(64),)),
        ("Misreads the passage, e.g. takes it as Acheson's own view of China.",
         "Acheson said the US would defend Taiwan and Korea.",
         ()),
    ),
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
    "q2", "look-up", reread("04", "The build-up on the border", "troop_movements", "the strength columns"),
    expected=lambda: int(row("troop_movements", "tm_border_250000")["strength_min"]), unit="troops",
    explain="'More than' this number (footnote 74): the table stores it as strength_min and leaves "
            "strength_max empty, because the paper gives only a lower bound. A historian reads it as the least "
            "the border army could have been by early August.",
    pandas=True,
))
s4.add(ChoiceQuestion(
    "q3", "contextualisation", reread("04", "2. The August Politburo", "events", "the rows before 4 August 1950"),
    options={
        "a": ("That UN forces had landed at Inchon",
              "The landing came on 15 September 1950, six weeks later."),
        "b": ("That Soviet aircraft would cover Chinese troops fighting in Korea",
              "The paper places that understanding after Inchon (footnote 86)."),
        "c": ("That Stalin and Zhou advised against crossing for now",
              "That was Cable No. 4785 of 11 October 1950 (an outside source), two months later."),
        "d": ("That Truman had ordered the Seventh Fleet to shield Formosa",
              "Truman's order of 27 June 1950 was public (FRUS, an outside source, marked as context)."),
    },
    accepted={"d"},
))
s4.add(ChoiceQuestion(
    "q4", "causation", reread("04", "4. Inchon", "events", "the rows of September 1950"),
    options={
        "a": ("The threat to China's border after the landing at Inchon",
              "The paper says the landing of 15 September changed the trend of the war, that the border was now "
              "menaced, and that the leadership acted at once: the CMCC decided on 17 September (footnote 84)."),
        "b": ("Stalin's promise of an air umbrella over Korea",
              "The paper gives no date for that understanding and presents it after the step-up, as a stronger "
              "basis for Mao, not its cause (footnote 86)."),
        "c": ("The UN General Assembly's resolution of 7 October",
              "That resolution came three weeks later (an outside source)."),
        "d": ("The arrival of a Soviet air division in August",
              "That division came to defend the Northeast (footnote 83); the paper does not tie the September "
              "decision to it."),
    },
    accepted={"a"},
    explain="The tables give the two dates; the link between them is Chen's reading, which the timing supports.",
))
s4.add(ChoiceQuestion(
    "q5", "interpretation", reread("04", "3. The first Soviet air division", None, "footnote 83"),
    options={
        "a": ("That Stalin had promised air cover for Chinese troops fighting in Korea",
              "That understanding came only after Inchon (footnote 86)."),
        "b": ("That Beijing and Moscow kept in contact that summer",
              "Chen takes the division, which came 'following the agreement of the Chinese and Soviet governments', "
              "as a clear indication of such contacts, though no Chinese source had released top-level talks for "
              "that summer (footnote 83)."),
        "c": ("That Soviet pilots were already fighting over Korea in 1950",
              "The division was sent to defend Northeast China, not to fight in Korea."),
        "d": ("That the Soviet air force ran pilot schools in Manchuria",
              "Pilot schools were a Soviet offer of July 1949 (footnote 33)."),
    },
    accepted={"b"},
    explain="Chen knows of the division 'through one Chinese source': the reading rests on how far we trust that "
            "one source.",
))
s4.add(WrittenQuestion(
    "q6", "corroboration", reread("04", "2. The August Politburo", None, "footnote 75"), min_words=25, max_words=150,
    key_terms=(("bo yibo", "memoir"), ("volunteer",), ("4 august", "politburo"), ("5 august", "nebda", "border")),
    rubric=rubric(
        ("Says what Mao argued as Bo Yibo recalls it, what kind of source that is (a participant's memoir, "
         "written after the events), and tests it against the tables: the order of 5 August and the build-up on "
         "the border fit it but cannot confirm the words.",
         "Bo Yibo recalls that Mao argued at the Politburo of 4 August 1950 for sending volunteers (fn. 75). A "
         "memoir written after the events can misremember, but the next day Mao ordered the NEBDA to be ready by early "
         "September (fn. 76) and more than 250,000 troops were already on the border (fn. 74). The acts fit the "
         "memory; they cannot confirm Mao's words.",
         (FN(74), FN(75), FN(76))),
        ("Says what Mao argued and what kind of source it is, with one piece of corroboration but no limit.",
         "Bo Yibo's memoir says Mao wanted to send volunteers (fn. 75), and the order of 5 August to the NEBDA "
         "(fn. 76) shows he meant it.",
         (FN(75), FN(76))),
        ("Says what Mao argued, without weighing the source.",
         "At the Politburo on 4 August Mao said China should send volunteers to Korea.",
         (FN(75),)),
        ("Treats the memoir as a record of the meeting, or misstates what it says.",
         "The minutes of the meeting prove that Mao decided to enter the war on 4 August.",
         ()),
    ),
))
s4.add(WrittenQuestion(
    "q7", "sourcing", reread("04", "3. The first Soviet air division", "soviet_air", "footnote 83"),
    key_terms=(("one chinese source", "one source", "single source"), ("agreement",), ("contact",),
               ("august 1950", "august"), ("air division", "division"), ("indication", "evidence", "proof")),
    passage='In actuality, we do know, through one Chinese source, that a Soviet air force division, "following the '
            'agreement of the Chinese and Soviet governments," arrived in the Northeastern area in August 1950, '
            '"to take the responsibility of defending this area."',
    footnote=83,
    rubric=rubric(
        ("Explains why Chen needs this fact (no Chinese source had released top-level Sino-Soviet talks from late "
         "June to late September 1950); weighs it (one Chinese source, Wang and Lin et al., "
         "quoted in a footnote; Chen calls it a clear indication); separates fact (a division arrived to defend "
         "the Northeast) from inference (close contact); places it with a dated row.",
         "Chen has no record of top-level talks for the summer of 1950, so he leans on one Chinese source, Wang "
         "and Lin et al. (fn. 83): a Soviet division arrived in the Northeast in August 1950 "
         "'following the agreement' of the two governments. That it arrived is the fact; that Beijing and Moscow "
         "were in close contact is his inference. The soviet_air table dates it to August 1950, before Inchon.",
         (FN(83), "the soviet_air table (the division of August 1950)")),
        ("Explains why Chen needs the fact and weighs the single source, but does not separate fact and "
         "inference.",
         "No Chinese record of the summer talks was available, so Chen uses one Chinese source (fn. 83) to show the two "
         "governments were in contact. One source is thin evidence.",
         (FN(83),)),
        ("Restates the passage without weighing the source.",
         "A Soviet air division arrived in the Northeast in August 1950 to defend the area.",
         (FN(83),)),
        ("Claims more than the passage: that the division fought in Korea, or that it proves an alliance plan.",
         "This proves that Stalin had promised to send his air force to fight in Korea.",
         ()),
    ),
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
    explain="The order is the argument: the formal order came before the Black Sea talks, and the halt and the "
            "new decision came between them and the crossing. One regiment was already in Korea two days before "
            "the main crossing (footnote 105).",
))
s5.add(ChoiceQuestion(
    "q2", "corroboration", reread("05", "4. Halt and go", "events", "the rows of 12 and 13 October"),
    options={
        "a": ("They contradict it: Mao never halted the march",
              "Reread what the question says of the telegram of 12 October, or open it at the archive."),
        "b": ("They put the decision to go on after the crossing of 19 October",
              "Compare the dates of the two telegrams with the crossing."),
        "c": ("They agree on halt and go, and show Mao told Stalin of each turn",
              "The telegram of 12 October reports that the crossing has been halted; the one of 13 October that "
              "the Politburo now judges troops must be sent after all, with a first echelon of nine divisions and "
              "a request for air cover within two months. Mind the date of the second: the Wilson Center dates it "
              "13 October, another translation heads it 14 October, and it reached Moscow early on 14 October."),
        "d": ("They show Stalin had promised air cover over Korea from the start",
              "Reread what Cable No. 4785 of 11 October said about air cover."),
    },
    accepted={"c"},
    explain="Two Soviet telegrams relaying Mao's messages agree with the paper (footnotes 98-99) on the "
            "sequence; they cannot tell us what was argued at the Politburo meeting.",
))
s5.add(ChoiceQuestion(
    "q3", "contextualisation", reread("05", "Halt: 12 October", "soviet_air", "the row of 11 October 1950"),
    options={
        "a": ("That air cover could not be given for about two months",
              "Cable No. 4785 of 11 October said so (an outside source), and Roshchin's telegram of 12 October "
              "reports that Mao had accepted it."),
        "b": ("That the Politburo would decide to go on without air cover",
              "That decision came at the overnight meeting of 13 October (footnote 99), after the halt."),
        "c": ("That Stalin would promise an air umbrella over China's own territory",
              "Zhou brought that promise back on 18 October (footnote 107), six days later."),
        "d": ("That UN forces would take Pyongyang",
              "Pyongyang fell on 19 October (a US Army source outside the paper), a week later."),
    },
    accepted={"a"},
))
s5.add(NumberQuestion(
    "q4", "look-up", reread("05", "5. The Soviet air divisions, October – December 1950", "soviet_air",
                            "unit 'divisions', status 'sent'"),
    expected=lambda: int(row("soviet_air", "air_air_divisions_total")["quantity_max"]), unit="divisions",
    misses=lambda: {int(load("soviet_air").pipe(lambda a: a.loc[(a["unit"] == "divisions") & (a["status"] == "sent"),
                                                            "quantity_max"].sum())):
                    "That adds the row for all types to the rows for its parts (fighter and bomber divisions): "
                    "read the item column."},
    explain="Twelve fighter divisions and one bomber division, sent to four regions of China, not to Korea "
            "(footnote 107): what the Soviet Union did send, set against what had been understood after Inchon.",
    pandas=True,
))
s5.add(ChoiceQuestion(
    "q5", "interpretation", reread("05", "Go: 13 October", "events", "the rows of 8-19 October"),
    options={
        "a": ("The Politburo's decision of 13 October to go on",
              "That decision, taken without air cover, is the strongest support for Chen's reading (footnote 99)."),
        "b": ("Mao's halt of 12 October, after the news on air cover",
              "The halt came the day after the message that air cover could not be given (footnote 98; Cable No. "
              "4785, an outside source). It was lifted after the overnight meeting of 13 October (footnote 99), so "
              "the reading can absorb it, but for a time the missing air cover did stop the move."),
        "c": ("The crossing of the Yalu on 19 October",
              "The crossing went ahead without Soviet aircraft over Korea: it fits Chen's reading."),
        "d": ("Mao's formal order of 8 October to enter the war",
              "That order came before the Soviet retreat on air cover; it cannot test how Mao reacted to it."),
    },
    accepted={"b"},
    explain="Chen's reading is not refuted by one piece of evidence; the question is where it is under strain.",
))
s5.add(ChoiceQuestion(
    "q6", "sourcing", reread("05", "3. The Black Sea meeting and the Soviet change of heart", "soviet_air",
                             "the source column"),
    options={
        "a": ("The footnote to Chen's account of the Black Sea meeting",
              "Chen's account of the meeting breaks off: the pages with its outcome are missing from our extract."),
        "b": ("Cable No. 4785 of 11 October 1950, an outside source",
              "The Wilson Center's Cable No. 4785, from Stalin and Zhou to Mao, reports that Soviet air cover could "
              "not be given for about two months; the row is marked as context from outside the paper. Its heading "
              "and its text give different cable numbers (4785 and 4784): a detail to record, not to tidy away."),
        "c": ("Mao's cable to Zhou after the Politburo meeting of 13 October",
              "That cable argues for going on; it does not report what Stalin said."),
        "d": ("Khrushchev's memoir", "Khrushchev is cited on Kim's plan and Zhou's visit, not on this cable."),
    },
    accepted=lambda: {"b"} if str(row("soviet_air", "air_ctx_no_air_cover_4785")["source"]).startswith("ctx_") else set(),
))
s5.add(WrittenQuestion(
    "q7", "causation", reread("05", "4. Halt and go", None, "footnotes 98-102"), min_words=25, max_words=150,
    key_terms=(("politburo", "13 october"), ("air", "umbrella", "cover"), ("defensive", "defence", "defense"),
               ("stalin", "soviet")),
    rubric=rubric(
        ("Weighs the reasons the Politburo gave for going on without air cover (fight the South Korean army "
         "first, hold bases in the mountains north of the Pyongyang-Wonsan line; staying out would let the enemy "
         "reach the Yalu and tie down the border army) against Chen's wider cause (Mao's revolutionary outlook); "
         "says what the missing air cover changed (the defensive plan of 14 October); uses the footnotes.",
         "The Politburo judged it still advantageous to send troops: the CPV could cope with the South Korean army "
         "with certainty and "
         "hold bases north of the Pyongyang-Wonsan line, while staying out would let the enemy reach the Yalu "
         "and tie down the border army (Mao's cable to Zhou, after fn. 99). Chen puts a deeper cause behind "
         "this, Mao's view of an Eastern and world revolution. The missing air cover did not stop the move but "
         "narrowed it: on 14 October Mao set a defensive opening with two or three lines north of Pyongyang and "
         "Wonsan (fn. 102).",
         (FN(99), FN(102))),
        ("Gives the Politburo's reasons and the defensive plan, but does not weigh them against each other or "
         "against Chen's wider cause.",
         "They thought they could beat the South Korean army and that letting the enemy reach the Yalu was "
         "worse (fn. 99). Without air cover, the plan of 14 October was defensive (fn. 102).",
         (FN(99), FN(102))),
        ("Gives one reason or the defensive plan, without evidence.",
         "They went on because Mao wanted to fight, and the plan became defensive.",
         ()),
        ("Gives a reason the sources do not, e.g. that Stalin had promised air cover over Korea after all.",
         "They went on because Stalin promised on 13 October to send planes over Korea.",
         ()),
    ),
))
s5.add(WrittenQuestion(
    "q8", "sourcing", reread("05", "Go: 13 October", "events", "footnote 99"),
    key_terms=(("politburo",), ("air support", "air cover", "umbrella"), ("12 october", "halt"),
               ("peng", "xie fang"), ("missing", "footnote 99", "fn 99", "roshchin", "telegram"),
               ("overnight", "night")),
    passage="The CCP politburo held an emergency meeting on 13 October to discuss whether China should intervene "
            "without Soviet air support. After an overnight meeting, they decided to go on, and Peng immediately "
            "called Xie Fang, chief of staff of the CPV, asking CPV units to continue preparation for entering Korea.",
    footnote=99,
    rubric=rubric(
        ("Places the meeting (after Cable No. 4785 and Mao's halt of 12 October); says what the passage shows "
         "about the role of Soviet air support (it was the question put to the meeting); asks what Chen's source "
         "is (the footnote's text is not in our extract) and names a record that bears on it, such as Roshchin's "
         "telegram of 13 October; uses a dated row.",
         "The meeting came a day after Mao halted the Thirteenth Army Corps (fn. 98), which followed Cable No. "
         "4785 of 11 October saying air cover could not be given for about two months. Air support was the very "
         "question put to it, and an overnight meeting suggests a hard choice. The note naming Chen's source is "
         "not in our extract, but Roshchin's telegram of 13 October reports the same decision to Stalin.",
         (FN(98), FN(99), D34, D36)),
        ("Places the meeting and says what it shows about air support, but does not ask about the source.",
         "After the halt of 12 October (fn. 98) the Politburo had to decide whether to go on without Soviet air "
         "support, and it did (fn. 99).",
         (FN(98), FN(99))),
        ("Paraphrases the passage without placing it or weighing the source.",
         "The Politburo met overnight and decided to go to Korea, and Peng told Xie Fang.",
         (FN(99),)),
        ("Misplaces the meeting or claims the passage says more, e.g. that air cover was then promised.",
         "The Politburo decided on 13 October because Stalin had now agreed to send air cover.",
         ()),
    ),
))

# --------------------------------------------------------------------------- 06 The evidence

s6 = register(ExerciseSet("06", "06_evidence_exercises", "Exercise 6: The evidence", NB["06"]))
Q6_ITEMS = {
    "a": ("ev_glasnost_tapes_1990", "Khrushchev's Glasnost Tapes are published"),
    "b": ("ev_paper_published", "Chen Jian's working paper is published"),
    "c": ("ev_khrushchev_remembers_1971", "Khrushchev Remembers is published"),
    "d": ("ev_yao_xu_interview", "Chen's telephone interview with Yao Xu"),
    "e": ("ev_yao_xu_monograph_1985", "Yao Xu's book, the first Chinese monograph on the war"),
}
s6.add(OrderQuestion(
    "q1", "chronology", reread("06", "1. The kinds of sources the paper rests on", "events",
                               "the rows of phase 'historiography'"),
    items={k: v[1] for k, v in Q6_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q6_ITEMS.items()}),
    explain="The order is the argument: the paper came out in 1992, before the Russian version of Mao's message "
            "of 2 October 1950 was made public (1995/96).",
))
s6.add(ChoiceQuestion(
    "q2", "sourcing", reread("06", "The Chinese version", "communications", "the footnote of Mao's message of 2 October"),
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
    "q3", "corroboration", reread("06", "The debate", "conflicts", "the conflict about Mao's message of 2 October"),
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
    "q4", "contextualisation", reread("06", "3. The two versions of Mao's message of 2 October 1950: an open debate",
                                      "events", "the rows of 30 September - 8 October 1950"),
    options={
        "a": ("That the UN General Assembly had voted for the advance north",
              "Resolution 376 (V) was adopted on 7 October 1950 (an outside source), five days later."),
        "b": ("That Stalin and Zhou would advise against crossing for now",
              "That was Cable No. 4785 of 11 October (an outside source)."),
        "c": ("That South Korean troops had crossed the 38th parallel",
              "The South Korean 3rd Division crossed on 30 September (Chen, in the events table): Mao could know it "
              "when he answered."),
        "d": ("That Stalin had told Kim of Mao's first refusal",
              "Stalin's letter to Kim is dated 8 October 1950 (an outside source)."),
    },
    accepted={"c"},
    explain="Whichever version reached Moscow, it was written knowing this, and not knowing the rest.",
))
s6.add(ChoiceQuestion(
    "q5", "interpretation", reread("06", "The debate", "conflicts", "the conflict about Mao's message of 2 October"),
    options={
        "a": ("That Mao told Stalin on 2 October that China had decided to send troops",
              "This claim rests on the Chinese text (footnote 90) having been sent: it is the claim the debate "
              "puts in question."),
        "b": ("That Mao halted the Thirteenth Army Corps on 12 October",
              "That rests on other evidence (footnote 98), and a Soviet-side telegram of 12 October reports it "
              "too (an outside source)."),
        "c": ("That Chinese troops crossed the Yalu on 19 October",
              "The crossing does not depend on what Mao wrote on 2 October."),
        "d": ("That Zhou met Stalin at the Black Sea in October",
              "The meeting does not depend on either version of the message."),
    },
    accepted={"a"},
    explain="Of these four, only this claim depends on the Chinese text having been sent; other parts of Chen's "
            "account of early October may need rethinking too.",
))
s6.add(ChoiceQuestion(
    "q6", "sourcing", reread("06", "Interviews", None, "footnotes 30-31"),
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
def _without_a_document(claims):
    has_document = claims.groupby("conflict")["claimant_kind"].apply(lambda kinds: (kinds == "document").any())
    return int((~has_document).sum())


s6.add(NumberQuestion(
    "q7", "sourcing", reread("06", "1. The kinds of sources the paper rests on", "claims",
                             "the conflict and claimant_kind columns"),
    expected=lambda: _without_a_document(load("claims")),
    unit="questions",
    misses=lambda: {int(load("claims").pipe(lambda c: c.loc[c["claimant_kind"] == "document", "conflict"].nunique())):
                    "That counts the disputed questions on which a document does speak; the question asks for the "
                    "others."},
    explain="On these disputed questions no document of the time in the collection speaks: the claims come from "
            "historians, memoirs, interviews, official histories, intelligence estimates or newspapers, and the "
            "dispute can only be argued from them.",
    pandas=True,
))
s6.add(WrittenQuestion(
    "q8", "sourcing", reread("06", "The Chinese version", "conflicts", "footnote 90"),
    key_terms=(("wengao", "chinese version", "chinese text"), ("russian version", "roshchin", "russian"),
               ("draft", "sent"), ("annihilate", "drive them out", "war aims", "aim"), ("1992", "1995", "1996"),
               ("decided", "decision")),
    passage="Since we have decided to send Chinese troops to Korea to fight the Americans.... we should be able to "
            "solve the problem, that is, we are going to annihilate the aggression troops of America and other "
            "countries, and drive them out [of Korea].",
    footnote=90,
    rubric=rubric(
        ("Says what the passage claims (the decision is made; the aim is to drive the US and its allies out of "
         "Korea); names the source (Mao Zedong wengao, Mao's manuscripts) and what it cannot show (that this "
         "text was sent); sets it against the Russian version (Roshchin's telegram of 3 October, public since "
         "1995/96) without settling the debate; notes Chen's ellipsis and brackets.",
         "The passage has Mao say the decision is taken and the aim is to drive the Americans and their allies "
         "out of Korea (fn. 90). It comes from Mao's printed manuscripts, which show he wrote it, not that it was "
         "sent. The Russian version, Roshchin's telegram of 3 October made public in 1995/96, has Mao urge "
         "caution instead, so whether this text reached Stalin is open. Chen also cut and completed the quotation "
         "(the dots, '[of Korea]').",
         (FN(90), ROSHCHIN_1003)),
        ("Says what the passage claims and sets it against the Russian version, but does not say what a "
         "manuscript collection can and cannot show.",
         "Mao says China has decided to send troops to drive the Americans out (fn. 90), but the Russian "
         "version of 3 October says troops will not be sent for now, so the two disagree.",
         (FN(90), ROSHCHIN_1003)),
        ("Paraphrases the passage as settled fact, without the other version.",
         "On 2 October Mao told Stalin that China had decided to send troops to drive the Americans out.",
         (FN(90),)),
        ("Settles the debate without evidence, or confuses the two versions.",
         "The Russian version proves the Chinese text is a forgery.",
         ()),
    ),
))
s6.add(WrittenQuestion(
    "q9", "causation", reread("06", "3. The two versions of Mao's message of 2 October 1950: an open debate",
                              "conflicts"),
    min_words=300, max_words=500, min_terms=3,
    key_terms=(("2 october", "message"), ("russian version", "roshchin"), ("wengao", "chinese version"),
               ("air", "umbrella", "air cover"), ("13 october", "politburo"), ("12 october", "halt"),
               ("table", "events", "claims", "conflicts", "soviet_air")),
    rubric=rubric(
        ("States a clear thesis on when and how firmly Beijing decided, and how far the Soviet alliance shaped "
         "the decision; supports it with at least three dated rows (events, claims, conflicts, soviet_air), each "
         "with its source; weighs the two versions of 2 October and says how the thesis changes if either was "
         "the text Stalin received; keeps open what the sources leave open.",
         "Mao formally ordered the entry on 8 October (fn. 92), but the decision was tested and confirmed only "
         "on 13 October, and the alliance shaped how rather than whether China went in. The Chinese text of 2 October announces a decision (fn. 90), "
         "the Russian one urges caution; if the Russian text is what Stalin received, the decision was less firm "
         "on 2 October than Chen thought. The halt of 12 October (fn. 98) followed Cable No. 4785 on air cover; "
         "the Politburo went on without it on 13 October (fn. 99); the plan of 14 October became defensive (fn. "
         "102). Which text was sent stays open.",
         (FN(90), FN(92), FN(98), FN(99), FN(102), D34, ROSHCHIN_1003)),
        ("States a thesis and uses dated rows, but weighs only one version of 2 October or does not say how "
         "the thesis would change.",
         "Mao decided early in October (fn. 90) and kept to it: even after the halt of 12 October (fn. 98) the "
         "Politburo went on without air cover (fn. 99).",
         (FN(90), FN(98), FN(99))),
        ("Tells the story of October 1950 in order, without a thesis or sources.",
         "In October Mao decided to send troops, there was a problem with air cover, and the troops crossed on "
         "19 October.",
         ()),
        ("Settles what the sources leave open, or rests on claims the sources do not make.",
         "Stalin ordered China into the war on 2 October and Mao obeyed.",
         ()),
    ),
))

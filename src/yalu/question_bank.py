"""The question bank of the six exercise notebooks (``exercises/0N_*_exercises.ipynb``).

Every expected answer that is a fact is computed from the data tables when a
check runs (rows are looked up by their ``id``); nothing here restates a date or
a number. Judgement questions (source criticism) have fixed accepted answers,
with explanations that cite the paper's footnotes or the outside sources listed
in the collection's CONTEXT file.

The question wording lives in the solution notebooks; the lettered items of
ordering questions are listed here (``items``) and in the notebook.
"""
from __future__ import annotations

import datetime as _dt
import re

from yalu.exercises import (
    ChoiceQuestion,
    DateQuestion,
    ExerciseSet,
    NamesQuestion,
    NumberQuestion,
    OrderQuestion,
    WrittenQuestion,
    register,
)

# --------------------------------------------------------------------------- data helpers


def _load(table: str):
    from yalu.data import load

    return load(table)


def row(table: str, rid: str):
    """One row of a table by id (a clear error if the id has gone)."""
    frame = _load(table)
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


def letters_where(table: str, mapping: dict[str, str], test) -> callable:
    """Accepted letters: those whose row (letter -> row id) passes ``test(row)``."""
    return lambda: {letter for letter, rid in mapping.items() if test(row(table, rid))}


def people_vocabulary() -> dict[str, list[str]]:
    vocab = {}
    for _, p in _load("people").iterrows():
        name = p["name"]
        plain = re.sub(r"\s*\(.*?\)", "", name).strip()
        spellings = {p["id"], plain, plain.split()[-1]}
        vocab[name] = sorted(spellings)
    return vocab


def person_name(pid: str) -> str:
    return row("people", pid)["name"]


def _fmt(d: _dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


NB = {
    "01": "01_leaning_to_one_side.ipynb",
    "02": "02_treaty_talks.ipynb",
    "03": "03_korea_1949_1950.ipynb",
    "04": "04_preparing_to_intervene.ipynb",
    "05": "05_the_decision.ipynb",
    "06": "06_the_evidence.ipynb",
}


def reread(set_id: str, heading: str, table: str | None = None, extra: str = "") -> str:
    text = f"Reread '{heading}' in {NB[set_id]}"
    if table:
        text += f" and the table {table}"
    return text + (f" ({extra})" if extra else "") + "."


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
    "q1", "chronology", reread("01", "## 3. Liu Shaoqi in Moscow", "events", "sort by date_start"),
    items={k: v[1] for k, v in Q1_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q1_ITEMS.items()}),
    explain="Mikoyan's visit (dated from an outside source, see CONTEXT) comes months before the July-August "
            "air-force talks, which the paper dates day by day (footnotes 32-33).",
))
s1.add(NumberQuestion(
    "q2", "chronology", reread("01", "## 4. The air-force aid requested and offered", "events",
                               "the rows ev_ccpcc_air_cable and ev_liu_yalou_arrives"),
    expected=lambda: days_between("events", "ev_ccpcc_air_cable", "ev_liu_yalou_arrives"), unit="days", near=2,
    explain=lambda n: f"From the cable of {_fmt(start('events', 'ev_ccpcc_air_cable'))} to the arrival on "
                      f"{_fmt(start('events', 'ev_liu_yalou_arrives'))}: {n} days. Liu Shaoqi stayed on in Moscow "
                      "to introduce the delegation himself.",
))


def _aircraft_vocabulary():
    air = _load("soviet_air")
    vocab = {}
    for item in air.loc[air["unit"] == "aircraft", "item"].unique():
        vocab[item] = [item.rstrip("s"), item.lower()]
    return vocab


def _requested_aircraft_on(day: str):
    def expected():
        air = _load("soviet_air")
        mask = (air["unit"] == "aircraft") & (air["status"] == "requested") & (air["date_start"] == day)
        return sorted(air.loc[mask, "item"])

    return expected


s1.add(NamesQuestion(
    "q3", "tables", reread("01", "## 4. The air-force aid requested and offered", "soviet_air",
                           "filter on status and date"),
    vocabulary=_aircraft_vocabulary, expected=_requested_aircraft_on("1949-07-26"), what="aircraft type",
    explain=lambda items: f"The cable of 26 July 1949 asked about {' and '.join(items)} (footnote 32).",
))
s1.add(NumberQuestion(
    "q4", "tables", reread("01", "## 4. The air-force aid requested and offered", "soviet_air",
                           "quantity_max of the aircraft requested on 26 July 1949"),
    expected=lambda: int(_load("soviet_air").pipe(
        lambda a: a.loc[(a["unit"] == "aircraft") & (a["status"] == "requested") & (a["date_start"] == "1949-07-26"),
                        "quantity_max"].sum())),
    unit="aircraft", near=50,
    explain="The upper ends of the two ranges (fighters and heavy bombers) added together. The table keeps "
            "a range (quantity_min, quantity_max) because the cable asked for 'between' figures.",
))
Q5_OPTIONS = {
    "a": ("air_pilot_schools_offer", "Help in setting up pilot schools in Manchuria"),
    "b": ("air_air_force_300_350", "An air force of 300-350 planes within a year"),
    "c": ("air_advisors_req", "Air-force advisers sent to China"),
    "d": ("air_division_aug1950", "An air division to defend Northeast China"),
}
s1.add(ChoiceQuestion(
    "q5", "tables", reread("01", "## 4. The air-force aid requested and offered", "soviet_air", "the status column"),
    options={
        "a": (Q5_OPTIONS["a"][1], "The Soviets offered this instead of training Chinese pilots in Soviet air schools "
                                  "(status 'offered', 27 July 1949, footnote 33)."),
        "b": (Q5_OPTIONS["b"][1], "This was a Chinese request, made at the meeting with Vasilevskii on 13 August 1949."),
        "c": (Q5_OPTIONS["c"][1], "Advisers were part of the Chinese request of 26 July, not a Soviet offer."),
        "d": (Q5_OPTIONS["d"][1], "That division arrived a year later, in August 1950 (footnote 83)."),
    },
    accepted=letters_where("soviet_air", {k: v[0] for k, v in Q5_OPTIONS.items()},
                           lambda r: r["status"] == "offered"),
))
Q1_CLAIMANTS = {"a": "official_source", "b": "intelligence", "c": "interview", "d": "historian"}


def _who_gives_a_number():
    claims = _load("claims")
    mask = (claims["conflict"] == "conf_korean_divisions_1949") & claims["strength_min"].notna()
    kinds = set(claims.loc[mask, "claimant_kind"].astype(str))
    return {letter for letter, kind in Q1_CLAIMANTS.items() if kind in kinds}


s1.add(ChoiceQuestion(
    "q6", "sources", reread("01", "## 5. The Korean-nationality divisions sent back to Korea", "claims",
                            "the claims of the conflict conf_korean_divisions_1949"),
    options={
        "a": ("An official Chinese source (a PLA organisational history)",
              "The official source names two divisions and dates them to July 1949, but gives no head count."),
        "b": ("South Korean and US intelligence",
              "These sources have long given 30,000-40,000 soldiers for July-October 1949 (footnote 31, citing "
              "Cumings's summary). Estimates by intelligence services on the other side of the conflict: a figure "
              "to test, not a count."),
        "c": ("Chinese military researchers interviewed by Chen Jian",
              "They confirmed the two divisions and the autumn 1949 date, but gave no number."),
        "d": ("Chen Jian himself", "Chen dates the return to July-August 1949 but gives no number of his own."),
    },
    accepted=_who_gives_a_number,
))
s1.add(ChoiceQuestion(
    "q7", "sources", reread("01", "## 5. The Korean-nationality divisions sent back to Korea", None,
                            "and footnotes 29-31"),
    options={
        "a": ("Yao Xu's denial in Chen's telephone interview of 27 May 1991",
              "Testimony that he never heard of the agreement cannot prove it did not exist, and Chen found that one "
              "of Yao Xu's arguments (where Zhou Baozhong was) does not hold (footnote 30)."),
        "b": ("The GMD newspaper Zhongyang ribao of 5 May 1949",
              "This is where the allegation comes from (footnote 29): a hostile, wartime source cannot confirm its "
              "own claim."),
        "c": ("The text of the agreement, or records of the talks, in Chinese or North Korean archives",
              "Only documents from the parties themselves could settle it. Chen notes that the PLA General Staff's "
              "records on units sent to Korea are still classified (footnote 31)."),
        "d": ("The fact that the 164th and 166th Divisions went back to Korea in 1949",
              "The transfer fits an agreement but does not prove there was a formal one in March 1949; it could "
              "have been arranged in other ways (Chen's researchers speak of an easy agreement between leaders)."),
    },
    accepted={"c"},
    explain="Chen himself leaves the question open: no Chinese source proves the alleged agreement.",
))
s1.add(WrittenQuestion(
    "q8", "written", reread("01", "## 1. Two camps and the fear of American intervention", None,
                            "footnotes 2-7"), min_words=25,
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
    "q1", "chronology", reread("02", "## 1. Recognition", "events", "the rows of phase 'treaty', sorted by date_start"),
    items={k: v[1] for k, v in Q2_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q2_ITEMS.items()}),
    explain="The signing date comes from an outside source (FRUS, see CONTEXT): the extract's pages on the "
            "signing are missing.",
))
s2.add(NumberQuestion(
    "q2", "chronology", reread("02", "## 5. Zhou's delegation and the negotiations", "events"),
    expected=lambda: days_between("events", "ev_zhou_arrives_moscow", "ev_ctx_treaty_signed"), unit="days", near=3,
    explain=lambda n: f"{n} days from Zhou's arrival ({_fmt(start('events', 'ev_zhou_arrives_moscow'))}, footnote 55) "
                      f"to the signing ({_fmt(start('events', 'ev_ctx_treaty_signed'))}, FRUS).",
))
s2.add(DateQuestion(
    "q3", "chronology", reread("02", "## 5. Zhou's delegation and the negotiations", "events",
                               "the row on the opening of the negotiations"),
    expected=lambda: start("events", "ev_negotiations_begin"),
    explain=lambda d: f"Two days after Zhou's arrival, on {_fmt(d)}, talks opened with Vyshinsky's team.",
))
s2.add(NamesQuestion(
    "q4", "tables", reread("02", "## 4. The Tass interview and Mao's three options", "communications",
                           "the recipients of Mao's conversation of 2 January 1950"),
    vocabulary=people_vocabulary,
    expected=lambda: sorted(person_name(p) for p in row("communications", "com_mao_molotov_mikoyan_19500102")["recipients"]),
    what="person",
    explain=lambda names: f"Mao put the three options to {' and '.join(names)} (footnote 54).",
))
s2.add(ChoiceQuestion(
    "q5", "tables", reread("02", "## 4. The Tass interview and Mao's three options", None, "footnote 54"),
    options={
        "a": ("A new alliance treaty", "Molotov at once backed this option, and Mao then called Zhou to Moscow "
                                       "(footnote 54)."),
        "b": ("A joint communique of the news agencies", "Mao listed this as his second option; Molotov did not "
                                                          "choose it."),
        "c": ("An open statement of principles, not a treaty", "This was Mao's third option; Molotov did not "
                                                                 "choose it."),
        "d": ("Keeping the 1945 treaty with the GMD government", "None of Mao's options kept the 1945 treaty; Mao "
                                                                  "wanted a new treaty to replace it (footnote 45)."),
    },
    accepted={"a"},
))
s2.add(ChoiceQuestion(
    "q6", "sources", reread("02", "## 6. The treaty", "events", "the source column of the treaty rows"),
    options={
        "a": ("Footnote 55 of the paper", "Footnote 55 supports Zhou's arrival on 20 January, not the signing; its "
                                          "text is missing from our extract anyway."),
        "b": ("The paper's own text", "The pages of the extract that would describe the signing are missing."),
        "c": ("An outside source listed in CONTEXT: FRUS 1950, vol. VI, doc. 157",
              "The events table takes the date of 14 February 1950 from this Editorial Note and marks the row as "
              "outside the paper (source ctx_frus1950v06_d157)."),
        "d": ("Mao's Tass interview", "The interview of 2 January 1950 speaks of a treaty still to be made."),
    },
    accepted=lambda: {"c"} if str(row("events", "ev_ctx_treaty_signed")["source"]).startswith("ctx_") else set(),
))
s2.add(ChoiceQuestion(
    "q7", "sources", reread("02", "### What Mao wanted", "communications", "the row com_mao_ccpcc_19500103"),
    options={
        "a": ("An internal message written during the talks: close to the events, but Mao arguing for his own policy",
              "Mao wrote to the CCP Central Committee on 3 January 1950 (footnote 45). It is good evidence of what "
              "he hoped for, less good evidence of what the treaty achieved."),
        "b": ("A public statement meant for foreign governments", "It was addressed to the CCP Central Committee, "
                                                                    "not to the public."),
        "c": ("A memoir written decades later", "It is a message written at the time, printed in Mao Zedong wengao "
                                                 "(footnote 45)."),
        "d": ("A Soviet record of the talks", "It is a Chinese document; the Soviet records of Mao's talks in Moscow "
                                               "are outside sources (see CONTEXT)."),
    },
    accepted={"a"},
))
s2.add(WrittenQuestion(
    "q8", "written", reread("02", "### Should Zhou come too?", None, "footnotes 45-54"), min_words=25,
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
    "q1", "chronology", reread("03", "## 4. The outbreak", "events", "the rows of phase 'korea'"),
    items={k: v[1] for k, v in Q3_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q3_ITEMS.items()}),
    explain="Three of these six dates come from outside sources (CONTEXT): the extract is silent on Kim's visit "
            "to Beijing and gives Acheson's speech only as 'January 1950'.",
))
s3.add(NumberQuestion(
    "q2", "chronology", reread("03", "## 4. The outbreak", "events"),
    expected=lambda: days_between("events", "ev_outbreak", "ev_diplomats_to_korea"), unit="days",
    explain=lambda n: f"{n} days: the paper itself counts them (footnote 72).",
))
s3.add(ChoiceQuestion(
    "q3", "sources", reread("03", "## 2. Khrushchev's memoir: how far to trust it", None, "footnotes 61-63"),
    multiple=True,
    options={
        "a": ("His account of Zhou's secret visit after Inchon agrees with Chinese sources, even in small details",
              "Chen's first reason (footnote 63): where Khrushchev can be checked against Chinese sources, he holds up."),
        "b": ("Chinese sources show the CCP had begun to play down the danger of US intervention",
              "Chen's second reason: Khrushchev's story that Mao thought US intervention unlikely fits what Chinese "
              "sources say about the CCP's view in late 1949 and early 1950 (footnote 64)."),
        "c": ("Chinese archives confirm what Mao told Stalin about Kim's plan",
              "Chen says the opposite: in 1992 the Chinese sources held no hard evidence "
              "for or against Khrushchev's account."),
        "d": ("Khrushchev kept notes at the meetings between Stalin and Kim",
              "The paper says nothing of the kind; the memoir was dictated long after the events."),
    },
    accepted={"a", "b"},
))
s3.add(NamesQuestion(
    "q4", "sources", reread("03", "## 2. Khrushchev's memoir: how far to trust it", "communications",
                            "and footnote 61"),
    vocabulary=people_vocabulary, expected=lambda: [person_name("mao_zedong")], what="person",
    explain="According to Khrushchev, Stalin sought Mao's advice and Mao thought the Americans would not "
            "intervene (footnote 61). This is Khrushchev's account, not a Chinese record.",
))
s3.add(NumberQuestion(
    "q5", "tables", reread("03", "## 1. Kim's plan", "events", "phase 'korea', source starting with ctx_"),
    expected=lambda: int(_load("events").pipe(
        lambda e: ((e["phase"] == "korea") & e["source"].str.startswith("ctx_")).sum())),
    unit="rows",
    explain="Each of these rows cites a public source listed in CONTEXT, not the paper: the extract has a gap "
            "exactly where Kim's plan and the spring of 1950 would be.",
))
s3.add(ChoiceQuestion(
    "q6", "sources", reread("03", "## 5. The Taiwan campaign postponed", "events"),
    options={
        "a": ("Truman's order of 27 June 1950 sending the Seventh Fleet to prevent an attack on Formosa",
              "The US navy now stood between the mainland and Taiwan (FRUS 1950, vol. VI, doc. 195, in CONTEXT); "
              "the paper too mentions the fleet being sent into the Taiwan Strait."),
        "b": ("Acheson's speech of 12 January 1950",
              "That speech left Taiwan outside the US defensive perimeter: if anything it made a Taiwan campaign "
              "look safer (footnote 64)."),
        "c": ("Stalin's telegram of 14 May 1950",
              "That telegram is about Kim's move toward reunification needing China's agreement, not about Taiwan."),
        "d": ("The treaty's entry into force on 11 April 1950",
              "The treaty came into force before the war; it did not stand in the way of a Taiwan campaign."),
    },
    accepted={"a"},
    explain="The paper says only that the campaign was postponed to focus on Korea (footnote 71); the reasons "
            "are ours to weigh.",
))
s3.add(WrittenQuestion(
    "q7", "written", reread("03", "## 3. The CCP's changing view of the American threat", None, "footnote 64"),
    min_words=25,
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
    "q1", "chronology", reread("04", "## 1. The Northeastern Border Defense Army", "events",
                               "the rows of phase 'preparing'"),
    items={k: v[1] for k, v in Q4_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q4_ITEMS.items()}),
    explain="The build-up came in two steps: July-August (the NEBDA) and, after Inchon, mid-September.",
))
s4.add(NumberQuestion(
    "q2", "tables", reread("04", "### The build-up on the border", "troop_movements", "the strength columns"),
    expected=lambda: int(row("troop_movements", "tm_border_250000")["strength_min"]), unit="troops",
    explain="'More than' this number (footnote 74): the table stores it as strength_min and leaves "
            "strength_max empty, because the paper gives only a lower bound.",
))
s4.add(NumberQuestion(
    "q3", "chronology", reread("04", "## 4. Inchon", "events"),
    expected=lambda: days_between("events", "ev_outbreak", "ev_inchon"), unit="days", near=5,
    explain=lambda n: f"{n} days from the outbreak to the landing at Inchon.",
))
Q4_AIR = {
    "a": ("air_division_aug1950", "One Soviet air division in Northeast China"),
    "b": ("air_umbrella_korea_understanding", "An air umbrella over Chinese troops in Korea"),
    "c": ("air_air_divisions_total", "Thirteen Soviet air divisions"),
    "d": ("air_equipment_promised", "Soviet military equipment and ammunition"),
}
s4.add(ChoiceQuestion(
    "q4", "tables", reread("04", "## 3. The first Soviet air division", "soviet_air",
                           "compare the status and date columns"),
    options={
        "a": (Q4_AIR["a"][1], "It arrived in August 1950 to defend the area (footnote 83): the only Soviet air unit "
                              "the table shows in China before October."),
        "b": (Q4_AIR["b"][1], "This was an understanding after Inchon (footnote 86): a promise, not something "
                              "that had arrived."),
        "c": (Q4_AIR["c"][1], "These were sent from October to December 1950 (footnote 107), after the decision."),
        "d": (Q4_AIR["d"][1], "Stalin's promise of equipment was reported by Zhou on 18 October 1950 (footnote 107)."),
    },
    accepted=letters_where("soviet_air", {k: v[0] for k, v in Q4_AIR.items()},
                           lambda r: r["status"] == "arrived" and r["date_end"] < _dt.datetime(1950, 10, 1)),
))
s4.add(ChoiceQuestion(
    "q5", "sources", reread("04", "## 3. The first Soviet air division", None, "footnote 83"),
    options={
        "a": ("That Beijing and Moscow were in contact in the summer of 1950, though no record of top-level talks "
              "has been released", "Chen uses the division, which came 'following the agreement of the Chinese "
                                   "and Soviet governments', as a clear sign of such contacts (footnote 83)."),
        "b": ("That Stalin had promised air cover for Chinese troops in Korea",
              "That understanding came only after Inchon (footnote 86)."),
        "c": ("That Soviet pilots were fighting in Korea in 1950",
              "The division was sent to defend Northeast China, not to fight in Korea."),
        "d": ("That the Soviet air force ran pilot schools in Manchuria",
              "Pilot schools were a Soviet offer of July 1949 (footnote 33)."),
    },
    accepted={"a"},
    explain="One Chinese source only (Dangdai zhongguo kongjun): a single official history, so the claim rests on "
            "how far we trust it.",
))
s4.add(ChoiceQuestion(
    "q6", "sources", reread("04", "## 5. The air-umbrella understanding", "sources", "the row fn_85"),
    options={
        "a": ("The footnote is printed but garbled in our extract, so we cannot check where Chen found it",
              "The sources table marks footnote 85 as garbled: the statement rests on Chen's text alone for us."),
        "b": ("The footnote cites Zhou's own memoirs", "The footnote cannot be read in our extract."),
        "c": ("The paper gives no footnote", "The text does carry footnote 85; it is the footnote's text that is lost."),
        "d": ("The footnote cites a Soviet archive", "The footnote cannot be read in our extract."),
    },
    accepted=lambda: {"a"} if row("sources", "fn_85")["status"] == "garbled" else set(),
))
s4.add(WrittenQuestion(
    "q7", "written", reread("04", "## 2. The August Politburo", None, "footnote 75"), min_words=25,
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
    "q1", "chronology", reread("05", "## 1. The day-by-day calendar", "events", "the rows of phase 'decision'"),
    items={k: v[1] for k, v in Q5_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q5_ITEMS.items()}),
    explain="Note that one regiment was already in Korea two days before the main crossing (footnote 105).",
))
s5.add(DateQuestion(
    "q2", "chronology", reread("05", "### Halt: 12 October", "troop_movements", "action 'halted'"),
    expected=lambda: start("troop_movements", "tm_thirteenth_halted"),
    explain=lambda d: f"On the evening of {_fmt(d)} (footnote 98); the Politburo met the next day.",
))
s5.add(NumberQuestion(
    "q3", "chronology", reread("05", "### The crossing: 19 October", "events"),
    expected=lambda: days_between("events", "ev_order_to_enter_war", "ev_yalu_crossing"), unit="days", near=2,
    explain=lambda n: f"{n} days between Mao's formal order (footnote 92) and the crossing, with a halt in between.",
))
s5.add(NumberQuestion(
    "q4", "tables", reread("05", "## 5. The Soviet air divisions, October – December 1950", "soviet_air",
                           "unit 'divisions', status 'sent'"),
    expected=lambda: int(row("soviet_air", "air_air_divisions_total")["quantity_max"]), unit="divisions", near=2,
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
    "q5", "tables", reread("05", "### Wavering again: 15–18 October", "soviet_air",
                           "the rows dated 18 October 1950"),
    multiple=True,
    options={
        "a": (Q5_PROMISE["a"][1], "Promised, as Zhou reported on 18 October (footnote 107)."),
        "b": (Q5_PROMISE["b"][1], "Promised: Soviet aircraft would cover Chinese territory (footnote 107)."),
        "c": (Q5_PROMISE["c"][1], "This was the understanding of September (footnote 86), which the Soviet "
                                  "change of heart undid."),
        "d": (Q5_PROMISE["d"][1], "This was on the agenda at the Black Sea; Soviet air forces were not to enter "
                                  "the war directly."),
    },
    accepted=letters_where("soviet_air", {k: v[0] for k, v in Q5_PROMISE.items()},
                           lambda r: r["status"] == "promised" and r["date_start"] == _dt.datetime(1950, 10, 18)),
))
s5.add(ChoiceQuestion(
    "q6", "sources", reread("05", "## 3. The Black Sea meeting and the Soviet change of heart", "soviet_air",
                            "the source column"),
    options={
        "a": ("Cable No. 4785 from Stalin and Zhou to Mao, an outside source listed in CONTEXT",
              "The Wilson Center's Cable No. 4785 of 11 October 1950 says air cover cannot be given for about two "
              "months; the row is marked as outside the paper."),
        "b": ("The footnote to Chen's account of the Black Sea meeting",
              "Chen's account of the meeting breaks off: the pages with its outcome are missing from our extract."),
        "c": ("Mao's cable to Zhou after the Politburo meeting of 13 October",
              "That cable argues for going on; it does not report what Stalin said."),
        "d": ("Khrushchev's memoir", "Khrushchev is cited on Kim's plan and Zhou's visit, not on this cable."),
    },
    accepted=lambda: {"a"} if str(row("soviet_air", "air_ctx_no_air_cover_4785")["source"]).startswith("ctx_") else set(),
))
s5.add(WrittenQuestion(
    "q7", "written", reread("05", "## 4. Halt and go", None, "footnotes 98-102"), min_words=25,
))

# --------------------------------------------------------------------------- 06 The evidence

s6 = register(ExerciseSet("06", "06_evidence_exercises", "Exercise 6: The evidence", NB["06"]))


def _footnotes():
    src = _load("sources")
    return src[src["kind"] == "footnote"]


s6.add(NumberQuestion(
    "q1", "tables", reread("06", "## 2. What the extract itself lacks", "sources",
                           "kind 'footnote': the status and cited_in_extract columns"),
    expected=lambda: int(_footnotes().pipe(lambda f: ((f["status"] == "missing") & (f["cited_in_extract"] == True)).sum())),  # noqa: E712
    unit="footnotes", near=3,
    explain="These are the footnotes the surviving text points to but whose notes are not in our copy; many more "
            "are missing together with the pages that cite them.",
))
s6.add(NumberQuestion(
    "q2", "tables", reread("06", "## 2. What the extract itself lacks", "sources", "status 'garbled'"),
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
    "q3", "chronology", reread("06", "## 1. The kinds of sources the paper rests on", "events",
                               "the rows of phase 'historiography'"),
    items={k: v[1] for k, v in Q6_ITEMS.items()},
    expected=chronological("events", {k: v[0] for k, v in Q6_ITEMS.items()}),
    explain="The paper stands at a turning point: written just before Soviet and Chinese archives began to open.",
))
s6.add(ChoiceQuestion(
    "q4", "sources", reread("06", "### The Chinese version", "communications", "the row com_mao_stalin_19501002_cn"),
    options={
        "a": ("The Chinese text printed in Mao Zedong wengao", "Chen cites this text in footnote 90."),
        "b": ("The Russian text: Roshchin's telegram to Stalin of 3 October 1950",
              "That text was made public only in 1995/96 (CONTEXT), after the paper."),
        "c": ("Both versions", "In 1992 only the Chinese text was available."),
        "d": ("Neither: he paraphrases a memoir", "Footnote 90 cites the document itself in Mao Zedong wengao."),
    },
    accepted=lambda: {"a"} if row("communications", "com_mao_stalin_19501002_cn")["footnote"] == 90 else set(),
))
s6.add(ChoiceQuestion(
    "q5", "sources", reread("06", "### The debate", None, "and the CONTEXT notes on the two versions"),
    options={
        "a": ("Records that a telegram was actually sent or received on 2-3 October: transmission logs, or a copy "
              "in the Soviet archive matching the Chinese text",
              "Whether a text was sent is a question about transmission, so records of transmission are what "
              "would settle it. The debate is still open; do not treat either version as the last word."),
        "b": ("The fact that the Chinese text is printed in Mao's collected manuscripts",
              "Wengao prints manuscripts: it shows that Mao wrote the text, not that it was sent."),
        "c": ("Which version sounds more like Mao",
              "Style cannot tell a draft from a sent message; both could be Mao's words."),
        "d": ("What Chen Jian concluded in 1992", "Chen wrote before the Russian version was known."),
    },
    accepted={"a"},
))
s6.add(ChoiceQuestion(
    "q6", "sources", reread("06", "### Interviews", None, "footnotes 30-31"),
    options={
        "a": ("They rely on PLA General Staff records that are still classified, so no one else can check them",
              "Chen notes that the records exist but are top secret (footnote 31): the testimony cannot be "
              "verified independently."),
        "b": ("They were hostile to the CCP", "They were Chinese military researchers with access to PLA archives."),
        "c": ("They contradict every other source",
              "They agree with the official source on the two divisions; they differ on the timing (autumn, not "
              "July 1949)."),
        "d": ("They gave no date at all", "They dated the return to the autumn of 1949 (footnote 31)."),
    },
    accepted={"a"},
))
s6.add(WrittenQuestion(
    "q7", "written", reread("06", "## 3. The two versions of Mao's message of 2 October 1950: an open debate", None,
                            "and footnote 90"), min_words=25,
))

"""Names in labels keep the family name (issue 21).

``people.csv`` says which word of each person's name is the family name (``family_name``); short
labels use it, the key and the detail use the full name. Run against the collection's own data:
every label of every record is checked for every person it names.
"""
from __future__ import annotations

import re

import pytest

from yalu import data
from yalu.records import _label, people_names, records, short_names


def _plain(name: str) -> str:
    return re.sub(r"\s*\(.*?\)", "", name).strip()


def persons() -> list[dict]:
    return [p for p in data.load("people").to_dict("records") if p["kind"] == "person"]


def test_every_named_person_has_a_family_name_that_is_a_word_of_the_name():
    for p in persons():
        family = p["family_name"] if isinstance(p["family_name"], str) else ""
        if "missing page" in p["name"]:
            assert not family, "a person the paper leaves unnamed has no family name"
            continue
        assert family in _plain(p["name"]).split(), f"{p['id']}: {family!r} is not a word of {p['name']!r}"


@pytest.mark.parametrize("pid, family", [
    ("chen_jian", "Chen"), ("yao_xu", "Yao"), ("kim_il_sung", "Kim"), ("park_il_yu", "Park"),
    ("ni_zhiliang", "Ni"), ("pak_hon_yong", "Pak"), ("mao_zedong", "Mao"), ("acheson", "Acheson"),
    ("vasilevskii", "Vasilevskii"), ("khrushchev", "Khrushchev"), ("wang_ming", "Wang"),
])
def test_short_names_are_the_family_names(pid, family):
    assert short_names()[pid] == family


def name_problems(frame) -> list[str]:
    """Labels that drop a family name, or keep a given name without its family name."""
    problems = []
    by_id = {p["id"]: p for p in persons()}
    for row in frame.to_dict("records"):
        for column in ("label", "label_full"):
            text = row[column]
            for pid in row["actors"]:
                p = by_id.get(pid)
                if p is None or not isinstance(p["family_name"], str) or not p["family_name"]:
                    continue
                full = _plain(p["name"])
                given = [w for w in full.split() if w != p["family_name"] and len(w) > 1 and not w.endswith(".")]
                for word in given:
                    if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) and full not in text:
                        problems.append(f"{row['id']}: {column} {text!r} has {word!r} without {full!r}")
                if row["kind"] == "communication":
                    wanted = p["family_name"] if column == "label" else full
                    if not re.search(rf"(?<![\w-]){re.escape(wanted)}(?![\w-])", text):
                        problems.append(f"{row['id']}: {column} {text!r} does not name {wanted!r}")
    return problems


def test_no_label_drops_a_family_name():
    frame = records(merged=False)  # every row, so every label of every person
    assert frame["actors"].map(len).sum() > 300
    assert name_problems(frame) == []


def test_the_check_fails_on_names_cut_from_the_side():
    """The old rule: the last word for anyone not on the Chinese side ("Jian to Xu", "Ni to Il-sung")."""
    people = {p["id"]: p for p in data.load("people").to_dict("records")}
    old = {pid: (_plain(p["name"]).split()[0] if p["side"] == "ccp" else _plain(p["name"]).split()[-1])
           for pid, p in people.items()}
    frame = records(kind="communication", merged=False)
    raw = {r["id"]: r for r in data.load("communications").to_dict("records")}
    frame["label"] = [_label("communication", raw[i], old, people_names()) for i in frame["id"]]
    problems = name_problems(frame)
    assert any("'Jian'" in p for p in problems) and any("'Il-sung'" in p for p in problems), problems

"""The data package: schema validity, EDTF dates, references, citations, and the loader's errors."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from yalu import YaluError
from yalu.data import describe, edtf_bounds, load, table_names

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
FACT_TABLES = ["events", "troop_movements", "soviet_air", "communications", "claims"]
PEOPLE_LIST_FIELDS = {"events": ["actors"], "communications": ["sender", "recipients"], "soviet_air": [],
                      "troop_movements": [], "claims": []}


def raw(name: str) -> list[dict]:
    with (DATA / describe(name)["path"]).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_package_lists_the_expected_tables():
    assert set(table_names()) >= {"events", "troop_movements", "soviet_air", "people", "communications",
                             "sources", "conflicts", "claims"}


@pytest.mark.parametrize("name", ["events", "troop_movements", "soviet_air", "people", "communications",
                                  "sources", "conflicts", "claims"])
def test_each_table_loads_typed(name):
    frame = load(name)
    assert len(frame) == len(raw(name)), "every row of the CSV is loaded"
    fields = {f["name"]: f for f in describe(name)["schema"]["fields"]}
    for col, field in fields.items():
        if field.get("type") == "date":
            assert pd.api.types.is_datetime64_any_dtype(frame[col]), col
        elif field.get("yalu:separator"):
            assert all(isinstance(v, list) for v in frame[col]), col
        elif "enum" in field.get("constraints", {}):
            assert isinstance(frame[col].dtype, pd.CategoricalDtype), col
        elif field.get("type") == "integer":
            assert str(frame[col].dtype) == "Int64", col


def _frictionless(folder: Path):
    exe = Path(sys.executable).parent / "frictionless"
    return subprocess.run([str(exe), "validate", str(folder / "datapackage.json")],
                          capture_output=True, text=True, timeout=300)


def test_frictionless_validates_the_package():
    result = _frictionless(DATA)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


@pytest.mark.parametrize("table, column, value, error", [
    ("events", "source", "ctx_nowhere", "foreign-key"),      # a source that is not in sources.csv
    ("claims", "conflict", "conf_nowhere", "foreign-key"),   # a claim about no known conflict
    ("same_happening", "event", "ev_nowhere", "foreign-key"),  # a link to no known event
    ("troop_movements", "strength_min", "-5", "constraint-error"),
])
def test_frictionless_catches_what_the_loader_cannot(data_copy, table, column, value, error):
    edit_cell(data_copy / f"{table}.csv", 0, column, value)
    result = _frictionless(data_copy)
    assert result.returncode != 0 and error in result.stdout, result.stdout[-2000:]


def test_the_package_declares_licence_and_sources():
    import json

    package = json.loads((DATA / "datapackage.json").read_text())
    assert any(lic.get("name") == "CC-BY-4.0" for lic in package["licenses"])
    titles = " ".join(s.get("title", "") for s in package["sources"])
    assert "Sino-Soviet Alliance and China's Entry into the Korean War" in titles


@pytest.mark.parametrize("name", FACT_TABLES)
def test_dates_are_edtf_and_agree_with_their_bounds(name):
    for line, row in enumerate(raw(name), start=2):
        if not row["date"]:
            field = next(f for f in describe(name)["schema"]["fields"] if f["name"] == "date")
            assert not field.get("constraints", {}).get("required"), f"{name}.csv row {line}: date is empty"
            assert not row["date_start"] and not row["date_end"]
            assert name == "claims" or row["date_text"].startswith("[not dated"), \
                f"{name}.csv row {line}: an undated row says why in date_text"
            continue
        start, end = edtf_bounds(row["date"])
        assert (row["date_start"], row["date_end"]) == (start, end), f"{name}.csv row {line}"
        assert row["date_text"].strip(), f"{name}.csv row {line}: no date_text"


def test_uncertain_dates_stay_ranges():
    events = load("events")
    ranged = events[events["date_start"] != events["date_end"]]
    assert len(ranged) > 0, "the paper's vague dates must appear as ranges"
    for _, row in ranged.iterrows():
        assert any(ch in row["date"] for ch in "~?/%X") or len(row["date"]) < 10, row["id"]


def test_ids_are_unique_across_every_table():
    seen = {}
    for name in table_names():
        for row in raw(name):
            assert row["id"] not in seen, f"id {row['id']} is in {name} and {seen.get(row['id'])}"
            seen[row["id"]] = name


def test_people_references_resolve():
    people = set(load("people")["id"])
    for name, fields in PEOPLE_LIST_FIELDS.items():
        frame = load(name)
        for field in fields:
            for rid, ids in zip(frame["id"], frame[field], strict=True):
                unknown = set(ids) - people
                assert not unknown, f"{name} {rid}: {field} names unknown people {unknown}"


def test_every_row_carries_a_footnote_or_a_source_and_cites_the_paper_verbatim_or_context():
    sources = load("sources").set_index("id")
    footnotes = set(sources["footnote"].dropna().astype(int))
    for name in FACT_TABLES + ["people"]:
        for line, row in enumerate(raw(name), start=2):
            where = f"{name}.csv row {line}"
            assert row["source"] or row["footnote"], where
            assert row["source"] in sources.index, f"{where}: unknown source {row['source']!r}"
            kind = sources.loc[row["source"], "kind"]
            if row["footnote"]:
                assert int(row["footnote"]) in footnotes, f"{where}: footnote {row['footnote']} not in sources.csv"
            if kind == "paper":
                assert row["evidence"].strip(), f"{where}: a fact from the paper needs its evidence"
            else:
                assert kind == "context", where
                assert not row["evidence"] and not row["footnote"], f"{where}: context rows cite their source only"
                # CONTEXT.md gives a URL for most sources; where it gives none, the citation names it.
                url, citation = sources.loc[row["source"], "url"], sources.loc[row["source"], "citation"]
                assert (url or "").startswith("https://") or (citation or "").strip(), where


def test_sources_cover_every_footnote_and_context_fact():
    sources = load("sources")
    numbers = sorted(sources["footnote"].dropna().astype(int))
    assert numbers == list(range(1, max(numbers) + 1)), "one row per footnote number, none skipped"
    assert (sources["kind"] == "paper").sum() == 1
    context_urls = set(sources.loc[sources["kind"] == "context", "url"])
    context_md = (SHARED / "context" / "CONTEXT.md")
    if context_md.exists():
        import re
        for url in set(re.findall(r"\| (https://\S+) \|", context_md.read_text())):
            assert url in context_urls, f"CONTEXT.md source {url} has no row in sources.csv"


def test_claims_keep_every_version_and_no_conflict_is_settled_silently():
    conflicts, claims = load("conflicts"), load("claims")
    assert set(claims["conflict"]) <= set(conflicts["id"])
    per_conflict = claims.groupby("conflict", observed=True).size()
    lonely = [c for c in conflicts["id"] if per_conflict.get(c, 0) < 2]
    assert not lonely, f"conflicts with fewer than two claims: {lonely}"


@pytest.mark.skipif(not (SHARED / "tools" / "check_evidence.py").exists(),
                    reason="../shared is absent (it sits beside the repository in CI and sessions): "
                           "the evidence check against the paper cannot run here")
def test_every_evidence_and_quote_is_verbatim_paper_text():
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "check_evidence.py"), str(DATA)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    checked = int(result.stdout.strip().splitlines()[-1].split()[0])
    assert checked > 100, result.stdout


# --- the loader's errors -------------------------------------------------------------------

def test_unknown_table_lists_the_valid_ones():
    with pytest.raises(YaluError) as err:
        load("event")
    message = str(err.value)
    assert "'event'" in message and "events" in message and "troop_movements" in message


def test_a_table_name_must_be_text():
    with pytest.raises(YaluError, match="table name as text"):
        load(3)



def edit_cell(path: Path, row_index: int, column: str, value: str) -> int:
    """Change one cell (row_index counts data rows from 0); return its line number in the file."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(column)
    rows[row_index + 1][col] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return row_index + 2


@pytest.mark.parametrize("column,value,expect", [
    ("date_start", "13 Oct 1949", "should be a date like"),
    ("date_start", "1949-13-40", "is not a real day"),
    ("date", "early August 1949", "is not an EDTF date"),
    ("phase", "Korea", "is not one of"),
    ("footnote", "thirty", "should be a whole number"),
    ("id", "", "is required but empty"),
    ("footnote", "0", "is below the minimum 1"),
    ("footnote", "110", "is above the maximum 109"),
    ("id", "ev_comintern_branch", "repeats row 2"),
])
def test_a_hand_edited_csv_names_file_row_and_column(data_copy, column, value, expect):
    line = edit_cell(data_copy / "events.csv", 4, column, value)
    with pytest.raises(YaluError) as err:
        load("events")
    message = str(err.value)
    assert message.startswith(f"events.csv: row {line}, column '{column}'"), message
    assert expect in message


def test_a_date_made_more_precise_by_hand_is_caught(data_copy):
    events = raw("events")
    index = next(i for i, r in enumerate(events) if r["date_start"] != r["date_end"])
    line = edit_cell(data_copy / "events.csv", index, "date_end", events[index]["date_start"])
    with pytest.raises(YaluError, match=rf"events.csv: row {line}, column 'date_end': .* does not agree with date"):
        load("events")


def test_a_stray_comma_is_reported_with_its_row(data_copy):
    path = data_copy / "people.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n") + ",extra\n"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(YaluError, match=r"people.csv: row 4 has \d+ cells but the header has \d+"):
        load("people")


def test_a_renamed_column_is_reported(data_copy):
    path = data_copy / "people.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("role", "rôle", 1), encoding="utf-8")
    with pytest.raises(YaluError, match=r"people.csv: row 1 \(the header\).*missing columns: role"):
        load("people")


def test_a_missing_data_folder_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.setenv("YALU_DATA", str(tmp_path))
    with pytest.raises(YaluError, match="datapackage.json does not exist"):
        table_names()


def test_yalu_errors_show_as_one_line_in_a_notebook(tmp_path):
    """In IPython a YaluError prints its message, not a traceback."""
    code = ("from IPython.testing.globalipapp import start_ipython\n"
            "ip = start_ipython()\n"
            "ip.run_cell('import yalu.data')\n"
            "ip.run_cell('yalu.data.load(\"nonsense\")')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, YALU_DATA=str(DATA)))
    assert "YaluError: there is no table called 'nonsense'" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout


# --- the cache of checked tables -------------------------------------------------------------

def test_a_checked_table_is_served_from_the_disk_cache(tmp_path, monkeypatch):
    import yalu.data as yd

    monkeypatch.setenv("YALU_CACHE", str(tmp_path))
    monkeypatch.setattr(yd, "_MEMORY", {})
    first = load("events")
    assert list(tmp_path.glob("*.pickle")), "the checked table was not cached"
    monkeypatch.setattr(yd, "_MEMORY", {})  # a new kernel: only the disk cache is left

    def no_parsing(*args):
        raise AssertionError("the unchanged CSV was parsed and checked again")

    monkeypatch.setattr(yd, "_parse", no_parsing)
    pd.testing.assert_frame_equal(load("events"), first)


def test_a_damaged_cache_file_is_ignored(tmp_path, monkeypatch):
    import yalu.data as yd

    monkeypatch.setenv("YALU_CACHE", str(tmp_path))
    monkeypatch.setattr(yd, "_MEMORY", {})
    first = load("people")
    for f in tmp_path.glob("*.pickle"):
        f.write_bytes(b"not a pickle")
    monkeypatch.setattr(yd, "_MEMORY", {})
    pd.testing.assert_frame_equal(load("people"), first)


def test_an_unwritable_cache_still_loads(tmp_path, monkeypatch):
    import yalu.data as yd

    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("YALU_CACHE", str(blocker / "yalu"))
    monkeypatch.setattr(yd, "_MEMORY", {})
    assert len(load("people")) > 0


def test_a_caller_changing_its_frame_does_not_change_the_next_load():
    frame = load("people")
    frame.loc[0, "name"] = "changed by a student"
    assert load("people").loc[0, "name"] != "changed by a student"


# --- the audit of issue 10: corrections that must not come back ------------------------------

WORKING_NOTES = ("CONTEXT", "printed at the top of the next page", "per CONTEXT")


@pytest.mark.parametrize("name", ["events", "troop_movements", "soviet_air", "people", "communications",
                                  "sources", "conflicts", "claims"])
def test_no_working_notes_in_cells_students_see(name):
    for line, row in enumerate(raw(name), start=2):
        for column, value in row.items():
            if column in ("id", "url", "evidence", "quote"):
                continue
            for note in WORKING_NOTES:  # the file's name is upper case; "Context from outside" is the label
                assert note not in value, f"{name}.csv row {line}, column {column!r}: {note!r}"


def test_the_scan_for_working_notes_can_fail(data_copy, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "DATA", data_copy)
    edit_cell(data_copy / "events.csv", 0, "summary", "date per CONTEXT.md")
    with pytest.raises(AssertionError, match="CONTEXT"):
        test_no_working_notes_in_cells_students_see("events")


def _row(name: str, rid: str) -> dict:
    return next(r for r in raw(name) if r["id"] == rid)


def test_the_xinjiang_speaker_is_not_named_and_is_on_the_soviet_side():
    row = _row("events", "ev_xinjiang_offer")
    people = {r["id"]: r for r in raw("people")}
    assert "liu_shaoqi" not in row["actors"] and "stalin" not in row["actors"]
    assert all(people[a]["side"] == "soviet" for a in row["actors"].split(";"))


def test_paper_rows_take_no_dates_or_names_from_outside_the_paper():
    mikoyan = _row("communications", "com_mikoyan_mao_talks")
    assert mikoyan["date"] == "", "the paper does not date the talks; the Xibaipo dates belong to the context row only"
    assert "not dated" in mikoyan["date_text"]
    assert _row("events", "ev_ctx_mikoyan_xibaipo")["date"] == "1949-01-30/1949-02-06", "the records run to 6 February"
    assert _row("events", "ev_treaty_signed")["actors"] == "", "the paper names no signatories"
    ultimatum = _row("events", "ev_macarthur_ultimatum")
    assert "kim_il_sung" not in ultimatum["actors"] and "Kim Il-sung" not in ultimatum["title"]
    assert "kim_il_sung" not in _row("communications", "com_macarthur_ultimatum_19501001")["recipients"]


def test_footnotes_of_the_audit():
    assert _row("people", "pla")["footnote"] == "31"
    assert _row("communications", "com_black_sea_19501009")["footnote"] == ""
    assert _row("sources", "fn_91")["status"] == "missing", "footnote 91 has no text in this copy"
    assert "proof" not in _row("events", "ev_soviet_air_division_aug1950")["summary"]

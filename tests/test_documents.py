"""The documents table and its links: copied exactly from the vetted list, linked, and checked.

Every check here runs on a folder of data (the real one, or a broken copy for the controls), so each
control shows that the check can fail.
"""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from yalu import YaluError, documents
from yalu.data import load
from yalu.tables import show

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CONTEXT_DIR = ROOT.parent / "shared" / "context"
DOCUMENTS_MD = CONTEXT_DIR / "DOCUMENTS.md"
CONTEXT_MD = CONTEXT_DIR / "CONTEXT.md"

needs_list = pytest.mark.skipif(not DOCUMENTS_MD.exists(), reason="the vetted list (shared/context) is not here")


# -- reading the vetted list -----------------------------------------------------------------------------
def listed_rows() -> dict[str, dict]:
    """DOCUMENTS.md's rows (D1..., M1...) by number: date, title, archive cell, URL cell, every URL in it."""
    rows = {}
    for line in DOCUMENTS_MD.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| ([DM]\d+) \| ", line)
        if m:
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows[m.group(1)] = {"date": cells[1], "title": cells[2], "archive": cells[3].replace("*", ""),
                                "url_cell": cells[4], "urls": re.findall(r"https?://[^\s)]+", cells[4])}
    return rows


def listed_urls() -> set[str]:
    return {u for r in listed_rows().values() if r["url_cell"] and not r["url_cell"].startswith("mirror only")
            for u in r["urls"]}


def read(folder: Path, name: str) -> list[dict]:
    with (folder / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def confirmed_in_readme(folder: Path) -> set[str]:
    """Addresses data/README.md records as confirmed at the archive (its section on confirmed addresses)."""
    text = (folder / "README.md").read_text(encoding="utf-8")
    part = text.split("### Addresses confirmed later", 1)
    return set(re.findall(r"https?://[^\s)`>]+", part[1].split("\n## ", 1)[0])) if len(part) == 2 else set()


def url_problems(folder: Path) -> list[str]:
    """Each document whose address is neither copied from the list nor recorded as confirmed."""
    listed, confirmed, out = listed_urls(), confirmed_in_readme(folder), []
    for row in read(folder, "documents"):
        url, how = row["url"], row["url_checked"]
        if how == "listed" and url not in listed:
            out.append(f"{row['id']}: {url!r} is not in DOCUMENTS.md")
        elif how == "confirmed" and url not in confirmed:
            out.append(f"{row['id']}: {url!r} is marked confirmed but data/README.md does not record how")
        elif how == "not confirmed" and url:
            out.append(f"{row['id']}: has an address but says it is not confirmed")
    return out


def link_problems(folder: Path) -> list[str]:
    """Links that name no document, a missing record, or not exactly one record; documents with no link."""
    docs = {r["id"] for r in read(folder, "documents")}
    ids = {col: {r["id"] for r in read(folder, table)} for col, table in documents.RECORD_COLUMNS.items()}
    out, linked = [], set()
    for link in read(folder, "document_links"):
        linked.add(link["document"])
        if link["document"] not in docs:
            out.append(f"{link['id']}: no document {link['document']!r}")
        filled = [c for c in documents.RECORD_COLUMNS if link[c]]
        if len(filled) != 1:
            out.append(f"{link['id']}: names {len(filled)} records, not one")
        out += [f"{link['id']}: no {c} {link[c]!r}" for c in filled if link[c] not in ids[c]]
    out += [f"{d}: linked to no record" for d in sorted(docs - linked)]
    return out


def frictionless(folder: Path):
    exe = Path(sys.executable).parent / "frictionless"
    return subprocess.run([str(exe), "validate", str(folder / "datapackage.json")], capture_output=True, text=True,
                          timeout=300)



def edit(path: Path, row_id: str, column: str, value: str) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(column)
    next(r for r in rows[1:] if r[0] == row_id)[col] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


# -- the real data ---------------------------------------------------------------------------------------
def test_the_loader_reads_both_tables_and_show_formats_them():
    docs, links = load("documents"), load("document_links")
    assert len(docs) >= 30
    table = show(docs)
    assert "Read it at the archive" in table.frame.columns and "id" not in table.frame.columns
    assert any("Wilson Center Digital Archive" in v for v in table.links.values()), "addresses are links"
    linked = show(links)
    assert list(linked.frame.columns) == ["Document", "Relation", "Record it bears on", "How they relate (our words)"]
    assert not linked.frame.apply(lambda c: c.str.match(r"^(doc|ev|com|claim|tm|air|link)_")).any().any(), \
        "no ids in the reading table"


@needs_list
def test_every_listed_document_is_in_the_table_with_title_date_and_reference_exactly_as_listed():
    rows = listed_rows()
    assert len(rows) == 44
    table = {(r["title"], r["date"]): r for r in read(DATA, "documents")}
    for no, listed in rows.items():
        day = listed["date"][:10]
        match = [r for (title, _), r in table.items() if title == listed["title"] and r["date"].rstrip("?") == day]
        assert len(match) == 1, f"{no} {listed['title']!r} ({day}) is not in documents.csv exactly once"
        assert match[0]["archive_ref"] in listed["archive"], f"{no}: archive reference not as the list gives it"
    assert len(read(DATA, "documents")) == len(rows)


@needs_list
def test_mirror_only_rows_carry_no_address_and_listed_rows_the_first_listed_one():
    rows, table = listed_rows(), {r["title"]: r for r in read(DATA, "documents")}
    for no, listed in rows.items():
        doc = next(r for r in read(DATA, "documents") if r["title"] == listed["title"]
                   and r["date"].rstrip("?") == listed["date"][:10])
        if no.startswith("M"):
            assert doc["url"] == "" and doc["url_checked"] == "not confirmed", no
        else:
            assert doc["url"] == listed["urls"][0], no
    assert table


@needs_list
def test_every_address_is_copied_from_the_list_or_recorded_as_confirmed():
    assert url_problems(DATA) == []


@needs_list
def test_summaries_are_our_own_words():
    """No run of eight words of a listed paraphrase appears in our summary (the list asks for our own words)."""
    rows = listed_rows()
    theirs = set()
    for line in DOCUMENTS_MD.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\| [DM]\d+ \| ", line):
            words = re.findall(r"[a-z0-9']+", line.split(" | ")[5].lower())
            theirs |= {" ".join(words[i:i + 8]) for i in range(len(words) - 7)}
    for doc in read(DATA, "documents"):
        words = re.findall(r"[a-z0-9']+", doc["summary"].lower())
        shared = {" ".join(words[i:i + 8]) for i in range(len(words) - 7)} & theirs
        assert not shared, f"{doc['id']}: {shared}"
        assert doc["summary"].count(".") <= 2 and doc["summary"].endswith("."), f"{doc['id']}: one sentence"
    assert rows


@needs_list
def test_every_document_of_the_october_context_table_is_in_the_list():
    text = CONTEXT_MD.read_text(encoding="utf-8")
    october = text.split("October 1950, the other side of the story", 1)[1].split("\n\n", 2)[1]
    urls = [re.findall(r"https?://\S+", line)[0] for line in october.splitlines() if re.search(r"\| \d{4}-", line)]
    assert len(urls) == 5
    ours = {r["url"] for r in read(DATA, "documents")}
    assert set(urls) <= ours, set(urls) - ours


def test_every_document_is_linked_and_every_link_resolves():
    assert link_problems(DATA) == []
    assert set(load("document_links")["document"]) == set(load("documents")["id"])


def test_frictionless_validates_the_documents_and_links():
    result = frictionless(DATA)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_paper_keeps_its_date_for_the_black_sea_meeting_and_the_documents_are_linked_beside_it():
    events = load("events").set_index("id")
    assert events.loc["ev_black_sea_meeting", "date"] == "1950-10-09/1950-10-10"
    rel = {d["id"]: d["relation"] for d in documents.for_record("ev_black_sea_meeting")}
    assert rel == {"doc_cable_4785_19501011": "complicates", "doc_roshchin_25553_19501012": "complicates"}


def test_mao_s_message_of_2_october_is_linked_to_the_request_it_answered():
    found = {d["id"]: d["relation"] for d in documents.for_record("com_mao_stalin_19501002_cn")}
    assert found.get("doc_feng_xi_kim_19501008") == "adds to"
    assert found.get("doc_roshchin_filippov_19501003") == "contradicts"


def test_the_calendar_shows_what_reached_beijing_and_the_reply_of_2_october():
    import itertools

    from yalu.calendar import october_calendar

    pic = october_calendar()
    outside = pic.drawing["outside"]
    assert [o["id"] for o in outside] == ["ev_ctx_stalin_request_oct1", "ev_ctx_zhou_panikkar", "ev_ctx_un_resolution",
                                          "ev_ctx_us_crosses_38th", "ev_ctx_cable_4785", "ev_ctx_wake_island",
                                          "ev_ctx_pyongyang_falls"]
    assert [o["reach"] for o in outside] == ["to", "from", "elsewhere", "elsewhere", "to", "elsewhere", "elsewhere"]
    keys = {k.text: k.when for k in pic.keys}
    assert keys["Stalin asks Mao for five or six divisions (context, sent to Beijing)"] == "1 Oct"
    black_sea = next(k for k in pic.keys if k.text.startswith("Black Sea"))
    assert black_sea.when == "9-10 Oct" and "point to 10-11 October" in black_sea.text, "the paper's date, the note beside"
    assert "An arrow joins Stalin's request of 1 October to the decision step of 2 October" in pic.alt
    ax = pic.figure.axes[0]
    assert len(ax.texts) and any(a.arrow_patch is not None for a in ax.texts if hasattr(a, "arrow_patch"))
    numbers = [t for t in ax.texts if t.get_text().isdigit()]
    assert len(numbers) == len(pic.keys)
    renderer = pic.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in numbers]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2)), "two numbers on 7 October overlap"


# -- controls: each check fails on broken data -----------------------------------------------------------
def test_a_broken_link_id_is_caught(data_copy):
    edit(data_copy / "document_links.csv", "link_001", "document", "doc_nowhere")
    assert any("no document 'doc_nowhere'" in p for p in link_problems(data_copy))
    result = frictionless(data_copy)
    assert result.returncode != 0 and "foreign-key" in result.stdout
    with pytest.raises(YaluError, match="doc_nowhere"):
        documents.links()


def test_a_broken_record_id_is_caught(data_copy):
    edit(data_copy / "document_links.csv", "link_001", "event", "ev_nowhere")
    assert any("no event 'ev_nowhere'" in p for p in link_problems(data_copy))
    result = frictionless(data_copy)
    assert result.returncode != 0 and "foreign-key" in result.stdout


def test_a_link_naming_two_records_or_none_is_caught(data_copy):
    edit(data_copy / "document_links.csv", "link_001", "claim", "claim_soviet_line")
    assert any("names 2 records" in p for p in link_problems(data_copy))
    with pytest.raises(YaluError, match="exactly one record"):
        documents.links()


def test_a_bad_relation_is_caught(data_copy):
    edit(data_copy / "document_links.csv", "link_001", "relation", "proves")
    with pytest.raises(YaluError, match="'proves' is not one of"):
        load("document_links")
    result = frictionless(data_copy)
    assert result.returncode != 0 and "constraint-error" in result.stdout


@needs_list
def test_an_unlisted_address_is_caught(data_copy):
    edit(data_copy / "documents.csv", "doc_cable_4785_19501011", "url",
         "https://digitalarchive.wilsoncenter.org/document/123456")
    assert url_problems(data_copy) == [
        "doc_cable_4785_19501011: 'https://digitalarchive.wilsoncenter.org/document/123456' is not in DOCUMENTS.md"]


@needs_list
def test_an_address_marked_confirmed_needs_a_record_in_the_readme(data_copy):
    edit(data_copy / "documents.csv", "doc_roshchin_25348_19501007", "url",
         "https://digitalarchive.wilsoncenter.org/document/ciphered-telegram-no-25348-roshchin-filippov-stalin")
    edit(data_copy / "documents.csv", "doc_roshchin_25348_19501007", "url_checked", "confirmed")
    assert any("does not record how" in p for p in url_problems(data_copy))
    readme = data_copy / "README.md"
    text = readme.read_text()
    assert "### Addresses confirmed later\n\nNone yet." in text
    readme.write_text(text.replace("### Addresses confirmed later\n\nNone yet.", "### Addresses confirmed later\n\n"
                                   "* https://digitalarchive.wilsoncenter.org/document/ciphered-telegram-no-25348-"
                                   "roshchin-filippov-stalin (the archive's own page, seen on ...)\n"))
    assert url_problems(data_copy) == [], "a recorded confirmation is accepted"


def test_a_document_with_no_link_is_caught(data_copy):
    path = data_copy / "document_links.csv"
    rows = [r for r in read(data_copy, "document_links") if r["document"] != "doc_wake_island_19501015"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    assert link_problems(data_copy) == ["doc_wake_island_19501015: linked to no record"]

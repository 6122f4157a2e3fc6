"""Primary documents beside the paper, and how each bears on the collection's records.

``data/documents.csv`` lists documents students can read at their archive (title, date and
reference as the archive gives them, a one-sentence summary in our words); ``document_links.csv``
ties each to the records it bears on, with a relation (confirms, adds to, complicates,
contradicts, context) and a note. :func:`links` joins the two with the records' own words, so a
student sees the document's title next to the paper's wording, never an id.

>>> table = links()
>>> set(table["relation"]) <= {"confirms", "adds to", "complicates", "contradicts", "context"}
True
>>> [d["title"] for d in for_record("ev_black_sea_meeting")][:1]
['Cable No. 4785, Filippov [Stalin] and Zhou Enlai to the Soviet Ambassador in Peking']
>>> list(for_notebook("05")["date_text"])[:1]
['11 October 1950']
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from yalu import data
from yalu.citations import link_text
from yalu.errors import YaluError

__all__ = ["RECORD_COLUMNS", "RELATIONS", "NOTEBOOK_DOCUMENTS", "documents", "for_notebook", "links", "for_record",
           "for_document", "read_link"]

#: The link table's record columns and the table each points into.
RECORD_COLUMNS = {"event": "events", "communication": "communications", "claim": "claims",
                  "troop_movement": "troop_movements", "air_record": "soviet_air"}
#: The relations, as words.
RELATIONS = {"confirms": "confirms", "adds_to": "adds to", "complicates": "complicates",
             "contradicts": "contradicts", "context": "context"}
# The column of each table that says what the record is, in our words.
_WHAT = {"events": "title", "communications": "summary", "claims": "claim", "troop_movements": "summary",
         "soviet_air": "item"}


#: The documents each narrative notebook's Documents section reads, in its order: chosen for the
#: notebook's question, kept here so that the notebooks select them without showing row ids.
NOTEBOOK_DOCUMENTS = {
    "01": ("doc_mikoyan_mao_19490205", "doc_liu_report_19490706", "doc_liu_stalin_19490727"),
    "02": ("doc_mao_ccpcc_19500102", "doc_stalin_mao_19500122", "doc_treaty_19500214"),
    "03": ("doc_kovalev_stalin_19491023", "doc_roshchin_filippov_19500513", "doc_telegram_8600_19500514",
           "doc_muccio_926_19500625"),
    "04": ("doc_filippov_zhou_19500713", "doc_army_inchon_19500915", "doc_kim_pak_stalin_19500929",
           "doc_shtykov_gromyko_19500930"),
    "05": ("doc_cable_4785_19501011", "doc_roshchin_25553_19501012", "doc_roshchin_25629_19501013"),
    "06": ("doc_austin_541_19500626", "doc_roshchin_filippov_19501003", "doc_feng_xi_kim_19501008"),
}


def for_notebook(number: str) -> pd.DataFrame:
    """The documents of notebook ``number``'s Documents section ("01" to "06"), as rows of :func:`documents`."""
    key = str(number).zfill(2)
    if key not in NOTEBOOK_DOCUMENTS:
        raise YaluError(f"no Documents section for notebook {number!r}; give one of {', '.join(NOTEBOOK_DOCUMENTS)}")
    table = documents()
    return table[table["id"].isin(NOTEBOOK_DOCUMENTS[key])]


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else " ".join(str(value).split())


def documents() -> pd.DataFrame:
    """The documents table, in date order."""
    return data.load("documents").sort_values(["date_start", "date_end", "id"], kind="stable").reset_index(drop=True)


def read_link(url) -> str:
    """Short words for a document's web address (``FRUS 1950 vol. VII doc. 614``), or "" when there is none."""
    return link_text(url) if _text(url) else ""


@lru_cache(maxsize=4)
def _links(state: tuple) -> pd.DataFrame:
    docs = data.load("documents").set_index("id")
    raw = data.load("document_links")
    tables = {t: data.load(t).set_index("id") for t in RECORD_COLUMNS.values()}
    rows = []
    for link in raw.to_dict("records"):
        filled = [(col, link[col]) for col in RECORD_COLUMNS if _text(link[col])]
        if len(filled) != 1:
            raise YaluError(f"document_links.csv: link {link['id']} must name exactly one record, "
                            f"not {len(filled)}")
        col, rid = filled[0]
        table = tables[RECORD_COLUMNS[col]]
        if rid not in table.index:
            raise YaluError(f"document_links.csv: link {link['id']} names {rid!r}, which is not in "
                            f"{RECORD_COLUMNS[col]}.csv")
        if link["document"] not in docs.index:
            raise YaluError(f"document_links.csv: link {link['id']} names the document {link['document']!r}, "
                            "which is not in documents.csv")
        doc, rec = docs.loc[link["document"]], table.loc[rid]
        rows.append({
            "id": link["id"], "document": link["document"], "title": doc["title"], "doc_date": doc["date_text"],
            "url": _text(doc["url"]), "record": rid, "record_kind": col.replace("_", " "),
            "record_text": _text(rec[_WHAT[RECORD_COLUMNS[col]]]), "record_date": _text(rec.get("date_text")),
            "from_paper": rec["source"] == "chen1992", "relation": RELATIONS[str(link["relation"])],
            "note": _text(link["note"]),
        })
    return pd.DataFrame(rows)


def links(document: str | None = None, record: str | None = None) -> pd.DataFrame:
    """Every link between a document and a record, with the document's title and the record's words.

    ``document`` or ``record`` (ids) keep only that document's or that record's links.
    """
    frame = _links(data.state())
    if document is not None:
        frame = frame[frame["document"] == document]
    if record is not None:
        frame = frame[frame["record"] == record]
    return frame.reset_index(drop=True).copy()


def for_record(record_id: str) -> list[dict]:
    """The documents linked to one record: title, date, relation, note, web address and its short words."""
    return [{"id": r["document"], "title": r["title"], "date": r["doc_date"], "relation": r["relation"],
             "note": r["note"], "url": r["url"], "link_text": read_link(r["url"])}
            for r in links(record=record_id).to_dict("records")]


def for_document(document_id: str) -> list[dict]:
    """The records one document is linked to: their kind, words, date as the source words it, and the relation."""
    return [{"id": r["record"], "kind": r["record_kind"], "text": r["record_text"], "date": r["record_date"],
             "from_paper": bool(r["from_paper"]), "relation": r["relation"], "note": r["note"]}
            for r in links(document=document_id).to_dict("records")]

"""Printed seminar packs: ``python -m yalu.handouts OUT`` (``make handouts``), one PDF per seminar
in A4 and in US Letter.

Everything in a pack comes from the data and the course text; nothing here restates a fact:
- **Documents:** the seminar's documents with their provenance and address, from
  ``data/documents.csv`` where the data has that table, else the outside sources the seminar's own
  records cite (``data/sources.csv``); then the guide's five questions to ask of any source.
- **Role cards** (seminar 5) for the Politburo's debate of early October 1950 and the Black Sea
  talks: for each person, what the records show them doing and hearing before and during the
  meeting, and what a source says they wanted, each point cited; where the records say nothing the
  card says so.
- **Mao's message of 2 October 1950** (seminars 5 and 6): the versions of the disputed claim side
  by side, each with who claims it and its source, then the guide's prompts.
- **Printouts:** the October calendar (seminar 5) and the seminar's timeline, in black and white.
- **Rubrics:** each written question of the seminar's exercise set with its rubric (four quality
  levels where the bank gives them).

Chromium prints the pages (Playwright driving Debian's ``/usr/bin/chromium``, a developer tool).

>>> [m.key for m in MEETINGS]
['politburo', 'black_sea']
>>> cite_text("Chen, fn. 91")
'[Chen, fn. 91]'
"""
from __future__ import annotations

import argparse
import datetime as _dt
import html
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from yalu import data
from yalu.citations import citer
from yalu.course import NARRATIVE, Notebook
from yalu.dates import span_text
from yalu.errors import YaluError
from yalu.explorer import PERIODS
from yalu.paths import repo_root
from yalu.records import records

__all__ = ["Role", "Meeting", "MEETINGS", "SIZES", "cite_text", "role_cards", "pack_html", "render", "main"]

SIZES = {"A4": "A4", "Letter": "Letter"}
CHROMIUM = os.environ.get("YALU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SILENT = "The course's records say nothing on this for these days. Do not invent it: say where the record stops."


@dataclass(frozen=True)
class Role:
    """One card: a person (a people id) or a group, and the words that find them in claims."""
    actor: str
    name: str
    aliases: tuple[str, ...]
    note: str = ""  # what the card's holder is, in the course's words (no fact beyond the records)


@dataclass(frozen=True)
class Meeting:
    key: str
    title: str
    start: str  # the meeting's days (what the card calls "these days")
    end: str
    before: str  # from this day on, what a role heard or did counts as "what you knew"
    roles: tuple[Role, ...]


# Who sits at each table is the course's choice (the guide's seminar 5); what each card says is
# found in the records by actor and date, and in the disputed claims by name.
MEETINGS = (
    Meeting("politburo", "The Politburo's debate, early October 1950", "1950-10-01", "1950-10-08", "1950-09-15", (
        Role("mao_zedong", "Mao Zedong", ("Mao",)),
        Role("zhou_enlai", "Zhou Enlai", ("Zhou",)),
        Role("peng_dehuai", "Peng Dehuai", ("Peng",)),
        Role("ccp_politburo", "A Politburo member who doubts intervention", (),
             "The records speak of opposition in these meetings. Your card holds what they say of the "
             "Politburo as a whole."),
    )),
    Meeting("black_sea", "The Black Sea talks, October 1950", "1950-10-09", "1950-10-11", "1950-10-01", (
        Role("stalin", "Stalin", ("Stalin", "Filippov", "Soviet")),
        Role("zhou_enlai", "Zhou Enlai", ("Zhou",)),
        Role("lin_biao", "Lin Biao", ("Lin Biao",)),
        Role("wang_jiaxiang", "Wang Jiaxiang", ("Wang Jiaxiang",)),
        Role("shi_zhe", "Shi Zhe", ("Shi Zhe",)),
    )),
)
ROLE_SEMINAR = "05"
# The explorer's named period each seminar's timeline is printed for (the phase's own span otherwise).
SEMINAR_PERIODS = {"01": "1949", "02": "treaty", "04": "summer1950", "05": "october1950"}
MESSAGE_SEMINARS = ("05", "06")
MESSAGE_CONFLICT = "conf_mao_message_2oct1950"


def cite_text(short: str) -> str:
    """A citation as printed after each point: ``[Chen, fn. 91]``."""
    return f"[{short}]"


def _e(text) -> str:
    return html.escape("" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text))


def _point(text: str, when: str, short: str) -> dict:
    return {"text": " ".join(str(text).split()), "when": when, "cite": cite_text(short)}


def role_cards() -> list[dict]:
    """Every card of :data:`MEETINGS` as data: meeting, role, and three lists of cited points
    (``knew``, ``did``, ``wanted``); an empty list is printed as :data:`SILENT`."""
    frame = records()
    events = frame[frame["kind"] == "event"]
    cite = citer()
    claims = data.load("claims") if "claims" in data.table_names() else None
    cards = []
    for m in MEETINGS:
        s, e, b = pd.Timestamp(m.start), pd.Timestamp(m.end), pd.Timestamp(m.before)
        for role in m.roles:
            mine = events[events["actors"].map(lambda acts, a=role.actor: a in acts)]
            knew = mine[(mine["date_end"] >= b) & (mine["date_end"] < s)]
            did = mine[(mine["date_start"] <= e) & (mine["date_end"] >= s)]
            wanted = []
            if claims is not None and role.aliases:
                dated = claims[claims["date_start"].notna()]
                near = dated[(dated["date_start"] <= e) & (dated["date_end"] >= b)]
                for c in near.to_dict("records"):
                    if any(re.match(rf"(?:The )?(?:\w+ and )?{re.escape(a)}", str(c["claim"])) for a in role.aliases):
                        wanted.append(_point(f"{c['claimed_by']}: {c['claim']}", span_text(c["date_start"], c["date_end"]),
                                             cite(c["source"], c["footnote"]).short))
            cards.append({
                "meeting": m.key, "meeting_title": m.title, "days": span_text(s, e), "role": role.name, "note": role.note,
                "knew": [_point(r["summary"], span_text(r["date_start"], r["date_end"]), cite(r["source"], r["footnote"]).short)
                         for r in knew.to_dict("records")],
                "did": [_point(r["summary"], span_text(r["date_start"], r["date_end"]), cite(r["source"], r["footnote"]).short)
                        for r in did.to_dict("records")],
                "wanted": wanted,
            })
    return cards


# ----------------------------------------------------------------------------- sections


def _guide_section(heading: str) -> str:
    """A section of the instructor guide (course text) as HTML, by its heading; empty if absent."""
    path = repo_root() / "instructor" / "GUIDE.md"
    if not path.is_file():
        return ""
    from markdown_it import MarkdownIt

    text = path.read_text(encoding="utf-8")
    m = re.search(rf"^(#+) {re.escape(heading)}\s*$", text, flags=re.M)
    if not m:
        return ""
    rest = text[m.end():]
    stop = re.search(rf"^#{{1,{len(m.group(1))}}} ", rest, flags=re.M)
    return MarkdownIt().render(rest[: stop.start()] if stop else rest)


def _documents(nb: Notebook) -> str:
    cite = citer()
    rows = []
    if "documents" in data.table_names():
        docs = data.load("documents")
        docs = docs[docs["phase"].astype(str).isin(nb.phases)].sort_values("date_start")
        for d in docs.to_dict("records"):
            who = " to ".join(x for x in (_e(d.get("author")), _e(d.get("recipient"))) if x)
            ref = "; ".join(x for x in (_e(d.get("collection")), _e(d.get("archive_ref"))) if x)
            url = _e(d.get("url")) if str(d.get("url_checked", "")).strip() in ("listed", "confirmed") else ""
            rows.append(f"<li><b>{_e(d['title'])}</b> ({_e(d.get('date_text'))})"
                        + (f"<br>{who}" if who else "") + (f"<br>Held by: {ref}" if ref else "")
                        + (f"<br><span class='url'>{url}</span>" if url else "<br>No web address confirmed: find it by "
                                                                               "its title and reference.")
                        + (f"<br>{_e(d.get('summary'))}" if _e(d.get("summary")) else "")
                        + (f"<br><i>Note:</i> {_e(d.get('note'))}" if _e(d.get("note")) else "") + "</li>")
        origin = "the collection's table of documents"
    else:
        frame = records()
        used = frame[frame["phase"].astype(str).isin(nb.phases) & frame["source"].astype(str).str.startswith("ctx_")]
        seen = {}
        for r in used.sort_values("date_start").to_dict("records"):
            c = cite(r["source"], None)
            if r["source"] not in seen:
                seen[r["source"]] = (c, r)
        for c, r in seen.values():
            rows.append(f"<li><b>{_e(c.full)}</b>" + (f"<br><span class='url'>{_e(c.url)}</span>" if c.url else "")
                        + f"<br>Cited for: {_e(r['label'])} ({_e(span_text(r['date_start'], r['date_end']))})</li>")
        origin = "the outside sources this seminar's records cite"
    body = (f"<ol class='docs'>{''.join(rows)}</ol>" if rows else
            "<p>No document outside the paper is cited for this seminar: its sources are the paper's own "
            "footnotes, listed in the notebook.</p>")
    questions = _guide_section("Handout: five questions to ask of any source")
    return (f"<section class='docs-section'><h2>Documents</h2><p class='small'>From {origin}. Read each one at "
            f"the archive's address; this pack copies no text of a document.</p>{body}"
            + (f"<h3>Ask of each document</h3>{questions}" if questions else "") + "</section>")


def _role_cards_html() -> str:
    out = ["<section class='cards'><h2>Role cards</h2><p class='small'>Each point comes from the course's "
           "records, with its source in square brackets. Argue only from your card and the notebooks; where "
           "your card says the sources are silent, say so in the debate.</p>"]
    current = None
    for card in role_cards():
        if card["meeting"] != current:
            current = card["meeting"]
            out.append(f"<h3 class='meeting'>{_e(card['meeting_title'])} ({_e(card['days'])})</h3>")
        parts = [f"<div class='card'><h4>{_e(card['role'])}</h4>"]
        if card["note"]:
            parts.append(f"<p class='small'>{_e(card['note'])}</p>")
        for key, label in (("knew", "What you knew or had done before the meeting"),
                           ("did", "What the records show you doing in these days"),
                           ("wanted", "What a source says you wanted or expected")):
            parts.append(f"<h5>{label}</h5>")
            if card[key]:
                parts.append("<ul class='points'>" + "".join(
                    f"<li>• {_e(p['when'])}: {_e(p['text'])} <span class='cite'>{_e(p['cite'])}</span></li>"
                    for p in card[key]) + "</ul>")
            else:
                parts.append(f"<p class='silent'>{SILENT}</p>")
        parts.append("</div>")
        out.append("".join(parts))
    out.append("</section>")
    return "".join(out)


def _message_html() -> str:
    if "claims" not in data.table_names():
        return ""
    cite = citer()
    claims = data.load("claims")
    mine = claims[claims["conflict"] == MESSAGE_CONFLICT].to_dict("records")
    if not mine:
        return ""

    def cell(c):
        x = cite(c["source"], c["footnote"])
        return (f"<p>{_e(c['claim'])}</p><p class='prov'><b>Who says so:</b> {_e(c['claimed_by'])}<br>"
                f"<b>Source:</b> {_e(x.full)} <span class='cite'>{_e(cite_text(x.short))}</span></p>")

    chinese = [c for c in mine if "chinese" in str(c["claimed_by"]).lower()]
    russian = [c for c in mine if "russian" in str(c["claimed_by"]).lower()]
    other = [c for c in mine if c not in chinese and c not in russian]
    left = "".join(cell(c) for c in chinese) or f"<p>{SILENT}</p>"
    right = "".join(cell(c) for c in russian) or f"<p>{SILENT}</p>"
    rest = "".join(f"<li>{_e(c['claimed_by'])}: {_e(c['claim'])} "
                   f"<span class='cite'>{_e(cite_text(cite(c['source'], c['footnote']).short))}</span></li>" for c in other)
    prompts = _guide_section("Handout: the two versions of Mao's message of 2 October 1950 (seminar 6)")
    return ("<section class='message'><h2>Mao's message to Stalin of 2 October 1950: two versions</h2>"
            "<p class='small'>Paraphrased in the course's words; neither text is copied here.</p>"
            f"<table class='versions'><thead><tr><th scope='col'>The Chinese version</th>"
            f"<th scope='col'>The Russian version</th></tr></thead><tbody><tr><td>{left}</td><td>{right}</td></tr>"
            f"</tbody></table>" + (f"<h3>Still open</h3><ul>{rest}</ul>" if rest else "")
            + (f"<h3>For the seminar</h3>{prompts}" if prompts else "") + "</section>")


def _pictures_html(nb: Notebook) -> str:
    from yalu.calendar import october_calendar
    from yalu.timeline import picture

    out = ["<section class='prints'><h2>Printouts</h2>"]
    if nb.number == ROLE_SEMINAR:
        out.append(f"<div class='figure'><h3>The October 1950 calendar</h3>{october_calendar().html()}</div>")
    phase = nb.phases[-1]
    start, end = next(((s, e) for k, _, s, e in PERIODS if k == SEMINAR_PERIODS.get(nb.number)), (None, None))
    try:
        pic = picture(phase=phase, start=start, end=end)
        out.append(f"<div class='figure'><h3>The seminar's timeline</h3>{pic.html()}</div>")
    except YaluError as exc:
        out.append(f"<p>No timeline for this seminar: {_e(exc)}</p>")
    out.append("</section>")
    return "".join(out)


def _prompts(set_name: str) -> dict[str, str]:
    """The written questions' wording as students see it (the student exercise notebook), as HTML."""
    import nbformat
    from markdown_it import MarkdownIt

    path = repo_root() / "exercises" / f"{set_name}.ipynb"
    if not path.is_file():
        return {}
    cells = nbformat.read(path, as_version=4).cells
    out = {}
    for i, cell in enumerate(cells):
        m = re.search(r"""reveal\(["'](q\d+)["']""", cell.source) if cell.cell_type == "code" else None
        if m and i and cells[i - 1].cell_type == "markdown":
            text = re.sub(r"^#+ .*\n", "", cells[i - 1].source).strip()  # the pack has its own heading
            out[m.group(1)] = MarkdownIt().render(text)
    return out


def _rubrics_html(nb: Notebook) -> str:
    from yalu.exercises.bank import get_set
    from yalu.exercises.questions import WrittenQuestion

    try:
        es = get_set(nb.number)
    except Exception:  # noqa: BLE001 - a pack without an exercise set says so
        return "<section class='rubrics'><h2>Rubrics</h2><p>This seminar has no exercise set.</p></section>"
    blocks = []
    prompts = _prompts(es.name)
    for q in es.questions.values():
        if not isinstance(q, WrittenQuestion):
            continue
        items = []
        for level in q.rubric:
            if hasattr(level, "description"):  # a rubric of quality levels
                items.append(f"<tr><th scope='row'>{_e(str(level.level).capitalize())}</th>"
                             f"<td>{_e(level.description)}</td></tr>")
            else:
                items.append(f"<tr><th scope='row'>☐</th><td>{_e(level)}</td></tr>")
        head = ("<tr><th scope='col'>Level</th><th scope='col'>What an answer at this level does</th></tr>"
                if any(hasattr(level, "description") for level in q.rubric)
                else "<tr><th scope='col'>Point</th><th scope='col'>One point for each line the answer meets</th></tr>")
        blocks.append(f"<div class='rubric'><h3>Question {_e(q.qid.lstrip('q'))} ({_e(q.kind)}), {q.min_words}-"
                      f"{q.max_words} words</h3>{prompts.get(q.qid, '')}<table><thead>{head}</thead>"
                      f"<tbody>{''.join(items)}</tbody></table></div>")
    body = "".join(blocks) or "<p>This exercise set has no written question.</p>"
    return f"<section class='rubrics'><h2>Rubrics: {_e(es.title)}</h2>{body}</section>"


CSS = """
@page { margin: 14mm 14mm 16mm 14mm; }
html { font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; color: #000; background: #fff; }
body { margin: 0; line-height: 1.35; }
h1 { font-size: 18pt; margin: 0 0 4pt; }
h2 { font-size: 14pt; border-bottom: 1.5pt solid #000; padding-bottom: 2pt; margin: 0 0 6pt; }
h3 { font-size: 11.5pt; margin: 10pt 0 4pt; }
h4 { font-size: 11pt; margin: 0 0 3pt; }
h5 { font-size: 9.5pt; margin: 5pt 0 2pt; text-transform: uppercase; letter-spacing: 0.03em; }
section { break-before: page; }
section.cover { break-before: avoid; }
.small { font-size: 9pt; }
.cite { font-size: 8.5pt; white-space: nowrap; }
.url { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
.card { border: 1pt solid #000; padding: 6pt 8pt; margin: 0 0 8pt; break-inside: avoid; }
.card ul.points { list-style: none; padding-left: 0; margin: 0; }
.card ul.points li { margin: 0 0 2pt; padding-left: 0.9em; text-indent: -0.9em; }
.silent { font-style: italic; margin: 0; }
h3.meeting { break-before: page; }
h3.meeting:first-of-type { break-before: avoid; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.75pt solid #000; padding: 3pt 5pt; vertical-align: top; text-align: left; }
table.versions td { width: 50%; }
.prov { font-size: 9pt; }
.docs li { margin-bottom: 5pt; break-inside: avoid; }
.rubric { break-inside: avoid; margin-bottom: 8pt; }
.figure { break-inside: avoid; margin-bottom: 10pt; }
img { max-width: 100%; height: auto; filter: grayscale(1); }
.yalu-key { max-width: 100% !important; font-size: 9pt; }
.yalu-key ol { columns: 2; column-gap: 14pt; }
"""


def pack_html(nb: Notebook, made: str | None = None) -> str:
    """The whole pack of one seminar (the narrative notebook ``nb``) as one HTML page for print."""
    made = made or _dt.date.today().isoformat()
    parts = [_documents(nb)]
    contents = ["Documents"]
    if nb.number == ROLE_SEMINAR:
        parts.append(_role_cards_html())
        contents.append("Role cards")
    if nb.number in MESSAGE_SEMINARS:
        msg = _message_html()
        if msg:
            parts.append(msg)
            contents.append("Mao's message of 2 October 1950")
    parts.append(_pictures_html(nb))
    contents.append("Printouts")
    parts.append(_rubrics_html(nb))
    contents.append("Rubrics")
    title = nb.title.replace("Notebook", "Seminar", 1)
    cover = (f"<section class='cover'><h1>{_e(title)}</h1><p>Seminar pack of the course "
             f"<i>Yalu: the Sino-Soviet alliance and China's entry into the Korean War</i>, printed from the "
             f"course's data on {_e(made)}. Facts cite Chen Jian's 1992 working paper by footnote, or an outside "
             f"source marked Context.</p><p><b>In this pack:</b> {_e(', '.join(contents))}.</p></section>")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}</title>"
            f"<style>{CSS}</style></head><body>{cover}{''.join(parts)}</body></html>")


def _print(browser, out: Path, chosen: list[Notebook], sizes: tuple[str, ...]) -> list[Path]:
    written = []
    context = browser.new_context()
    try:
        page = context.new_page()
        # The packs are self-contained (pictures inlined): nothing may be fetched from anywhere.
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("data:", "about:")) else r.abort())
        for nb in chosen:
            title = nb.title.replace("Notebook", "Seminar", 1)
            page.set_content(pack_html(nb), wait_until="load")
            for size in sizes:
                path = out / f"seminar-{nb.number}-{size}.pdf"
                page.pdf(path=str(path), format=SIZES[size], print_background=False, display_header_footer=True,
                         header_template="<span></span>",
                         footer_template=("<div style='font-size:8pt;width:100%;text-align:center'>"
                                          f"{_e(title)}, page <span class='pageNumber'></span> of "
                                          "<span class='totalPages'></span></div>"),
                         margin={"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
                written.append(path)
    finally:
        context.close()
    return written


def render(out: Path, seminars: list[str] | None = None, sizes: tuple[str, ...] = tuple(SIZES),
           browser=None) -> list[Path]:
    """Print the packs to ``out/seminar-NN-<size>.pdf`` with Chromium; returns the files written.
    ``browser`` is a Playwright browser already running (the tests'); else Debian's Chromium is started."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chosen = [n for n in NARRATIVE if seminars is None or n.number in seminars]
    if not chosen:
        raise YaluError(f"no seminar {', '.join(seminars or [])}; the seminars are "
                        f"{', '.join(n.number for n in NARRATIVE)}")
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        raise YaluError(f"unknown paper size {unknown[0]!r}; the sizes are {', '.join(SIZES)}")
    if browser is not None:
        return _print(browser, out, chosen, sizes)
    if not Path(CHROMIUM).exists():
        raise YaluError(f"Debian's Chromium is needed to print the packs and is not at {CHROMIUM} "
                        "(apt-get install chromium, or set YALU_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise YaluError("Playwright is needed to print the packs: pip install -r requirements-dev.txt") from exc
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            return _print(b, out, chosen, sizes)
        finally:
            b.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yalu.handouts", description="Print the seminar packs as PDF.")
    parser.add_argument("out", type=Path, help="the folder to write the PDFs into")
    parser.add_argument("--seminar", action="append", help="only this seminar (01-06); may be repeated")
    args = parser.parse_args(argv)
    try:
        files = render(args.out, args.seminar)
    except YaluError as exc:
        print(f"python -m yalu.handouts: {exc}", file=sys.stderr)
        return 1
    for f in files:
        print(f"{f} ({f.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

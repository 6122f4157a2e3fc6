// The timeline explorer's browser side (anywidget). Everything here runs in the browser:
// search, filters, lanes, zoom, keyboard and the detail panel need no kernel round trip.
// The records and the vis-timeline library come from the kernel's one "catalogue" model,
// so a saved notebook holds one copy of them however many explorers it shows.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY = 24 * 60 * 60 * 1000;
const KIND_GLYPH = { event: "●", troop_movement: "▲", soviet_air: "◆", communication: "■", claim: "≠", document: "¶" };
const SHAPE_TEXT = {
  day: "one known day (drawn as a point)",
  span: "a known span of days (drawn as a bar)",
  uncertain: "an uncertain or approximate date, drawn over every day it may mean",
};
// Keys that always reach JupyterLab from inside the explorer; all others but shortcuts stop here,
// so no arrow key or single-letter notebook command (a, b, d d, m) acts on the cells.
const PASS = new Set(["Tab", "Escape"]);

function day(iso, plus = 0) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d + plus);
}
function fmt(date) {
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
function words(query) {
  return query.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
}
// Text with every occurrence of the search words wrapped in <mark>.
function marked(text, terms) {
  const span = h("span");
  if (!terms.length) {
    span.textContent = text;
    return span;
  }
  const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const re = new RegExp(`(${escaped.join("|")})`, "gi");
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) span.append(text.slice(last, m.index));
    span.append(h("mark", {}, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) span.append(text.slice(last));
  return span;
}

async function loadVis(catalogue) {
  const key = `__yaluVis_${catalogue.get("version")}`;
  if (!window[key]) {
    window[key] = (async () => {
      if (!document.getElementById("yalu-vis-css")) {
        document.head.append(h("style", { id: "yalu-vis-css" }, catalogue.get("css")));
      }
      const url = URL.createObjectURL(new Blob([catalogue.get("source")], { type: "text/javascript" }));
      try {
        return await import(/* webpackIgnore: true */ url);
      } finally {
        URL.revokeObjectURL(url);
      }
    })();
  }
  return window[key];
}

async function catalogueOf(model) {
  const ref = String(model.get("catalogue") || "");
  return model.widget_manager.get_model(ref.replace(/^IPY_MODEL_/, ""));
}

function option(value, label, selected) {
  const o = h("option", { value }, label);
  if (selected) o.selected = true;
  return o;
}

function select(cls, label, choices, value, allLabel) {
  const id = `yx-${cls}-${Math.random().toString(36).slice(2, 9)}`;
  const sel = h("select", { id, class: `yx-${cls}` },
    allLabel ? option("", allLabel, !value) : null,
    choices.map((c) => option(c.value, c.label, c.value === value)));
  return [h("span", { class: "yx-field" }, h("label", { for: id }, label), sel), sel];
}

// Resolves once the element is on the page with a width. JupyterLab may call render() before it
// attaches the output; vis-timeline measures every label when it first draws, and labels measured
// off the page have no width, so they would be stacked on top of each other.
function shown(node) {
  return new Promise((resolve) => {
    const ready = () => node.isConnected && node.getBoundingClientRect().width > 0;
    if (ready()) { resolve(); return; }
    const observer = new ResizeObserver(() => {
      if (ready()) { observer.disconnect(); resolve(); }
    });
    observer.observe(node);
  });
}

function render({ model, el }) {
  // Each explorer a landmark with its own name: a notebook may show several.
  const v = model.get("view");
  window.__yaluExplorers = (window.__yaluExplorers || 0) + 1;
  const root = h("div", {
    class: "yx", role: "region",
    "aria-label": `Timeline explorer ${window.__yaluExplorers}, opening on ${fmt(day(v.start))} to ${fmt(day(v.end))}`,
  });
  root.append(h("p", { class: "yx-loading" }, "Loading the timeline explorer…"));
  el.append(root);
  let timeline = null;
  let disposed = false;
  let observer = null;
  (async () => {
    const catalogue = await catalogueOf(model);
    const vis = await loadVis(catalogue);
    await shown(root);
    if (disposed) return;
    ({ timeline, observer } = build(root, model.get("view"), catalogue.get("payload"), vis));
  })().catch((err) => {
    root.replaceChildren(h("p", { class: "yx-error" },
      "The timeline explorer could not start here: ", String(err && err.message ? err.message : err),
      ". The static picture and list of records are in the cell's saved output."));
    console.error(err);
  });
  return () => {
    disposed = true;
    if (observer) observer.disconnect();
    if (timeline) timeline.destroy();
  };
}

function build(root, view, data, vis) {
  const docs = (data.documents || []).map((d) => ({ ...d, kindName: "Document", actors: [], actorIds: [] }));
  const all = [...data.records, ...data.claims, ...docs];
  const byId = new Map(all.map((r) => [r.id, r]));
  const disputes = new Map(data.disputes.map((d) => [d.id, d]));
  // Each link between a document and a record, seen from both sides.
  const docsOf = new Map();
  const bearsOn = new Map();
  for (const li of data.links || []) {
    if (!docsOf.has(li.record)) docsOf.set(li.record, []);
    docsOf.get(li.record).push(li);
    if (!bearsOn.has(li.document)) bearsOn.set(li.document, []);
    bearsOn.get(li.document).push(li);
  }
  const state = {
    phase: view.phase || "", actor: view.actor || "", kind: view.kind || "", lanes: view.lanes || "actor",
    terms: [], selected: null,
  };
  for (const r of all) {
    r.haystack = [r.title, r.summary || "", r.place || "", r.claimedBy || "", r.author || "", r.recipient || "",
      ...(r.actors || [])].join(" ").toLowerCase();
  }

  // ---- controls
  const searchId = `yx-search-${Math.random().toString(36).slice(2, 9)}`;
  const search = h("input", {
    id: searchId, class: "yx-search", type: "search", autocomplete: "off",
    placeholder: "words in title, summary, people, place",
  });
  const [phaseField, phaseSel] = select("phase", "Phase", data.phases, state.phase, "All phases");
  const [actorField, actorSel] = select("actor", "Actor", data.actors, state.actor, "All actors");
  const [kindField, kindSel] = select("kind", "Kind", data.kinds, state.kind, "All kinds");
  const lanesChoices = [
    { value: "actor", label: "by capital" }, { value: "kind", label: "by kind" }, { value: "phase", label: "by phase" },
    { value: "evidence", label: "by kind of evidence" },
  ];
  const [lanesField, lanesSel] = select("lanes", "Lanes", lanesChoices, state.lanes, null);
  const filters = h("div", { class: "yx-bar yx-filters" },
    h("span", { class: "yx-field yx-searchfield" }, h("label", { for: searchId }, "Search"), search),
    phaseField, actorField, kindField, lanesField);

  const periodButtons = data.periods.map((p) => h("button", {
    type: "button", class: "yx-period", "data-period": p.key, "aria-label": `Show ${p.label}`,
  }, p.label));
  const fitButton = h("button", { type: "button", class: "yx-fit", "aria-label": "Fit all records in view" }, "Fit all");
  const zoomIn = h("button", { type: "button", class: "yx-zoomin", "aria-label": "Zoom in", title: "Zoom in (+)" }, "+");
  const zoomOut = h("button", { type: "button", class: "yx-zoomout", "aria-label": "Zoom out", title: "Zoom out (−)" }, "−");
  const readout = h("p", { class: "yx-readout", role: "status", "aria-live": "polite" });
  const nav = h("div", { class: "yx-bar yx-nav", role: "toolbar", "aria-label": "Dates and zoom" },
    periodButtons, fitButton, zoomIn, zoomOut);

  const legend = h("ul", { class: "yx-legend", "aria-label": "Legend" },
    h("li", {}, h("span", { class: "yx-sw yx-sw-day", "aria-hidden": "true" }), "exact day"),
    h("li", {}, h("span", { class: "yx-sw yx-sw-span", "aria-hidden": "true" }), "known span of days"),
    h("li", {}, h("span", { class: "yx-sw yx-sw-uncertain", "aria-hidden": "true" }), "uncertain date: every day it may mean"),
    data.kinds.map((k) => h("li", { class: `yx-k-${k.value}` },
      h("span", { class: "yx-glyph", "aria-hidden": "true" }, KIND_GLYPH[k.value] || "•"), k.label)));

  const help = h("p", { class: "yx-help", id: `yx-help-${Math.random().toString(36).slice(2, 9)}` },
    "Arrow keys move between records, Enter shows one, + and − zoom, Page Up and Page Down move in time. "
    + "Drag to move, Ctrl and the mouse wheel or a pinch to zoom.");
  const tlBox = h("div", {
    class: "yx-timeline", tabindex: "0", role: "application",
    "aria-roledescription": "timeline",
    "aria-label": "Timeline of the records; arrow keys move between records, Enter shows the selected one",
    "aria-describedby": help.id,
  });
  const spoken = h("p", { class: "yx-sr", "aria-live": "polite" });
  // Its own name: a notebook may show several explorers, and no two landmarks may share a name.
  const detail = h("section", { class: "yx-detail", "aria-label": `Details, ${root.getAttribute("aria-label")}`,
    tabindex: "-1" });
  const main = h("div", { class: "yx-main" }, h("div", { class: "yx-tlwrap" }, tlBox, help), detail);
  root.replaceChildren(filters, nav, h("div", { class: "yx-bar yx-info" }, legend, readout), main, spoken);
  placeholder();

  // ---- lanes and items
  function laneOf(r) {
    if (r.kind === "claim") return `dispute:${r.conflict}`;
    if (r.kind === "document") return "documents";
    if (state.lanes === "kind") return `kind:${r.kind}`;
    if (state.lanes === "phase") return `phase:${r.phase}`;
    if (state.lanes === "evidence") return `evidence:${r.evidenceKind}`;
    return `capital:${r.capital}`;
  }
  function groupsFor() {
    let lanes;
    if (state.lanes === "kind") {
      lanes = data.kinds.filter((k) => k.value !== "claim" && k.value !== "document").map((k) => [`kind:${k.value}`, k.label]);
    }
    else if (state.lanes === "phase") lanes = data.phases.map((p) => [`phase:${p.value}`, p.label]);
    else if (state.lanes === "evidence") lanes = data.evidenceKinds.map((c) => [`evidence:${c}`, c]);
    else lanes = data.capitals.map((c) => [`capital:${c}`, c]);
    if (docs.length) lanes = lanes.concat([["documents", "Documents"]]);
    lanes = lanes.concat(data.disputes.map((d) => [`dispute:${d.id}`, `Disputed: ${d.topic}`]));
    return lanes.map(([id, label], order) => ({
      id, order, content: h("span", { class: "yx-lane" }, label),
      className: id.startsWith("dispute:") ? "yx-dispute-lane" : id === "documents" ? "yx-document-lane" : "",
    }));
  }
  function matches(r) {
    if (state.phase && r.phase !== state.phase) return false;
    if (state.actor && !(r.actorIds || []).includes(state.actor)) return false;
    if (state.kind && r.kind !== state.kind) return false;
    return state.terms.every((t) => r.haystack.includes(t));
  }
  function classes(r) {
    const c = [`yx-item`, `yx-k-${r.kind}`, `yx-s-${r.shape}`];
    if (state.terms.length) c.push("yx-hit");
    if (state.selected && r.kind === "claim" && byId.get(state.selected)?.conflict === r.conflict
      && r.id !== state.selected) c.push("yx-linked");
    return c.join(" ");
  }
  function content(r) {
    // A point's dot already has the kind's shape; a bar gets the kind's sign before its title.
    const glyph = r.shape === "day" ? null : h("span", { class: "yx-glyph", "aria-hidden": "true" }, `${KIND_GLYPH[r.kind]} `);
    return h("span", { class: "yx-label" }, glyph, marked(r.title, state.terms));
  }
  function item(r) {
    const it = {
      id: r.id, group: laneOf(r), start: day(r.start), className: classes(r), content: content(r),
      title: `${r.title} (${r.when})`,
    };
    if (r.shape === "day") it.type = "point";
    else { it.type = "range"; it.end = day(r.end, 1); }
    return it;
  }
  const items = new vis.DataSet(all.map(item));
  const shown = new vis.DataView(items, { filter: (it) => matches(byId.get(it.id)) });
  // The years the timeline can show: the records' own, with room either side (works run past 2000).
  const FIRST_YEAR = Math.min(1915, Number(data.first.slice(0, 4)) - 5);
  const LAST_YEAR = Math.max(2000, Number(data.last.slice(0, 4)) + 5);
  const groups = new vis.DataSet(groupsFor());

  const options = {
    height: 300, orientation: { axis: "top", item: "top" }, stack: true, showCurrentTime: false,
    selectable: true, multiselect: false, zoomKey: "ctrlKey", horizontalScroll: false, verticalScroll: true,
    zoomMin: 4 * DAY, zoomMax: (LAST_YEAR - FIRST_YEAR) * 365 * DAY,
    min: new Date(FIRST_YEAR, 0, 1), max: new Date(LAST_YEAR, 0, 1),
    margin: { item: { horizontal: 6, vertical: 4 }, axis: 4 }, groupOrder: "order",
    showTooltips: true, tooltip: { followMouse: true, delay: 250 }, // a bar too short for its title shows it on hover
    align: "auto", locale: "en", start: day(view.start), end: day(view.end, 1),
    // Weekly ticks (labelled with the day of the month) when days are too narrow for one label
    // each, so that a fortnight in a narrow window still reads as days, not as "Oct". (vis-timeline's
    // maxMinorChars option would do it too, but with it set the timeline stays hidden.)
    showWeekScale: true,
    format: {
      minorLabels: { day: "D", weekday: "D", week: "D" },
      majorLabels: { day: "MMMM YYYY", weekday: "MMMM YYYY", week: "MMMM YYYY" },
    },
  };
  const timeline = new vis.Timeline(tlBox, shown, groups, options);
  // The lanes scroll up and down when there are many: reachable by keyboard, with a name.
  for (const pane of tlBox.querySelectorAll(".vis-vertical-scroll")) {
    pane.setAttribute("tabindex", "0");
    pane.setAttribute("role", "group");
    pane.setAttribute("aria-label", "Lane names; scroll up and down to see more lanes");
  }
  root.dataset.ready = "1";

  function refreshGroups() {
    const used = new Set(shown.get().map((it) => it.group));
    groups.update(groups.get().map((g) => ({ id: g.id, visible: used.has(g.id) })));
  }
  function restyle() {
    items.update(all.map((r) => ({ id: r.id, className: classes(r), content: content(r) })));
  }
  function visibleRecords() {
    return shown.get().map((it) => byId.get(it.id))
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : a.end > b.end ? 1 : 0));
  }
  function inWindow() {
    const w = timeline.getWindow();
    return visibleRecords().filter((r) => day(r.start) < w.end && day(r.end, 1) > w.start);
  }
  function say() {
    const w = timeline.getWindow();
    const last = new Date(w.end.getTime() - 1);
    const n = inWindow().length;
    const total = shown.length;
    readout.textContent = `${fmt(w.start)} to ${fmt(last)}: ${n} of ${total} record${total === 1 ? "" : "s"} in view`
      + (state.terms.length ? ` matching “${search.value.trim()}”` : "");
  }
  function applyFilters({ fit = false } = {}) {
    shown.refresh();
    refreshGroups();
    restyle();
    if (state.selected && !shown.get(state.selected)) select_(null);
    if (fit && shown.length) timeline.fit({ animation: false });
    say();
    root.dataset.shown = String(shown.length);
  }

  // ---- detail panel
  function placeholder() {
    detail.replaceChildren(h("h3", { class: "yx-dtitle" }, "Details"),
      h("p", {}, "Click a record, or move to it with the arrow keys in the timeline and press Enter, "
        + "to read its dates, summary, evidence and source here."));
  }
  // A record or document named in a panel: opened in the timeline when the filters show it,
  // else read in the panel alone.
  function open_(id) {
    if (shown.get(id)) select_(id, { move: true, open: true });
    else if (byId.get(id)) show(byId.get(id), true);
  }
  function technical(r) {
    return h("details", { class: "yx-tech" }, h("summary", {}, "Technical details"),
      h("p", { class: "yx-fact" }, h("b", {}, "EDTF date: "), r.edtf ? h("code", {}, r.edtf) : "none",
        r.shape ? ` (${SHAPE_TEXT[r.shape]})` : ""),
      r.when ? h("p", { class: "yx-fact" }, h("b", {}, "Drawn over: "), r.when) : null);
  }
  function readLink(d) {
    return d.url
      ? h("a", { class: "yx-read", href: d.url, target: "_blank", rel: "noopener" }, "Read the document at the archive")
      : h("span", { class: "yx-note" }, "no confirmed web address; find it by its title, date and reference");
  }
  // The end of every detail panel: where the story is told, the folded technical details, then show it.
  function finish(r, parts, focus) {
    if (r.notebook) {
      parts.push(h("p", {}, h("a", { href: r.notebook, target: "_blank", rel: "noopener" }, `Read on in ${r.notebookTitle}`)));
    }
    parts.push(technical(r));
    detail.replaceChildren(...parts.filter(Boolean));
    detail.scrollTop = 0;
    if (focus) detail.querySelector(".yx-dtitle").focus();
  }
  function showDocument(r, focus) {
    const parts = [
      h("h3", { class: "yx-dtitle", tabindex: "-1" }, r.title),
      h("p", { class: "yx-kindline" }, `${KIND_GLYPH.document} ${r.kindName} · ${r.when}`),
      h("p", { class: "yx-fact" }, h("b", {}, "Date: "), r.dateText),
      h("p", { class: "yx-fact" }, readLink(r), r.url && r.linkText ? ` (${r.linkText})` : ""),
      h("p", { class: "yx-fact yx-cite" }, h("b", {}, "Archive: "), r.collection, r.archiveRef ? `; ${r.archiveRef}` : ""),
      h("p", { class: "yx-summary" }, h("b", {}, "Summary (our words): "), r.summary),
      r.author ? h("p", { class: "yx-fact" }, h("b", {}, "From: "), r.author,
        r.recipient ? [h("b", {}, " To: "), r.recipient] : "") : null,
      r.language || r.translator ? h("p", { class: "yx-fact" }, h("b", {}, "Original language: "), r.language || "not given",
        r.translator ? `; translated by ${r.translator}` : "") : null,
      r.note ? h("p", { class: "yx-fact" }, h("b", {}, "Note: "), r.note) : null,
    ];
    const on = bearsOn.get(r.id) || [];
    if (on.length) {
      parts.push(h("h4", {}, "What it bears on"), h("ul", { class: "yx-docs" }, on.map((b) => {
        const rec = byId.get(b.record);
        const fromPaper = rec ? !rec.context : b.fromPaper;
        const date = rec ? rec.dateText : b.date;
        return h("li", {},
          h("span", { class: `yx-rel yx-rel-${b.relation.replace(/ /g, "_")}` }, b.relation), " ",
          rec
            ? h("button", { type: "button", class: "yx-link", onclick: () => open_(b.record) }, rec.title)
            : h("span", {}, b.text),
          ` (${fromPaper ? "the paper" : "outside the paper"}${date ? `, ${date}` : ""}): ${b.note}`);
      })));
    }
    finish(r, parts, focus);
  }
  // What a student came for first: the title, the date as the paper words it, the paper's own
  // words and the citation; then the documents; the EDTF string last, folded away.
  function show(r, focus) {
    if (r.kind === "document") { showDocument(r, focus); return; }
    const parts = [
      h("h3", { class: "yx-dtitle", tabindex: "-1" }, r.title),
      h("p", { class: "yx-kindline" }, `${KIND_GLYPH[r.kind]} ${r.kindName} · ${r.when || "no date given"}`),
      h("p", { class: "yx-fact" }, h("b", {}, "Date in the paper: "), r.dateText || "not given"),
    ];
    if (r.evidence) parts.push(h("p", { class: "yx-fact yx-evlabel" }, h("b", {}, "The paper's words:")), h("blockquote", { class: "yx-evidence" }, r.evidence));
    else if (r.context) parts.push(h("p", { class: "yx-note" }, "No excerpt: this fact comes from outside the paper."));
    parts.push(h("p", { class: "yx-cite" }, h("b", {}, "Source: "), r.citation,
      r.url ? [" ", h("a", { href: r.url, target: "_blank", rel: "noopener" }, r.citationShort.replace(/^Context: /, ""))] : null));
    const linked = docsOf.get(r.id) || [];
    if (linked.length) {
      parts.push(h("h4", {}, "Documents"), h("ul", { class: "yx-docs" }, linked.map((li) => {
        const d = byId.get(li.document);
        return h("li", {},
          h("span", { class: `yx-rel yx-rel-${li.relation.replace(/ /g, "_")}` }, li.relation), " ",
          h("button", { type: "button", class: "yx-link", onclick: () => open_(d.id) }, d.title),
          ` (${d.dateText}): ${li.note} `, readLink(d));
      })));
    }
    parts.push(
      r.summary ? h("p", { class: "yx-summary" }, r.summary) : null,
      r.actors && r.actors.length ? h("p", { class: "yx-fact" }, h("b", {}, "Who: "), r.actors.join(", ")) : null,
      r.claimedBy ? h("p", { class: "yx-fact" }, h("b", {}, "Claimed by: "), r.claimedBy) : null,
      r.place ? h("p", { class: "yx-fact" }, h("b", {}, "Where: "), r.place) : null,
    );
    if (r.attestations && r.attestations.length > 1) {
      parts.push(h("h4", {}, `Recorded ${r.attestations.length} times in the data`),
        h("ul", { class: "yx-versions" }, r.attestations.map((a) => h("li", {},
          `${a.kindName}: ${a.title} (${a.citationShort}, ${a.when})`))));
    }
    if (r.kind === "claim") {
      const d = disputes.get(r.conflict);
      parts.push(h("h4", {}, "Other versions of this question"), h("p", {}, d.question),
        h("ul", { class: "yx-versions" }, d.versions.filter((v) => v.id !== r.id).map((v) => h("li", {},
          v.dated
            ? h("button", { type: "button", class: "yx-link", onclick: () => { select_(v.id, { move: true, open: true }); } },
              `${v.claimedBy} (${v.when})`)
            : h("span", {}, `${v.claimedBy} (no date given)`),
          `: ${v.claim}`))));
    }
    if (r.quote) parts.push(h("h4", {}, "Quoted in the paper"), h("blockquote", {}, r.quote));
    finish(r, parts, focus);
  }

  function select_(id, { move = false, open = false } = {}) {
    const before = state.selected;
    state.selected = id;
    timeline.setSelection(id ? [id] : []);
    const r = id ? byId.get(id) : null;
    root.dataset.selected = r ? r.title : "";
    if ((r && r.kind === "claim") || (before && byId.get(before)?.kind === "claim")) restyle();
    if (!r) {
      placeholder();
      return;
    }
    if (move) {
      const w = timeline.getWindow();
      const s = day(r.start);
      const e = day(r.end, 1);
      if (e <= w.start || s >= w.end) {
        timeline.moveTo(new Date((s.getTime() + e.getTime()) / 2), { animation: false });
        say();
      }
      reveal();
    }
    const list = visibleRecords();
    spoken.textContent = `${r.title}, ${r.when}, record ${list.indexOf(r) + 1} of ${list.length}.`
      + (open ? "" : " Press Enter for details.");
    if (open) show(r, false);
  }

  // The selected record brought into view when it lies above or below the lanes on screen
  // (vis-timeline draws only the lanes on screen). Its focus() scrolls the lanes to the record but
  // may also widen the time window to fit a long record, so the window is put back afterwards.
  function reveal() {
    setTimeout(() => { // after vis-timeline has drawn the selection
      const el = tlBox.querySelector(".vis-item.vis-selected");
      const pane = tlBox.querySelector(".vis-panel.vis-center");
      if (!pane || !state.selected) return;
      const a = el ? el.getBoundingClientRect() : null;
      const b = pane.getBoundingClientRect();
      if (!a || a.top < b.top || a.bottom > b.bottom) {
        const w = timeline.getWindow();
        timeline.focus(state.selected, { zoom: false, animation: false });
        timeline.setWindow(w.start, w.end, { animation: false });
      }
    }, 30);
  }

  // ---- events
  timeline.on("select", (props) => {
    const id = props.items && props.items.length ? props.items[0] : null;
    if (id) select_(id, { open: true });
    else if (state.selected) { state.selected = null; restyle(); }
  });
  timeline.on("rangechanged", say);

  let searchTimer = null;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.terms = words(search.value);
      applyFilters({ fit: state.terms.length > 0 });
    }, 25); // a short pause coalesces a burst of keys without making a reader wait
  });
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey) {
      e.preventDefault();
      const first = visibleRecords()[0];
      if (first) {
        select_(first.id, { move: true, open: true });
        tlBox.focus();
      }
    }
  });
  for (const [sel, key] of [[phaseSel, "phase"], [actorSel, "actor"], [kindSel, "kind"]]) {
    sel.addEventListener("change", () => {
      state[key] = sel.value;
      applyFilters();
    });
  }
  lanesSel.addEventListener("change", () => {
    state.lanes = lanesSel.value;
    items.update(all.map((r) => ({ id: r.id, group: laneOf(r) })));
    groups.clear();
    groups.add(groupsFor());
    refreshGroups();
    say();
  });
  for (const [b, p] of periodButtons.map((b, i) => [b, data.periods[i]])) {
    b.addEventListener("click", () => { timeline.setWindow(day(p.start), day(p.end, 1), { animation: false }); say(); });
  }
  fitButton.addEventListener("click", () => { timeline.fit({ animation: false }); say(); });
  zoomIn.addEventListener("click", () => { timeline.zoomIn(0.5, { animation: false }); say(); });
  zoomOut.addEventListener("click", () => { timeline.zoomOut(0.5, { animation: false }); say(); });

  function pan(fraction) {
    const w = timeline.getWindow();
    const shift = (w.end - w.start) * fraction;
    timeline.setWindow(new Date(w.start.getTime() + shift), new Date(w.end.getTime() + shift), { animation: false });
    say();
  }
  function step(delta) {
    const list = visibleRecords();
    if (!list.length) return;
    const current = state.selected ? list.findIndex((r) => r.id === state.selected) : -1;
    let next;
    if (current < 0) {
      const here = inWindow();
      next = here.length ? (delta > 0 ? here[0] : here[here.length - 1]) : list[0];
    } else {
      next = list[Math.min(list.length - 1, Math.max(0, current + delta))];
    }
    select_(next.id, { move: true });
  }
  function laneStep(delta) { // the nearest record in view in the next lane that has one
    const list = inWindow();
    if (!list.length) return;
    if (!state.selected) { step(1); return; }
    const cur = byId.get(state.selected);
    const order = groups.get({ filter: (g) => g.visible !== false }).sort((a, b) => a.order - b.order).map((g) => g.id);
    let lane = order.indexOf(laneOf(cur)) + delta;
    const t = day(cur.start).getTime();
    while (lane >= 0 && lane < order.length) {
      const there = list.filter((r) => laneOf(r) === order[lane]);
      if (there.length) {
        there.sort((a, b) => Math.abs(day(a.start) - t) - Math.abs(day(b.start) - t));
        select_(there[0].id, { move: true });
        return;
      }
      lane += delta;
    }
  }
  tlBox.addEventListener("keydown", (e) => {
    if (e.target !== tlBox) return;
    const k = e.key;
    let handled = true;
    if (k === "ArrowRight" && e.shiftKey) pan(0.25);
    else if (k === "ArrowLeft" && e.shiftKey) pan(-0.25);
    else if (k === "ArrowRight") step(1);
    else if (k === "ArrowLeft") step(-1);
    else if (k === "ArrowDown") laneStep(1);
    else if (k === "ArrowUp") laneStep(-1);
    else if (k === "PageDown") pan(0.5);
    else if (k === "PageUp") pan(-0.5);
    else if (k === "Home" || k === "End") { // the first or last record in view, not of all time
      const list = inWindow();
      if (list.length) select_((k === "Home" ? list[0] : list[list.length - 1]).id, { move: true });
    } else if (k === "+" || k === "=") { timeline.zoomIn(0.5, { animation: false }); say(); }
    else if (k === "-" || k === "_") { timeline.zoomOut(0.5, { animation: false }); say(); }
    else if (k === "Enter" || k === " ") {
      if (!state.selected) step(1);
      if (state.selected) select_(state.selected, { open: true });
    } else handled = false;
    if (handled) e.preventDefault();
  });
  // Nothing typed inside the explorer reaches JupyterLab's notebook shortcuts.
  // Tab and Escape leave, and shortcuts with Ctrl, Alt or Cmd (save, run the cell) still work;
  // arrows, Home, End and Page keys never leave, whatever is held with them.
  root.addEventListener("keydown", (e) => {
    const moving = /^(Arrow|Page|Home$|End$)/.test(e.key);
    if (!moving && (PASS.has(e.key) || e.ctrlKey || e.metaKey || e.altKey
      || (e.key === "Enter" && e.shiftKey))) return;
    e.stopPropagation();
  });

  // ---- size: the timeline takes what the controls leave of the explorer's fixed height
  function fit() {
    const room = Math.max(160, main.clientHeight - help.offsetHeight - 2);
    if (Math.abs((options.height || 0) - room) > 1) {
      options.height = room;
      timeline.setOptions({ height: room });
    }
  }
  // Also redraw when JupyterLab first shows the output or changes its width.
  const observer = new ResizeObserver(() => { fit(); timeline.redraw(); });
  observer.observe(main);
  fit();
  applyFilters();
  // vis-timeline keeps itself hidden until a redraw finds its sizes settled; without a nudge that
  // waits for its one-second resize check.
  for (const ms of [0, 60, 200]) setTimeout(() => timeline.redraw(), ms);
  return { timeline, observer };
}

export default { render };

"""The timeline explorer: a date-range slider, filters, the picture, a list and a detail panel.

Make one with :func:`yalu.timeline.explore` (which also shows the static picture first).
Every redraw goes through widget state: observers on the slider and the filters
re-select the records, redraw the figure with :func:`yalu.timeline.draw` and put its PNG
bytes in an ``ipywidgets.Image``; picking a record in the list fills the detail panel.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from yalu import timeline as tl
from yalu.errors import YaluError

ALL = "(all)"  # the label and value of the no-filter choice
NOTHING = "No records in this range."
PICK = "<p><i>Pick a record in the list to see its summary, dates, source and evidence.</i></p>"


class Explorer:
    """The interactive timeline. Attributes are the widgets (``slider``, ``phase``, ``actor``,
    ``kind``, ``image``, ``caption``, ``status``, ``listing``, ``detail``) and ``box``, the
    whole layout; ``drawing`` and ``shown`` describe the current picture and records."""

    def __init__(self, phase=None, actor=None, kind=None, start=None, end=None, lanes="phase"):
        everything = tl.records()
        # Validate the starting filters (clear YaluError for unknown values).
        start_frame = tl.filter_records(everything, phase=phase, actor=actor, kind=kind)
        if isinstance(kind, (list, tuple)):
            if len(kind) != 1:
                raise YaluError("explore() takes one kind of record to start with, e.g. kind='event'")
            kind = kind[0]
        kind = tl._kinds(kind)[0] if kind is not None else None
        self.lanes = lanes
        self._all = everything
        self.first = everything["date_start"].min()
        self.last = everything["date_end"].max()
        s = tl._day(start, "the start date")
        e = tl._day(end, "the end date")
        if s is None and e is None and phase is None and actor is None and kind is None:
            s, e = (pd.Timestamp(d) for d in tl.DEFAULT_RANGE)
        if s is None:
            s = start_frame["date_start"].min() if len(start_frame) else self.first
        if e is None:
            e = start_frame["date_end"].max() if len(start_frame) else self.last
        if e < s:
            raise YaluError(f"the range ends ({tl._fmt(e)}) before it starts ({tl._fmt(s)}); swap the two dates")
        s, e = max(s, self.first), min(e, self.last)
        # One slider step per day over the collection's two years, plus one step at each end
        # for everything earlier (background) and everything later (historiography).
        lo_day, hi_day = (pd.Timestamp(d) for d in tl.DEFAULT_RANGE)
        lo_day, hi_day = max(lo_day, self.first), min(hi_day, self.last)
        self.days = list(pd.date_range(lo_day, hi_day, freq="D"))
        options = [(f"{d.day} {d:%b %Y}", i) for i, d in enumerate(self.days)]
        if self.first < lo_day:
            self.days.insert(0, self.first)
            options = [(f"earliest ({self.first.year})", -1)] + options
        if self.last > hi_day:
            self.days.append(self.last)
            options = options + [(f"latest ({self.last.year})", len(options))]
        options = [(label, i) for i, (label, _) in enumerate(options)]
        lo = self._index(s, "lo")
        hi = self._index(e, "hi")
        if hi < lo:
            lo, hi = 0, len(self.days) - 1
        self.slider = widgets.SelectionRangeSlider(
            options=options, index=(lo, hi), description="Dates",
            continuous_update=False, layout=widgets.Layout(width="95%"), style={"description_width": "60px"})
        phases = [p for p in everything["phase"].cat.categories if (everything["phase"] == p).any()]
        names = tl.people_names()
        actors = sorted({a for acts in everything["actors"] for a in acts}, key=lambda a: tl._name(a, names))
        self.phase = widgets.Dropdown(options=[(ALL, ALL)] + [(p, p) for p in phases], value=phase or ALL,
                                      description="Phase", style={"description_width": "50px"})
        self.actor = widgets.Dropdown(options=[(ALL, ALL)] + [(tl._name(a, names), a) for a in actors],
                                      value=actor or ALL, description="Actor", style={"description_width": "50px"})
        self.kind = widgets.Dropdown(options=[(ALL, ALL)] + [(k.plural, k.name) for k in tl.KINDS.values()],
                                     value=kind or ALL, description="Kind", style={"description_width": "50px"})
        self.legend = widgets.Image(value=tl.legend_png(), format="png", layout=widgets.Layout(max_width="100%"))
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.caption = widgets.HTML(layout=widgets.Layout(width="95%"))
        self.status = widgets.HTML()
        self.listing = widgets.Select(options=[], rows=10, description="Records",
                                      layout=widgets.Layout(width="48%"), style={"description_width": "60px"})
        self.detail = widgets.HTML(PICK, layout=widgets.Layout(width="50%"))
        for c in ("yalu-slider", "yalu-phase", "yalu-actor", "yalu-kind", "yalu-image", "yalu-caption",
                  "yalu-status", "yalu-list", "yalu-detail"):
            getattr(self, {"yalu-list": "listing"}.get(c, c[5:])).add_class(c)
        self.box = widgets.VBox([
            widgets.HBox([self.phase, self.actor, self.kind]),
            self.slider, self.status, self.legend, self.image, self.caption,
            widgets.HBox([self.listing, self.detail]),
        ])
        self.box.add_class("yalu-explorer")
        self.drawing = None
        self._canvas = tl._Reused()  # one figure, redrawn in place on every change
        self.shown = everything.iloc[0:0]
        for w in (self.slider, self.phase, self.actor, self.kind):
            w.observe(self._changed, names="value")
        self.listing.observe(self._picked, names="value")
        self.refresh()

    # -- state -> picture
    def range(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The first and last day the slider selects."""
        lo, hi = self.slider.index
        return self.days[lo], self.days[hi]

    def set_range(self, start, end) -> None:
        """Move the slider to ``start``..``end`` (dates), as a reader would."""
        s, e = tl._day(start, "the start date"), tl._day(end, "the end date")
        if e < s:
            raise YaluError(f"the range ends ({tl._fmt(e)}) before it starts ({tl._fmt(s)}); swap the two dates")
        self.slider.index = (self._index(s, "lo"), self._index(e, "hi"))

    def _index(self, day: pd.Timestamp, end: str) -> int:
        """The slider step of a day: an inner day's own step, else the earliest/latest step."""
        import bisect

        if end == "lo":
            return max(0, bisect.bisect_left(self.days, day) if day > self.days[0] else 0)
        return min(len(self.days) - 1, max(0, bisect.bisect_right(self.days, day) - 1))

    def _changed(self, change) -> None:
        self.refresh()

    def filters(self) -> dict:
        """The current filters, ``None`` where "(all)" is chosen."""
        return {name: (None if w.value == ALL else w.value)
                for name, w in (("phase", self.phase), ("actor", self.actor), ("kind", self.kind))}

    def refresh(self) -> None:
        """Re-select the records and redraw (the observers call this on every change)."""
        start, end = self.range()
        frame = tl.filter_records(self._all, **self.filters())
        frame = tl.select(frame, start, end)
        self.shown = frame
        fig = tl._draw_into(self._canvas, frame, start, end, lanes=self.lanes, legend=False,
                            max_labels=tl.WIDGET_LABELS)
        self.drawing = fig.yalu
        self.image.value = tl._quick_png_bytes(fig)
        self.caption.value = f'<p class="yalu-alt"><small>{html.escape(self.drawing.alt_text)}</small></p>'
        if len(frame):
            self.status.value = (f"<b>{len(frame)} record{'s' if len(frame) != 1 else ''} in view</b>, "
                                 f"{tl._fmt(start)} to {tl._fmt(end)}")
        else:
            self.status.value = f"<b>{NOTHING}</b> ({tl._fmt(start)} to {tl._fmt(end)}; widen the dates or the filters)"
        previous = self.listing.value
        ids = frame["id"].tolist()
        self.listing.options = [(f"{tl.span_text(a, b)} | {label}", rid)
                                for a, b, label, rid in zip(frame["date_start"], frame["date_end"],
                                                            frame["label"].tolist(), ids)]
        if previous in set(ids):
            self.listing.value = previous
        else:
            self.listing.value = None
            self.detail.value = PICK if len(frame) else f"<p><i>{NOTHING}</i></p>"

    def _picked(self, change) -> None:
        rid = change["new"]
        if rid is None:
            return
        self.detail.value = tl.detail_html(rid)

    def pick(self, record_id: str) -> None:
        """Pick one record of the list (as a reader would by clicking it)."""
        if record_id not in set(self.shown["id"]):
            raise YaluError(f"{record_id!r} is not among the records in view")
        self.listing.value = record_id

    # -- display
    def static_picture(self) -> tl.Picture:
        start, end = self.range()
        frame = tl.filter_records(self._all, **self.filters())
        return tl.Picture(tl.draw(frame, start, end, lanes=self.lanes))

    def __repr__(self) -> str:
        start, end = self.range()
        return (f"Timeline explorer: {len(self.shown)} records from {tl._fmt(start)} to {tl._fmt(end)} "
                "(the slider, filters, list and detail panel need a running kernel)")

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle)
        bundle["text/plain"] = repr(self)
        return bundle

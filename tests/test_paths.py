"""yalu.paths: the collection's folder is found from the package, else from where a notebook runs."""
from pathlib import Path

import pytest

from yalu import YaluError, paths

ROOT = Path(__file__).resolve().parents[1]


def test_the_checkout_around_the_package_is_found():
    assert paths.repo_root() == ROOT
    assert paths.data_dir() == ROOT / "data"


def test_an_installed_package_finds_the_collection_from_the_notebook_folder(tmp_path, monkeypatch):
    # pip install . on a hub: the package lives in site-packages, the notebooks in a home folder
    home = tmp_path / "yalu"
    (home / "data").mkdir(parents=True)
    (home / "data" / "datapackage.json").write_text("{}")
    (home / "notebooks").mkdir()
    monkeypatch.setattr(paths, "__file__", str(tmp_path / "site-packages" / "yalu" / "paths.py"))
    monkeypatch.chdir(home / "notebooks")
    monkeypatch.delenv("YALU_DATA", raising=False)
    assert paths.repo_root() == home
    assert paths.data_dir() == home / "data"


def test_nothing_found_is_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "__file__", str(tmp_path / "site-packages" / "yalu" / "paths.py"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("YALU_DATA", raising=False)
    with pytest.raises(YaluError, match="cannot find the collection's folder"):
        paths.repo_root()
    with pytest.raises(YaluError, match="set YALU_DATA"):
        paths.data_dir()


def test_a_cache_file_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    from yalu.paths import save_to_cache

    monkeypatch.setenv("YALU_CACHE", str(tmp_path / "cache"))
    assert save_to_cache("a.bin", lambda fh: fh.write(b"whole"))
    assert (tmp_path / "cache" / "a.bin").read_bytes() == b"whole"

    def fails_halfway(fh):
        fh.write(b"half")
        raise OSError("disk full")

    assert not save_to_cache("a.bin", fails_halfway)
    assert (tmp_path / "cache" / "a.bin").read_bytes() == b"whole"  # the old file stands
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["a.bin"]  # no temporary left

    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("YALU_CACHE", str(blocker / "cache"))
    assert not save_to_cache("a.bin", lambda fh: fh.write(b"x"))
    monkeypatch.setenv("YALU_CACHE", "off")
    assert not save_to_cache("a.bin", lambda fh: fh.write(b"x"))


def test_two_writers_at_once_never_leave_half_a_file(tmp_path, monkeypatch):
    import threading
    import time

    from yalu.paths import save_to_cache

    monkeypatch.setenv("YALU_CACHE", str(tmp_path))

    def slow(content: bytes, pause: float):
        def write(fh):
            fh.write(content[:3])
            time.sleep(pause)
            fh.write(content[3:])
        return write

    threads = [threading.Thread(target=save_to_cache, args=("t.bin", slow(b"AAAAAAAA", 0.3))),
               threading.Thread(target=save_to_cache, args=("t.bin", slow(b"BBBBBBBB", 0.1)))]
    threads[0].start()
    time.sleep(0.05)
    threads[1].start()
    for t in threads:
        t.join()
    assert (tmp_path / "t.bin").read_bytes() in (b"AAAAAAAA", b"BBBBBBBB")
    assert [p.name for p in tmp_path.iterdir()] == ["t.bin"]

    def broken(fh):
        fh.write(b"half")
        raise ValueError("cannot pickle this")

    with pytest.raises(ValueError):
        save_to_cache("u.bin", broken)
    assert [p.name for p in tmp_path.iterdir()] == ["t.bin"]  # no temporary file left behind

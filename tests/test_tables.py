"""yalu.tables formats a loaded table for reading (tested on a small fixture, not on data/)."""
import pandas as pd
import pytest

from yalu import YaluError
from yalu.tables import Table, readable, show, source_label


@pytest.fixture
def movements():
    frame = pd.DataFrame({
        "id": ["tm_b", "tm_a", "tm_c"],
        "date": ["1949-07", "1949-07/1949-10", "1950-10-19"],
        "date_start": pd.to_datetime(["1949-07-01", "1949-07-01", "1950-10-19"]),
        "date_end": pd.to_datetime(["1949-07-31", "1949-10-31", "1950-10-19"]),
        "date_text": ["July 1949", "from July to October 1949", "19 October 1950"],
        "phase": pd.Categorical(["leaning", "leaning", "decision"], categories=["leaning", "decision"]),
        "unit": ["164th and 166th Divisions", "Korean-nationality PLA soldiers", "Chinese troops"],
        "strength_min": pd.array([None, 30000, None], dtype="Int64"),
        "strength_max": pd.array([None, 40000, None], dtype="Int64"),
        "action": pd.Categorical(["sent_back", "sent_back", "crossed"], categories=["sent_back", "crossed"]),
        "origin": ["Northeast China", None, "Andong"],
        "destination": ["North Korea", "Korea", "North Korea"],
        "claimed_by": ["official Chinese source", "South Korean and US intelligence", "Chen Jian"],
        "summary": ["a", "b", "c"],
        "footnote": pd.array([31, 31, None], dtype="Int64"),
        "source": ["chen1992", "chen1992", "ctx_test"],
        "evidence": ["sent back to Korea in July 1949", "about 30,000-40,000", None],
    })
    frame.attrs["table"] = "troop_movements"
    return frame


@pytest.fixture
def sources():
    return pd.DataFrame({"id": ["chen1992", "ctx_test"], "title": ["The paper", "FRUS 1950, vol. VI, doc. 195"],
                         "url": [None, "https://history.state.gov/historicaldocuments/frus1950v06/d195"]})


def test_dates_as_the_paper_words_them_in_date_order(movements, sources):
    table = show(movements, sources=sources)
    assert isinstance(table, Table)
    dates = list(table.frame["Date (as the paper words it)"])
    assert dates == ["July 1949", "from July to October 1949", "19 October 1950"]  # tm_b before tm_a: same start, earlier end
    for hidden in ("id", "date", "date_start", "date_end", "phase", "strength_min"):
        assert hidden not in table.frame.columns


def test_readable_columns_and_values(movements, sources):
    frame = show(movements, sources=sources).frame
    assert {"Unit", "Strength (men)", "Action", "From", "To", "Claimed by", "Source"} <= set(frame.columns)
    assert list(frame["Strength (men)"]) == ["not given", "30,000–40,000", "not given"]
    assert list(frame["Action"]) == ["sent back", "sent back", "crossed"]
    assert frame.loc[1, "From"] == ""
    assert readable("sent_back") == "sent back"


def test_sources_shown_footnotes_and_context_titles(movements, sources):
    frame = show(movements, sources=sources).frame
    assert list(frame["Source"][:2]) == ["Chen, fn. 31", "Chen, fn. 31"]
    assert frame.loc[2, "Source"].startswith("Context from outside the paper: FRUS 1950, vol. VI, doc. 195")
    assert "https://history.state.gov" in frame.loc[2, "Source"]
    assert source_label("chen1992", None) == "Chen, no footnote"
    assert source_label("fn_90") == "Chen, fn. 90"


def test_evidence_is_quoted_and_cited(movements, sources):
    frame = show(movements, sources=sources).frame
    assert frame.loc[0, "The paper's words"] == "“sent back to Korea in July 1949” (Chen, fn. 31)"
    assert frame.loc[2, "The paper's words"] == ""
    assert "The paper's words" not in show(movements, sources=sources, evidence=False).frame.columns


def test_filters_and_columns(movements, sources):
    table = show(movements, ["date_text", "unit"], phase="leaning", sources=sources)
    assert list(table.frame.columns) == ["Date (as the paper words it)", "Unit", "The paper's words", "Source"]
    assert len(table) == 2
    assert len(show(movements, where={"action": "crossed"}, sources=sources)) == 1
    with pytest.raises(YaluError):
        show(movements, ["no_such_column"], sources=sources)
    with pytest.raises(YaluError):
        show("events")


def test_html_is_deterministic_and_escaped(movements, sources):
    first = show(movements, sources=sources, caption="Korean <divisions>")._repr_html_()
    again = show(movements, sources=sources, caption="Korean <divisions>")._repr_html_()
    assert first == again
    assert "Korean &lt;divisions&gt;" in first
    assert "0x" not in first and "id=\"T_" not in first  # no memory addresses, no Styler uuids
    assert "July 1949" in repr(show(movements, sources=sources))


def test_order(movements, sources):
    by_unit = show(movements, ["unit"], order="unit", evidence=False, sources=sources).frame["Unit"]
    assert list(by_unit) == sorted(by_unit)
    as_stored = show(movements, ["unit"], order=None, evidence=False, sources=sources).frame["Unit"]
    assert list(as_stored) == list(movements["unit"])
    with pytest.raises(YaluError):
        show(movements, order="nope", sources=sources)

"""yalu.tables formats a loaded table for reading (tested on a small fixture, not on data/)."""
import pandas as pd
import pytest

from yalu import YaluError
from yalu.tables import Table, readable, show


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
        "source": ["chen1992", "chen1992", "ctx_frus_1950_vi_195"],
        "evidence": ["sent back to Korea in July 1949", "about 30,000-40,000", None],
    })
    frame.attrs["table"] = "troop_movements"
    return frame


FIXTURE = __import__("pathlib").Path(__file__).parent / "fixtures" / "data"


@pytest.fixture
def sources(monkeypatch):
    """The fixture data package, whose sources table holds the context source the rows cite."""
    monkeypatch.setenv("YALU_DATA", str(FIXTURE))


def test_dates_as_the_paper_words_them_in_date_order(movements, sources):
    table = show(movements)
    assert isinstance(table, Table)
    dates = list(table.frame["Date (as the paper words it)"])
    assert dates == ["July 1949", "from July to October 1949", "19 October 1950"]  # tm_b before tm_a: same start, earlier end
    for hidden in ("id", "date", "date_start", "date_end", "phase", "strength_min"):
        assert hidden not in table.frame.columns


def test_readable_columns_and_values(movements, sources):
    frame = show(movements).frame
    assert list(frame.columns) == ["Date (as the paper words it)", "Unit", "Strength (men)", "Action", "To", "Source"]
    assert len(frame.columns) <= 6, "at most six columns by default"
    assert list(frame["Strength (men)"]) == ["not given", "30,000–40,000", "not given"]
    assert list(frame["Action"]) == ["sent back", "sent back", "crossed"]
    assert show(movements, ["origin"]).frame.loc[1, "From"] == ""
    assert readable("sent_back") == "sent back"


def test_sources_shown_footnotes_and_context_titles(movements, sources):
    table = show(movements)
    frame = table.frame
    assert list(frame["Source"][:2]) == ["Chen, fn. 31", "Chen, fn. 31"]
    assert frame.loc[2, "Source"] == "Context: FRUS 1950 vol. VI doc. 195", "short link text, not the raw URL"
    html = table._repr_html_()
    assert '<a href="https://history.state.gov/historicaldocuments/frus1950v06/d195"' in html
    assert ">Context: FRUS 1950 vol. VI doc. 195</a>" in html


def test_evidence_is_quoted_and_cited(movements, sources):
    frame = show(movements, evidence=True).frame
    assert frame.loc[0, "The paper's words"] == "“sent back to Korea in July 1949” (Chen, fn. 31)"
    assert frame.loc[2, "The paper's words"] == ""
    assert "The paper's words" not in show(movements).frame.columns, "long quotations are optional"


def test_filters_and_columns(movements, sources):
    table = show(movements, ["date_text", "unit"], phase="leaning")
    assert list(table.frame.columns) == ["Date (as the paper words it)", "Unit", "Source"]
    assert len(table) == 2
    assert len(show(movements, where={"action": "crossed"})) == 1
    with pytest.raises(YaluError):
        show(movements, ["no_such_column"])
    with pytest.raises(YaluError):
        show("events")
    with pytest.raises(YaluError, match="row ids are internal"):
        show(movements, ["id", "unit"])


def test_html_is_deterministic_and_escaped(movements, sources):
    first = show(movements, caption="Korean <divisions>")._repr_html_()
    again = show(movements, caption="Korean <divisions>")._repr_html_()
    assert first == again
    assert "Korean &lt;divisions&gt;" in first
    assert "0x" not in first and "id=\"T_" not in first  # no memory addresses, no Styler uuids
    assert "July 1949" in repr(show(movements))


def test_order(movements, sources):
    by_unit = show(movements, ["unit"], order="unit", evidence=False).frame["Unit"]
    assert list(by_unit) == sorted(by_unit)
    as_stored = show(movements, ["unit"], order=None, evidence=False).frame["Unit"]
    assert list(as_stored) == list(movements["unit"])
    with pytest.raises(YaluError):
        show(movements, order="nope")


def test_html_keeps_its_shape_on_a_narrow_screen(movements, sources):
    html = show(movements, caption="Moves")._repr_html_()
    assert html.startswith('<div role="region" aria-label="Moves" tabindex="0" style="overflow-x:auto')
    assert "<caption" in html and 'scope="col"' in html
    cells = html.count("<td ")
    assert cells == html.count("text-align:left;vertical-align:top;white-space:normal") - html.count("<th ")
    assert "http" not in show(movements).frame.to_string(), "no raw URL in any cell"


@pytest.mark.parametrize("lo, hi, unit, text", [
    (1, 1, "divisions", "1 division"), (3, 4, "divisions", "3–4 divisions"), (1, 1, "aircraft", "1 aircraft"),
    (None, None, "divisions", "not given"),
])
def test_quantity_agrees_with_its_unit(lo, hi, unit, text):
    from yalu.tables import _quantity

    assert _quantity(lo, hi, unit) == text


def test_reader_shaped_input(movements, sources):
    assert list(show(movements, "unit").frame.columns) == ["Unit", "Source"], "one column named as text"
    events = __import__("yalu.data", fromlist=["load"]).load("events")
    with_stalin = show(events, where={"actors": "stalin"})
    assert len(with_stalin) >= 1 and all("Stalin" in who for who in with_stalin.frame["Who"])
    with pytest.raises(YaluError, match="people= takes the people table"):
        show(events, people=events)
    with pytest.raises(YaluError, match="where= takes a dict"):
        show(events, where="stalin")

"""Server-drawn SVG bar charts: well-formed, named for screen readers, bars in proportion, any
label escaped, and printable by WeasyPrint."""

from xml.etree import ElementTree

from dhr.pdf import html_to_pdf
from recommendations.charts import LABEL_WIDTH, VALUE_SPACE, WIDTH, Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_bars_are_in_proportion_and_in_order_with_their_values():
    root = _parse(
        bar_chart(
            [Bar("Police", 10), Bar("Health", 5), Bar("Housing", 0)],
            title="Recommendations by lead agency",
            description="Police 10, Health 5, Housing 0",
        )
    )
    widths = [int(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    span = WIDTH - LABEL_WIDTH - VALUE_SPACE
    assert widths == [span, span // 2, 0]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Police", "10", "Health", "5", "Housing", "0"]


def test_the_chart_is_named_for_screen_readers():
    root = _parse(bar_chart([Bar("A", 1)], title="By theme", description="A: 1"))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "By theme"
    assert root.find(f"{SVG}desc").get("id") == desc_id


def test_labels_are_escaped_and_long_ones_shortened_with_the_whole_in_the_tooltip():
    label = '<script>alert("x")</script> & a very long agency name indeed, longer than most'
    svg = bar_chart([Bar(label, 3)], title="t", description="d", unit="%")
    assert "<script>" not in svg
    root = _parse(svg)
    shown = next(root.iter(f"{SVG}text")).text
    assert shown.endswith("\u2026")
    assert len(shown) <= 34
    assert root.find(f"{SVG}rect/{SVG}title").text == f"{label}: 3%"


def test_an_empty_chart_says_none():
    root = _parse(bar_chart([], title="t", description="d"))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["None"]


def test_two_charts_on_one_page_have_different_ids():
    first = _parse(bar_chart([Bar("A", 1)], title="t", description="d"))
    second = _parse(bar_chart([Bar("A", 1)], title="t", description="d"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_weasyprint_prints_a_chart():
    chart = bar_chart([Bar("Police", 4), Bar("Health", 2)], title="t", description="d")
    html = f'<html lang="en-GB"><head><title>Chart</title></head><body>{chart}</body></html>'
    assert html_to_pdf(html).startswith(b"%PDF-")

"""Server-drawn SVG bar charts: well-formed, named for screen readers, bars in proportion, any
label escaped, and readable: every text at least 16px on screen and 10pt on paper, dark on
white, and inside the chart, none cut off or drawn over another, with the longest real labels."""

import re
from datetime import date
from io import BytesIO
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from dhr.pdf import html_to_pdf
from recommendations import tracker
from recommendations.charts import (
    CHAR_WIDTH,
    RIGHT,
    VALUE_GAP,
    WIDTH,
    Bar,
    bar_chart,
    text_width,
)
from recommendations.exports import PRINTED_CHART_HEIGHT, tracker_chart
from recommendations.models import TrackerStatus
from recommendations.themes import THEMES
from reviews.demo import AGENCIES
from reviews.tests.factories import PartnershipFactory

SVG = "{http://www.w3.org/2000/svg}"
PHONE_CONTENT_WIDTH = 290  # a page 320 CSS pixels wide, less GOV.UK's 15px margins
WHITE = "#ffffff"
# A text's box: its font size above the baseline, a quarter of it below (more than Arial's or
# DejaVu Sans's descent, about 0.21 and 0.24).
DESCENT = 0.25


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two colours written #rrggbb."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def real_labels(db) -> list[str]:
    """Every label a tracker report's chart shows, with the longest names it may show: the
    fixed lines of each section, the themes, the statuses, the demo's agencies, a long agency
    name and one long word."""
    partnership = PartnershipFactory(name="Northvale CSP")
    report = tracker.tracker_report(partnership, today=date(2026, 6, 1))
    fixed = [line.label for section in tracker.sections(report) for line in section.lines]
    return [
        *fixed,
        *THEMES,
        *tracker.GROUPS.values(),
        *TrackerStatus.labels,
        *(name for name, _, _ in AGENCIES),
        "Northvale and Southmere University Hospitals NHS Foundation Trust (community services)",
        "Multi-agency-risk-assessment-conference-coordination",
    ]


def _boxes(root: ElementTree.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each text and bar with its box (left, top, right, bottom), a text's width estimated at
    CHAR_WIDTH of its font size a character (no font metrics here)."""
    boxes = []
    for text in root.iter(f"{SVG}text"):
        x, y, size = float(text.get("x")), float(text.get("y")), float(text.get("font-size"))
        right = x + len(text.text) * size * CHAR_WIDTH
        boxes.append((text.text, (x, y - size, right, y + DESCENT * size)))
    for rect in root.iter(f"{SVG}rect"):
        x, y = float(rect.get("x")), float(rect.get("y"))
        w, h = float(rect.get("width")), float(rect.get("height"))
        boxes.append(("bar", (x, y, x + w, y + h)))
    return boxes


def test_bars_are_in_proportion_and_in_order_with_their_values():
    root = _parse(
        bar_chart(
            [Bar("Police", 10), Bar("Health", 5), Bar("Housing", 0)],
            title="Recommendations by lead agency",
            description="Police 10, Health 5, Housing 0",
        )
    )
    widths = [int(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    span = WIDTH - RIGHT - VALUE_GAP - text_width("10")
    assert widths == [round(span), round(span / 2), 0]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Police", "10", "Health", "5", "Housing", "0"]


def test_the_chart_is_named_for_screen_readers():
    root = _parse(bar_chart([Bar("A", 1)], title="By theme", description="A: 1"))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "By theme"
    assert root.find(f"{SVG}desc").get("id") == desc_id


def test_labels_are_escaped_and_long_ones_wrapped_whole_with_the_whole_in_the_tooltip():
    label = '<script>alert("x")</script> & a very long agency name indeed, longer than most'
    svg = bar_chart([Bar(label, 3)], title="t", description="d", unit="%")
    assert "<script>" not in svg
    root = _parse(svg)
    lines = [t.text for t in root.iter(f"{SVG}text")][:-1]  # the last is the value
    assert len(lines) > 1
    assert " ".join(lines) == label  # every word, none shortened
    assert root.find(f"{SVG}rect/{SVG}title").text == f"{label}: 3%"


def test_an_empty_chart_says_none():
    root = _parse(bar_chart([], title="t", description="d"))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["None"]


def test_two_charts_on_one_page_have_different_ids():
    first = _parse(bar_chart([Bar("A", 1)], title="t", description="d"))
    second = _parse(bar_chart([Bar("A", 1)], title="t", description="d"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


@pytest.mark.parametrize("unit", ["", "%"])
def test_every_text_is_readable_and_inside_the_chart_with_the_longest_real_labels(
    real_labels, unit
):
    bars = [Bar(label, 997 * n) for n, label in enumerate(real_labels)]  # values of 5 digits
    root = _parse(bar_chart(bars, title="t", description="d", unit=unit))
    left, top, width, height = (float(n) for n in root.get("viewBox").split())
    # Drawn at its own size, which a phone's page has room for: a unit is a CSS pixel.
    assert float(root.get("width")) == width <= PHONE_CONTENT_WIDTH
    assert float(root.get("height")) == height
    texts = list(root.iter(f"{SVG}text"))
    assert len(texts) > 2 * len(bars)  # the long labels take more than a line
    for text in texts:
        assert float(text.get("font-size")) >= 16, text.text
        assert contrast(text.get("fill"), WHITE) >= 4.5, text.text
    for rect in root.iter(f"{SVG}rect"):
        assert contrast(rect.get("fill"), WHITE) >= 3  # a graphic's contrast (WCAG 1.4.11)

    boxes = _boxes(root)
    for what, (x1, y1, x2, y2) in boxes:
        assert left <= x1, f"{what!r} is cut off at the left"
        assert x2 <= left + width, f"{what!r} is cut off at the right"
        assert top <= y1, f"{what!r} is cut off at the top"
        assert y2 <= top + height, f"{what!r} is cut off at the bottom"
    for i, (one, (a1, b1, a2, b2)) in enumerate(boxes):
        for other, (c1, d1, c2, d2) in boxes[i + 1 :]:
            assert a2 <= c1 or c2 <= a1 or b2 <= d1 or d2 <= b1, f"{one!r} overlaps {other!r}"


def test_a_printed_chart_is_at_least_10pt_and_whole_on_its_pages(real_labels):
    """As the tracker's PDF prints a chart: one of every real label, several times over (a
    partnership with many agencies), comes in parts, each on a page, none cut off at its foot."""
    labels = real_labels * 3
    section = tracker.Section(
        "by_lead_agency",
        "Recommendations by lead agency",
        [tracker.Line(label, n) for n, label in enumerate(labels)],
        counted="Recommendations",
    )
    chart = tracker_chart(section, max_height=PRINTED_CHART_HEIGHT)
    html = f'<html lang="en-GB"><head><title>Chart</title></head><body>{chart}</body></html>'
    reader = PdfReader(BytesIO(html_to_pdf(html)))
    assert len(reader.pages) > 1
    printed, texts = [], []

    def visit(text, cm, tm, font, size):
        if text.strip() and not re.fullmatch(r"Page \d+ of \d+", text.strip()):
            baseline = tm[5] * cm[3] + tm[4] * cm[1] + cm[5]  # points up from the page's foot
            texts.append((text, size * abs(tm[3]) * abs(cm[3]), baseline, height))

    for page in reader.pages:
        height = float(page.mediabox.height)
        printed.append(page.extract_text(visitor_text=visit))
    for text, points, baseline, height in texts:
        assert points >= 10, (text, points)
        assert 0 < baseline < height, f"{text!r} is off its page"
    read = re.sub(r"\s+", "", "".join(printed))  # a label's lines, read as one
    for label in labels:
        assert re.sub(r"\s+", "", label) in read, label

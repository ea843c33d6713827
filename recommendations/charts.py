"""Charts drawn on the server as SVG (for the tracker report's page and its PDF alike): a
horizontal bar chart whose title and description name it for screen readers. Each chart is
shown beside a table of the same figures, which is what assistive technology should read; the
SVG is an image of that table.

A chart is drawn at the size it is read at. It is WIDTH units wide and shown at most WIDTH CSS
pixels wide, never stretched (see `.app-chart`); a page 320 pixels wide has 290 for its
content, so not even a phone shrinks it, and its text is FONT_SIZE pixels on screen, and 12pt
on paper (a CSS pixel is 0.75pt). Each label has lines of its own above its bar, wrapped at the
words to fit the chart's width, so that no label is cut off. Without the font's metrics on the
server, a character is taken to be CHAR_WIDTH of the font size wide: more than the characters
of these labels take on average in Arial or DejaVu Sans (about 0.45 and 0.55)."""

import textwrap
from dataclasses import dataclass
from html import escape
from itertools import count

WIDTH = 288
FONT_SIZE = 16
CHAR_WIDTH = 0.6  # of the font size, an estimate on the wide side (see above)
LINE_HEIGHT = 20  # a label's lines, baseline to baseline
BAR_HEIGHT = 18
TOP = 4  # above the first label
LABEL_GAP = 4  # between a label and its bar
ROW_GAP = 14  # between one bar and the next label
VALUE_GAP = 6  # between a bar and its value
RIGHT = 4  # kept clear at the right
FONT_FAMILY = "arial, 'Helvetica Neue', helvetica, sans-serif"  # as the page's
BLUE = "#1d70b8"  # GOV.UK blue on white: 5.2:1
TEXT = "#0b0c0c"  # GOV.UK text colour on white: 19:1

_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """The width a text is taken to need (see CHAR_WIDTH)."""
    return len(text) * size * CHAR_WIDTH


def label_lines(label: str) -> list[str]:
    """The label in lines that fit the chart's width, broken between words (inside a word only
    when the word alone is too long)."""
    per_line = int(WIDTH // (FONT_SIZE * CHAR_WIDTH))
    return textwrap.wrap(label, width=per_line) or [label]


def _text(x: float, y: float, content: str) -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{FONT_SIZE}" fill="{TEXT}">{escape(content)}</text>'
    )


@dataclass(frozen=True)
class _Row:
    """A bar with its label's lines and its value, drawn from a given height down."""

    bar: Bar
    lines: list[str]
    value: str

    @property
    def height(self) -> int:
        return len(self.lines) * LINE_HEIGHT + LABEL_GAP + BAR_HEIGHT

    def draw(self, y: float, *, span: float, top: int) -> list[str]:
        parts = []
        for line in self.lines:
            parts.append(_text(0, y + FONT_SIZE, line))
            y += LINE_HEIGHT
        y += LABEL_GAP
        length = round(span * self.bar.value / top) if top else 0
        return [
            *parts,
            f'<rect x="0" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{BLUE}">'
            f"<title>{escape(self.bar.label)}: {escape(self.value)}</title></rect>",
            # The value's baseline puts its digits in the middle of the bar.
            _text(length + VALUE_GAP, y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35, self.value),
        ]


def _parts(rows: list[_Row], max_height: int | None) -> list[list[_Row]]:
    """The rows in consecutive parts, each no taller than `max_height` (when given) unless one
    row alone is."""
    parts: list[list[_Row]] = [[]]
    height = TOP * 2
    for row in rows:
        added = row.height + (ROW_GAP if parts[-1] else 0)
        if max_height and parts[-1] and height + added > max_height:
            parts.append([])
            height, added = TOP * 2, row.height
        parts[-1].append(row)
        height += added
    return parts


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    description: str,
    unit: str = "",
    max_height: int | None = None,
) -> str:
    """An SVG bar chart, one bar per item in the order given, each under its label and followed
    by its value. With `max_height` (a printed page's), a chart taller than that is drawn as
    several, one after another, each no taller, named as parts of the whole: a page cuts off
    whatever of an image does not fit on it."""
    values = [f"{bar.value}{unit}" for bar in bars]
    top = max((bar.value for bar in bars), default=0)
    # The longest bar leaves room at its end for the widest value.
    span = WIDTH - RIGHT - VALUE_GAP - max((text_width(v) for v in values), default=0)
    rows = [
        _Row(bar, label_lines(bar.label), value) for bar, value in zip(bars, values, strict=True)
    ]
    parts = _parts(rows, max_height)
    svgs = []
    for number, part in enumerate(parts, start=1):
        drawn, y = [], TOP
        for row in part:
            drawn += row.draw(y, span=span, top=top)
            y += row.height + ROW_GAP
        if not part:
            drawn.append(_text(0, y + FONT_SIZE, "None"))
            y += LINE_HEIGHT + ROW_GAP
        named = title if len(parts) == 1 else f"{title} (part {number} of {len(parts)})"
        svgs.append(_svg(drawn, height=y - ROW_GAP + TOP, title=named, description=description))
    return "".join(svgs)


def _svg(drawn: list[str], *, height: float, title: str, description: str) -> str:
    n = next(_ids)
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
            f'width="{WIDTH}" height="{height:g}" viewBox="0 0 {WIDTH} {height:g}" '
            f'font-family="{FONT_FAMILY}" aria-labelledby="chart-{n}-title chart-{n}-desc">',
            f'<title id="chart-{n}-title">{escape(title)}</title>',
            f'<desc id="chart-{n}-desc">{escape(description)}</desc>',
            *drawn,
            "</svg>",
        ]
    )

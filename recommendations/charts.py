"""Charts drawn on the server as SVG (for the tracker report's page and its PDF alike): a
horizontal bar chart whose title and description name it for screen readers. Each chart is
shown beside a table of the same figures, which is what assistive technology should read; the
SVG is an image of that table."""

from dataclasses import dataclass
from html import escape
from itertools import count

WIDTH = 640
LABEL_WIDTH = 240
BAR_HEIGHT = 22
GAP = 10
VALUE_SPACE = 60
BLUE = "#1d70b8"  # GOV.UK blue on white: 5.2:1
TEXT = "#0b0c0c"

_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def _shorten(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "\u2026"


def bar_chart(bars: list[Bar], *, title: str, description: str, unit: str = "") -> str:
    """An SVG bar chart, one bar per item in the order given, each labelled with its value."""
    n = next(_ids)
    top = max((bar.value for bar in bars), default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_SPACE
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc">',
        f'<title id="chart-{n}-title">{escape(title)}</title>',
        f'<desc id="chart-{n}-desc">{escape(description)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = GAP + row * (BAR_HEIGHT + GAP)
        length = round(span * bar.value / top) if top else 0
        middle = y + BAR_HEIGHT / 2 + 5
        value = f"{bar.value}{unit}"
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" font-size="14" '
            f'fill="{TEXT}">{escape(_shorten(bar.label))}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{BLUE}"><title>{escape(bar.label)}: {escape(value)}</title></rect>',
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" font-size="14" '
            f'fill="{TEXT}">{escape(value)}</text>',
        ]
    if not bars:
        parts.append(f'<text x="0" y="{GAP + 14}" font-size="14" fill="{TEXT}">None</text>')
    parts.append("</svg>")
    return "".join(parts)

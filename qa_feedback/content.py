"""The report's parts as clean, semantic HTML for the publishable bundle: a Word document
converted by mammoth (its headings, lists, tables and emphasis; not its fonts or colours) and
then sanitised by nh3, so that nothing but plain structure reaches the PDF. Headings become the
bundle's outline: each part's own h1 sits above them, so the document's levels move down one."""

import html
import re
from dataclasses import dataclass

import mammoth
import nh3
from django.core.exceptions import ValidationError

ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "b", "i", "u",
    "sup", "sub", "br", "blockquote", "table", "caption", "thead", "tbody", "tfoot", "tr", "th",
    "td", "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
# Word's built-in heading styles, and a common house "Title" style, as headings.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
"""


@dataclass(frozen=True)
class Heading:
    level: int  # in the bundle: 1 is a part
    anchor: str
    text: str


def sanitise(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def docx_to_html(fileobj) -> str:
    """A Word document's content as sanitised HTML. Images are left out: a published DHR has
    none, and they are what makes a PDF large."""
    try:
        result = mammoth.convert_to_html(
            fileobj,
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(lambda image: {"src": ""}),
        )
    except Exception as error:  # mammoth raises many kinds on a damaged file
        raise ValidationError(
            "The Word document could not be read: open it, save it again as DOCX, and upload "
            "it again"
        ) from error
    return sanitise(result.value)


def text_to_html(text: str) -> str:
    """Text written in the app: blank lines part paragraphs; a line starting '#', '##' or '###'
    is a heading of that level; lines starting '- ' are a list."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = block.strip().split("\n")
        heading = re.match(r"^(#{1,3})\s+(.*)$", lines[0])
        if heading and len(lines) == 1:
            level = len(heading[1])
            blocks.append(f"<h{level}>{html.escape(heading[2].strip())}</h{level}>")
        elif all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{html.escape(line.lstrip()[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{'<br>'.join(html.escape(line) for line in lines)}</p>")
    return "\n".join(blocks)


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)


def outline(markup: str, *, prefix: str) -> tuple[str, list[Heading]]:
    """Move every heading down one level (the part is the h1) and give it an anchor, for the
    contents and the PDF's bookmarks. Empty headings are dropped."""
    headings: list[Heading] = []

    def demote(match: re.Match) -> str:
        level = min(int(match[1]) + 1, 6)
        text = html.unescape(re.sub(r"<[^>]+>", "", match[2])).strip()
        if not text:
            return ""
        anchor = f"{prefix}-{len(headings) + 1}"
        headings.append(Heading(level, anchor, text))
        return f'<h{level} id="{anchor}">{match[2]}</h{level}>'

    return _HEADING.sub(demote, markup), headings

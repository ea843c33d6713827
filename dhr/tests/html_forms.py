"""A page's forms read from its HTML as a browser would show them, for tests through Django's
test client: what a field shows is what a browser test's `input_value()` or `to_be_checked()`
would find on the page as loaded."""

import lxml.html
from django.utils.datastructures import MultiValueDict

# Controls whose value is not data: a button's value is sent only when it is the one pressed.
NOT_DATA = {"submit", "button", "image", "reset", "file"}


def form_values(html: str | bytes, *, having: str) -> MultiValueDict:
    """The values the form holding a field named `having` shows and would send as it stands, in
    the order of the page: each text input's and textarea's text (with the one line break after
    `<textarea>` that a browser drops), the value of each checked radio button and checkbox, the
    selected options (a single choice with none marked shows its first). A disabled field or
    one without a name sends nothing and is left out; so are the buttons."""
    page = lxml.html.fromstring(html)
    forms = [form for form in page.forms if form.xpath(".//*[@name=$name]", name=having)]
    assert len(forms) == 1, f"{len(forms)} forms have a field named {having!r}"
    values = MultiValueDict()
    for field in forms[0].iter("input", "textarea", "select"):
        name = field.get("name")
        if not name or field.get("disabled") is not None:
            continue
        if field.tag == "textarea":
            values.appendlist(name, _textarea_text(field))
        elif field.tag == "select":
            for value in _selected(field):
                values.appendlist(name, value)
        else:
            kind = (field.get("type") or "text").lower()
            if kind in NOT_DATA:
                continue
            if kind in {"radio", "checkbox"}:
                if field.get("checked") is not None:
                    values.appendlist(name, field.get("value", "on"))
            else:
                values.appendlist(name, field.get("value", ""))
    return values


def heading(html: str | bytes) -> str:
    """The text of the page's one <h1>."""
    (h1,) = lxml.html.fromstring(html).xpath("//h1")
    return " ".join(h1.text_content().split())


def _textarea_text(field) -> str:
    text = field.text or ""
    # The HTML parser drops one line break straight after the start tag (Django's widget writes
    # one); lxml's keeps it.
    return text[1:] if text.startswith("\n") else text


def _selected(field) -> list[str]:
    options = field.xpath(".//option")
    chosen = [option for option in options if option.get("selected") is not None]
    if not chosen and options and field.get("multiple") is None:
        chosen = options[:1]
    return [
        option.get("value")
        if option.get("value") is not None
        else " ".join(option.text_content().split())
        for option in chosen
    ]

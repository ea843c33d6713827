"""The form reader for tests through the test client (dhr/tests/html_forms.py) reads a form as
Chromium does: the same names and values, in the same order, as the browser's own form data."""

import pytest
from django import forms

from dhr.tests.html_forms import form_values, heading
from reviews.tests.browser import new_context


class Everything(forms.Form):
    """Django's own widgets, as the pages render them."""

    text = forms.CharField(widget=forms.Textarea)
    blank_first = forms.CharField(widget=forms.Textarea)
    line = forms.CharField()
    outcome = forms.ChoiceField(
        choices=[("adequate", "Adequate"), ("revise", "Revise")], widget=forms.RadioSelect
    )
    none_chosen = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y"), ("z", "Z")], widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(choices=[("one", "One"), ("two", "Two")])
    kinds = forms.MultipleChoiceField(choices=[("p", "P"), ("q", "Q"), ("r", "R")])
    agreed = forms.BooleanField()
    hidden = forms.CharField(widget=forms.HiddenInput)
    upload = forms.FileField()


PAGE = """<!DOCTYPE html><html lang="en"><head><title>Forms</title></head><body>
<h1>  A   heading
</h1>
<form id="other"><input name="q" value="elsewhere"></form>
<form id="this">{fields}
<input name="no_type" value="it&amp;s &quot;quoted&quot;">
<input name="off" value="not sent" disabled>
<input value="no name">
<select name="plain"><option>  First   option </option><option>Second</option></select>
<input type="checkbox" name="bare" checked>
<textarea name="crlf">\r\nkept\r\nlines</textarea>
<button type="submit" name="go" value="1">Go</button>
<input type="submit" name="send" value="Send">
</form></body></html>"""


def _page() -> str:
    form = Everything(
        initial={
            "text": "Point one,\nand on.",
            "blank_first": "\nafter a blank line",
            "line": "<one line>",
            "outcome": "revise",
            "tags": ["x", "z"],
            "kind": "two",
            "kinds": ["q", "r"],
            "agreed": True,
            "hidden": "kept",
        }
    )
    return PAGE.format(fields=form.as_div())


def _pairs(values) -> list[tuple[str, str]]:
    return [(name, value) for name, kept in values.lists() for value in kept]


def test_a_form_s_fields_are_read_as_a_browser_shows_them():
    values = form_values(_page(), having="outcome")
    assert values["text"] == "Point one,\nand on."
    assert values["blank_first"] == "\nafter a blank line"
    assert values["line"] == "<one line>"
    assert values.getlist("outcome") == ["revise"]
    assert "none_chosen" not in values
    assert values.getlist("tags") == ["x", "z"]
    assert values.getlist("kind") == ["two"]
    assert values.getlist("kinds") == ["q", "r"]
    assert values["agreed"] == "on"
    assert values["hidden"] == "kept"
    assert values["no_type"] == 'it&s "quoted"'
    assert values["plain"] == "First option"
    assert values["bare"] == "on"
    assert values["crlf"] == "kept\nlines"
    for left_out in ("upload", "off", "go", "send", "q"):
        assert left_out not in values
    assert form_values(_page(), having="q") == {"q": ["elsewhere"]}
    assert heading(_page()) == "A heading"


def test_a_field_named_in_no_form_or_in_two_is_refused():
    with pytest.raises(AssertionError, match="0 forms"):
        form_values(_page(), having="nowhere")
    twice = "<form><input name=a></form><form><input name=a></form>"
    with pytest.raises(AssertionError, match="2 forms"):
        form_values(twice, having="a")


@pytest.mark.browser
def test_chromium_sends_what_the_reader_reads(chromium):
    context = new_context(chromium)
    try:
        page = context.new_page()
        page.set_content(_page())
        sent = page.evaluate(
            """() => Array.from(new FormData(document.getElementById('this')))
                   .filter(([, value]) => typeof value === 'string')"""
        )
        assert [tuple(pair) for pair in sent] == _pairs(form_values(_page(), having="outcome"))
        assert page.get_by_role("heading", level=1).inner_text() == heading(_page())
    finally:
        context.close()

from django import forms, template

from dhr.wording import FORMS, wording_of

register = template.Library()


@register.filter
def wording(owner, form="long"):
    """What the partnership of `owner` (a partnership, a review, anything of a review) calls its
    reviews: `{{ review|wording }}` "Domestic Abuse Related Death Review", `|wording:"short"`
    "DARDR", `"plural"`, `"short_plural"`, `"service"` (the service's name in the header)."""
    return getattr(wording_of(owner), form if form in FORMS else "long")


@register.simple_tag(takes_context=True)
def service_name_here(context):
    """The service's name in the header: as the partnership of the page's review (or the page's
    partnership) calls its reviews, else the deployment's own name."""
    return wording_of(context.get("review") or context.get("partnership")).service


@register.filter
def days_late(done_on, due_on):
    """How many days after `due_on` something was done on `done_on` (None when on time or when
    either date is missing): for 'decided 157 days late'."""
    if done_on is None or due_on is None or done_on <= due_on:
        return None
    return (done_on - due_on).days


@register.filter
def absolute(value):
    """The size of a number of days, for 'N days overdue'."""
    return abs(value)


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary links to: the field itself, or for a group the first thing in
    it to fix (crispy-forms-gds numbers radios and checkboxes from 1; a date starts at its day)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def in_sentence(label) -> str:
    """A label as it reads inside a sentence: its first letter lowered unless it starts a
    capitalised word ("Awaiting the CSP chair" -> "awaiting the CSP chair", "CSP chair" kept);
    `|lower` would write "csp"."""
    text = str(label)
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]

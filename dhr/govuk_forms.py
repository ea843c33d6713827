"""The GOV.UK Design System's form patterns, as every app's forms use them: the layout for
crispy-forms-gds (inside our own <form> tag, see `templates/includes/form.html`), dates as
day, month and year boxes, yes-or-no radios, radios that reveal a question, and error messages
that name what was asked for."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Size
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


def helper(*, legends: bool = True) -> FormHelper:
    """crispy-forms-gds's layout for our forms: no <form> tag (the template has it), small
    labels, and small legends unless `legends` is False (Django's own forms keep theirs)."""
    layout = FormHelper()
    layout.form_tag = False
    layout.label_size = Size.SMALL
    if legends:
        layout.legend_size = Size.SMALL
    return layout


def sentence(text: str) -> str:
    """Capitalise the first letter only ("the Home Office" keeps its capitals)."""
    return text[:1].upper() + text[1:]


class GovDateWidget(DateInputWidget):
    """crispy-forms-gds's day, month and year boxes, less the empty `aria-describedby` it
    leaves on each box when the date's error belongs to the whole date (invalid HTML: an IDREF
    list must name something). The fieldset around the boxes names the error instead."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for box in context["widget"]["subwidgets"]:
            if box["attrs"].get("aria-describedby") == "":
                del box["attrs"]["aria-describedby"]
        return context


class GovDateField(DateInputField):
    """A GOV.UK date input whose messages name the date asked for."""

    widget = GovDateWidget

    def __init__(self, *, what: str, required: bool = True, past_only: bool = True, **kwargs):
        self.what = what
        self.past_only = past_only
        kwargs.setdefault("label", sentence(what.removeprefix("the ")))
        super().__init__(required=required, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = f"{sentence(what)} must include a day, month and year"
        for sub in self.fields:
            sub.validators = []
            sub.error_messages["incomplete"] = (
                f"{sentence(what)} must include a day, month and year"
            )

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as error:
            raise ValidationError(f"{sentence(self.what)} must be a real date") from error
        if value.year < 1900:
            raise ValidationError(f"{sentence(self.what)} must be after 1900")
        if self.past_only and value > timezone.localdate():
            raise ValidationError(f"{sentence(self.what)} must be today or in the past")
        return value


def whole_number_input(*, width: int = 3) -> forms.TextInput:
    """GOV.UK's input for a whole number: a text input (not `type="number"`, which GOV.UK
    advises against: browsers round and scroll it, and some assistive technology misreads it)
    that opens the number keypad, as wide as the number expected. crispy-forms-gds gives it the
    `govuk-input` class, and the error border when its question has an error."""
    return forms.TextInput(
        attrs={
            "inputmode": "numeric",
            "spellcheck": "false",
            "class": f"govuk-input--width-{width}",
        }
    )


def required_message(field: forms.Field, message: str) -> forms.Field:
    field.error_messages["required"] = message
    return field


class GovForm(forms.Form):
    """A form laid out by crispy-forms-gds inside our own <form> tag (see includes/form.html)."""

    submit_label = "Save and continue"
    # How messages name a field whose label is a question ("Why is more time needed?").
    names: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper()
        layout = self.get_layout()
        if layout is not None:
            self.helper.layout = layout
        for name, field in self.fields.items():
            limit = getattr(field, "max_length", None)
            if limit and field.label:
                what = sentence(self.names.get(name, str(field.label)))
                field.error_messages["max_length"] = f"{what} must be {limit} characters or fewer"

    def get_layout(self):
        return None


def yes_or_no(*, label: str, yes: str, no: str, required: str) -> forms.TypedChoiceField:
    """A question answered by two radios, cleaned to True or False."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", yes), ("no", no)],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required},
    )


def comment_field(*, help_text: str, label: str = "Comment") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )


class DecisionWithReasonForm(GovForm):
    """A yes-or-no decision in the field named by `decision`, whose "no" needs a reason in
    `comment` (`reason_needed` is the message when it is missing)."""

    submit_label = "Record the decision"
    decision = "approve"
    reason_needed = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.decision) is False and not cleaned.get("comment", "").strip():
            self.add_error("comment", self.reason_needed)
        return cleaned


class RevealingRadio(ConditionalQuestion):
    """One radio of `radios_revealing`: crispy-forms-gds's conditional question, rendered by our
    template: its radios numbered from 1 like the package's other radios (the error summary
    links to `id_<name>_1`, see `error_anchor`), and what it reveals hidden by the style sheet
    while it is not chosen (`app-radios__reveal`). Not GOV.UK Frontend's script, which marks
    each such radio `aria-expanded`, an attribute ARIA does not allow on a radio."""

    template = "includes/revealing_radio.html"


def radios_revealing(field: str, choices, reveals: dict[str, tuple[str, ...]]):
    """A layout for GOV.UK radios whose choices in `reveals` (by value) show their fields when
    chosen (the conditional reveal; shown all along in a browser without CSS :has()).
    `choices` are the field's (value, label) pairs."""
    return ConditionalRadios(
        field, *(RevealingRadio(label, *reveals.get(value, ())) for value, label in choices)
    )

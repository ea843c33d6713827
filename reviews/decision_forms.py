"""The forms of the route after a decision not to hold a review, and of the safeguarding
partners' notice (the decision's own form, with its question on a child review, is in
`forms.py`)."""

from django import forms

from dhr.govuk_forms import GovDateField, GovForm, comment_field
from reviews.models import DecisionQAView


class DecisionQAViewForm(GovForm):
    submit_label = "Record the panel's view"

    view = forms.ChoiceField(
        label="What is the Home Office QA panel's view on the decision?",
        choices=DecisionQAView.View.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's view on the decision"},
    )
    # On or after the Home Office was told: the service's rule, shown on this field.
    received_on = GovDateField(what="the date of the panel's letter")
    comment = comment_field(
        label="The panel's comment (optional)",
        help_text="What the panel said about the decision, in its words where you can",
    )


class DirectionForm(GovForm):
    submit_label = "Record the direction and open the review"

    directed_on = GovDateField(what="the date of the direction")
    notes = comment_field(
        label="Notes (optional)",
        help_text="Who the direction names and what it asks for",
    )


class SafeguardingToldForm(GovForm):
    submit_label = "Save date"

    told_on = GovDateField(what="the date the safeguarding partners were told")

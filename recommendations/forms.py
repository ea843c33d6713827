"""Forms of the action plan: validation with GOV.UK-style messages, laid out by crispy-forms-gds
through `templates/includes/form.html`."""

from crispy_forms_gds.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from dhr.govuk_forms import (
    DecisionWithReasonForm,
    GovDateField,
    GovForm,
    comment_field,
    radios_revealing,
    required_message,
    yes_or_no,
)
from dhr.models import Agency, AgencyContact, User
from recommendations.models import Action, Escalation, NationalBody, Scope, Theme
from reviews.documents import validate_document


class RecommendationForm(GovForm):
    submit_label = "Save recommendation"

    text = required_message(
        forms.CharField(
            label="Recommendation",
            help_text="As worded in the overview report",
            widget=forms.Textarea(attrs={"rows": 5}),
            max_length=4000,
        ),
        "Enter the recommendation",
    )
    scope = forms.ChoiceField(
        label="Who is it for?",
        choices=Scope.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the recommendation is local, regional or national"
        },
    )
    lead_agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        label="Lead agency",
        empty_label="Choose an agency",
        error_messages={"required": "Select the lead agency"},
    )
    addressee = forms.ChoiceField(
        label="If national: which national body is it addressed to?",
        help_text="A national recommendation is sent to a national body, which replies to it",
        choices=NationalBody.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    addressee_other = forms.CharField(
        label="Name of the national body",
        max_length=200,
        required=False,
    )
    sent_to_body_on = GovDateField(
        what="the date it was sent to the national body",
        required=False,
        help_text="Leave blank until it is sent: the reply is chased from this date",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        label="Themes",
        help_text="Select at least one, and all that apply",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one theme"},
    )

    def get_layout(self):
        return Layout(
            "text",
            "scope",
            "lead_agency",
            radios_revealing(
                "addressee", NationalBody.choices, {NationalBody.OTHER: ("addressee_other",)}
            ),
            "sent_to_body_on",
            "themes",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == Scope.NATIONAL:
            addressee = cleaned.get("addressee")
            if not addressee:
                self.add_error(
                    "addressee", "Select the national body the recommendation is addressed to"
                )
            elif addressee == NationalBody.OTHER and not cleaned.get("addressee_other", "").strip():
                self.add_error("addressee_other", "Enter the name of the national body")
        return cleaned


class NationalReplyForm(GovForm):
    """When a national recommendation was sent to its body, and the body's reply."""

    submit_label = "Save"
    names = {"body_reply": "what the national body replied"}

    sent_to_body_on = GovDateField(
        what="the date it was sent to the national body",
        required=False,
        help_text="For example, 27 3 2026. The reply is chased from this date",
    )
    body_replied_on = GovDateField(
        what="the date of the reply", required=False, help_text="Leave blank until it replies"
    )
    body_reply = forms.CharField(
        label="What the national body replied",
        help_text="Its answer, in its own words or summarised",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=6000,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        sent, replied = cleaned.get("sent_to_body_on"), cleaned.get("body_replied_on")
        reply = cleaned.get("body_reply", "").strip()
        if replied and not reply:
            self.add_error("body_reply", "Enter what the national body replied")
        if reply and not replied and "body_replied_on" not in self.errors:
            self.add_error("body_replied_on", "Enter the date of the reply")
        if sent and replied and replied < sent:
            self.add_error(
                "body_replied_on",
                "The date of the reply must be the same as or after the date it was sent",
            )
        return cleaned


class ContactChoiceField(forms.ModelChoiceField):
    """Each contact named with their agency, so the right one is easy to pick."""

    def label_from_instance(self, user):
        agencies = ", ".join(c.agency.name for c in user.serving)
        return f"{user.name} ({agencies})"


def contacts_serving(partnership) -> QuerySet[User]:
    """The people who are an agency's contact for the partnership, each with those contacts
    (`serving`): the only ones an action of its reviews may name."""
    serving = AgencyContact.objects.filter(partnerships=partnership).select_related("agency")
    return (
        User.objects.filter(agency_contacts__partnerships=partnership)
        .distinct()
        .order_by("name", "pk")
        .prefetch_related(Prefetch("agency_contacts", queryset=serving, to_attr="serving"))
    )


class ActionForm(GovForm):
    submit_label = "Save action"

    description = required_message(
        forms.CharField(
            label="What will be done",
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=4000,
        ),
        "Enter what will be done",
    )
    owner_agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        label="Agency that owns it",
        empty_label="Choose an agency",
        error_messages={"required": "Select the agency that owns the action"},
    )
    contact = ContactChoiceField(
        queryset=User.objects.none(),  # the partnership's contacts, set when the form is made
        label="Named contact (optional)",
        help_text="One of the agency's contacts in this service",
        empty_label="No named contact",
        required=False,
    )
    target_date = GovDateField(what="the target date", past_only=False)
    completion_evidence = required_message(
        forms.CharField(
            label="How completion will be shown",
            help_text="For example a revised policy, training records or an audit",
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
        ),
        "Enter how completion will be shown",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        contact = self.fields["contact"]
        contact.queryset = contacts_serving(partnership)
        # Someone who is no contact for this partnership is not among the choices: said as
        # what to do, not Django's "Select a valid choice".
        contact.error_messages["invalid_choice"] = (
            f"Choose a contact for {partnership.name}, or no named contact"
        )

    def clean(self):
        cleaned = super().clean()
        agency, contact = cleaned.get("owner_agency"), cleaned.get("contact")
        if agency and contact and agency.pk not in {c.agency_id for c in contact.serving}:
            self.add_error(
                "contact",
                f"Choose a contact of {agency.name} for {self.partnership.name}, "
                "or no named contact",
            )
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Any number of files, each a PDF, DOCX or ODT up to 20 MB, checked by content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(EvidenceField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            try:
                validate_document(upload)
            except ValidationError as error:
                raise ValidationError(f"{upload.name}: {error.messages[0]}") from error
        return cleaned


class ActionUpdateForm(GovForm):
    submit_label = "Send update"
    names = {"not_applicable_reason": "the reason it no longer applies"}

    new_status = forms.ChoiceField(
        label="Where is the action now?",
        choices=[
            (Action.Status.IN_PROGRESS, "In progress"),
            (Action.Status.COMPLETED, "Completed"),
            (Action.Status.NOT_APPLICABLE, "No longer applies"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the action is now"},
    )
    narrative = required_message(
        forms.CharField(
            label="What has been done",
            help_text="Say what has changed since the last update, and what is still to do",
            widget=forms.Textarea(attrs={"rows": 6}),
            max_length=6000,
        ),
        "Enter what has been done",
    )
    not_applicable_reason = forms.CharField(
        label="If it no longer applies, why not?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    evidence = EvidenceField(
        label="Evidence (optional)",
        help_text="PDF, DOCX or ODT files, each smaller than 20 MB",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("new_status") == Action.Status.NOT_APPLICABLE
            and not cleaned.get("not_applicable_reason", "").strip()
        ):
            self.add_error("not_applicable_reason", "Say why the action no longer applies")
        return cleaned


class UpdateReviewForm(DecisionWithReasonForm):
    submit_label = "Record your decision"
    decision = "accept"
    reason_needed = "Say what the agency needs to change or add"

    accept = yes_or_no(
        label="Do you accept this update?",
        yes="Yes, accept it",
        no="No, return it to the agency",
        required="Select whether you accept the update",
    )
    comment = comment_field(
        label="Comment for the agency",
        help_text="Needed when you return it: say what needs to change or be added",
    )


class UpdateRequestForm(GovForm):
    submit_label = "Send the request"

    due_on = GovDateField(what="the date updates are due", past_only=False)
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        label="Which agencies?",
        help_text="Every agency with open actions is selected; clear any you do not want to ask",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one agency"},
    )
    message = forms.CharField(
        label="Message (optional)",
        help_text="Added to the email each agency receives",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies
        self.fields["agencies"].initial = list(agencies)

    def clean_due_on(self):
        value = self.cleaned_data.get("due_on")
        if value and value <= timezone.localdate():
            raise ValidationError("The date updates are due must be in the future")
        return value


class OverdueActionsField(forms.ModelMultipleChoiceField):
    """An agency's overdue actions, each named with its recommendation and how late it is."""

    def __init__(self, *args, today=None, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def label_from_instance(self, action):
        late = (self.today - action.target_date).days
        return (
            f"{action.recommendation}: {action.description[:120]}"
            f"{'...' if len(action.description) > 120 else ''} (due "
            f"{action.target_date:%-d %B %Y}, {late} day{'s' if late != 1 else ''} overdue)"
        )


class EscalationRaiseForm(GovForm):
    submit_label = "Propose the escalation"
    names = {"reason": "the reason"}

    also = OverdueActionsField(
        queryset=Action.objects.none(),
        label="The agency's other overdue actions on this review",
        help_text="One letter covers them all. Clear any you do not want to escalate now",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Select only actions from the list",
            "invalid_pk_value": "Select only actions from the list",
        },
    )
    reason = required_message(
        forms.CharField(
            label="Why should the agency's chief executive be written to?",
            help_text="The CSP chair reads this, and it is quoted in the letter",
            widget=forms.Textarea(attrs={"rows": 5}),
            max_length=3000,
        ),
        "Say why the agency should be escalated",
    )

    def __init__(self, *args, candidates, today, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates.exists():
            self.fields["also"].queryset = candidates
            self.fields["also"].today = today
            self.fields["also"].initial = [action.pk for action in candidates]
        else:
            del self.fields["also"]


class EscalationDecisionForm(DecisionWithReasonForm):
    reason_needed = "Say why the escalation is declined"

    approve = yes_or_no(
        label="Do you approve the escalation?",
        yes="Yes: write to the chief executive",
        no="No, decline it",
        required="Select whether you approve the escalation",
    )
    send_to = forms.EmailField(
        label="Chief executive's email address",
        help_text="The letter is sent here as a PDF",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    comment = comment_field(
        help_text="Needed when you decline it; when you approve it, it is added to the letter"
    )

    def clean(self):
        cleaned = super().clean()
        missing = not cleaned.get("send_to") and not self.has_error("send_to")
        if cleaned.get("approve") is True and missing:
            self.add_error("send_to", "Enter the chief executive's email address")
        return cleaned


class EscalationOutcomeForm(GovForm):
    submit_label = "Record the outcome"

    outcome = forms.ChoiceField(
        label="What came of it?",
        choices=Escalation.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what came of the escalation"},
    )
    on = GovDateField(what="the date of the outcome")
    notes = forms.CharField(
        label="Notes (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
    )


# --- the tracker report and importing a tracker


class PeriodForm(GovForm):
    """The period of the tracker report (read from the page's address)."""

    start = GovDateField(what="the first day of the period", required=False, past_only=False)
    end = GovDateField(what="the last day of the period", required=False, past_only=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The last day of the period must be on or after the first day")
        return cleaned


class TrackerUploadForm(GovForm):
    submit_label = "Check the file"

    file = forms.FileField(
        label="Upload your tracker",
        help_text="A CSV or Excel (XLSX) file smaller than 5 MB, with the template's columns",
        error_messages={
            "required": "Select your tracker file",
            "empty": "The selected file is empty",
        },
    )


class TrackerConfirmForm(GovForm):
    """Confirming an import: the new agencies it would add, and skipping its bad rows, are
    asked about only when there are some."""

    submit_label = "Import"

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        if job.new_agencies:
            count = len(job.new_agencies)
            self.fields["agencies_confirmed"] = forms.BooleanField(
                label=f"Add the {count} new agenc{'ies' if count != 1 else 'y'} listed above",
                help_text="Agencies are shared by every partnership: check each name is not an "
                "existing agency spelt differently",
                error_messages={
                    "required": "Confirm the new agencies, or correct their names in the file "
                    "and upload it again"
                },
            )
        if job.errors:
            good, bad = len(job.rows), len(job.bad_rows)
            self.fields["good_rows_only"] = forms.BooleanField(
                label=f"Import the {good} good row{'s' if good != 1 else ''} only, and skip "
                f"the {bad} row{'s' if bad != 1 else ''} with problems",
                error_messages={
                    "required": "Choose to import the good rows only, or correct the file and "
                    "upload it again"
                },
            )

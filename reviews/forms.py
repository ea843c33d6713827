"""The forms of each stage: validation with GOV.UK-style messages, and layout for
crispy-forms-gds. Views render them through `templates/includes/form.html`."""

from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst

from dhr.govuk_forms import (
    DecisionWithReasonForm,
    GovDateField,
    GovForm,
    comment_field,
    required_message,
    sentence,
    whole_number_input,
    yes_or_no,
)
from dhr.models import Agency, GuidanceVersion, Role, User
from dhr.wording import ReviewWording
from reviews.documents import validate_document
from reviews.models import (
    AgeBand,
    DeathType,
    FamilyContact,
    JointReview,
    OtherReview,
    ParallelProceeding,
    Relationship,
    ReportVersion,
    Sex,
    SituationOfConcern,
)


def _choices(enum, *, blank: str | None = None):
    choices = list(enum.choices)
    if blank is not None:
        choices = [("", blank), *[c for c in choices if c[0] != ""]]
    return choices


class NotificationForm(GovForm):
    notifying_force = forms.ModelChoiceField(
        queryset=Agency.objects.filter(kind=Agency.Kind.POLICE),
        label="Police force that notified the partnership",
        empty_label="Choose a police force",
        error_messages={"required": "Select the police force that notified you"},
    )
    notified_on = GovDateField(what="the date the notification was received")
    death_type = forms.ChoiceField(
        label="Type of death",
        choices=DeathType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of death"},
    )
    date_of_death = GovDateField(what="the date of death", required=False)
    children_in_household = forms.IntegerField(
        label="Children in the household",
        help_text="Enter 0 if there were none",
        widget=whole_number_input(width=3),
        min_value=0,
        max_value=30,
        initial=0,
        error_messages={
            "required": "Enter the number of children in the household, or 0",
            "invalid": "The number of children must be a whole number, like 2",
            "min_value": "The number of children cannot be less than 0",
            "max_value": "The number of children must be 30 or fewer",
        },
    )
    children_notes = forms.CharField(
        label="About the children (optional)", required=False, widget=forms.Textarea
    )
    victim_pseudonym = forms.CharField(
        label="Victim's pseudonym",
        max_length=60,
        help_text="Used everywhere the victim's name may not be shown, for example 'Mary'",
        error_messages={"required": "Enter a pseudonym for the victim"},
    )
    victim_name = forms.CharField(label="Victim's full name", max_length=150, required=False)
    victim_date_of_birth = GovDateField(what="the victim's date of birth", required=False)
    victim_age_band = forms.ChoiceField(
        label="Victim's age band",
        choices=_choices(AgeBand, blank="Choose an age band"),
        error_messages={"required": "Select the victim's age band"},
    )
    victim_sex = forms.ChoiceField(
        label="Victim's sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the victim's sex"},
    )
    victim_characteristics = forms.CharField(
        label="Victim's other protected characteristics (optional)",
        help_text="For example disability, race, religion or belief, sexual orientation, "
        "gender reassignment, pregnancy and maternity, marriage or civil partnership",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    perpetrator_pseudonym = forms.CharField(
        label="Perpetrator's pseudonym (optional)", max_length=60, required=False
    )
    perpetrator_name = forms.CharField(
        label="Perpetrator's full name (optional)", max_length=150, required=False
    )
    perpetrator_date_of_birth = GovDateField(what="the perpetrator's date of birth", required=False)
    perpetrator_age_band = forms.ChoiceField(
        label="Perpetrator's age band (optional)",
        choices=_choices(AgeBand, blank="Choose an age band"),
        required=False,
    )
    perpetrator_sex = forms.ChoiceField(
        label="Perpetrator's sex (optional)",
        choices=_choices(Sex, blank="Not recorded"),
        required=False,
    )
    perpetrator_characteristics = forms.CharField(
        label="Perpetrator's protected characteristics (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    relationship = forms.ChoiceField(
        label="Relationship of the perpetrator to the victim",
        choices=_choices(Relationship, blank="Choose a relationship"),
        error_messages={"required": "Select the relationship of the perpetrator to the victim"},
    )

    def get_layout(self):
        return Layout(
            Fieldset(
                "notifying_force",
                "notified_on",
                "death_type",
                "date_of_death",
                legend="The notification",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "victim_pseudonym",
                "victim_name",
                "victim_date_of_birth",
                "victim_age_band",
                "victim_sex",
                "victim_characteristics",
                legend="The victim",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "perpetrator_pseudonym",
                "perpetrator_name",
                "perpetrator_date_of_birth",
                "perpetrator_age_band",
                "perpetrator_sex",
                "perpetrator_characteristics",
                "relationship",
                legend="The perpetrator",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "children_in_household",
                "children_notes",
                legend="Children",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean(self):
        cleaned = super().clean()
        notified_on, died_on = cleaned.get("notified_on"), cleaned.get("date_of_death")
        if notified_on and died_on and died_on > notified_on:
            self.add_error(
                "date_of_death", "The date of death must be on or before the notification date"
            )
        return cleaned


class NotificationCreateForm(NotificationForm):
    """The first notification: the coordinator may serve more than one partnership."""

    partnership = forms.ModelChoiceField(
        queryset=None,
        label="Community Safety Partnership",
        empty_label="Choose a partnership",
        error_messages={"required": "Select the partnership that owns this review"},
    )
    submit_label = "Record notification"

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        if partnerships.count() == 1:
            self.fields["partnership"].initial = partnerships.first().pk
            self.fields["partnership"].widget = forms.HiddenInput()

    def get_layout(self):
        layout = super().get_layout()
        layout.fields.insert(0, "partnership")
        return layout


class TransitionForm(GovForm):
    on = GovDateField(what="the date")

    def __init__(self, *args, date_label: str, submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = date_label
        self.fields["on"].what = date_label[0].lower() + date_label[1:]
        self.fields["on"].error_messages["required"] = f"Enter the {self.fields['on'].what}"
        self.fields["on"].initial = timezone.localdate()
        self.submit_label = submit_label


class DecisionForm(GovForm):
    submit_label = "Record decision"

    proceed = yes_or_no(
        label="Will the partnership hold a review?",
        yes="Yes, hold a review",
        no="No, do not hold a review",
        required="Select whether the partnership will hold a review",
    )
    decided_on = GovDateField(what="the date of the decision")
    reasons = forms.CharField(
        label="Reasons for the decision",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reasons for the decision"},
    )
    situations_of_concern = forms.MultipleChoiceField(
        label="Situations of concern that apply",
        choices=SituationOfConcern.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_reviews_considered = forms.MultipleChoiceField(
        label="Other reviews considered",
        choices=OtherReview.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_reviews_notes = forms.CharField(
        label="Notes on the other reviews (optional)", widget=forms.Textarea, required=False
    )
    home_office_told_on = GovDateField(
        what="the date the Home Office was told",
        required=False,
        label="Date the Home Office was told (optional)",
    )
    family_told_on = GovDateField(
        what="the date the family was told",
        required=False,
        label="Date the family was told (optional)",
    )
    # Asked only for a victim aged 16 or 17 (briefing 4.3-4.4): see `__init__`.
    child_review = forms.ChoiceField(
        label="Does a Child Safeguarding Practice Review take precedence, or run jointly?",
        help_text="The victim was 16 or 17: a child review may take precedence over this review",
        choices=[
            (JointReview.REPLACED_CSPR, "A Child Safeguarding Practice Review takes precedence"),
            (JointReview.JOINT_CSPR, "The reviews run jointly"),
            ("none", "There is no child review: this review runs on its own"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether a Child Safeguarding Practice Review takes precedence, "
            "runs jointly, or there is none"
        },
    )
    child_review_notes = forms.CharField(
        label="Notes on the child review",
        help_text="Who runs it and how the two reviews share their work (optional with no "
        "child review)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    safeguarding_told_on = GovDateField(
        what="the date the safeguarding partners were told",
        required=False,
        label="Date the children's safeguarding partners were told (optional)",
        help_text="In every case they are told of the review: record it here or later",
    )
    CHILD_FIELDS = ("child_review", "child_review_notes", "safeguarding_told_on")

    def __init__(self, *args, child: bool = False, earlier=None, **kwargs):
        """`earlier`: the Home Office QA panel's request to reconsider (a `DecisionQAView`),
        when this is the fresh decision: its told dates are for the fresh one."""
        super().__init__(*args, **kwargs)
        self.child = child
        if not child:
            for name in self.CHILD_FIELDS:
                self.fields.pop(name)
        if earlier is not None:
            self._ask_of_the_fresh_decision(earlier)

    def _ask_of_the_fresh_decision(self, earlier) -> None:
        """The review's told dates are the fresh decision's from now on: the earlier decision's
        stay with it (kept on the panel's request), which the hints say."""
        of_earlier = f"the earlier decision, of {earlier.decision_on:%-d %B %Y}"
        for name, who, told in (
            ("home_office_told_on", "the Home Office", earlier.home_office_told_on),
            ("family_told_on", "the family", earlier.family_told_on),
        ):
            before = (
                f"{sentence(who)} was told of {of_earlier}, on {told:%-d %B %Y}: that date is "
                "kept with the earlier decision."
                if told
                else f"No date was recorded for telling {who} of {of_earlier}."
            )
            self.fields[name] = GovDateField(
                what=f"the date {who} was told of the fresh decision",
                required=False,
                label=f"When was {who} told of the fresh decision? (optional)",
                help_text=f"{before} Leave this empty until {who} is told of the fresh decision.",
            )

    def clean(self):
        cleaned = super().clean()
        if self.child:
            if cleaned.get("child_review") == "none":
                cleaned["child_review"] = JointReview.NONE
            elif cleaned.get("child_review") and not cleaned.get("child_review_notes", "").strip():
                self.add_error("child_review_notes", "Enter a note on the child review")
        decided_on = cleaned.get("decided_on")
        for name in ("home_office_told_on", "family_told_on"):
            told = cleaned.get(name)
            if decided_on and told and told < decided_on:
                what = self.fields[name].what
                self.add_error(name, f"{sentence(what)} must be on or after the decision")
        return cleaned


class HomeOfficeToldForm(GovForm):
    submit_label = "Confirm and record"

    # On or after the decision: the service's rule, shown on this field.
    told_on = GovDateField(what="the date the Home Office was told")


class JointReviewForm(GovForm):
    joint_review = forms.ChoiceField(
        label="Is this review run with another review?",
        choices=JointReview.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("joint_review") and not cleaned.get("notes", "").strip():
            self.add_error("notes", "Enter a note on the joint or replacing review")
        return cleaned


class SetUpForm(GovForm):
    chair_name = forms.CharField(
        label="Independent chair's name",
        help_text="The person appointed to chair this review's panel and write its report: not "
        "the CSP chair, who signs the report off",
        max_length=150,
        required=False,
    )
    chair_appointed_on = GovDateField(
        what="the date the independent chair was appointed", required=False
    )
    chair_independence_confirmed = forms.BooleanField(
        label="The independent chair has confirmed they are independent of every agency involved",
        required=False,
    )
    chair_training_confirmed = forms.BooleanField(
        label="The independent chair has completed the Home Office DHR chair training",
        required=False,
    )
    terms_of_reference = forms.CharField(
        label="Terms of reference", widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    terms_of_reference_file = forms.FileField(
        label="Terms of reference document (optional)",
        help_text="A PDF, DOCX or ODT file smaller than 20 MB",
        required=False,
    )
    terms_of_reference_agreed_on = GovDateField(
        what="the date the terms of reference were agreed", required=False
    )
    # Shown only for reviews under a guidance with a scoping review (the DARDR draft).
    scoping_completed_on = GovDateField(
        what="the date the scoping review was completed", required=False
    )

    def clean_terms_of_reference_file(self):
        upload = self.cleaned_data.get("terms_of_reference_file")
        if upload:
            validate_document(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("chair_appointed_on") and not cleaned.get("chair_name", "").strip():
            self.add_error("chair_name", "Enter the independent chair's name")
        return cleaned


class PanelMemberForm(GovForm):
    submit_label = "Add panel member"

    name = required_message(
        forms.CharField(label="Name", max_length=150), "Enter the member's name"
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        label="Agency (optional)",
        empty_label="Not from an agency",
        required=False,
    )
    role = required_message(
        forms.CharField(label="Role on the panel", max_length=150),
        "Enter the member's role on the panel",
    )


class AgencyReportRequestForm(GovForm):
    submit_label = "Request agency report"

    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        label="Agency",
        empty_label="Choose an agency",
        error_messages={"required": "Select the agency asked for a report"},
    )
    requested_on = GovDateField(what="the date the report was requested")
    due_on = GovDateField(what="the date the report is due", past_only=False)

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        self.fields["agency"].queryset = Agency.objects.exclude(agency_reports__review=review)

    def clean(self):
        cleaned = super().clean()
        requested, due = cleaned.get("requested_on"), cleaned.get("due_on")
        if requested and due and due < requested:
            self.add_error("due_on", "The date the report is due must be after it was requested")
        return cleaned


class AgencyReportForm(GovForm):
    requested_on = GovDateField(what="the date the report was requested")
    due_on = GovDateField(what="the date the report is due", past_only=False)
    received_on = GovDateField(what="the date the report was received", required=False)
    author = forms.CharField(label="Author", max_length=150, required=False)
    author_independence_confirmed = forms.BooleanField(
        label="The author had no direct involvement with the victim, the perpetrator or their "
        "families, and did not line-manage staff who did",
        required=False,
    )
    senior_sign_off_by = forms.CharField(
        label="Signed off by (senior manager)", max_length=150, required=False
    )
    signed_off_on = GovDateField(what="the date the senior manager signed it off", required=False)
    staff_feedback_held = forms.BooleanField(
        label="Staff involved have had a feedback session", required=False
    )
    document = forms.FileField(
        label="The report (optional)",
        help_text="A PDF, DOCX or ODT file smaller than 20 MB",
        required=False,
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            validate_document(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        requested, due = cleaned.get("requested_on"), cleaned.get("due_on")
        received = cleaned.get("received_on")
        if requested and due and due < requested:
            self.add_error("due_on", "The date the report is due must be after it was requested")
        if requested and received and received < requested:
            self.add_error(
                "received_on", "The date the report was received must be after it was requested"
            )
        # The date it arrived may be recorded alone: until its requirements are recorded (or
        # waived by the CSP chair) it shows as "received, not yet complete".
        if cleaned.get("signed_off_on") and not cleaned.get("senior_sign_off_by", "").strip():
            self.add_error(
                "senior_sign_off_by", "Enter the name of the senior manager who signed it off"
            )
        if cleaned.get("author_independence_confirmed") and not cleaned.get("author", "").strip():
            self.add_error("author", "Enter the author whose independence you confirm")
        return cleaned


class AgencyReportWaiveForm(GovForm):
    """The CSP chair waives one requirement of an agency report, with the reason."""

    submit_label = "Waive the requirement"
    names = {"reason": "the reason"}

    requirement = forms.ChoiceField(
        label="Which requirement do you waive?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the requirement you waive"},
    )
    reason = required_message(
        forms.CharField(
            label="Why is it waived?",
            help_text="The coordinator and the review's history will show this",
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=2000,
        ),
        "Enter why the requirement is waived",
    )

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = requirements

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Enter why the requirement is waived")
        return reason


class NoRecommendationsForm(GovForm):
    """The CSP chair records why the review makes no recommendations (before signing it off)."""

    submit_label = "Save the reason"
    names = {"reason": "the reason"}

    reason = required_message(
        forms.CharField(
            label="Why does the review make no recommendations?",
            help_text="Shown on the review page and in its history, and read by the Home "
            "Office's Quality Assurance panel with the report",
            widget=forms.Textarea(attrs={"rows": 5}),
            max_length=4000,
        ),
        "Enter why the review makes no recommendations",
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Enter why the review makes no recommendations")
        return reason


class FamilyContactForm(GovForm):
    submit_label = "Add contact"

    contacted_on = GovDateField(what="the date of the contact")
    who = required_message(
        forms.CharField(label="Who was contacted", max_length=200),
        "Enter who was contacted, for example 'Victim's sister'",
    )
    method = forms.ChoiceField(
        label="How",
        choices=FamilyContact.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the contact was made"},
    )
    advocate_involved = forms.BooleanField(
        label="A specialist advocate was involved", required=False
    )
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)


class PseudonymForm(GovForm):
    submit_label = "Save pseudonym"

    pseudonym = required_message(
        forms.CharField(label="Pseudonym agreed with the family", max_length=60),
        "Enter the pseudonym the family agreed",
    )


class ProceedingForm(GovForm):
    kind = forms.ChoiceField(
        label="Type of proceeding",
        choices=ParallelProceeding.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of proceeding"},
    )
    started_on = GovDateField(what="the date it started")
    ended_on = GovDateField(what="the date it ended", required=False)
    outcome = forms.CharField(
        label="Outcome (optional)",
        help_text="For example the verdict, or the inquest's conclusion",
        widget=forms.Textarea,
        required=False,
    )
    effect = forms.ChoiceField(
        label="What has the partnership agreed about the overview report's timescale?",
        help_text="A proceeding does not move the report's due date by itself: the six months "
        "hold unless the partnership formally agrees otherwise. An inquest has no effect unless "
        "you choose otherwise: the coroner suspends it while charges are pending.",
        choices=[
            (ParallelProceeding.Effect.NONE, "Nothing: the report's due date stays as it is"),
            (
                ParallelProceeding.Effect.EXTENSION,
                "A new date for the report (an extension): ask the CSP chair to approve it next",
            ),
            (
                ParallelProceeding.Effect.PAUSE,
                "A pause of the clock while this runs: ask the CSP chair to agree it",
            ),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", "The date it ended must be on or after the date it started")
        if not cleaned.get("effect") and cleaned.get("kind") != ParallelProceeding.Kind.INQUEST:
            self.add_error(
                "effect", "Select what the partnership agreed about the report's timescale"
            )
        return cleaned


class PauseDecisionForm(DecisionWithReasonForm):
    decision = "agree"
    reason_needed = "Say why the pause is refused"

    agree = yes_or_no(
        label="Do you agree, for the partnership, to pause the clock while this runs?",
        yes="Yes, agree the pause",
        no="No, refuse it",
        required="Select whether you agree the pause",
    )
    comment = comment_field(help_text="Needed when you refuse it: the coordinator will see it")


class ReportVersionForm(GovForm):
    submit_label = "Upload"

    kind = forms.ChoiceField(
        label="Which document",
        choices=ReportVersion.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which document you are uploading"},
    )
    file = forms.FileField(
        label="The file",
        help_text="A PDF, DOCX or ODT file smaller than 20 MB",
        error_messages={"required": "Select a file to upload"},
    )
    notes = forms.CharField(label="What changed (optional)", max_length=300, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document(upload)
        return upload


class ViewersForm(GovForm):
    submit_label = "Save viewers"

    viewers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label="Who else may read this review",
        help_text="Viewers never see confidential details such as names and dates of birth",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select viewers from the list"},
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["viewers"].queryset = User.objects.filter(
            memberships__partnership_id=review.partnership_id, memberships__role=Role.VIEWER
        ).order_by("name")


class ExtensionRequestForm(GovForm):
    submit_label = "Ask the CSP chair for an extension"
    names = {"reason": "the reason"}

    new_due_on = GovDateField(what="the new date the report is due", past_only=False)
    reason = required_message(
        forms.CharField(
            label="Why is more time needed?",
            help_text="For example a criminal trial still to be held, or an agency report "
            "that needs more work",
            widget=forms.Textarea(attrs={"rows": 5}),
            max_length=2000,
        ),
        "Enter why more time is needed",
    )

    def clean_new_due_on(self):
        value = self.cleaned_data.get("new_due_on")
        if value and value <= timezone.localdate():
            raise ValidationError("The new date the report is due must be in the future")
        return value


class ExtensionDecisionForm(DecisionWithReasonForm):
    reason_needed = "Say why the extension is refused"

    approve = yes_or_no(
        label="Do you approve the extension?",
        yes="Yes, approve it",
        no="No, refuse it",
        required="Select whether you approve the extension",
    )
    comment = comment_field(help_text="Needed when you refuse it: the coordinator will see it")


class ReminderDaysField(forms.CharField):
    """Days before a deadline, typed as a list: "14, 3, 0"."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return []
        days = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()):
                raise ValidationError(
                    "Enter the days as whole numbers separated by commas, like 14, 3, 0"
                )
            days.append(int(part))
        if any(day > 90 for day in days):
            raise ValidationError("Each reminder day must be 90 or fewer days before")
        return sorted(set(days), reverse=True)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(day) for day in value)
        return value


def whole_number_setting(
    label: str,
    *,
    what: str,
    example: int,
    up_to: int = 365,
    width: int = 3,
    help_text: str = "",
    required: str = "",
) -> forms.IntegerField:
    """A partnership's number of days or years, from 1 to `up_to`, with the GOV.UK error
    messages written from `what` ("the days a national body has to reply")."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        widget=whole_number_input(width=width),
        min_value=1,
        max_value=up_to,
        error_messages={
            "required": required or f"Enter {what}",
            "invalid": f"Enter {what} as a whole number, like {example}",
            "min_value": f"{capfirst(what)} must be at least 1",
            "max_value": f"{capfirst(what)} must be {up_to} or fewer",
        },
    )


class PartnershipSettingsForm(GovForm):
    submit_label = "Save settings"

    guidance_version = forms.ChoiceField(
        label="Guidance that new reviews start under",
        help_text="A review keeps the timescales of the guidance it started under",
        choices=GuidanceVersion.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the guidance new reviews start under",
            "invalid_choice": "Select the guidance new reviews start under",
        },
    )
    review_wording = forms.ChoiceField(
        label="What the partnership calls its reviews",
        help_text="Every page, email, letter and PDF of its reviews says so, and new references "
        "start with it (like DARDR-2026-01). The guidance a review runs under does not change",
        choices=ReviewWording.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what the partnership calls its reviews",
            "invalid_choice": "Select what the partnership calls its reviews",
        },
    )
    reminder_days_before = ReminderDaysField(
        label="Send reminders this many days before each deadline",
        help_text="Whole numbers separated by commas; 0 is the day itself. For example 14, 3, 0",
        error_messages={"required": "Enter the days before a deadline to send reminders"},
    )
    overdue_reminder_every_days = forms.IntegerField(
        label="Then, while overdue, remind every (days)",
        help_text="0 sends no reminders once a deadline has passed",
        widget=whole_number_input(width=2),
        min_value=0,
        max_value=90,
        error_messages={
            "required": "Enter how often to remind while overdue, or 0",
            "invalid": "Enter how often to remind as a whole number of days, like 7",
            "min_value": "How often to remind cannot be less than 0",
            "max_value": "How often to remind must be 90 days or fewer",
        },
    )
    qa_revision_days = whole_number_setting(
        "Days to send the revised report after the Home Office QA letter",
        what="the days to revise a report",
        required="Enter the days to revise a report after the QA letter",
        example=60,
    )
    national_reply_days = whole_number_setting(
        "Days a national body has to reply to a national recommendation",
        help_text="Counted from the day the recommendation is sent to it; 56 days, as for a "
        "coroner's report, unless the partnership agrees otherwise",
        what="the days a national body has to reply",
        example=56,
    )
    commissioner_copy_days = whole_number_setting(
        "Days to send the Domestic Abuse Commissioner a copy of the approved report",
        help_text="Counted from the CSP chair's approval for publication. The law asks for the "
        "copy as soon as reasonably practicable after the report is completed",
        what="the days to send the Commissioner a copy",
        required="Enter the days to send the Domestic Abuse Commissioner a copy",
        example=28,
    )
    retention_years = whole_number_setting(
        "Years to keep a review's record after it ends",
        help_text="Then the names, dates of birth, family contacts and files that identify "
        "people are removed; the reference, pseudonym, action plan and published report stay",
        what="the years to keep a review's record",
        example=7,
        up_to=50,
        width=2,
    )


class PublishForm(GovForm):
    submit_label = "Record the publication"
    names = {"url": "the web link"}

    on = GovDateField(what="the date the report was published")
    url = required_message(
        forms.URLField(
            label="Web link to the published report",
            help_text="The page on the partnership's website where the report can be read, "
            "starting https://",
            max_length=500,
            assume_scheme="https",
            error_messages={
                "invalid": "Enter a web link in the correct format, like "
                "https://www.example.gov.uk/dhr"
            },
            widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        ),
        "Enter the web link to the published report",
    )


class ConcludeForm(GovForm):
    submit_label = "Conclude the review"
    names = {"closing_audit": "what the closing audit found"}

    on = GovDateField(what="the date the review concluded")
    closing_audit = required_message(
        forms.CharField(
            label="What did the closing audit find?",
            help_text="How the steering group checked that every action was carried out",
            widget=forms.Textarea(attrs={"rows": 6}),
            max_length=6000,
        ),
        "Enter what the closing audit found",
    )


class ChronologyUploadForm(GovForm):
    submit_label = "Upload chronology"

    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"),
        label="Agency",
        empty_label="Choose an agency",
        error_messages={"required": "Select the agency whose chronology this is"},
    )
    file = forms.FileField(
        label="The chronology",
        help_text="An XLSX or CSV file made from the chronology template, smaller than 10 MB",
        error_messages={"required": "Select the chronology file to upload"},
    )


class ChronologyFilterForm(forms.Form):
    """The merged chronology's filters, sent in the address (GET): any choice not offered is
    ignored rather than refused."""

    agency = forms.ChoiceField(label="Filter by agency", required=False)
    person = forms.ChoiceField(label="Filter by person involved", required=False)

    def __init__(self, *args, agencies: list[str], people: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "All agencies"), *((a, a) for a in agencies)]
        self.fields["person"].choices = [("", "Everyone"), *((p, p) for p in people)]

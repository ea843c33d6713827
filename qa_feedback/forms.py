import contextlib
import re

from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from dhr.govuk_forms import GovDateField, GovForm, required_message
from qa_feedback import workflow
from qa_feedback.models import (
    Category,
    ConfidentialTerm,
    Outcome,
    QALetter,
    QAPoint,
    ReportCopy,
)
from qa_feedback.reading import MAX_CHARS, text_of
from qa_feedback.services import LETTER_FIELDS, PointInput

MAX_POINTS = 60  # more than any letter has; bounds what a posted form can ask for


class LetterReadForm(GovForm):
    """The letter as pasted text or as its file; the app reads either."""

    submit_label = "Read the letter"
    names = {"text": "the letter's text"}

    text = forms.CharField(
        label="Paste the letter's text",
        help_text="Copy everything from the letter's date to its signature",
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        max_length=MAX_CHARS,
        required=False,
    )
    file = forms.FileField(
        label="Or upload the letter",
        help_text="A PDF, Word (DOCX), ODT or text file, smaller than 20 MB",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.letter_text = text_of(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text", "").strip(), cleaned.get("file")
        if "file" in self.errors or "text" in self.errors:
            return cleaned
        if text and upload:
            self.add_error("text", "Paste the letter's text or upload its file, not both")
        elif not text and not upload:
            self.add_error("text", "Paste the letter's text or upload its file")
        elif text:
            self.letter_text = text
        return cleaned


def _listed(value: str, pattern: str) -> list[str] | None:
    """Comma-separated values, each matching `pattern`; None when one does not."""
    parts = [part.strip() for part in re.split(r"[,;]|\band\b", value) if part.strip()]
    if not all(re.fullmatch(pattern, part) for part in parts):
        return None
    return list(dict.fromkeys(parts))


PARAGRAPH = r"\d{1,3}(?:\.\d{1,3}){0,5}"
RECOMMENDATION = r"[1-9]\d{0,2}"


class LetterCheckForm(GovForm):
    """The letter's details and its points as the app read them, for the coordinator to check
    and correct before they are recorded. Each point is a group of fields named point_N_*;
    one empty group at the end adds a point, and "Add another point" offers one more."""

    submit_label = "Record the letter"
    names = {"signatory": "who signed the letter", "good_practice": "the good practice"}

    received_on = GovDateField(what="the date the letter was received")
    # Not after today, nor before the review's notification: `workflow.letter_dates_wrong`.
    letter_date = GovDateField(what="the date of the letter", past_only=False)
    panel_date = GovDateField(
        what="the date of the panel meeting",
        required=False,
        help_text="Leave blank when the letter gives only a month",
    )
    signatory = forms.CharField(label="Signed by", max_length=200, required=False)
    outcome = forms.ChoiceField(
        label="What did the panel decide?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the panel decided"},
    )
    good_practice = forms.CharField(
        label="Good practice the panel commends",
        help_text="Kept with the letter, so the next review can build on it",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=6000,
        required=False,
    )
    slots = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_POINTS + 1)

    def __init__(self, *args, letter: QALetter, slots: int, proposed: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        # The first `proposed` groups hold the points the app read, in order (`initial_for`).
        self.proposed = proposed
        self.letter = letter
        # The date the app read, if it could: otherwise the coordinator is told to enter it.
        self.date_unread = letter.letter_date is None
        self.fields["letter_date"].help_text = (
            "The app could not read it from the letter: enter it as the letter gives it. "
            "For example, 18 10 2025"
            if self.date_unread
            else "As the app read it from the letter: correct it if it is wrong"
        )
        if self.is_bound:
            with contextlib.suppress(TypeError, ValueError):
                slots = int(self.data.get("slots", slots))
        self.slot_count = max(1, min(slots, MAX_POINTS + 1))
        self.fields["slots"].initial = self.slot_count
        # The theme heading each proposed point was under ("Structure:"), shown by its category.
        headings = (
            list(letter.points.order_by("number").values_list("heading", flat=True)[:proposed])
            if proposed
            else []
        )
        for n in range(1, self.slot_count + 1):
            self.fields[f"point_{n}_text"] = forms.CharField(
                label="What the panel says",
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=6000,
                required=False,
            )
            self.fields[f"point_{n}_paragraphs"] = forms.CharField(
                label="Paragraphs of the report it names",
                help_text="Separate them with commas, like 5.1.17, 15.4",
                max_length=500,
                required=False,
            )
            self.fields[f"point_{n}_recommendations"] = forms.CharField(
                label="Recommendations it names",
                help_text="Their numbers, like 8, 11",
                max_length=200,
                required=False,
            )
            self.fields[f"point_{n}_category"] = forms.ChoiceField(
                label="Category", choices=Category.choices, initial=Category.OTHER
            )
            if n <= len(headings) and headings[n - 1]:
                self.fields[
                    f"point_{n}_category"
                ].help_text = (
                    f"The letter puts this point under the heading \u201c{headings[n - 1]}\u201d"
                )
            self.fields[f"point_{n}_remove"] = forms.BooleanField(
                label="Remove this point: it is not something to address", required=False
            )
            self.names[f"point_{n}_text"] = f"the text of point {n}"
        self.helper.layout = self.get_layout()

    def get_layout(self):
        if not hasattr(self, "slot_count"):
            return None
        layout = [
            Fieldset(
                Field("received_on"),
                Field("letter_date"),
                Field("panel_date"),
                Field("signatory"),
                Field.radios("outcome", legend_size=Size.SMALL),
                Field("good_practice"),
                legend="The letter",
                legend_size=Size.MEDIUM,
            ),
            HTML('<h2 class="govuk-heading-m">The points to address</h2>'),
            HTML(
                '<p class="govuk-body">Check each point against the letter. Remove anything '
                "that is not a point to address, and add any the app missed in the empty "
                "point at the end.</p>"
            ),
        ]
        for n in range(1, self.slot_count + 1):
            last = n == self.slot_count
            layout.append(
                Fieldset(
                    Field(f"point_{n}_text"),
                    Field(f"point_{n}_paragraphs"),
                    Field(f"point_{n}_recommendations"),
                    Field(f"point_{n}_category"),
                    *([] if last else [Field(f"point_{n}_remove")]),
                    legend="Add a point" if last else f"Point {n}",
                    legend_size=Size.SMALL,
                )
            )
        layout.append(Field("slots"))
        return Layout(*layout)

    @staticmethod
    def initial_for(letter, slots: int) -> dict:
        initial = {name: getattr(letter, name) for name in LETTER_FIELDS}
        for n, point in enumerate(letter.points.all(), start=1):
            initial[f"point_{n}_text"] = point.text
            initial[f"point_{n}_paragraphs"] = ", ".join(point.paragraphs)
            initial[f"point_{n}_recommendations"] = ", ".join(
                str(r) for r in point.recommendation_numbers
            )
            initial[f"point_{n}_category"] = point.category
        initial["slots"] = slots
        return initial

    def clean(self):
        cleaned = super().clean()
        wrong = workflow.letter_dates_wrong(
            self.letter.review,
            letter_date=cleaned.get("letter_date"),
            received_on=cleaned.get("received_on"),
            panel_date=cleaned.get("panel_date"),
            today=timezone.localdate(),
        )
        for name, message in wrong.items():
            if name not in self.errors:  # a date not given or not real says so already
                self.add_error(name, message)
        self.points: list[PointInput] = []
        for n in range(1, self.slot_count + 1):
            if cleaned.get(f"point_{n}_remove"):
                continue
            text = cleaned.get(f"point_{n}_text", "").strip()
            paragraphs = _listed(cleaned.get(f"point_{n}_paragraphs", ""), PARAGRAPH)
            recommendations = _listed(cleaned.get(f"point_{n}_recommendations", ""), RECOMMENDATION)
            last = n == self.slot_count
            if not text:
                if not last and f"point_{n}_text" not in self.errors:
                    self.add_error(f"point_{n}_text", f"Enter the text of point {n}, or remove it")
                continue
            if paragraphs is None:
                self.add_error(
                    f"point_{n}_paragraphs",
                    f"Enter the paragraphs point {n} names as numbers like 5.1.17, separated "
                    "by commas",
                )
            if recommendations is None:
                self.add_error(
                    f"point_{n}_recommendations",
                    f"Enter the recommendations point {n} names as whole numbers like 8, 11",
                )
            if paragraphs is not None and recommendations is not None:
                self.points.append(
                    PointInput(
                        text=text,
                        paragraphs=paragraphs,
                        recommendations=[int(r) for r in recommendations],
                        category=cleaned.get(f"point_{n}_category") or Category.OTHER,
                        proposed=n if n <= self.proposed else None,
                    )
                )
        return cleaned

    def letter_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in LETTER_FIELDS}


class PointResponseForm(GovForm):
    submit_label = "Save the response"
    names = {"owner": "who will address it"}

    status = forms.ChoiceField(
        label="Where is this point?",
        choices=QAPoint.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where this point is"},
    )
    response = forms.CharField(
        label="Response",
        help_text="Addressed: how the report was changed, with the paragraph. "
        "Not accepted: why not.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=6000,
        required=False,
    )
    owner = forms.CharField(
        label="Who will address it",
        help_text="For example, the independent chair and author",
        max_length=150,
        required=False,
    )
    category = forms.ChoiceField(label="Category", choices=Category.choices)

    def clean(self):
        cleaned = super().clean()
        status, response = cleaned.get("status"), cleaned.get("response", "").strip()
        if status == QAPoint.Status.ADDRESSED and not response and "response" not in self.errors:
            self.add_error("response", "Enter how the report was changed to address the point")
        if status == QAPoint.Status.NOT_ACCEPTED and not response and "response" not in self.errors:
            self.add_error("response", "Enter why the point is not accepted")
        return cleaned


class StepForm(GovForm):
    submit_label = "Mark as done"

    done_on = GovDateField(what="the date it was done")
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, who it was sent to",
        max_length=500,
        required=False,
    )


class CopyForm(GovForm):
    """A copy of the approved report sent: when, to whom and how."""

    submit_label = "Save"

    sent_on = GovDateField(what="the date it was sent")
    sent_to = forms.CharField(
        label="Sent to (optional)",
        help_text="The name or role of the person it was sent to",
        max_length=200,
        required=False,
    )
    method = forms.ChoiceField(
        label="How was it sent? (optional)",
        choices=ReportCopy.Method.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Select how the copy was sent"},
    )


class OwnStepForm(GovForm):
    """A partnership's own publication step, in its own words."""

    submit_label = "Save the step"
    names = {"text": "what the step is"}

    text = required_message(
        forms.CharField(
            label="What is the step?",
            help_text="Written as the task, for example: Send a copy to the Safeguarding Adults "
            "Board",
            max_length=200,
        ),
        "Enter what the step is",
    )

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise ValidationError("Enter what the step is")
        return text


class AcceptFindingForm(GovForm):
    submit_label = "Accept it"
    names = {"reason": "the reason"}

    reason = required_message(
        forms.CharField(
            label="Why may this stay in the published report?",
            help_text="For example: it is the name of a professional, not of the family",
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=2000,
        ),
        "Enter why this may stay in the published report",
    )


class TermForm(GovForm):
    submit_label = "Add it"
    names = {"value": "what to look for"}

    kind = forms.ChoiceField(
        label="What is it?",
        choices=ConfidentialTerm.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what it is"},
    )
    value = required_message(
        forms.CharField(
            label="What to look for",
            help_text="Written as it might appear in the report, like a full name or a street",
            max_length=300,
        ),
        "Enter what to look for",
    )

    def clean_value(self):
        value = self.cleaned_data["value"].strip()
        if len(value) < 3:
            raise forms.ValidationError("What to look for must be 3 characters or more")
        return value


class ReportTextForm(GovForm):
    submit_label = "Save"
    names = {"text": "the text"}

    text = forms.CharField(
        label="The text",
        help_text="Leave a blank line between paragraphs. Start a heading with # (a section), "
        "## or ###; start each item of a list with a dash. Leave it empty to use the uploaded "
        "version instead.",
        widget=forms.Textarea(attrs={"rows": 25}),
        max_length=2_000_000,
        required=False,
    )


__all__ = [
    "AcceptFindingForm",
    "LetterCheckForm",
    "LetterReadForm",
    "PointResponseForm",
    "ReportTextForm",
    "StepForm",
    "TermForm",
    "ValidationError",
]


class ConfirmForm(GovForm):
    """Discarding the letter being checked: a button, nothing to fill in."""

    submit_label = "Discard the letter"


class NationalAnswersForm(GovForm):
    """For each answer the letter gives to national recommendations, which of the review's
    national recommendations it answers (none: it is not recorded). The letter's reading
    ticks those the answer names by number; the coordinator confirms."""

    submit_label = "Record the answers"

    def __init__(self, *args, answers, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = answers
        choices = [
            (
                str(r.pk),
                f"Recommendation {r.number}"
                + (f" (addressed to {r.addressee_name})" if r.addressee_name else "")
                + f": {r.text[:120]}",
            )
            for r in recommendations
        ]
        by_number = {r.number: str(r.pk) for r in recommendations}
        for index, answer in enumerate(answers, start=1):
            self.fields[f"answer_{index}"] = forms.MultipleChoiceField(
                label=f"Answer {index}: which recommendations does it answer?",
                help_text=f"The letter says: \u201c{answer.text}\u201d Leave all clear to "
                "record nothing from it.",
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[by_number[n] for n in answer.numbers if n in by_number],
                error_messages={
                    "invalid_choice": "Select only this review's national recommendations"
                },
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(name) for name in self.fields):
            self.add_error(
                "answer_1" if "answer_1" in self.fields else None,
                "Select the recommendation at least one answer is to",
            )
        return cleaned

    def matched(self) -> dict[int, list[str]]:
        """{recommendation id: [the answers to it, in the letter's order]}."""
        out: dict[int, list[str]] = {}
        for index, answer in enumerate(self.answers, start=1):
            for pk in self.cleaned_data.get(f"answer_{index}", []):
                out.setdefault(int(pk), []).append(answer.text)
        return out

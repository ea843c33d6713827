"""The Home Office QA Panel's letters on a review, the points each asks the partnership to
address, and the steps of publishing the report afterwards.

A letter is first a draft: the text pasted or uploaded, with the points the parser proposed.
The coordinator checks and edits them, then records the letter; only then does the review move
to "QA feedback received". Each point is then

    open           nothing done yet
    addressed      the report was changed; the response says how
    not_accepted   the partnership does not make the change; the response gives the reason

and a chair approves the report for publication once no point is open. Publication is a list of
steps (`qa_feedback.checklist`): the guidance's, the letter's own instructions and the
partnership's own, each ticked with a date and who did it, or checked by the service itself.
After approval the report is copied to the Domestic Abuse Commissioner and to the senior manager
of each agency that took part (`ReportCopy`).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from dhr.models import Agency, Partnership
from reviews.models import ReportVersion, Review, StoredFile


class Outcome(models.TextChoices):
    ADEQUATE = "adequate", "Adequate"
    INADEQUATE = "inadequate", "Inadequate"
    PUBLISH_AFTER_REVISION = "publish_after_revision", "May be published once revised"
    RESUBMIT = "resubmit", "Revise and resubmit to the panel"


# The outcomes after which the panel must see the report again before it is published.
SEE_AGAIN = frozenset({Outcome.INADEQUATE, Outcome.RESUBMIT})


class Category(models.TextChoices):
    LANGUAGE = "language", "Language and victim focus"
    EQUALITY = "equality", "Equality and diversity"
    AGENCY = "agency", "Agency involvement"
    RECOMMENDATIONS = "recommendations", "Recommendations and action plan"
    ANONYMITY = "anonymity", "Anonymity"
    FAMILY = "family", "Family involvement"
    ACCURACY = "accuracy", "Accuracy and dates"
    OTHER = "other", "Other"


class ChecklistItem(models.TextChoices):
    HOME_OFFICE = "home_office", "Revised report and web link sent to the Home Office"
    COMMISSIONER = "commissioner", "Copy sent to the Domestic Abuse Commissioner"
    PCC = "pcc", "Police and Crime Commissioner copied"
    LETTER_ANNEXED = "letter_annexed", "QA letter published with the report, as an annex"
    ACTION_PLAN_ANNEXED = "action_plan_annexed", "Action plan annexed to the report"
    ONE_PDF = "one_pdf", "Report published as one PDF under 20 MB"
    ANONYMITY = "anonymity", "Anonymity points done"


class QALetter(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Being checked"
        RECORDED = "recorded", "Recorded"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="qa_letters")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    received_on = models.DateField("date the letter was received", null=True, blank=True)
    letter_date = models.DateField("date of the letter", null=True, blank=True)
    panel_date = models.DateField("date of the panel meeting", null=True, blank=True)
    signatory = models.CharField("signed by", max_length=200, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    full_text = models.TextField("the letter's text")
    good_practice = models.TextField("good practice the panel commends", blank=True)
    requirements = models.JSONField(
        "publication steps the letter asks for", default=list, blank=True
    )
    # Steps the letter says the Home Office takes itself (it copies the PCC): shown as the
    # Home Office's on the checklist, never the partnership's to tick (`qa_feedback.instructions`).
    home_office_steps = models.JSONField(
        "publication steps the Home Office takes itself", default=list, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()
    # The choices of the items of its JSON list, for their labels in the history.
    ITEM_CHOICES = {
        "requirements": ChecklistItem.choices,
        "home_office_steps": ChecklistItem.choices,
    }

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"], condition=models.Q(state="draft"), name="one_draft_qa_letter"
            )
        ]

    def __str__(self):
        when = f" of {self.letter_date:%-d %B %Y}" if self.letter_date else ""
        return f"Home Office QA letter{when}"

    def get_absolute_url(self):
        if self.state == self.State.DRAFT:
            return reverse("qa_feedback:check", args=[self.review_id, self.pk])
        return reverse("qa_feedback:letter", args=[self.review_id, self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def asks_to_see_again(self) -> bool:
        return self.outcome in SEE_AGAIN


def _letter_path(instance, filename):
    return (
        f"qa-letters/{instance.letter.review_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"
    )


class QALetterFile(StoredFile):
    """The letter as the Home Office sent it (PDF, DOCX, ODT or text)."""

    letter = models.OneToOneField(QALetter, on_delete=models.CASCADE, related_name="original")
    file = models.FileField(upload_to=_letter_path, max_length=255)

    def get_absolute_url(self):
        return reverse("qa_feedback:original", args=[self.letter.review_id, self.letter_id])


class QAPoint(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ADDRESSED = "addressed", "Addressed"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    RESOLVED = (Status.ADDRESSED, Status.NOT_ACCEPTED)

    letter = models.ForeignKey(QALetter, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    paragraphs = models.JSONField("paragraphs it names", default=list, blank=True)
    recommendation_numbers = models.JSONField("recommendations it names", default=list, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    # The theme heading the letter put it under ("Structure"), shown with the proposed category.
    heading = models.CharField("the letter's heading over it", max_length=200, blank=True)
    owner = models.CharField("who will address it", max_length=150, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["letter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="one_number_per_qa_point")
        ]

    def __str__(self):
        return f"Point {self.number}"

    @property
    def is_resolved(self) -> bool:
        return self.status in self.RESOLVED


class OwnPublicationStep(models.Model):
    """A publication step a partnership adds to the checklist of its own reviews (telling the
    local Safeguarding Adults Board, say). It applies to the reviews approved for publication
    on or after the day it was added, and stops applying to those approved after it was
    removed: a review approved earlier keeps the checklist it was approved with."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="own_publication_steps"
    )
    text = models.CharField("what the step is", max_length=200)
    added_on = models.DateField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "added_on", "pk"]

    def __str__(self):
        return self.text

    def applies_to(self, approved_on) -> bool:
        if approved_on is None or approved_on < self.added_on:
            return False
        return self.removed_on is None or approved_on < self.removed_on


class PublicationStep(models.Model):
    """One step of the publication checklist, done: when and by whom. A standard step is named
    by its `item`; a partnership's own step by `own_step` (its `item` empty)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="publication_steps")
    item = models.CharField(max_length=30, choices=ChecklistItem.choices, blank=True)
    own_step = models.ForeignKey(
        OwnPublicationStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_on = models.DateField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "item"],
                condition=models.Q(own_step__isnull=True),
                name="one_step_per_item",
            ),
            models.UniqueConstraint(
                fields=["review", "own_step"],
                condition=models.Q(own_step__isnull=False),
                name="one_step_per_own_step",
            ),
            models.CheckConstraint(
                condition=(models.Q(own_step__isnull=True) & ~models.Q(item=""))
                | (models.Q(own_step__isnull=False) & models.Q(item="")),
                name="step_is_an_item_or_an_own_step",
            ),
        ]

    def __str__(self):
        return str(self.own_step) if self.own_step_id else ChecklistItem(self.item).label


class ReportCopy(models.Model):
    """A copy of the report approved for publication, sent: to the Domestic Abuse Commissioner
    (`agency` empty; a legal duty, s.9(3B) of the 2004 Act) or to the senior manager of an
    agency that took part in the review (the CSP briefing, 6.9)."""

    class Method(models.TextChoices):
        EMAIL = "email", "By email"
        SECURE = "secure", "Through a secure file transfer"
        POST = "post", "By post"
        HAND = "hand", "By hand"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="report_copies")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_to = models.CharField("sent to", max_length=200, blank=True)
    sent_on = models.DateField()
    method = models.CharField("how it was sent", max_length=10, choices=Method.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(agency__isnull=True),
                name="one_commissioner_copy_per_review",
            ),
            models.UniqueConstraint(
                fields=["review", "agency"],
                condition=models.Q(agency__isnull=False),
                name="one_copy_per_agency_and_review",
            ),
        ]

    def __str__(self):
        if self.agency_id is None:
            return "Copy to the Domestic Abuse Commissioner"
        return f"Copy to the senior manager of {self.agency}"

    @property
    def to_commissioner(self) -> bool:
        return self.agency_id is None

    @property
    def how(self) -> str:
        """How and to whom it was sent, as the pages say it ("By email, to the DHR team")."""
        to = f"to {self.sent_to}" if self.sent_to else ""
        return ", ".join(part for part in (self.get_method_display(), to) if part)


# --- the publishable PDF bundle


class ReportText(models.Model):
    """The executive summary or the overview report written (or pasted) in the app rather than
    uploaded: it takes the place of the uploaded versions in the bundle."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="report_texts")
    kind = models.CharField(max_length=20, choices=ReportVersion.Kind.choices)
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="one_text_per_report_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} written in the app"


class ConfidentialTerm(models.Model):
    """Something the published report must not contain, beyond the review's own confidential
    fields (the real names and dates of the victim and perpetrator, the date of death): another
    real name, an address, a workplace."""

    class Kind(models.TextChoices):
        NAME = "name", "A real name"
        ADDRESS = "address", "An address"
        DATE = "date", "A date"
        OTHER = "other", "Something else that identifies someone"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="confidential_terms")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "value"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"


def _bundle_path(instance, filename):
    return f"bundles/{instance.review_id}/{uuid.uuid4().hex}.pdf"


class PublicationBundle(models.Model):
    """One build of the publishable PDF, tracked as a job: queued, running (with how far it
    has got), done (with the file) or failed (with why). Every version is kept."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Not built"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="bundles")
    number = models.PositiveIntegerField()
    final = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=200, blank=True)  # what it is doing now
    message = models.TextField(blank=True)  # why it failed
    warnings = models.JSONField(default=list, blank=True)
    file = models.FileField(upload_to=_bundle_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_number_per_bundle")
        ]

    def __str__(self):
        return f"{'Final' if self.final else 'Draft'} PDF, version {self.number}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def filename(self) -> str:
        kind = "final" if self.final else "draft"
        return f"{self.review.reference}-{kind}-v{self.number}.pdf"


class AnonymityFinding(models.Model):
    """A confidential value found in a bundle's text: where, and in what words."""

    bundle = models.ForeignKey(PublicationBundle, on_delete=models.CASCADE, related_name="findings")
    what = models.CharField(max_length=100)  # "The victim's real name", "The date of death"
    value = models.CharField(max_length=300)  # the confidential value (shown to leads only)
    found = models.CharField(max_length=300)  # as written in the text
    page = models.PositiveIntegerField()
    part = models.CharField(max_length=100)
    context = models.CharField(max_length=400)

    class Meta:
        ordering = ["page", "pk"]

    def __str__(self):
        return f"{self.what} on page {self.page}"


class AnonymityAcceptance(models.Model):
    """A chair's decision that a value found in the report may stay, with the reason (a
    professional's name that happens to match, say). It holds for later builds too."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="+")
    value = models.CharField(max_length=300)
    reason = models.TextField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "value"], name="one_acceptance_per_value")
        ]

    def __str__(self):
        return f"Accepted by the CSP chair: {self.value}"

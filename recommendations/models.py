"""Recommendations, the actions that carry them out, and the updates agencies send on them.

An action walks these states (only a coordinator's acceptance of an update moves it):

    not_started      recorded in the action plan, nothing reported yet
    in_progress      an accepted update says work has started
    completed        an accepted update says it is done, with the evidence named in the plan
    not_applicable   an accepted update (or the coordinator) says it no longer applies, with why

An update (`ActionUpdate`) is submitted by the owning agency's contact or a coordinator, and is
then accepted (the action takes its status) or returned with a comment (nothing changes). Every
change to a recommendation, action or update is kept in its history.
"""

import re
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dhr.models import Agency
from reviews.models import Review, StoredFile


class Theme(models.Model):
    """A lessons-learned theme (the Home Office 2013 categories, and local additions)."""

    name = models.CharField(max_length=150, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Scope(models.TextChoices):
    LOCAL = "local", "Local"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"


class NationalBody(models.TextChoices):
    """The national bodies a national recommendation is addressed to ("other": named in words)."""

    HOME_OFFICE = "home_office", "Home Office"
    MINISTRY_OF_JUSTICE = "ministry_of_justice", "Ministry of Justice"
    DHSC = "dhsc", "Department of Health and Social Care"
    NHS_ENGLAND = "nhs_england", "NHS England"
    COLLEGE_OF_POLICING = "college_of_policing", "College of Policing"
    NPCC = "npcc", "National Police Chiefs' Council"
    HMPPS = "hmpps", "HM Prison and Probation Service"
    CPS = "cps", "Crown Prosecution Service"
    DFE = "dfe", "Department for Education"
    DWP = "dwp", "Department for Work and Pensions"
    MHCLG = "mhclg", "Ministry of Housing, Communities and Local Government"
    DA_COMMISSIONER = "da_commissioner", "Domestic Abuse Commissioner"
    WELSH_GOVERNMENT = "welsh_government", "Welsh Government"
    OTHER = "other", "Another national body"


class Recommendation(models.Model):
    """A recommendation of the review. A national one is addressed to a national body
    (`addressee`, blank on those recorded before the body was asked for: the plan asks for
    it); the date it was sent to the body starts the wait for the body's reply, which is
    recorded with its date (and chased after the partnership's `national_reply_days`)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="led_recommendations"
    )
    addressee = models.CharField(
        "national body it is addressed to", max_length=30, choices=NationalBody.choices, blank=True
    )
    addressee_other = models.CharField(
        "name of the other national body", max_length=200, blank=True
    )
    sent_to_body_on = models.DateField("date sent to the national body", null=True, blank=True)
    body_replied_on = models.DateField("date of the national body's reply", null=True, blank=True)
    body_reply = models.TextField("the national body's reply", blank=True)
    body_reply_source = models.CharField("where the reply came from", max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="one_number_per_recommendation"
            )
        ]

    def __str__(self):
        return f"Recommendation {self.number}"

    @property
    def is_national(self) -> bool:
        return self.scope == Scope.NATIONAL

    @property
    def addressee_name(self) -> str:
        """The body it is addressed to, in words ('' when not recorded)."""
        if self.addressee == NationalBody.OTHER:
            return self.addressee_other
        return self.get_addressee_display() if self.addressee else ""


class TrackerStatus(models.TextChoices):
    """The words of a partnership's tracker (and of the steering group's paper) for where an
    action stands. An imported action keeps the tracker's word until an update is accepted
    here; otherwise it is worked out from the action (see `tracker.action_tracker_status`)."""

    COMPLETED = "completed", "Completed"
    PART_COMPLETED = "part_completed", "Part completed"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_FEEDBACK = "awaiting_feedback", "Awaiting feedback"
    NOT_STARTED = "not_started", "Not started"


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    CLOSED = (Status.COMPLETED, Status.NOT_APPLICABLE)

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField("what will be done")
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="named contact",
    )
    target_date = models.DateField()
    completion_evidence = models.TextField("how completion will be shown")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    not_applicable_reason = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    # From an imported tracker: its status word and latest update, until an update is
    # accepted here.
    reported_status = models.CharField(
        "status in the imported tracker", max_length=20, choices=TrackerStatus.choices, blank=True
    )
    reported_update = models.TextField("latest update in the imported tracker", blank=True)
    imported_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["recommendation", "pk"]
        indexes = [
            models.Index(fields=["owner_agency", "status"]),
            models.Index(fields=["status", "target_date"]),
            # "Your actions": an agency's actions a page at a time, by target date.
            models.Index(fields=["owner_agency", "target_date"]),
        ]

    def __str__(self):
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED


def _evidence_path(instance, filename):
    return f"evidence/{instance.update.action_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ActionUpdate(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting the coordinator"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    new_status = models.CharField(max_length=20, choices=Action.Status.choices)
    narrative = models.TextField()
    not_applicable_reason = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"Update on {self.action}: {self.get_new_status_display()}"


class Evidence(StoredFile):
    """A file sent with an update."""

    update = models.ForeignKey(ActionUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=255)

    class Meta:
        ordering = ["uploaded_at", "pk"]


class UpdateRequest(models.Model):
    """A coordinator asks agencies for updates on their open actions by a date (the steering
    group's quarterly round, say). Each agency asked is a `RequestedAgency`, answered once it
    has sent an update on every action it was asked about."""

    partnership = models.ForeignKey(
        "dhr.Partnership", on_delete=models.CASCADE, related_name="update_requests"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField("date updates are due")
    message = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"Request for updates by {self.due_on:%-d %B %Y}"


class RequestedAgency(models.Model):
    request = models.ForeignKey(UpdateRequest, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="update_requests")
    actions = models.ManyToManyField(Action, related_name="update_requests")
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "agency"], name="one_agency_per_request")
        ]

    def __str__(self):
        return f"{self.agency} ({self.request})"


def _letter_path(instance, filename):
    return f"escalations/{instance.partnership_id}/{uuid.uuid4().hex}.pdf"


class Escalation(models.Model):
    """When an agency lets a request for updates pass or its actions are long overdue, the
    chase proposes an escalation (a coordinator can also raise one):

        proposed   awaiting the steering-group chair; the only open state that takes more
                   actions (see below)
        approved   the chair approved it: a letter from the CSP chair to the agency's chief
                   executive was generated, kept here and emailed
        declined   the chair declined it, with a comment
        closed     its outcome is recorded (a response came, the actions are back on track...)

    An escalation of actions belongs to one review and one agency and covers all of that
    agency's overdue actions on the review (`actions`, each `EscalatedAction` saying when it
    joined): one letter, not one per action. Actions that fall overdue later join the review's
    and agency's escalation while it is still proposed (the chair has not seen it, no letter
    is written); once it is decided (approved, declined or closed) its actions stay as the
    chair saw them and the letter named them, and newly overdue actions start a new proposal.
    An escalation of a missed request for updates (`requested`) has no review and no actions:
    the request names them.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting the CSP chair"
        APPROVED = "approved", "Approved: letter sent"
        DECLINED = "declined", "Declined"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        RESPONSE_RECEIVED = "response_received", "A response was received"
        BACK_ON_TRACK = "back_on_track", "The action is back on track"
        NO_RESPONSE = "no_response", "No response"

    # Open: an action in one of these is not escalated again (it awaits the chair, or the
    # outcome of the letter sent about it).
    OPEN = (Status.PROPOSED, Status.APPROVED)
    # Taking more actions: only an escalation the chair has not decided yet.
    GATHERING = Status.PROPOSED

    partnership = models.ForeignKey(
        "dhr.Partnership", on_delete=models.CASCADE, related_name="escalations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="escalations")
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="escalations"
    )
    actions = models.ManyToManyField(
        Action, through="EscalatedAction", related_name="escalations", blank=True
    )
    requested = models.ForeignKey(
        RequestedAgency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="escalations",
    )
    reason = models.TextField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the daily chase proposed it",
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="decided by (CSP chair)",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    letter = models.FileField(upload_to=_letter_path, max_length=255, blank=True)
    letter_sent_to = models.EmailField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["requested"],
                condition=models.Q(status__in=["proposed", "approved"], requested__isnull=False),
                name="one_open_escalation_per_request",
            ),
            models.CheckConstraint(
                condition=models.Q(review__isnull=True) | models.Q(requested__isnull=True),
                name="escalation_of_actions_or_of_a_request",
            ),
        ]

    def __str__(self):
        return f"Escalation to {self.agency}"

    # How a reason added later is written after the first: who added it and when, for the chair
    # deciding and the history; the letter to the chief executive leaves the bookkeeping out.
    ADDED = re.compile(r"\n\nAdded by (?:.+?) on \d{1,2} [A-Z][a-z]+ \d{4}: ")

    def add_reason(self, text: str, *, by: str, on: date) -> None:
        """A reason for actions joining the escalation, by a person's name or 'the daily chase'."""
        self.reason += f"\n\nAdded by {by} on {on:%-d %B %Y}: {text}"

    @property
    def reason_for_letter(self) -> str:
        """The reasons as the letter gives them: each a paragraph, without who added it when."""
        return self.ADDED.sub("\n\n", self.reason)


class EscalatedAction(models.Model):
    """An action an escalation covers, and since when (a later chase may add it)."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="covered")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="escalated")
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action__recommendation__number", "action__target_date", "action_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "action"], name="an_action_once_per_escalation"
            )
        ]

    def __str__(self):
        return f"{self.action} in {self.escalation}"


def _import_path(instance, filename):
    return f"tracker-imports/{instance.partnership_id}/{uuid.uuid4().hex}{Path(filename).suffix}"


class TrackerImport(models.Model):
    """A partnership's tracker (CSV or XLSX) being imported, as a job:

        previewed   read and checked; the rows, the problems and what would change are kept
                    for the coordinator to confirm
        queued      confirmed (new agencies included); waiting for the worker
        running     being written
        done        written: `result` counts what was created, changed and left as it was
        failed      nothing was written: `message` says why

    The rows are kept as read (`rows`, with `errors` for the bad ones), so what is imported is
    what was previewed.
    """

    class State(models.TextChoices):
        PREVIEWED = "previewed", "Checked: waiting for you to confirm"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey(
        "dhr.Partnership", on_delete=models.CASCADE, related_name="tracker_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to=_import_path, max_length=255)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    total_rows = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    new_agencies = models.JSONField(default=list)
    good_rows_only = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"Import of {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def progress(self) -> int:
        """Percent done, as far as a job written in one transaction can say."""
        if self.is_finished:
            return 100
        return 50 if self.state == self.State.RUNNING else 0

    @property
    def bad_rows(self) -> list[int]:
        return sorted({error["row"] for error in self.errors})

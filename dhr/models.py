"""Partnerships (CSPs), agencies, people and the roles that tie them together.

A user reaches reviews through a `Membership` of a partnership (coordinator, chair or viewer) and
reaches actions through being an `AgencyContact`. Agencies are shared across partnerships: one
police force serves several CSPs. The access rules built on these live in `dhr.permissions`.
"""

import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from dhr.sign_in import email_key, usable
from dhr.wording import WORDINGS, ReviewWording, Wording


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=email_key(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email):
        # Matched by the one normalised value the lockout counts too (dhr.sign_in): never
        # case-insensitively in SQL, where PostgreSQL's upper() makes a dotless i an I.
        key = email_key(email)
        if not usable(key):
            raise self.model.DoesNotExist
        return self.get(email=key)

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """Someone who signs in with their email address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150)
    # The morning email of what is waiting for them (`reviews.digest`); they turn it off on
    # their account page.
    morning_digest = models.BooleanField(default=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]
    # Who changed a person's name, address, or access; never their password hash.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def clean(self):
        super().clean()
        self.email = email_key(self.email)

    def save(self, *args, **kwargs):
        # Stored as it is matched, however the row was written (a form, the admin, a script).
        self.email = email_key(self.email)
        super().save(*args, **kwargs)

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


def default_reminder_days() -> list[int]:
    return [14, 3, 0]


def validate_reminder_days(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Give at least one day on which to send a reminder")
    if any(not isinstance(day, int) or day < 0 or day > 90 for day in value):
        raise ValidationError("Reminder days must be whole numbers from 0 to 90")


class GuidanceVersion(models.TextChoices):
    """The statutory guidance a review runs under; its timescales are in `reviews.clocks`."""

    DHR_2016 = "2016", "Multi-agency statutory guidance for the conduct of DHRs (2016)"
    DARDR_2024_DRAFT = (
        "2024-draft",
        "Domestic Abuse Related Death Reviews: draft statutory guidance (2024)",
    )


class Partnership(models.Model):
    """A Community Safety Partnership: owns its reviews, and sets how its deadlines are chased.

    Reminders go `reminder_days_before` each deadline (0 is the day itself), then every
    `overdue_reminder_every_days` while it is overdue (0: no reminders once overdue).
    """

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    area = models.CharField(max_length=200, help_text="The council area it serves")

    guidance_version = models.CharField(
        "guidance new reviews start under",
        max_length=12,
        choices=GuidanceVersion.choices,
        default=GuidanceVersion.DHR_2016,
    )
    reminder_days_before = models.JSONField(
        default=default_reminder_days, validators=[validate_reminder_days]
    )
    overdue_reminder_every_days = models.PositiveSmallIntegerField(default=7)
    qa_revision_days = models.PositiveSmallIntegerField(
        "days to revise a report after the QA letter", default=60
    )
    retention_years = models.PositiveSmallIntegerField(
        "years a review's record is kept after it ends",
        default=7,
        help_text="Then what identifies people in it is removed (manage.py retention)",
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        "days an action may be overdue before an escalation is proposed", default=28
    )
    national_reply_days = models.PositiveSmallIntegerField(
        "days a national body has to reply to a recommendation sent to it",
        default=56,
        help_text="Counted from the day the recommendation was sent, as for a coroner's report",
    )
    # The 2004 Act (s.9(3C)) says "as soon as reasonably practicable": the partnership says
    # what that is in days, counted from the chair's approval for publication.
    commissioner_copy_days = models.PositiveSmallIntegerField(
        "days to send the Domestic Abuse Commissioner a copy of the approved report",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    # What it calls its reviews on every page, email, letter and PDF (dhr.wording); not the
    # guidance its reviews run under.
    review_wording = models.CharField(
        "what the partnership calls its reviews",
        max_length=8,
        choices=ReviewWording.choices,
        default=ReviewWording.DHR,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def review_words(self) -> Wording:
        """Its reviews' name: `.long` "Domestic Homicide Review", `.short` "DHR", `.plural`..."""
        return WORDINGS.get(self.review_wording, WORDINGS[ReviewWording.DHR])


class Agency(models.Model):
    """A partner agency, shared by every partnership it serves."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        CHILDRENS_SERVICES = "childrens_services", "Children's services"
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
        PROBATION = "probation", "Probation"
        HOUSING = "housing", "Housing"
        VOLUNTARY = "voluntary", "Voluntary and community sector"
        NATIONAL = "national", "National body"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    chief_executive_name = models.CharField(max_length=150, blank=True)
    chief_executive_email = models.EmailField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    # The chair of the Community Safety Partnership: decides, signs off, approves escalations.
    # Never the review's independent chair (`Review.chair_name`), appointed for one review: see
    # docs/decisions/0015-two-chairs.md.
    CHAIR = "chair", "CSP chair"
    VIEWER = "viewer", "Viewer"

    @property
    def in_sentence(self) -> str:
        """The role as it reads inside a sentence: "coordinator", "CSP chair"."""
        label = str(self.label)
        return label if label[1:2].isupper() else label[:1].lower() + label[1:]


class Membership(models.Model):
    """A user's role in one partnership."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="one_role_per_partnership")
        ]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()}, {self.partnership}"


class AgencyContact(models.Model):
    """A named contact at an agency, for the partnerships they serve: updates that agency's
    actions in those partnerships' reviews and is asked and chased about them, and no others.
    An agency serving several partnerships (a police force, a health board) names its contacts
    per partnership; one person may serve several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="agency_contacts")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="contacts")
    job_title = models.CharField(max_length=150, blank=True)
    # Not blank: a contact serves at least one partnership (a contact serving none would reach
    # nothing, a row that only misleads).
    partnerships = models.ManyToManyField(
        Partnership,
        related_name="agency_contacts",
        help_text="The partnerships whose actions this contact updates and is asked about.",
    )
    # The partnerships kept too: they decide whose actions the contact reaches, so a change of
    # them is a change of access, to be accounted for like the rest of the row.
    history = HistoricalRecords(m2m_fields=[partnerships])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_contact_per_agency")
        ]

    def __str__(self):
        return f"{self.user} - {self.agency}"


class AuditEvent(models.Model):
    """A read that must be accounted for (confidential fields seen, documents downloaded), or
    an administrator's act on someone's sign-in (two-factor sign-in reset)."""

    class Kind(models.TextChoices):
        CONFIDENTIAL_VIEWED = "confidential_viewed", "Viewed confidential fields"
        DOCUMENT_DOWNLOADED = "document_downloaded", "Downloaded a document"
        TWO_FACTOR_RESET = "two_factor_reset", "Reset two-factor sign-in"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    detail = models.CharField(max_length=300, blank=True)
    # The review it concerns, when it concerns one (a plain id: dhr sits below reviews), for
    # the review's audit page.
    review_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["review_id", "-at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_kind_display()}"


class OutgoingEmail(models.Model):
    """An email, kept from the moment something decides to send it until it is sent or given up.

    pending   written, waiting for a worker (also where a task that could not be queued waits:
              the next chase run delivers it)
    retrying  a send failed; tried again from `next_attempt_at`, with back-off
    sent      the mail server accepted it
    failed    given up after the last attempt; shown to the partnership's coordinators
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        RETRYING = "retrying", "Failed, will retry"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # One attached file at most (an escalation letter), kept with the email until it is sent.
    attachment = models.FileField(upload_to="outbox/", max_length=255, blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return self.subject


class ScheduledRun(models.Model):
    """One run of a job that beat starts by itself (the daily retention run): when it ran and
    what it did, for the administrator's page.

    running   started, not yet finished (or the worker died: it stays so, with no end)
    done      finished; `summary` says what it did
    failed    stopped by an error; `summary` says which, and nothing of that step was kept
    """

    RETENTION = "retention"

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "-started_at"])]

    def __str__(self):
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class PasswordResetRequest(models.Model):
    """A request for a password reset link, kept for an hour to limit how often one is sent
    (`dhr.password_reset`). The address typed is kept only as a keyed hash."""

    at = models.DateTimeField(db_index=True)
    account = models.CharField(max_length=64, db_index=True)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.address}"


def _file_job_path(instance, filename):
    return f"files/{uuid.uuid4().hex}/{filename}"


class FileJob(models.Model):
    """A file made by a worker for the person who asked for it (the tracker report as a PDF, a
    review's whole record), tracked as a job: queued, running (with how far it has got), done
    (with the file) or failed (with why). Only that person may see it or download it, and the
    file is removed a day after it is made (`dhr.jobs.file_jobs_expire`)."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Not made"

    title = models.CharField(max_length=300)  # what the file is, as the page names it
    task = models.CharField(max_length=100)  # the Celery task that makes it
    params = models.JSONField(default=dict, blank=True)  # what the task needs
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    back_url = models.CharField(max_length=300)  # the page it was asked for from
    requested_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    # The download's audit record (see dhr.downloads): what the file is of, and its review.
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    detail = models.CharField(max_length=300)
    review_id = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=200, blank=True)  # what it is doing now
    message = models.TextField(blank=True)  # why it failed
    file = models.FileField(upload_to=_file_job_path, max_length=255, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("file_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

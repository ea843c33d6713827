"""A review and everything recorded at each of its statutory stages.

The states a review walks through (the transitions and who may make them are in `workflow.py`):

    notified          the police notification is recorded
    decision_pending  the coordinator has checked the criteria and put it to the CSP chair
    not_proceeding    the CSP chair decided not to hold a review (closed, with reasons); the
                      Home Office is told, and its QA panel agrees, or asks the partnership to
                      reconsider (back to `decision_pending`, for the CSP chair's fresh
                      decision); a Secretary of State's direction opens it (to `proceeding`,
                      the same record, its clocks running from the direction)
    proceeding        the CSP chair decided to hold one; the panel, the independent chair and
                      the terms of reference follow
    set_up            independent chair appointed, panel formed, terms of reference agreed
    agency_reports    agencies asked for their IMRs and chronologies
    drafting          every IMR received; overview report and executive summary being written
    signed_off        the CSP chair signed off the report, executive summary and action plan
    submitted         sent to the Home Office Quality Assurance panel
    qa_feedback       the panel's letter is recorded, its points to be answered
    revising          the report is being revised on the panel's points (a report the panel
                      must see again goes back to `submitted` when resubmitted)
    approved          a chair confirmed every point is addressed or answered: may be published
    published         every publication step is done; the report is on the partnership's website
    monitoring        the action plan is being carried out; agencies report on their actions
    concluded         every action is done or no longer applies, and a chair confirmed the
                      closing audit

Each review keeps its statutory dates (`decision_due_on`, `report_due_on`, `report_paused_since`)
as computed by `clocks.py`, rewritten by the services whenever what they depend on changes, so
that lists and the chase job can filter deadlines in SQL. A report deadline may be extended
(`Extension`: requested by a coordinator, approved or refused by a chair) and is paused while a
parallel proceeding runs when a chair agreed that pause (`ParallelProceeding`).

Fields marked confidential (real names, dates of birth, the date of death) are shown only to the
owning partnership's coordinators and chairs; everywhere else a review is its reference and its
pseudonym.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from dhr.models import Agency, GuidanceVersion, Partnership


class Status(models.TextChoices):
    NOTIFIED = "notified", "Notified"
    DECISION_PENDING = "decision_pending", "Decision pending"
    NOT_PROCEEDING = "not_proceeding", "Not proceeding"
    PROCEEDING = "proceeding", "Proceeding"
    SET_UP = "set_up", "Set up"
    AGENCY_REPORTS = "agency_reports", "Agency reports"
    DRAFTING = "drafting", "Drafting"
    SIGNED_OFF = "signed_off", "Signed off"
    SUBMITTED = "submitted", "Submitted to Home Office QA"
    QA_FEEDBACK = "qa_feedback", "QA feedback received"
    REVISING = "revising", "Revising after QA"
    APPROVED = "approved", "Approved for publication"
    PUBLISHED = "published", "Published"
    MONITORING = "monitoring", "Monitoring the action plan"
    CONCLUDED = "concluded", "Concluded"


class DeathType(models.TextChoices):
    HOMICIDE = "homicide", "Homicide"
    SUICIDE = "suicide", "Suicide"
    OTHER = "other", "Other"


class AgeBand(models.TextChoices):
    UNDER_18 = "16-17", "16 to 17"
    AGE_18_24 = "18-24", "18 to 24"
    AGE_25_34 = "25-34", "25 to 34"
    AGE_35_44 = "35-44", "35 to 44"
    AGE_45_54 = "45-54", "45 to 54"
    AGE_55_64 = "55-64", "55 to 64"
    AGE_65_74 = "65-74", "65 to 74"
    AGE_75_PLUS = "75+", "75 and over"
    UNKNOWN = "unknown", "Not known"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"


class Relationship(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", "Current intimate partner"
    FORMER_PARTNER = "former_partner", "Former intimate partner"
    PARENT = "parent", "Parent of the victim"
    CHILD = "child", "Child of the victim"
    OTHER_RELATIVE = "other_relative", "Other relative"
    HOUSEHOLD = "household", "Member of the same household"
    NONE = "none", "No perpetrator (suicide)"


class SituationOfConcern(models.TextChoices):
    RISK_NOT_RECOGNISED = (
        "risk_not_recognised",
        ("Risk of serious harm not recognised, not shared or not acted on"),
    )
    CONCERNS_NOT_TAKEN_SERIOUSLY = (
        "concerns_ignored",
        ("An agency's concerns not taken seriously by others"),
    )
    PROCEDURE_FAILINGS = (
        "procedure_failings",
        ("Failings in local domestic abuse or safeguarding procedures"),
    )
    MARAC = "marac", "The victim was, or should have been, discussed at a MARAC"
    REPUTATIONAL = "reputational", "Reputational implications for agencies"
    PROCEDURES_MAY_CHANGE = (
        "procedures_may_change",
        ("National or local procedures may need to change"),
    )
    POSITION_OF_TRUST = "position_of_trust", "The perpetrator was in a position of trust"
    NO_AGENCY_CONTACT = "no_agency_contact", "The victim had no known contact with any agency"


class OtherReview(models.TextChoices):
    CSPR = "cspr", "Child Safeguarding Practice Review"
    SAR = "sar", "Safeguarding Adults Review"
    MENTAL_HEALTH = "mental_health", "Mental health homicide review"
    IOPC = "iopc", "IOPC investigation"


class JointReview(models.TextChoices):
    NONE = "", "Run on its own"
    JOINT_CSPR = "joint_cspr", "Run jointly with a Child Safeguarding Practice Review"
    JOINT_SAR = "joint_sar", "Run jointly with a Safeguarding Adults Review"
    REPLACED_CSPR = "replaced_cspr", "Replaced by a Child Safeguarding Practice Review"
    REPLACED_SAR = "replaced_sar", "Replaced by a Safeguarding Adults Review"


class Review(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="reviews")
    reference = models.CharField(max_length=30)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NOTIFIED)
    guidance_version = models.CharField(
        max_length=12, choices=GuidanceVersion.choices, default=GuidanceVersion.DHR_2016
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Notification
    # Empty only on a review imported from a tracker (`imported_on`), which knows none of them;
    # the notification form requires them.
    notifying_force = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notified_reviews",
        limit_choices_to={"kind": Agency.Kind.POLICE},
    )
    notified_on = models.DateField("date the notification was received", null=True, blank=True)
    death_type = models.CharField(max_length=20, choices=DeathType.choices, blank=True)
    date_of_death = models.DateField(null=True, blank=True)  # confidential
    children_in_household = models.PositiveSmallIntegerField(default=0)
    children_notes = models.TextField(blank=True)

    victim_pseudonym = models.CharField(max_length=60)
    victim_pseudonym_agreed_with_family = models.BooleanField(default=False)
    victim_name = models.CharField(max_length=150, blank=True)  # confidential
    victim_date_of_birth = models.DateField(null=True, blank=True)  # confidential
    victim_age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    victim_sex = models.CharField(max_length=10, choices=Sex.choices)
    victim_characteristics = models.TextField(blank=True)

    perpetrator_pseudonym = models.CharField(max_length=60, blank=True)
    perpetrator_name = models.CharField(max_length=150, blank=True)  # confidential
    perpetrator_date_of_birth = models.DateField(null=True, blank=True)  # confidential
    perpetrator_age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    perpetrator_sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    perpetrator_characteristics = models.TextField(blank=True)
    relationship = models.CharField(max_length=30, choices=Relationship.choices, blank=True)

    joint_review = models.CharField(max_length=20, choices=JointReview.choices, blank=True)
    joint_review_notes = models.TextField(blank=True)

    # Decision
    referred_for_decision_on = models.DateField("date put to the CSP chair", null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="decided by (CSP chair)",
    )
    proceed = models.BooleanField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    situations_of_concern = models.JSONField(default=list, blank=True)
    other_reviews_considered = models.JSONField(default=list, blank=True)
    other_reviews_notes = models.TextField(blank=True)
    home_office_told_on = models.DateField(null=True, blank=True)
    family_told_on = models.DateField(null=True, blank=True)
    # A victim aged 16 or 17: the children's safeguarding partners (the former LSCB) are told.
    safeguarding_told_on = models.DateField(
        "date the children's safeguarding partners were told", null=True, blank=True
    )
    # After a decision not to hold a review (see `DecisionQAView`).
    reconsideration_asked_on = models.DateField(
        "date the Home Office QA panel asked for the decision to be reconsidered",
        null=True,
        blank=True,
    )
    directed_on = models.DateField(
        "date of the Secretary of State's direction to hold a review", null=True, blank=True
    )
    direction_notes = models.TextField(blank=True)

    # Set-up
    chair_name = models.CharField("independent chair", max_length=150, blank=True)
    # The review's independent chair, appointed for this review alone: never the CSP chair
    # (`Role.CHAIR`), who signs the report off (docs/decisions/0015-two-chairs.md).
    chair_appointed_on = models.DateField(
        "date the independent chair was appointed", null=True, blank=True
    )
    chair_independence_confirmed = models.BooleanField(
        "independent chair's independence confirmed", default=False
    )
    chair_training_confirmed = models.BooleanField(
        "independent chair's training confirmed", default=False
    )
    terms_of_reference = models.TextField(blank=True)
    terms_of_reference_document = models.ForeignKey(
        "Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    terms_of_reference_agreed_on = models.DateField(null=True, blank=True)
    set_up_completed_on = models.DateField(null=True, blank=True)
    agency_reports_started_on = models.DateField(null=True, blank=True)
    drafting_started_on = models.DateField(null=True, blank=True)

    # Sign-off and submission
    signed_off_on = models.DateField("date signed off by the CSP chair", null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="signed off by (CSP chair)",
    )
    submitted_on = models.DateField("date submitted to the Home Office", null=True, blank=True)

    # Home Office QA and publication (the letters and checklist are in `qa_feedback`)
    qa_feedback_received_on = models.DateField(
        "date the QA letter was received", null=True, blank=True
    )
    revision_started_on = models.DateField(null=True, blank=True)
    approved_for_publication_on = models.DateField(null=True, blank=True)
    approved_for_publication_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="approved for publication by (CSP chair)",
    )
    published_on = models.DateField("date published", null=True, blank=True)
    published_url = models.URLField("web link to the published report", max_length=500, blank=True)
    monitoring_started_on = models.DateField(null=True, blank=True)
    anonymised_on = models.DateField(
        "date anonymised at the end of the retention period", null=True, blank=True
    )
    imported_on = models.DateField(
        "date imported from a tracker",
        null=True,
        blank=True,
        help_text="Set on a review created by importing a partnership's tracker: it starts at "
        "monitoring, and knows only its reference, pseudonym and action plan",
    )
    concluded_on = models.DateField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="closing audit confirmed by (CSP chair)",
    )
    closing_audit = models.TextField("closing audit", blank=True)
    # Recorded by the CSP chair when the report is signed off with no recommendation in its
    # action plan (see `recommendations.workflow.plan_missing`).
    no_recommendations_reason = models.TextField(
        "why the review makes no recommendations", blank=True
    )

    viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reviews_given"
    )

    scoping_completed_on = models.DateField(
        "date the scoping review was completed", null=True, blank=True
    )

    # Derived from the clocks (see the module docstring); never edited by hand.
    decision_due_on = models.DateField(null=True, blank=True, editable=False)
    scoping_due_on = models.DateField(null=True, blank=True, editable=False)
    report_due_on = models.DateField(null=True, blank=True, editable=False)
    report_paused_since = models.DateField(null=True, blank=True, editable=False)
    CLOCK_FIELDS = ("decision_due_on", "scoping_due_on", "report_due_on", "report_paused_since")

    history = HistoricalRecords(excluded_fields=["updated_at", *CLOCK_FIELDS])

    CONFIDENTIAL_FIELDS = (
        "victim_name",
        "victim_date_of_birth",
        "perpetrator_name",
        "perpetrator_date_of_birth",
        "date_of_death",
    )
    # The choices of the items of its JSON lists, for their labels in the history.
    ITEM_CHOICES = {
        "situations_of_concern": SituationOfConcern.choices,
        "other_reviews_considered": OtherReview.choices,
    }

    class Meta:
        ordering = [models.F("notified_on").desc(nulls_last=True), "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="reference_unique_in_partnership"
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "status"]),
            models.Index(fields=["status", "decision_due_on"]),
            models.Index(fields=["status", "report_due_on"]),
        ]

    def __str__(self):
        return self.public_title

    def get_absolute_url(self):
        return reverse("reviews:detail", args=[self.pk])

    @property
    def public_title(self) -> str:
        """How a review is named wherever confidential fields may not be shown."""
        return f"{self.reference} '{self.victim_pseudonym}'"

    @property
    def awaiting_fresh_decision(self) -> bool:
        """The Home Office QA panel asked for a decision not to hold a review to be reconsidered,
        and the CSP chair's fresh decision is still to come: the review's decision fields still
        hold the decision under reconsideration."""
        return self.status == Status.DECISION_PENDING and self.reconsideration_asked_on is not None

    @property
    def is_closed(self) -> bool:
        return self.status == Status.NOT_PROCEEDING or self.joint_review in {
            JointReview.REPLACED_CSPR,
            JointReview.REPLACED_SAR,
        }

    def situations_of_concern_labels(self):
        return [SituationOfConcern(v).label for v in self.situations_of_concern]

    def other_reviews_labels(self):
        return [OtherReview(v).label for v in self.other_reviews_considered]


def _document_path(instance, filename):
    return f"documents/{instance.review_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class DecisionQAView(models.Model):
    """The Home Office QA panel's view on a decision not to hold a review, from its letter: it
    agrees, or asks the partnership to reconsider (the chair then decides afresh)."""

    class View(models.TextChoices):
        AGREES = "agrees", "Agrees with the decision"
        RECONSIDER = "reconsider", "Asks the partnership to reconsider the decision"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decision_qa_views")
    view = models.CharField(max_length=20, choices=View.choices)
    received_on = models.DateField("date of the panel's letter")
    comment = models.TextField(blank=True)
    decision_on = models.DateField(help_text="The date of the decision the panel considered")
    # The decision the panel considered, as it stood when its view was recorded: a fresh
    # decision overwrites the review's own fields, and this keeps the earlier one (see
    # docs/decisions/0016). Empty where the review's history did not hold it.
    decision_due_on = models.DateField("date the decision was due", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="decided by (CSP chair)",
    )
    decision_reasons = models.TextField("reasons for the decision", blank=True)
    home_office_told_on = models.DateField(
        "date the Home Office was told of the decision", null=True, blank=True
    )
    family_told_on = models.DateField(
        "date the family was told of the decision", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.get_view_display()} ({self.received_on:%-d %B %Y})"

    @property
    def asks_to_reconsider(self) -> bool:
        return self.view == self.View.RECONSIDER


class HomeOfficeNotice(models.Model):
    """The partnership told the Home Office of a decision: the notification template's fields
    as they were sent (`fields`: [label, value] pairs, in the template's order) and those that
    were missing. Kept as sent; the review moving on never changes it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="home_office_notices")
    told_on = models.DateField("date the Home Office was told")
    decision_on = models.DateField()
    proceed = models.BooleanField()
    fields = models.JSONField(default=list)
    missing = models.JSONField(default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["told_on", "pk"]

    def __str__(self):
        return f"Home Office told on {self.told_on:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("reviews:home_office_notice", args=[self.review_id, self.pk])


class StoredFile(models.Model):
    """An uploaded file, checked by content (`documents.checked_upload`), stored under a random
    name and served only through an access check, as an attachment. Each kind adds its `file`
    field (where it is stored) and what it belongs to."""

    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class Document(StoredFile):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_document_path, max_length=255)

    class Meta:
        ordering = ["-uploaded_at"]

    def get_absolute_url(self):
        return reverse("reviews:document", args=[self.review_id, self.pk])


class PanelMember(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="panel_members")
    name = models.CharField(max_length=150)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    role = models.CharField(max_length=150)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AgencyReportQuerySet(models.QuerySet):
    def outstanding(self):
        """The reports that do not yet count as received (see `AgencyReport.is_received`): not
        arrived, or arrived with a requirement neither met nor waived."""

        def waived(requirement):
            return models.Exists(
                AgencyReportWaiver.objects.filter(
                    report=models.OuterRef("pk"), requirement=requirement
                )
            )

        unmet = (
            (
                (Q(author="") | Q(author_independence_confirmed=False))
                & ~waived("author_independence")
            )
            | (
                (Q(senior_sign_off_by="") | Q(signed_off_on__isnull=True))
                & ~waived("senior_sign_off")
            )
            | (Q(staff_feedback_held=False) & ~waived("staff_feedback"))
        )
        return self.filter(Q(received_on__isnull=True) | (Q(recorded_before_checks=False) & unmet))


class AgencyReport(models.Model):
    """An Individual Management Review (IMR) and chronology from one agency. It counts as
    received once it has arrived and its author's independence, its senior manager's sign-off
    and the staff feedback session are recorded, or waived by the CSP chair with a reason."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="agency_reports")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agency_reports")
    requested_on = models.DateField()
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    author = models.CharField(max_length=150, blank=True)
    author_independence_confirmed = models.BooleanField(default=False)
    senior_sign_off_by = models.CharField(
        "signed off by (senior manager)", max_length=150, blank=True
    )
    signed_off_on = models.DateField("date the senior manager signed it off", null=True, blank=True)
    staff_feedback_held = models.BooleanField(default=False)
    # Set by the migration that brought in the requirements, on reports received in reviews
    # already past the agency reports stage: they stand as recorded.
    recorded_before_checks = models.BooleanField(
        "received before the service checked its requirements", default=False, editable=False
    )
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()
    objects = AgencyReportQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="one_imr_per_agency")
        ]

    def __str__(self):
        return f"IMR: {self.agency}"

    @property
    def is_received(self) -> bool:
        """Counts as received: the document arrived and every requirement is met or waived by
        the CSP chair (or it was received before the service checked them, see
        `recorded_before_checks`). A report that arrived without them is "received, not yet
        complete"."""
        return self.received_on is not None and not self.incomplete()

    @property
    def arrived_incomplete(self) -> bool:
        return self.received_on is not None and bool(self.incomplete())

    def incomplete(self, waived=None) -> list[str]:
        """What is still needed before the report counts as received, in words; `waived` is the
        set of requirements waived (read from the report's waivers when None)."""
        if self.recorded_before_checks:
            return []
        if waived is None:
            waived = {w.requirement for w in self.waivers.all()}
        missing = []
        for requirement in ImrRequirement:
            if requirement not in waived and not self.meets(requirement):
                missing.append(ImrRequirement.MISSING[requirement])
        return missing

    def checks(self) -> list[tuple[str, str, "AgencyReportWaiver | None"]]:
        """Each requirement as a page lists it: its label, what is recorded ("" when it is not
        met) and its waiver (None when not waived)."""
        waivers = {w.requirement: w for w in self.waivers.all()}
        met = {
            ImrRequirement.AUTHOR_INDEPENDENCE: f"confirmed ({self.author})",
            ImrRequirement.SENIOR_SIGN_OFF: f"by {self.senior_sign_off_by}"
            + (f", {self.signed_off_on:%-d %b %Y}" if self.signed_off_on else ""),
            ImrRequirement.STAFF_FEEDBACK: "held",
        }
        return [
            (r.label, met[r] if self.meets(r) else "", waivers.get(r.value)) for r in ImrRequirement
        ]

    def meets(self, requirement: str) -> bool:
        if requirement == ImrRequirement.AUTHOR_INDEPENDENCE:
            return bool(self.author.strip()) and self.author_independence_confirmed
        if requirement == ImrRequirement.SENIOR_SIGN_OFF:
            return bool(self.senior_sign_off_by.strip()) and self.signed_off_on is not None
        return self.staff_feedback_held


class ImrRequirement(models.TextChoices):
    """What an agency report needs before it counts as received, unless the CSP chair waives it."""

    AUTHOR_INDEPENDENCE = "author_independence", "The author's independence"
    SENIOR_SIGN_OFF = "senior_sign_off", "The senior manager's sign-off"
    STAFF_FEEDBACK = "staff_feedback", "The staff feedback session"


ImrRequirement.MISSING = {
    ImrRequirement.AUTHOR_INDEPENDENCE: "the author and their independence",
    ImrRequirement.SENIOR_SIGN_OFF: "the senior manager's sign-off and its date",
    ImrRequirement.STAFF_FEEDBACK: "the staff feedback session",
}


class AgencyReportWaiver(models.Model):
    """One requirement of an agency report waived by the CSP chair, with the reason."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="waivers")
    requirement = models.CharField(max_length=30, choices=ImrRequirement.choices)
    reason = models.TextField("reason for the waiver")
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    waived_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "requirement"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "requirement"], name="one_waiver_per_imr_requirement"
            )
        ]

    def __str__(self):
        return f"{self.get_requirement_display()} waived"


def _chronology_path(instance, filename):
    return f"chronologies/{instance.review_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ChronologyFile(StoredFile):
    """One agency's chronology for a review, as sent (a spreadsheet from the service's template,
    see `reviews/chronology.py`), with the rows read from it and the rows that could not be.
    Every version is kept; the newest of each agency is the one merged into the multi-agency
    chronology."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="chronology_files")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=_chronology_path, max_length=255)
    # The good rows, as `chronology.Entry` fields (dates and times in ISO form), in the file's
    # order; and each bad row's problem: {"row", "column", "message"}.
    rows = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["rows"])

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    @property
    def rows_to_correct(self) -> set[int]:
        """The rows left out of the merge until the agency corrects them (a row may have
        several problems)."""
        return {problem["row"] for problem in self.problems}


class FamilyContact(models.Model):
    class Method(models.TextChoices):
        LETTER = "letter", "Letter"
        PHONE = "phone", "Telephone"
        MEETING = "meeting", "Meeting in person"
        VIDEO = "video", "Video call"
        EMAIL = "email", "Email"
        OTHER = "other", "Other"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_contacts")
    contacted_on = models.DateField()
    who = models.CharField("who was contacted", max_length=200)
    method = models.CharField(max_length=20, choices=Method.choices)
    advocate_involved = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-contacted_on", "-pk"]

    def __str__(self):
        return f"{self.contacted_on}: {self.who}"


class ParallelProceeding(models.Model):
    """A criminal trial, inquest or IOPC investigation running beside the review.

    Recording one moves no date (decision 0013): the coordinator says what the CSP agreed
    about the report's timescale (`effect`): nothing; an alternative timescale, asked for as an
    `Extension` with the proceeding as its reason; or a pause of the report's clock while the
    proceeding runs, which a CSP chair agrees or refuses (`pause_status`, in
    `workflow.PAUSES`). Only an agreed pause stops the clock (`clocks.py`)."""

    class Kind(models.TextChoices):
        CRIMINAL_TRIAL = "criminal_trial", "Criminal trial"
        INQUEST = "inquest", "Inquest"
        IOPC = "iopc", "IOPC investigation"
        OTHER = "other", "Other"

    class Effect(models.TextChoices):
        NONE = "none", "No change: the report's timescale stays as it is"
        EXTENSION = "extension", "An alternative timescale: a new date for the report"
        PAUSE = "pause", "A pause of the report's clock while this runs"

    class PauseStatus(models.TextChoices):
        NOT_ASKED = "", "Not asked for"
        REQUESTED = "requested", "Awaiting a chair"
        AGREED = "agreed", "Agreed"
        REFUSED = "refused", "Refused"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="proceedings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    effect = models.CharField(
        "effect on the report's timescale",
        max_length=10,
        choices=Effect.choices,
        default=Effect.NONE,
    )
    pause_status = models.CharField(
        max_length=10, choices=PauseStatus.choices, blank=True, default=PauseStatus.NOT_ASKED
    )
    pause_requested_on = models.DateField(null=True, blank=True)
    pause_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Empty on an agreed pause only for one recorded before pauses needed a chair (kept agreed).
    pause_decided_on = models.DateField(null=True, blank=True)
    pause_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pause_decision_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="proceeding_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(pause_status__in=["requested", "agreed"])
                | models.Q(effect="pause"),
                name="proceeding_pause_only_when_asked_for",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def pauses_review(self) -> bool:
        """Whether it stops the report's clock: only when a chair agreed the pause."""
        return self.pause_status == self.PauseStatus.AGREED

    @property
    def pause_awaiting_chair(self) -> bool:
        return self.pause_status == self.PauseStatus.REQUESTED

    @property
    def described(self) -> str:
        """The proceeding in a sentence: "Criminal trial from 1 June 2026 (still running)"."""
        ended = f"to {self.ended_on:%-d %B %Y}" if self.ended_on is not None else "(still running)"
        return f"{self.get_kind_display()} from {self.started_on:%-d %B %Y} {ended}"


class ReportVersion(models.Model):
    """One version of the overview report or the executive summary."""

    class Kind(models.TextChoices):
        OVERVIEW = "overview", "Overview report"
        EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="report_versions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField()
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    notes = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "kind", "version"], name="one_number_per_report_version"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class Extension(models.Model):
    """A longer timescale for the overview report, asked for by a coordinator with a reason and
    a new date, and approved or refused by a chair. The latest approved one sets the base of
    the report's clock (see `clocks.py`)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Closed undecided"  # the report was signed off first

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="extensions")
    requested_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    new_due_on = models.DateField("new date the overview report is due")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="decided by (CSP chair)",
    )
    decision_comment = models.TextField(blank=True)
    # The parallel proceeding that is its reason, when it was asked for from one.
    proceeding = models.ForeignKey(
        ParallelProceeding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="extensions",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(status="requested"),
                name="one_extension_awaiting_decision",
            )
        ]

    def __str__(self):
        return f"Extension to {self.new_due_on:%-d %B %Y}"


class Reminder(models.Model):
    """The reminder log: one row per (deadline, cycle, step) that the chase decided to send,
    written in the same transaction as that decision, so a second run or a run after a crash
    finds it and sends nothing twice. A deadline keeps its cycle while pauses move its date (a
    step is not sent again because a two-day inquest moved the date); an approved extension, or
    a new due date agreed for an agency report, starts a new cycle. The email itself, and
    whether it went, is in `email`."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    cycle = models.CharField(max_length=40, blank=True)
    due_on = models.DateField(help_text="The due date when the reminder was sent")
    step = models.SmallIntegerField(help_text="Days before the deadline; negative when overdue")
    what = models.CharField(max_length=200)
    email = models.OneToOneField(
        "dhr.OutgoingEmail", on_delete=models.PROTECT, related_name="reminder"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "cycle", "step"], name="one_reminder_per_step"
            )
        ]

    def __str__(self):
        return f"{self.what}: {self.step_label}"

    @property
    def step_label(self) -> str:
        if self.step > 0:
            return f"{self.step} day{'s' if self.step != 1 else ''} before"
        if self.step == 0:
            return "On the day"
        return "While overdue"  # the date it went says how late


class DigestSent(models.Model):
    """A morning digest sent: at most one a person a day, however often the job runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"Digest to {self.user_id} on {self.sent_on:%Y-%m-%d}"

"""The records of a review's stages, each on a page of its own reached from the overview: set-up
and panel, agency reports, the family and the drafts (parallel proceedings: proceedings.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from dhr.errors import NotAllowed, StageClosed, TransitionError, allowed
from dhr.models import Role
from reviews import clocks, forms, selectors, services, workflow
from reviews.models import (
    AgencyReport,
    PanelMember,
)
from reviews.pages import ReviewFormView, ReviewMixin


class SetUpView(ReviewFormView):
    edits_review = True
    form_class = forms.SetUpForm
    stage = "set_up"
    template_name = "reviews/set_up.html"
    title = "Set-up: independent chair, panel and terms of reference"

    def get_initial(self):
        return {name: getattr(self.review, name) for name in services.SET_UP_FIELDS}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not clocks.rules_for(self.review).has_scoping_review:
            form.fields.pop("scoping_completed_on")
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["panel_members"] = self.review.panel_members.select_related("agency")
        # Saving comes back to this page; Back and Cancel go to the review.
        context["back_url"] = self.review.get_absolute_url()
        return context

    def get_success_url(self):
        return reverse("reviews:set_up", args=[self.review.pk])

    def perform(self, form):
        services.review_update_set_up(
            review=self.review,
            by=self.request.user,
            data=form.cleaned_data,
            terms_of_reference_file=form.cleaned_data.get("terms_of_reference_file"),
        )
        return "Set-up details saved"


class PanelMemberAddView(ReviewFormView):
    form_class = forms.PanelMemberForm
    stage = "set_up"
    title = "Add a panel member"

    def get_success_url(self):
        return reverse("reviews:set_up", args=[self.review.pk])

    def perform(self, form):
        member = services.panel_member_add(
            review=self.review, by=self.request.user, **form.cleaned_data
        )
        return f"{member.name} added to the panel"


class PanelMemberRemoveView(ReviewMixin, View):
    def post(self, request, *args, **kwargs):
        member = get_object_or_404(PanelMember, review=self.review, pk=kwargs["member_pk"])
        try:
            services.panel_member_remove(member=member, by=request.user)
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from error
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{member.name} removed from the panel")
        return redirect("reviews:set_up", self.review.pk)


class AgencyReportsView(ReviewFormView):
    form_class = forms.AgencyReportRequestForm
    stage = "agency_reports"
    readable_by_all = True
    template_name = "reviews/agency_reports.html"
    title = "Agency reports (IMRs)"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review": self.review}

    def get_initial(self):
        today = timezone.localdate()
        return {
            "requested_on": today,
            "due_on": clocks.suggested_agency_report_due(self.review, today),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = list(
            self.review.agency_reports.select_related("agency", "document").prefetch_related(
                "waivers__waived_by"
            )
        )
        for report in reports:
            report.waivable = workflow.waivable(report)
        context.update(
            reports=reports,
            today=timezone.localdate(),
            may_waive=allowed(
                workflow.guard_edit, self.review, "agency_reports", self.request.user, Role.CHAIR
            ),
        )
        return context

    def get_success_url(self):
        return reverse("reviews:agency_reports", args=[self.review.pk])

    def perform(self, form):
        report = services.agency_report_request(
            review=self.review, by=self.request.user, **form.cleaned_data
        )
        return f"Report requested from {report.agency}"


class AgencyReportUpdateView(ReviewFormView):
    form_class = forms.AgencyReportForm
    stage = "agency_reports"

    def get_report(self):
        return get_object_or_404(
            AgencyReport.objects.select_related("agency"),
            review=self.review,
            pk=self.kwargs["report_pk"],
        )

    def versioned(self):
        return self.get_report()

    def get_initial(self):
        report = self.get_report()
        return {name: getattr(report, name) for name in services.AGENCY_REPORT_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = f"Agency report: {self.get_report().agency}"
        return context

    def get_success_url(self):
        return reverse("reviews:agency_reports", args=[self.review.pk])

    def perform(self, form):
        report = services.agency_report_update(
            report=self.get_report(),
            by=self.request.user,
            data=form.cleaned_data,
            document_file=form.cleaned_data.get("document"),
        )
        missing = report.incomplete()
        if report.received_on and missing:
            return (
                f"Report from {report.agency} saved: received, not yet complete. Still needed: "
                + "; ".join(missing)
            )
        return f"Report from {report.agency} saved"


class AgencyReportWaiveView(ReviewFormView):
    """The CSP chair waives a requirement of an agency report, with the reason."""

    form_class = forms.AgencyReportWaiveForm
    role = Role.CHAIR
    stage = "agency_reports"
    template_name = "reviews/agency_report_waive.html"

    def get_report(self):
        if not hasattr(self, "_report"):
            self._report = get_object_or_404(
                AgencyReport.objects.select_related("agency").prefetch_related("waivers"),
                review=self.review,
                pk=self.kwargs["report_pk"],
            )
        return self._report

    def check_submit(self):
        super().check_submit()
        if not workflow.waivable(self.get_report()):
            raise StageClosed("Every requirement of this report is met or waived already.")

    def get_form_kwargs(self):
        requirements = [(r.value, r.label) for r in workflow.waivable(self.get_report())]
        return {**super().get_form_kwargs(), "requirements": requirements}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            report=self.get_report(), title=f"Waive a requirement: {self.get_report().agency}"
        )
        return context

    def get_success_url(self):
        return reverse("reviews:agency_reports", args=[self.review.pk])

    def perform(self, form):
        waiver = services.agency_report_waive(
            report=self.get_report(),
            by=self.request.user,
            requirement=form.cleaned_data["requirement"],
            reason=form.cleaned_data["reason"],
            on=timezone.localdate(),
        )
        return (
            f"{waiver.get_requirement_display()} waived for the report from {waiver.report.agency}"
        )


class FamilyView(ReviewMixin, TemplateView):
    template_name = "reviews/family.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            contacts=self.review.family_contacts.all(),
            may_edit=allowed(workflow.guard_edit, self.review, "family", self.request.user),
        )
        return context


class FamilyContactAddView(ReviewFormView):
    form_class = forms.FamilyContactForm
    stage = "family"
    title = "Record a contact with the family"

    def get_success_url(self):
        return reverse("reviews:family", args=[self.review.pk])

    def perform(self, form):
        services.family_contact_add(
            review=self.review, by=self.request.user, data=form.cleaned_data
        )
        return "Contact with the family recorded"


class PseudonymView(ReviewFormView):
    edits_review = True
    form_class = forms.PseudonymForm
    stage = "family"
    title = "Pseudonym agreed with the family"
    intro = "The pseudonym is used for the victim in the published report and on every page here."

    def get_initial(self):
        return {"pseudonym": self.review.victim_pseudonym}

    def get_success_url(self):
        return reverse("reviews:family", args=[self.review.pk])

    def perform(self, form):
        services.review_agree_pseudonym(
            review=self.review, by=self.request.user, pseudonym=form.cleaned_data["pseudonym"]
        )
        return "Pseudonym saved"


class DraftingView(ReviewFormView):
    form_class = forms.ReportVersionForm
    stage = "drafting"
    readable_by_all = True
    template_name = "reviews/drafting.html"
    title = "Overview report and executive summary"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            versions=self.review.report_versions.select_related("document", "uploaded_by"),
            report_clock=selectors.review_report_clock(self.review, timezone.localdate()),
        )
        return context

    def get_success_url(self):
        return reverse("reviews:drafting", args=[self.review.pk])

    def perform(self, form):
        version = services.report_version_add(
            review=self.review,
            by=self.request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            notes=form.cleaned_data["notes"],
        )
        return f"{version} uploaded"


class NoRecommendationsView(ReviewFormView):
    """The CSP chair records why the review makes no recommendations, before signing it off."""

    edits_review = True
    form_class = forms.NoRecommendationsForm
    role = Role.CHAIR
    stage = "no_recommendations"
    title = "Why the review makes no recommendations"
    intro = (
        "The report cannot be signed off while its action plan has no recommendation, unless "
        "you record here why the review makes none. The reason is kept in the review's history."
    )

    def get_initial(self):
        return {"reason": self.review.no_recommendations_reason}

    def get_success_url(self):
        return reverse("reviews:transition", args=[self.review.pk, "sign_off"])

    def perform(self, form):
        services.review_record_no_recommendations(
            review=self.review, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return "Reason for making no recommendations saved"

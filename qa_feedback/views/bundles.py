"""The publishable PDF: built as a job, checked for names the report must not carry (the
anonymity check), the report's text written here instead of uploaded."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from dhr.downloads import audited_download
from dhr.errors import allowed, guarded
from dhr.jobs import made
from dhr.models import Role
from qa_feedback import selectors, services, workflow
from qa_feedback.forms import (
    AcceptFindingForm,
    ReportTextForm,
    TermForm,
)
from qa_feedback.models import AnonymityFinding
from reviews import services as review_services
from reviews.models import ReportVersion
from reviews.pages import LeadsMixin, ReviewFormView, ReviewMixin


class BundlesView(LeadsMixin, TemplateView):
    template_name = "qa_feedback/bundles.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review, user = self.review, self.request.user
        review_services.confidential_view_record(user=user, review=review)
        bundles = list(selectors.bundles_of(review))
        latest = bundles[0] if bundles else None
        accepted = selectors.accepted_values(review)
        context.update(
            bundles=bundles,
            latest=latest,
            findings=[(f, accepted.get(f.value)) for f in latest.findings.all()] if latest else [],
            terms=review.confidential_terms.all(),
            written={t.kind: t for t in review.report_texts.all()},
            may_build_draft=allowed(workflow.guard_bundle, review, user, final=False),
            may_build_final=allowed(workflow.guard_bundle, review, user, final=True),
            may_accept=allowed(workflow.guard_accept, review, user),
            may_change_terms=allowed(workflow.guard_terms, review, user),
            may_write=allowed(workflow.guard_report_text, review, user),
            term_form=TermForm(),
            active_tab="qa",
        )
        return context


class BundleRequestView(LeadsMixin, View):
    def post(self, request, *args, **kwargs):
        final = request.POST.get("final") == "1"
        bundle = guarded(services.bundle_request, review=self.review, by=request.user, final=final)
        messages.success(request, f"{bundle} is being built")
        return redirect(reverse("qa_feedback:bundles", args=[self.review.pk]))


class BundleStatusView(LeadsMixin, View):
    """How far a build has got, for the page to show while it waits."""

    def get(self, request, *args, **kwargs):
        bundle = selectors.bundle_get(review=self.review, pk=kwargs["bundle_pk"])
        return JsonResponse(
            {
                "state": bundle.state,
                "label": bundle.get_state_display(),
                "progress": bundle.progress,
                "step": bundle.step,
                "finished": bundle.is_finished,
            }
        )


class BundleDownloadView(LeadsMixin, View):
    def get(self, request, *args, **kwargs):
        bundle = selectors.bundle_get(review=self.review, pk=kwargs["bundle_pk"])
        if not made(bundle):
            raise Http404("This version was not built, or was removed.")
        return audited_download(
            request,
            content=bundle.file.open("rb"),
            filename=bundle.filename,
            content_type="application/pdf",
            object_type="publication_bundle",
            object_id=bundle.pk,
            detail=f"{self.review.reference}: {bundle}",
            review_id=self.review.pk,
        )


class FindingAcceptView(ReviewFormView):
    form_class = AcceptFindingForm
    template_name = "qa_feedback/finding_accept.html"
    role = Role.CHAIR
    title = "Accept an anonymity finding"

    @cached_property
    def finding(self):
        return get_object_or_404(
            AnonymityFinding.objects.select_related("bundle"),
            bundle__review=self.review,
            pk=self.kwargs["finding_pk"],
        )

    def check_submit(self):
        self.finding  # noqa: B018 - a finding of another review is a 404 first
        guarded(workflow.guard_accept, self.review, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review_services.confidential_view_record(user=self.request.user, review=self.review)
        context["finding"] = self.finding
        return context

    def perform(self, form):
        services.finding_accept(
            finding=self.finding, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        return "Accepted: the next final PDF may keep it"

    def get_success_url(self):
        return reverse("qa_feedback:bundles", args=[self.review.pk])


class TermAddView(ReviewFormView):
    form_class = TermForm
    title = "Add to the anonymity check"
    intro = (
        "The check already looks for the victim's and perpetrator's real names and dates of "
        "birth and the date of death. Add anything else the published report must not name."
    )

    def check_submit(self):
        guarded(workflow.guard_terms, self.review, self.request.user)

    def perform(self, form):
        services.term_add(review=self.review, by=self.request.user, **form.cleaned_data)
        return "Added to the anonymity check"

    def get_success_url(self):
        return reverse("qa_feedback:bundles", args=[self.review.pk]) + "#terms"


class TermRemoveView(ReviewMixin, View):
    def load(self):
        super().load()
        self.term = get_object_or_404(self.review.confidential_terms, pk=self.kwargs["term_pk"])

    def check_access(self):
        super().check_access()
        guarded(workflow.guard_terms, self.review, self.request.user)

    def post(self, request, *args, **kwargs):
        services.term_remove(term=self.term, by=request.user)
        messages.success(request, "Removed from the anonymity check")
        return redirect(reverse("qa_feedback:bundles", args=[self.review.pk]) + "#terms")


class ReportTextView(ReviewFormView):
    """The executive summary or overview report written in the app instead of uploaded."""

    form_class = ReportTextForm
    template_name = "qa_feedback/report_text.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in ReportVersion.Kind.values:
            raise Http404
        self.kind = ReportVersion.Kind(kwargs["kind"])
        self.title = f"Write the {self.kind.label.lower()}"
        return super().dispatch(request, *args, **kwargs)

    def check_submit(self):
        guarded(workflow.guard_report_text, self.review, self.request.user)

    def get_initial(self):
        written = self.review.report_texts.filter(kind=self.kind).first()
        return {"text": written.text if written else ""}

    def perform(self, form):
        written = services.report_text_save(
            review=self.review, by=self.request.user, kind=self.kind, text=form.cleaned_data["text"]
        )
        if written is None:
            return f"The uploaded {self.kind.label.lower()} will be used"
        return f"{self.kind.label} saved"

    def get_success_url(self):
        return reverse("qa_feedback:bundles", args=[self.review.pk])

"""A partnership's tracker report, its analytics and exports, and importing a tracker."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from dhr.downloads import audited_download
from dhr.jobs import file_job_request
from dhr.pages import PartnershipMixin, ServiceFormMixin
from dhr.permissions import may_record
from recommendations import (
    analytics,
    exports,
    forms,
    services,
    tracker,
    tracker_import,
)


def _period_form(request) -> tuple[forms.PeriodForm, tracker.Period]:
    """The period asked for in the address (all time when none, or when it is not valid)."""
    asked = any(name.startswith(("start", "end")) for name in request.GET)
    form = forms.PeriodForm(request.GET if asked else None)
    if asked and form.is_valid():
        return form, tracker.Period(form.cleaned_data["start"], form.cleaned_data["end"])
    return form, tracker.Period()


IMPORT_REFUSAL = "Only a coordinator can import a tracker."
TRACKER_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The PDF takes seconds at national size: the worker makes it (TrackerPdfView).
TRACKER_WRITERS = {
    "csv": exports.tracker_csv,
    "xlsx": exports.tracker_xlsx,
}


class TrackerView(PartnershipMixin, TemplateView):
    template_name = "recommendations/tracker.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, period = _period_form(self.request)
        today = timezone.localdate()
        report = tracker.tracker_report(self.partnership, today=today, period=period)
        sections = tracker.sections(report)
        context.update(
            as_of=today,
            form=form,
            period=period,
            report=report,
            sections=[(s, exports.tracker_chart(s)) for s in sections],
            query=self.request.GET.urlencode(),
            may_import=may_record(self.request.user, self.partnership.pk),
        )
        return context


class TrackerExportView(PartnershipMixin, View):
    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in TRACKER_WRITERS:
            raise Http404
        _, period = _period_form(request)
        report = tracker.tracker_report(self.partnership, today=timezone.localdate(), period=period)
        content = TRACKER_WRITERS[fmt](report, tracker.sections(report), period)
        return audited_download(
            request,
            content=content,
            filename=f"tracker-report-{self.partnership.slug}-OFFICIAL-SENSITIVE.{fmt}",
            content_type=TRACKER_TYPES[fmt],
            object_type="tracker_report",
            object_id=self.partnership.pk,
            detail=f"{self.partnership.name}: tracker report ({fmt}, {period})",
        )


class TrackerPdfView(PartnershipMixin, View):
    """The tracker report as a PDF, for the period on the page: made by the worker, then
    downloaded from the file's own page."""

    def post(self, request, *args, **kwargs):
        _, period = _period_form(request)
        partnership, today = self.partnership, timezone.localdate()
        query = request.GET.urlencode()
        job = file_job_request(
            by=request.user,
            task="recommendations.tasks.make_tracker_pdf",
            title=f"Tracker report for {partnership.name}: PDF ({period})",
            filename=f"tracker-report-{partnership.slug}-OFFICIAL-SENSITIVE.pdf",
            content_type=TRACKER_TYPES["pdf"],
            back_url=reverse("recommendations:tracker", args=[partnership.slug])
            + (f"?{query}" if query else ""),
            audit=(
                "tracker_report",
                partnership.pk,
                f"{partnership.name}: tracker report (pdf, {period})",
            ),
            params={
                "partnership": partnership.pk,
                "today": today.isoformat(),
                "start": period.start.isoformat() if period.start else None,
                "end": period.end.isoformat() if period.end else None,
            },
        )
        return redirect(job)


class TrackerAnalyticsView(PartnershipMixin, TemplateView):
    template_name = "recommendations/tracker_analytics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["analytics"] = analytics.analytics(self.partnership, today=timezone.localdate())
        return context


class TrackerTemplateView(PartnershipMixin, View):
    """An empty tracker with its columns and an example row, to fill in."""

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in ("csv", "xlsx"):
            raise Http404
        content = tracker_import.template_file(fmt)
        response = HttpResponse(content, content_type=TRACKER_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="tracker-template.{fmt}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class TrackerImportView(PartnershipMixin, FormView):
    coordinators_only = True
    refusal = IMPORT_REFUSAL
    form_class = forms.TrackerUploadForm
    template_name = "recommendations/tracker_import.html"

    def form_valid(self, form):
        try:
            job = services.tracker_import_read(
                partnership=self.partnership, upload=form.cleaned_data["file"], by=self.request.user
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error("file", text)
            return self.form_invalid(form)
        return redirect(
            reverse("recommendations:tracker_import_job", args=[self.partnership.slug, job.pk])
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "columns": tracker_import.COLUMN_NOTES,
            "imports": self.partnership.tracker_imports.select_related("uploaded_by")[:10],
        }


class TrackerImportJobView(PartnershipMixin, ServiceFormMixin, FormView):
    """A checked import: its problems, what it would do, and the confirmation; once confirmed,
    how far it has got and what it did."""

    coordinators_only = True
    refusal = IMPORT_REFUSAL
    form_class = forms.TrackerConfirmForm
    template_name = "recommendations/tracker_import_job.html"

    @cached_property
    def job(self):
        return get_object_or_404(
            self.partnership.tracker_imports.select_related("uploaded_by", "confirmed_by"),
            pk=self.kwargs["import_pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "job": self.job}

    def get_context_data(self, **kwargs):
        job = self.job
        return {
            **super().get_context_data(**kwargs),
            "job": job,
            "planned": job.result.get("planned", {}),
            "written": job.result.get("written"),
            # Each new agency, with the known agency it may be a misspelling of.
            "new_agencies": [
                (name, job.result.get("suggestions", {}).get(name)) for name in job.new_agencies
            ],
            "new_themes": job.result.get("new_themes", []),
            "new_reviews": job.result.get("new_reviews", []),
        }

    def perform(self, form):
        services.tracker_import_confirm(
            job=self.job,
            by=self.request.user,
            good_rows_only=form.cleaned_data.get("good_rows_only", False),
            agencies_confirmed=form.cleaned_data.get("agencies_confirmed", False),
        )
        return "The import has started"

    def get_success_url(self):
        return reverse(
            "recommendations:tracker_import_job", args=[self.partnership.slug, self.job.pk]
        )


class TrackerImportStatusView(PartnershipMixin, View):
    """How far a confirmed import has got, for its page to show while it waits."""

    coordinators_only = True
    refusal = IMPORT_REFUSAL

    def get(self, request, *args, **kwargs):
        job = get_object_or_404(self.partnership.tracker_imports, pk=kwargs["import_pk"])
        return JsonResponse(
            {
                "state": job.state,
                "label": job.get_state_display(),
                "progress": job.progress,
                "step": job.get_state_display(),
                "finished": job.is_finished,
            }
        )

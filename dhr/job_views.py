"""A file being made for the person who asked for it: its page (how far it has got, then the
download), its status for the page's script, and the download itself. Anyone else gets a 404."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView, View

from dhr.downloads import audited_download
from dhr.jobs import made
from dhr.models import FileJob
from dhr.pages import GuardedView


class FileJobMixin(GuardedView):
    def load(self):
        super().load()
        self.job = get_object_or_404(FileJob, pk=self.kwargs["pk"], requested_by=self.request.user)


class FileJobView(FileJobMixin, TemplateView):
    template_name = "dhr/file_job.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "job": self.job}


class FileJobStatusView(FileJobMixin, View):
    def get(self, request, *args, **kwargs):
        job = self.job
        return JsonResponse(
            {
                "state": job.state,
                "label": job.get_state_display(),
                "progress": job.progress,
                "step": job.step,
                "finished": job.is_finished,
            }
        )


class FileJobDownloadView(FileJobMixin, View):
    def get(self, request, *args, **kwargs):
        job = self.job
        if not made(job):
            raise Http404("This file was not made, or was removed.")
        return audited_download(
            request,
            content=job.file.open("rb"),
            filename=job.filename,
            content_type=job.content_type,
            object_type=job.object_type,
            object_id=job.object_id,
            detail=job.detail,
            review_id=job.review_id,
        )

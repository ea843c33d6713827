"""The pages that belong to no one app: the dashboard and the error pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views.generic import TemplateView

from dhr.permissions import agency_ids
from reviews import selectors


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "dhr/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.dashboard(user=self.request.user))
        context["is_agency_contact"] = bool(agency_ids(self.request.user))
        context["may_notify"] = selectors.may_record_notifications(self.request.user)
        context["settings_partnerships"] = selectors.partnerships_managed_by(self.request.user)
        return context


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)

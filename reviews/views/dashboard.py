"""The dashboard, everyone's first page: their reviews by stage and every date due or overdue
(from every app's deadlines, see `dhr.extensions`)."""

from django.views.generic import TemplateView

from dhr.pages import GuardedView
from dhr.permissions import agency_ids
from dhr.selectors import partnerships_managed_by
from reviews import selectors


class DashboardView(GuardedView, TemplateView):
    template_name = "dhr/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(selectors.dashboard(user=user))
        context["is_agency_contact"] = bool(agency_ids(user))
        context["may_notify"] = selectors.may_record_notifications(user)
        context["settings_partnerships"] = partnerships_managed_by(user)
        return context

"""A partnership's requests to agencies for updates on their actions."""

from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from dhr.pages import PartnershipMixin, ServiceFormMixin
from dhr.permissions import may_record
from recommendations import (
    forms,
    selectors,
    services,
)


class UpdateRequestsView(PartnershipMixin, TemplateView):
    """A partnership's requests for updates, and who has answered each."""

    template_name = "recommendations/update_requests.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.partnership
        context.update(
            requests=selectors.update_requests(partnership=partnership),
            may_send=may_record(self.request.user, partnership.pk),
            today=timezone.localdate(),
        )
        return context


class UpdateRequestSendView(PartnershipMixin, ServiceFormMixin, FormView):
    form_class = forms.UpdateRequestForm
    template_name = "reviews/form.html"
    coordinators_only = True
    refusal = "Only a coordinator can ask agencies for updates."

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "agencies": selectors.agencies_with_open_actions(self.partnership),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Ask agencies for updates",
            intro=f"{self.partnership.name}: each agency gets an email listing its open "
            "actions, and the request shows who has answered. Unanswered requests are chased "
            "each morning.",
            back_url=reverse("recommendations:update_requests", args=[self.partnership.slug]),
        )
        return context

    def get_success_url(self):
        return reverse("recommendations:update_requests", args=[self.partnership.slug])

    def perform(self, form):
        data = form.cleaned_data
        request = services.update_request_send(
            partnership=self.partnership,
            by=self.request.user,
            due_on=data["due_on"],
            agencies=data["agencies"],
            message=data["message"],
        )
        count = request.agencies.count()
        return f"Request sent to {count} {'agency' if count == 1 else 'agencies'}"

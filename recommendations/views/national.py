"""A national recommendation's reply: when it was sent to its national body, and the body's
reply with its date (the coordinator's form)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone

from dhr.errors import guarded
from recommendations import forms, services, workflow
from recommendations.deadlines import national_reply_due, national_reply_overdue
from recommendations.models import Scope
from recommendations.views.plan import PlanFormView


class NationalReplyView(PlanFormView):
    form_class = forms.NationalReplyForm
    template_name = "recommendations/national_reply.html"

    def load(self):
        super().load()
        self.recommendation = get_object_or_404(
            self.review.recommendations.filter(scope=Scope.NATIONAL),
            pk=self.kwargs["recommendation_pk"],
        )

    def check_access(self):
        super().check_access()
        guarded(workflow.guard_national_reply, self.recommendation, self.request.user)

    def versioned(self):
        return self.recommendation

    def get_initial(self):
        return {name: getattr(self.recommendation, name) for name in services.REPLY_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.recommendation.reply_overdue_days = national_reply_overdue(
            self.recommendation, timezone.localdate()
        )
        context.update(
            title=f"{self.recommendation}: the national body's reply",
            recommendation=self.recommendation,
            reply_due=national_reply_due(self.recommendation),
            reply_days=self.review.partnership.national_reply_days,
        )
        return context

    def perform(self, form):
        data = {
            name: form.cleaned_data.get(name) for name in ("sent_to_body_on", "body_replied_on")
        }
        data["body_reply"] = form.cleaned_data.get("body_reply", "")
        if self.recommendation.body_reply_source and data["body_reply"] != (
            self.recommendation.body_reply
        ):
            data["body_reply_source"] = ""  # no longer the letter's words
        services.national_reply_record(
            recommendation=self.recommendation, by=self.request.user, data=data
        )
        return f"{self.recommendation}: the national body's reply saved"
